package io.kaveri.schemas.serde;

import io.kaveri.schemas.registry.SchemaRegistryClient;
import io.kaveri.schemas.registry.SchemaRegistryClientConfig;
import io.kaveri.schemas.registry.SchemaRegistryClients;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;

/** What the serializer and the deserializer share: the registry client, the subject naming and the data model. */
abstract class AvroSerdeBase {

    private final boolean clientGiven;
    SchemaRegistryClient client;
    boolean isKey;
    SubjectNameStrategy strategy;
    int cacheCapacity;
    GenericData genericData;

    /** With a null client, {@link #configureBase} makes one from the configuration and {@link #close} closes it. */
    AvroSerdeBase(SchemaRegistryClient client) {
        this.client = client;
        this.clientGiven = client != null;
    }

    AvroSerdeConfig configureBase(Map<String, ?> configs, boolean isKey) {
        AvroSerdeConfig config = new AvroSerdeConfig(configs);
        if (client == null) {
            client = SchemaRegistryClients.create(configs);
        }
        this.isKey = isKey;
        this.strategy = config.subjectNameStrategy(isKey);
        this.cacheCapacity = config.getInt(SchemaRegistryClientConfig.MAX_SCHEMAS_PER_SUBJECT_CONFIG);
        this.genericData = AvroModels.generic(config.getBoolean(AvroSerdeConfig.AVRO_USE_LOGICAL_TYPE_CONVERTERS_CONFIG));
        return config;
    }

    void checkConfigured() {
        if (strategy == null) {
            throw new IllegalStateException(getClass().getSimpleName() + " used before configure()");
        }
    }

    /** The subject for error messages, or null when it cannot be known (no schema yet, or the strategy fails). */
    String subjectOrNull(String topic, Schema schema) {
        if (schema == null && strategy.usesSchema()) {
            return null;
        }
        try {
            return strategy.subjectName(topic, isKey, schema);
        } catch (RuntimeException e) {
            return null;
        }
    }

    public void close() {
        if (!clientGiven && client != null) {
            client.close();
        }
    }
}
