package io.kaveri.schemas.serde;

import org.apache.avro.Schema;

/**
 * A deserialized value with the schema it was written with and that schema's registry id.
 *
 * @param value the value: GenericRecord, SpecificRecord, or a Java primitive (String, Integer, byte[], ...)
 * @param writerSchema the schema the producer wrote the value with
 * @param schemaId the id in the record's header
 */
public record DeserializedAvro(Object value, Schema writerSchema, int schemaId) {
}
