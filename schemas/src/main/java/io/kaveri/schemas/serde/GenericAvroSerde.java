package io.kaveri.schemas.serde;

import io.kaveri.schemas.registry.SchemaRegistryClient;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.serialization.Serdes;

/** Streams serde of {@link GenericRecord}s in Confluent's wire format; configured with {@link AvroSerdeConfig}. */
public class GenericAvroSerde extends Serdes.WrapperSerde<GenericRecord> {

    public GenericAvroSerde() {
        super(TypedSerde.serializer(new KaveriAvroSerializer()), TypedSerde.deserializer(new KaveriAvroDeserializer()));
    }

    /** A serde on the given client, which it does not close. */
    public GenericAvroSerde(SchemaRegistryClient client) {
        super(TypedSerde.serializer(new KaveriAvroSerializer(client)),
                TypedSerde.deserializer(new KaveriAvroDeserializer(client)));
    }
}
