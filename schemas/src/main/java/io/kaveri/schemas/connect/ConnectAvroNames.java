package io.kaveri.schemas.connect;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import org.apache.kafka.connect.data.Schema;

/**
 * The property and parameter names of Confluent's AvroConverter, which Kaveri must write and read
 * exactly so that Kaveri and Confluent converters can share topics, and the name rules around them.
 */
final class ConnectAvroNames {

    static final String NAMESPACE = "io.confluent.connect.avro";
    // Avro forbids an unnamed record, so unnamed Connect structs get this name (then 2, 3, ...).
    static final String DEFAULT_SCHEMA_NAME = "ConnectDefault";
    static final String DEFAULT_SCHEMA_FULL_NAME = NAMESPACE + "." + DEFAULT_SCHEMA_NAME;
    static final String MAP_ENTRY_TYPE_NAME = "MapEntry";
    static final String KEY_FIELD = "key";
    static final String VALUE_FIELD = "value";

    static final String CONNECT_NAME_PROP = "connect.name";
    static final String CONNECT_DOC_PROP = "connect.doc";
    static final String CONNECT_VERSION_PROP = "connect.version";
    static final String CONNECT_DEFAULT_VALUE_PROP = "connect.default";
    static final String CONNECT_PARAMETERS_PROP = "connect.parameters";
    static final String CONNECT_INTERNAL_TYPE_NAME = "connect.internal.type";
    static final String CONNECT_TYPE_PROP = "connect.type";
    static final String CONNECT_TYPE_INT8 = "int8";
    static final String CONNECT_TYPE_INT16 = "int16";

    static final String AVRO_RECORD_DOC_PROP = NAMESPACE + ".record.doc";
    static final String AVRO_ENUM_DOC_PREFIX_PROP = NAMESPACE + ".enum.doc.";
    static final String AVRO_FIELD_DOC_PREFIX_PROP = NAMESPACE + ".field.doc.";
    // Marks a Connect default that came from an Avro field default, so it is not written back as
    // connect.default.
    static final String AVRO_FIELD_DEFAULT_FLAG_PROP = NAMESPACE + ".field.default";
    static final String AVRO_ENUM_DEFAULT_PREFIX_PROP = NAMESPACE + ".enum.default.";
    static final String AVRO_TYPE_UNION = NAMESPACE + ".Union";
    static final String AVRO_TYPE_ENUM = NAMESPACE + ".Enum";
    static final String AVRO_TYPE_ANYTHING = NAMESPACE + ".Anything";

    // Connect parameters starting with this are copied to Avro properties and back.
    static final String AVRO_PROP = "avro";
    static final String LOGICAL_TYPE_PROP = "logicalType";
    static final String LOGICAL_TIMESTAMP_MILLIS = "timestamp-millis";
    static final String LOGICAL_TIME_MILLIS = "time-millis";
    static final String LOGICAL_DATE = "date";
    static final String LOGICAL_DECIMAL = "decimal";
    static final String DECIMAL_SCALE_PROP = "scale";
    static final String DECIMAL_PRECISION_PROP = "precision";
    static final String CONNECT_FIXED_SIZE_PROP = "connect.fixed.size";
    static final String CONNECT_DECIMAL_PRECISION_PROP = "connect.decimal.precision";
    static final int CONNECT_DECIMAL_PRECISION_DEFAULT = 64;

    private ConnectAvroNames() {
    }

    static boolean isUnionSchema(Schema schema) {
        return AVRO_TYPE_UNION.equals(schema.name());
    }

    static boolean isEnumSchema(Schema schema) {
        return schema.type() == Schema.Type.STRING && schema.parameters() != null
                && schema.parameters().containsKey(AVRO_TYPE_ENUM);
    }

    static boolean isFixedSchema(Schema schema) {
        return schema.type() == Schema.Type.BYTES && schema.name() != null && schema.parameters() != null
                && schema.parameters().containsKey(CONNECT_FIXED_SIZE_PROP);
    }

    static boolean isStringKeyedMap(Schema mapSchema, boolean allowOptionalMapKeys) {
        Schema key = mapSchema.keySchema();
        return key.type() == Schema.Type.STRING && (!key.isOptional() || allowOptionalMapKeys);
    }

    /** The Connect field name of an Avro union member: its type, or for named types its (full) name. */
    static String unionMemberFieldName(org.apache.avro.Schema member, boolean enhanced) {
        return switch (member.getType()) {
            case RECORD, ENUM, FIXED -> enhanced ? member.getFullName() : member.getName();
            default -> member.getType().getName();
        };
    }

    /** The same name, from the Connect side. */
    static String unionMemberFieldName(Schema schema, boolean enhanced, boolean scrub) {
        if (schema.type() == Schema.Type.STRUCT || isEnumSchema(schema) || isFixedSchema(schema)) {
            return enhanced ? scrubFullName(schema.name(), scrub) : splitName(schema.name(), scrub)[1];
        }
        return switch (schema.type()) {
            case INT8, INT16, INT32 -> "int";
            case INT64 -> "long";
            case FLOAT32 -> "float";
            case FLOAT64 -> "double";
            case STRUCT -> "record";
            default -> schema.type().getName();
        };
    }

    static String scrubName(String name, boolean scrub) {
        return scrub ? scrub(name) : name;
    }

    static String scrubFullName(String name, boolean scrub) {
        if (name == null || !scrub) {
            return name;
        }
        String[] split = splitName(name, true);
        return split[0] == null ? split[1] : split[0] + "." + split[1];
    }

    /** Splits a dotted full name into {namespace (or null), simple name}, scrubbing each part if asked. */
    static String[] splitName(String fullName, boolean scrub) {
        if (fullName == null || fullName.isEmpty()) {
            return new String[] {null, fullName};
        }
        String[] parts = fullName.split("\\.");
        for (int i = 0; i < parts.length; i++) {
            parts[i] = scrubName(parts[i], scrub);
        }
        if (parts.length <= 1) {
            return new String[] {null, parts[0]};
        }
        return new String[] {String.join(".", Arrays.copyOfRange(parts, 0, parts.length - 1)), parts[parts.length - 1]};
    }

    /**
     * Makes a name valid for Avro the way Confluent does (URL-encode, then every other invalid
     * character to '_', prefix 'x' before a digit), so both converters produce the same names.
     */
    static String scrub(String name) {
        if (name == null || name.isEmpty() || isValidName(name)) {
            return name;
        }
        String encoded = URLEncoder.encode(name, StandardCharsets.UTF_8);
        if (encoded.charAt(0) >= '0' && encoded.charAt(0) <= '9') {
            encoded = "x" + encoded;
        }
        StringBuilder sb = new StringBuilder(encoded);
        for (int i = 0; i < sb.length(); i++) {
            if (!isNameChar(sb.charAt(i))) {
                sb.setCharAt(i, '_');
            }
        }
        return sb.toString();
    }

    private static boolean isValidName(String name) {
        for (int i = 0; i < name.length(); i++) {
            if (!isNameChar(name.charAt(i))) {
                return false;
            }
        }
        return name.charAt(0) < '0' || name.charAt(0) > '9';
    }

    private static boolean isNameChar(char ch) {
        return (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '_';
    }
}
