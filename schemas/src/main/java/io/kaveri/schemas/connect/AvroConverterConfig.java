package io.kaveri.schemas.connect;

import java.util.Map;

import io.kaveri.schemas.serde.AvroSerdeConfig;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;

/**
 * The converter's keys: the serde's and registry client's ({@code schema.registry.url},
 * {@code auto.register.schemas}, {@code use.latest.version}, subject name strategies, auth, TLS...)
 * and the Connect data mapping's ({@code connect.meta.data}, {@code enhanced.avro.schema.support}...),
 * all named as in Confluent's AvroConverter.
 */
public final class AvroConverterConfig extends AbstractConfig {

    public AvroConverterConfig(Map<?, ?> props) {
        super(configDef(), props);
    }

    public static ConfigDef configDef() {
        return AvroDataConfig.addTo(AvroSerdeConfig.configDef());
    }
}
