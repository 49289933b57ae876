package io.kaveri.schemas.connect;

import static io.kaveri.schemas.connect.ConnectAvroNames.AVRO_TYPE_ANYTHING;
import static io.kaveri.schemas.connect.ConnectAvroNames.KEY_FIELD;
import static io.kaveri.schemas.connect.ConnectAvroNames.MAP_ENTRY_TYPE_NAME;
import static io.kaveri.schemas.connect.ConnectAvroNames.NAMESPACE;
import static io.kaveri.schemas.connect.ConnectAvroNames.VALUE_FIELD;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericFixed;
import org.apache.avro.generic.IndexedRecord;
import org.apache.kafka.connect.errors.DataException;

/**
 * Connect data without a schema, as Confluent writes it: every value wrapped in an
 * {@code io.confluent.connect.avro.Anything} record whose one non-null field holds it (an Avro union
 * cannot be named, and this type refers to itself). Integers of any width come back as int32.
 */
final class Schemaless {

    static final org.apache.avro.Schema ANYTHING_SCHEMA = SchemaBuilder.record(AVRO_TYPE_ANYTHING).namespace(NAMESPACE)
            .fields()
            .optionalBoolean("boolean")
            .optionalBytes("bytes")
            .optionalDouble("double")
            .optionalFloat("float")
            .optionalInt("int")
            .optionalLong("long")
            .optionalString("string")
            .name("array").type().optional().array().items().type(AVRO_TYPE_ANYTHING)
            .name("map").type().optional().array()
            .items().record(MAP_ENTRY_TYPE_NAME).namespace(NAMESPACE).fields()
            .name(KEY_FIELD).type(AVRO_TYPE_ANYTHING).noDefault()
            .name(VALUE_FIELD).type(AVRO_TYPE_ANYTHING).noDefault()
            .endRecord()
            .endRecord();

    private static final org.apache.avro.Schema MAP_ENTRY_SCHEMA =
            ANYTHING_SCHEMA.getField("map").schema().getTypes().get(1).getElementType();
    // The order in which Confluent looks for the field that is set.
    private static final String[] FIELDS = {"boolean", "bytes", "double", "float", "int", "long", "string", "array", "map"};

    private Schemaless() {
    }

    /** The Anything record for a value; a null at the top stays null, inside a collection it is an empty record. */
    static GenericData.Record wrap(Object value) {
        GenericData.Record record = new GenericData.Record(ANYTHING_SCHEMA);
        if (value == null) {
            return record;
        }
        if (value instanceof Byte || value instanceof Short) {
            record.put("int", ((Number) value).intValue());
        } else if (value instanceof Integer) {
            record.put("int", value);
        } else if (value instanceof Long) {
            record.put("long", value);
        } else if (value instanceof Float) {
            record.put("float", value);
        } else if (value instanceof Double) {
            record.put("double", value);
        } else if (value instanceof Boolean) {
            record.put("boolean", value);
        } else if (value instanceof String) {
            record.put("string", value);
        } else if (value instanceof Collection<?> collection) {
            List<GenericData.Record> elements = new ArrayList<>(collection.size());
            collection.forEach(element -> elements.add(wrap(element)));
            record.put("array", elements);
        } else if (value instanceof Map<?, ?> map) {
            List<GenericData.Record> entries = new ArrayList<>(map.size());
            map.forEach((key, entryValue) -> {
                GenericData.Record entry = new GenericData.Record(MAP_ENTRY_SCHEMA);
                entry.put(KEY_FIELD, wrap(key));
                entry.put(VALUE_FIELD, wrap(entryValue));
                entries.add(entry);
            });
            record.put("map", entries);
        } else {
            throw new DataException("Unknown Java type for schemaless data: " + value.getClass().getName());
        }
        return record;
    }

    /** The Connect value an Anything record holds. */
    static Object unwrap(Object avroValue) {
        if (!(avroValue instanceof IndexedRecord record)) {
            throw new DataException("Invalid Avro data for schemaless Connect data: "
                    + (avroValue == null ? "null" : avroValue.getClass().getName()));
        }
        org.apache.avro.Schema schema = record.getSchema();
        for (String field : FIELDS) {
            Object value = record.get(schema.getField(field).pos());
            if (value != null) {
                return unwrapField(field, value);
            }
        }
        return null;
    }

    private static Object unwrapField(String field, Object value) {
        switch (field) {
            case "string":
                return value.toString();
            case "bytes":
                return value instanceof byte[] bytes ? ByteBuffer.wrap(bytes)
                        : value instanceof GenericFixed fixed ? ByteBuffer.wrap(fixed.bytes()) : value;
            case "array": {
                List<Object> result = new ArrayList<>();
                for (Object element : (Collection<?>) value) {
                    result.add(unwrap(element));
                }
                return result;
            }
            case "map": {
                Map<Object, Object> result = new HashMap<>();
                for (Object element : (Collection<?>) value) {
                    IndexedRecord entry = (IndexedRecord) element;
                    result.put(unwrap(entry.get(entry.getSchema().getField(KEY_FIELD).pos())),
                            unwrap(entry.get(entry.getSchema().getField(VALUE_FIELD).pos())));
                }
                return result;
            }
            default:
                return value;
        }
    }
}
