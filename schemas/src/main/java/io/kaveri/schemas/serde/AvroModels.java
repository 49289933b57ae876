package io.kaveri.schemas.serde;

import java.nio.ByteBuffer;
import org.apache.avro.Conversions;
import org.apache.avro.Schema;
import org.apache.avro.data.TimeConversions;
import org.apache.avro.generic.GenericContainer;
import org.apache.avro.generic.GenericData;

/** Which Avro schema a Java value has, and the data models the serde reads and writes with. */
final class AvroModels {

    private static final Schema NULL = Schema.create(Schema.Type.NULL);
    private static final Schema BOOLEAN = Schema.create(Schema.Type.BOOLEAN);
    private static final Schema INT = Schema.create(Schema.Type.INT);
    private static final Schema LONG = Schema.create(Schema.Type.LONG);
    private static final Schema FLOAT = Schema.create(Schema.Type.FLOAT);
    private static final Schema DOUBLE = Schema.create(Schema.Type.DOUBLE);
    private static final Schema STRING = Schema.create(Schema.Type.STRING);
    private static final Schema BYTES = Schema.create(Schema.Type.BYTES);

    private AvroModels() {
    }

    /**
     * The schema of a value as Confluent's serializer derives it: primitives map to primitive schemas, Avro
     * containers (records, enums, fixed) carry their own.
     *
     * @throws IllegalArgumentException naming the Java type when Avro has no schema for it
     */
    static Schema schemaOf(Object value) {
        if (value == null) {
            return NULL;
        } else if (value instanceof GenericContainer container) {
            return container.getSchema();
        } else if (value instanceof CharSequence) {
            return STRING;
        } else if (value instanceof Integer) {
            return INT;
        } else if (value instanceof Long) {
            return LONG;
        } else if (value instanceof byte[] || value instanceof ByteBuffer) {
            return BYTES;
        } else if (value instanceof Boolean) {
            return BOOLEAN;
        } else if (value instanceof Double) {
            return DOUBLE;
        } else if (value instanceof Float) {
            return FLOAT;
        }
        throw new IllegalArgumentException("No Avro schema for a value of type " + value.getClass().getName()
                + ": use a GenericRecord, a SpecificRecord or null, Boolean, Integer, Long, Float, Double, String, "
                + "byte[] or ByteBuffer");
    }

    /** Generic data, with Java types for logical types when asked ({@code avro.use.logical.type.converters}). */
    static GenericData generic(boolean logicalTypeConverters) {
        if (!logicalTypeConverters) {
            return GenericData.get();
        }
        GenericData data = new GenericData();
        data.addLogicalTypeConversion(new Conversions.DecimalConversion());
        data.addLogicalTypeConversion(new Conversions.UUIDConversion());
        data.addLogicalTypeConversion(new TimeConversions.DateConversion());
        data.addLogicalTypeConversion(new TimeConversions.TimeMillisConversion());
        data.addLogicalTypeConversion(new TimeConversions.TimeMicrosConversion());
        data.addLogicalTypeConversion(new TimeConversions.TimestampMillisConversion());
        data.addLogicalTypeConversion(new TimeConversions.TimestampMicrosConversion());
        data.addLogicalTypeConversion(new TimeConversions.LocalTimestampMillisConversion());
        data.addLogicalTypeConversion(new TimeConversions.LocalTimestampMicrosConversion());
        return data;
    }
}
