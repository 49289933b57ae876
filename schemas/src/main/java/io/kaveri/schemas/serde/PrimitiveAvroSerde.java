package io.kaveri.schemas.serde;

import io.kaveri.schemas.registry.SchemaRegistryClient;
import org.apache.kafka.common.serialization.Serdes;

/**
 * Streams serde of Avro primitives (String, Integer, Long, Float, Double, Boolean, byte[]), typically for keys,
 * in Confluent's wire format: a String key is registered as the schema {@code "string"}.
 */
public class PrimitiveAvroSerde<T> extends Serdes.WrapperSerde<T> {

    public PrimitiveAvroSerde() {
        super(TypedSerde.serializer(new KaveriAvroSerializer()), TypedSerde.deserializer(new KaveriAvroDeserializer()));
    }

    /** A serde on the given client, which it does not close. */
    public PrimitiveAvroSerde(SchemaRegistryClient client) {
        super(TypedSerde.serializer(new KaveriAvroSerializer(client)),
                TypedSerde.deserializer(new KaveriAvroDeserializer(client)));
    }
}
