package io.kaveri.schemas.serde;

import io.kaveri.schemas.registry.SchemaRegistryClient;
import java.util.HashMap;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serdes;

/**
 * Streams serde of generated {@link SpecificRecord} classes in Confluent's wire format; reads into the class the
 * writer's schema names ({@code specific.avro.reader} is always on).
 */
public class SpecificAvroSerde<T extends SpecificRecord> extends Serdes.WrapperSerde<T> {

    public SpecificAvroSerde() {
        super(TypedSerde.serializer(new KaveriAvroSerializer()), TypedSerde.deserializer(new KaveriAvroDeserializer()));
    }

    /** A serde on the given client, which it does not close. */
    public SpecificAvroSerde(SchemaRegistryClient client) {
        super(TypedSerde.serializer(new KaveriAvroSerializer(client)),
                TypedSerde.deserializer(new KaveriAvroDeserializer(client)));
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        Map<String, Object> specific = new HashMap<>(configs);
        specific.put(AvroSerdeConfig.SPECIFIC_AVRO_READER_CONFIG, true);
        super.configure(specific, isKey);
    }
}
