package io.kaveri.schemas.connect;

import static io.kaveri.schemas.connect.ConnectAvroNames.*;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.JsonProperties;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericEnumSymbol;
import org.apache.avro.generic.GenericFixed;
import org.apache.avro.generic.IndexedRecord;
import org.apache.avro.util.internal.Accessor;
import org.apache.avro.util.internal.JacksonUtils;
import org.apache.kafka.connect.data.Date;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Time;
import org.apache.kafka.connect.data.Timestamp;
import org.apache.kafka.connect.errors.DataException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Avro schemas and values to Connect, following Confluent's AvroData, so that a sink sees the
 * Connect schema (names, versions, parameters, defaults) Confluent's converter would give it.
 */
final class AvroToConnect {

    private static final Logger log = LoggerFactory.getLogger(AvroToConnect.class);

    private final boolean connectMetaData;
    private final boolean enhanced;
    private final boolean scrub;
    private final boolean flattenSingletonUnions;

    AvroToConnect(AvroDataConfig config) {
        this.connectMetaData = config.connectMetaData();
        this.enhanced = config.enhancedSchemaSupport();
        this.scrub = config.scrubInvalidNames();
        this.flattenSingletonUnions = config.flattenSingletonUnions();
    }

    /** @param version the registry's version of the schema, used when it has no connect.version */
    Schema schema(org.apache.avro.Schema avroSchema, Integer version) {
        return convert(avroSchema, false, null, version, Collections.newSetFromMap(new IdentityHashMap<>()));
    }

    @SuppressWarnings("unchecked")
    private Schema convert(org.apache.avro.Schema schema, boolean forceOptional, JsonNode fieldDefault,
                           Integer version, Set<org.apache.avro.Schema> recordsInProgress) {
        String connectType = schema.getProp(CONNECT_TYPE_PROP);
        String logicalType = schema.getProp(LOGICAL_TYPE_PROP);
        SchemaBuilder builder;
        switch (schema.getType()) {
            case BOOLEAN -> builder = SchemaBuilder.bool();
            case BYTES, FIXED -> {
                if (LOGICAL_DECIMAL.equalsIgnoreCase(logicalType)) {
                    // Avro's scale is optional and defaults to 0.
                    builder = Decimal.builder(schema.getObjectProp(DECIMAL_SCALE_PROP) instanceof Number n ? n.intValue() : 0);
                    Object precision = schema.getObjectProp(DECIMAL_PRECISION_PROP);
                    if (precision != null) {
                        if (!(precision instanceof Number number)) {
                            throw new DataException("The decimal property precision must be a JSON integer, was " + precision);
                        }
                        if (number.intValue() != CONNECT_DECIMAL_PRECISION_DEFAULT) {
                            builder.parameter(CONNECT_DECIMAL_PRECISION_PROP, String.valueOf(number.intValue()));
                        }
                    }
                } else {
                    builder = SchemaBuilder.bytes();
                }
                if (schema.getType() == org.apache.avro.Schema.Type.FIXED) {
                    builder.parameter(CONNECT_FIXED_SIZE_PROP, String.valueOf(schema.getFixedSize()));
                }
            }
            case DOUBLE -> builder = SchemaBuilder.float64();
            case FLOAT -> builder = SchemaBuilder.float32();
            case INT -> builder = intBuilder(connectType, logicalType);
            case LONG -> builder = LOGICAL_TIMESTAMP_MILLIS.equalsIgnoreCase(logicalType) ? Timestamp.builder() : SchemaBuilder.int64();
            case STRING -> builder = SchemaBuilder.string();
            case ARRAY -> {
                org.apache.avro.Schema element = schema.getElementType();
                if (isMapEntry(element)) {
                    if (element.getFields().size() != 2 || element.getField(KEY_FIELD) == null
                            || element.getField(VALUE_FIELD) == null) {
                        throw new DataException("Found map encoded as array of key-value pairs, but array elements of "
                                + element.getFullName() + " do not match the expected format");
                    }
                    // Key and value convert as top-level schemas: their field defaults and docs are not kept (as in Confluent).
                    builder = SchemaBuilder.map(
                            convert(element.getField(KEY_FIELD).schema(), false, null, null, recordsInProgress),
                            convert(element.getField(VALUE_FIELD).schema(), false, null, null, recordsInProgress));
                } else {
                    builder = SchemaBuilder.array(convert(element, false, null, null, recordsInProgress));
                }
            }
            case MAP -> builder = SchemaBuilder.map(Schema.STRING_SCHEMA,
                    convert(schema.getValueType(), false, null, null, recordsInProgress));
            case RECORD -> builder = recordBuilder(schema, recordsInProgress);
            case ENUM -> builder = enumBuilder(schema);
            case UNION -> {
                List<org.apache.avro.Schema> types = schema.getTypes();
                if (types.size() == 1 && flattenSingletonUnions) {
                    return convert(types.get(0), false, null, null, recordsInProgress);
                }
                if (types.size() == 2 && types.contains(org.apache.avro.Schema.create(org.apache.avro.Schema.Type.NULL))) {
                    for (org.apache.avro.Schema member : types) {
                        if (member.getType() != org.apache.avro.Schema.Type.NULL) {
                            return convert(member, true, null, null, recordsInProgress);
                        }
                    }
                }
                builder = unionBuilder(schema, recordsInProgress);
            }
            case NULL -> throw new DataException("Standalone null schemas are not supported by this converter");
            default -> throw new DataException("Couldn't translate unsupported schema type " + schema.getType().getName());
        }

        String doc = schema.getProp(CONNECT_DOC_PROP);
        if (connectMetaData && doc != null) {
            builder.doc(doc);
        }
        applyVersion(schema, builder, version);
        Object parameters = schema.getObjectProp(CONNECT_PARAMETERS_PROP);
        if (connectMetaData && parameters != null) {
            if (!(parameters instanceof Map)) {
                throw new DataException("Expected JSON object for schema parameters but found: " + parameters);
            }
            for (Map.Entry<String, Object> parameter : ((Map<String, Object>) parameters).entrySet()) {
                if (!(parameter.getValue() instanceof String value)) {
                    throw new DataException("Expected schema parameter values to be strings but found: " + parameter.getValue());
                }
                builder.parameter(parameter.getKey(), value);
            }
        }
        for (Map.Entry<String, Object> prop : schema.getObjectProps().entrySet()) {
            if (prop.getKey().startsWith(AVRO_PROP)) {
                builder.parameter(prop.getKey(), prop.getValue().toString());
            }
        }
        Object connectDefault = schema.getObjectProp(CONNECT_DEFAULT_VALUE_PROP);
        JsonNode defaultJson = fieldDefault;
        if (defaultJson == null) {
            defaultJson = connectDefault == null ? null : JacksonUtils.toJsonNode(connectDefault);
        } else if (connectMetaData && connectDefault == null) {
            builder.parameter(AVRO_FIELD_DEFAULT_FLAG_PROP, "true");
        }
        if (defaultJson != null) {
            try {
                builder.defaultValue(defaultValue(builder, schema, defaultJson));
            } catch (DataException e) {
                log.warn("Ignoring invalid default schema={} reason={}", schema.getName(), e.getMessage());
            }
        }
        applyName(schema, builder);
        if (forceOptional) {
            builder.optional();
        }
        return builder.build();
    }

    private static SchemaBuilder intBuilder(String connectType, String logicalType) {
        if (logicalType != null) {
            if (LOGICAL_DATE.equalsIgnoreCase(logicalType)) {
                return Date.builder();
            }
            return LOGICAL_TIME_MILLIS.equalsIgnoreCase(logicalType) ? Time.builder() : SchemaBuilder.int32();
        }
        if (connectType == null) {
            return SchemaBuilder.int32();
        }
        return switch (connectType) {
            case CONNECT_TYPE_INT8 -> SchemaBuilder.int8();
            case CONNECT_TYPE_INT16 -> SchemaBuilder.int16();
            default -> throw new DataException("Unknown " + CONNECT_TYPE_PROP + " '" + connectType + "' on an Avro int");
        };
    }

    private SchemaBuilder recordBuilder(org.apache.avro.Schema schema, Set<org.apache.avro.Schema> recordsInProgress) {
        if (!recordsInProgress.add(schema)) {
            throw new DataException("Avro record " + schema.getFullName()
                    + " contains itself; recursive records have no Connect schema here");
        }
        SchemaBuilder builder = SchemaBuilder.struct();
        if (connectMetaData && schema.getDoc() != null) {
            builder.parameter(AVRO_RECORD_DOC_PROP, schema.getDoc());
        }
        for (org.apache.avro.Schema.Field field : schema.getFields()) {
            if (connectMetaData && field.doc() != null) {
                builder.parameter(AVRO_FIELD_DOC_PREFIX_PROP + field.name(), field.doc());
            }
            // The default as written in the schema (Avro's own Java form of it loses nulls inside arrays).
            JsonNode fieldDefault = field.hasDefaultValue() ? Accessor.defaultValue(field) : null;
            Schema fieldSchema = convert(field.schema(), false, fieldDefault, null, recordsInProgress);
            Object fieldParams = field.getObjectProp(CONNECT_PARAMETERS_PROP);
            if (connectMetaData && fieldParams instanceof Map<?, ?> params) {
                fieldSchema = withFieldParameters(fieldSchema, params);
            }
            builder.field(field.name(), fieldSchema);
        }
        recordsInProgress.remove(schema);
        return builder;
    }

    private SchemaBuilder enumBuilder(org.apache.avro.Schema schema) {
        SchemaBuilder builder = SchemaBuilder.string();
        if (connectMetaData) {
            if (schema.getDoc() != null) {
                builder.parameter(AVRO_ENUM_DOC_PREFIX_PROP + schema.getName(), schema.getDoc());
            }
            if (schema.getEnumDefault() != null) {
                builder.parameter(AVRO_ENUM_DEFAULT_PREFIX_PROP + schema.getName(), schema.getEnumDefault());
            }
        }
        builder.parameter(AVRO_TYPE_ENUM, schema.getFullName());
        for (String symbol : schema.getEnumSymbols()) {
            builder.parameter(AVRO_TYPE_ENUM + "." + symbol, symbol);
        }
        return builder;
    }

    private SchemaBuilder unionBuilder(org.apache.avro.Schema schema, Set<org.apache.avro.Schema> recordsInProgress) {
        SchemaBuilder builder = SchemaBuilder.struct().name(AVRO_TYPE_UNION);
        Set<String> fieldNames = new HashSet<>();
        for (org.apache.avro.Schema member : schema.getTypes()) {
            if (member.getType() == org.apache.avro.Schema.Type.NULL) {
                builder.optional();
            } else {
                String fieldName = unionMemberFieldName(member, enhanced);
                if (!fieldNames.add(fieldName)) {
                    throw new DataException("Multiple union schemas map to the Connect union field name " + fieldName);
                }
                builder.field(fieldName, convert(member, true, null, null, recordsInProgress));
            }
        }
        return builder;
    }

    /** The schema's connect.version wins over the registry's version; they must agree with a logical type's. */
    private static void applyVersion(org.apache.avro.Schema schema, SchemaBuilder builder, Integer registryVersion) {
        Object versionNode = schema.getObjectProp(CONNECT_VERSION_PROP);
        int version = -1;
        if (versionNode != null) {
            if (!(versionNode instanceof Number number)) {
                throw new DataException("Invalid Connect version found: " + versionNode);
            }
            version = number.intValue();
        } else if (registryVersion != null) {
            version = registryVersion;
        }
        if (version < 0) {
            return;
        }
        if (builder.version() == null) {
            builder.version(version);
        } else if (builder.version() != version) {
            throw new DataException("Mismatched versions: version already added to SchemaBuilder (" + builder.version()
                    + ") differs from version in source schema (" + version + ")");
        }
    }

    private static void applyName(org.apache.avro.Schema schema, SchemaBuilder builder) {
        Object connectName = schema.getObjectProp(CONNECT_NAME_PROP);
        String name = null;
        if (connectName != null) {
            if (!(connectName instanceof String text)) {
                throw new DataException("Invalid schema name: " + connectName);
            }
            name = text;
        } else if (schema.getType() == org.apache.avro.Schema.Type.RECORD
                || schema.getType() == org.apache.avro.Schema.Type.ENUM
                || (schema.getType() == org.apache.avro.Schema.Type.FIXED && !Decimal.LOGICAL_NAME.equals(builder.name()))) {
            name = schema.getFullName();
        }
        if (name == null || name.startsWith(DEFAULT_SCHEMA_FULL_NAME)) {
            return;
        }
        if (builder.name() == null) {
            builder.name(name);
        } else if (!name.equals(builder.name())) {
            throw new DataException("Mismatched names: name already added to SchemaBuilder (" + builder.name()
                    + ") differs from name in source schema (" + name + ")");
        }
    }

    private static boolean isMapEntry(org.apache.avro.Schema element) {
        return element.getType() == org.apache.avro.Schema.Type.RECORD
                && ((NAMESPACE.equals(element.getNamespace()) && MAP_ENTRY_TYPE_NAME.equals(element.getName()))
                || MAP_ENTRY_TYPE_NAME.equals(element.getProp(CONNECT_INTERNAL_TYPE_NAME)));
    }

    /** A named type used twice carries each use's own parameters on the field (Confluent writes them there). */
    private static Schema withFieldParameters(Schema original, Map<?, ?> fieldParams) {
        Map<String, String> originalParams = original.parameters() == null ? Map.of() : original.parameters();
        boolean same = fieldParams.entrySet().stream()
                .allMatch(e -> e.getValue().toString().equals(originalParams.get(e.getKey().toString())));
        if (same) {
            return original;
        }
        SchemaBuilder builder = new SchemaBuilder(original.type());
        if (original.name() != null) {
            builder.name(original.name());
        }
        if (original.version() != null) {
            builder.version(original.version());
        }
        if (original.doc() != null) {
            builder.doc(original.doc());
        }
        if (original.isOptional()) {
            builder.optional();
        }
        if (original.defaultValue() != null) {
            builder.defaultValue(original.defaultValue());
        }
        originalParams.forEach(builder::parameter);
        fieldParams.forEach((key, value) -> builder.parameter(key.toString(), value.toString()));
        if (original.type() == Schema.Type.STRUCT) {
            original.fields().forEach(f -> builder.field(f.name(), f.schema()));
        }
        return builder.build();
    }

    // ---- defaults ----

    private Object defaultValue(Schema schema, org.apache.avro.Schema avroSchema, JsonNode json) {
        return toConnectLogical(schema, defaultValueWithoutLogical(schema, avroSchema, json));
    }

    private Object defaultValueWithoutLogical(Schema schema, org.apache.avro.Schema avroSchema, JsonNode json) {
        if (json == null || json.isNull() && avroSchema.getType() != org.apache.avro.Schema.Type.UNION) {
            return null;
        }
        switch (avroSchema.getType()) {
            case INT:
                return switch (schema.type()) {
                    case INT8 -> (byte) json.intValue();
                    case INT16 -> json.shortValue();
                    case INT32 -> json.intValue();
                    default -> null;
                };
            case LONG:
                return json.longValue();
            case FLOAT:
                return (float) json.doubleValue();
            case DOUBLE:
                return json.doubleValue();
            case BOOLEAN:
                return json.asBoolean();
            case STRING:
            case ENUM:
                return json.asText();
            case BYTES:
            case FIXED:
                try {
                    byte[] bytes = json.isTextual() ? json.textValue().getBytes(StandardCharsets.ISO_8859_1) : json.binaryValue();
                    return bytes == null ? null : ByteBuffer.wrap(bytes);
                } catch (IOException e) {
                    throw new DataException("Invalid binary data in default value", e);
                }
            case ARRAY: {
                if (!json.isArray()) {
                    throw new DataException("Invalid JSON for array default value: " + json);
                }
                List<Object> result = new ArrayList<>(json.size());
                for (JsonNode element : json) {
                    result.add(defaultValue(schema.valueSchema(), avroSchema.getElementType(), element));
                }
                return result;
            }
            case MAP: {
                if (!json.isObject()) {
                    throw new DataException("Invalid JSON for map default value: " + json);
                }
                Map<String, Object> result = new HashMap<>();
                Iterator<Map.Entry<String, JsonNode>> fields = json.fields();
                while (fields.hasNext()) {
                    Map.Entry<String, JsonNode> field = fields.next();
                    result.put(field.getKey(), defaultValue(schema.valueSchema(), avroSchema.getValueType(), field.getValue()));
                }
                return result;
            }
            case RECORD: {
                if (!json.isObject()) {
                    throw new DataException("Invalid JSON for record default value: " + json);
                }
                Struct result = new Struct(schema);
                for (org.apache.avro.Schema.Field avroField : avroSchema.getFields()) {
                    Field field = schema.field(avroField.name());
                    result.put(avroField.name(), defaultValue(field.schema(), avroField.schema(), json.get(field.name())));
                }
                return result;
            }
            case UNION: {
                // A union's default belongs to its first member.
                org.apache.avro.Schema first = avroSchema.getTypes().get(0);
                if (first.getType() == org.apache.avro.Schema.Type.NULL) {
                    return null;
                }
                // Confluent looks up a union struct field even for an optional field, which fails
                // and drops the enclosing default; an optional field simply takes the member's value.
                if (!isUnionSchema(schema)) {
                    return defaultValueWithoutLogical(schema, first, json);
                }
                return defaultValue(schema.field(unionMemberFieldName(first, enhanced)).schema(), first, json);
            }
            default:
                return null;
        }
    }

    // ---- values ----

    /** Converts an Avro value of {@code avroSchema} to the Connect value of {@code schema} (which {@link #schema} produced). */
    @SuppressWarnings("unchecked")
    Object value(Schema schema, org.apache.avro.Schema avroSchema, Object value) {
        if (value == null || value == JsonProperties.NULL_VALUE) {
            if (!schema.isOptional()) {
                throw new DataException("Found null value for non-optional schema " + ConnectToAvro.describe(schema));
            }
            return null;
        }
        if (avroSchema.getType() == org.apache.avro.Schema.Type.UNION) {
            org.apache.avro.Schema member = avroSchema.getTypes().get(resolveUnion(avroSchema, value));
            if (isUnionSchema(schema)) {
                Field field = schema.field(unionMemberFieldName(member, enhanced));
                if (field == null) {
                    throw new DataException("Did not find matching union field for data of " + member);
                }
                return new Struct(schema).put(field, value(field.schema(), member, value));
            }
            avroSchema = member;
        }
        try {
            Object converted = switch (schema.type()) {
                case INT32 -> (Integer) value;
                case INT64 -> (Long) value;
                case FLOAT32 -> (Float) value;
                case FLOAT64 -> (Double) value;
                case BOOLEAN -> (Boolean) value;
                case INT8 -> ((Integer) value).byteValue();
                case INT16 -> ((Integer) value).shortValue();
                case STRING -> stringValue(value);
                case BYTES -> bytesValue(value);
                case ARRAY -> arrayValue(schema, avroSchema, (Collection<Object>) value);
                case MAP -> mapValue(schema, avroSchema, value);
                case STRUCT -> structValue(schema, (IndexedRecord) value);
            };
            return toConnectLogical(schema, converted);
        } catch (ClassCastException e) {
            throw new DataException("Invalid Avro value for " + ConnectToAvro.describe(schema) + ": "
                    + value.getClass().getName());
        }
    }

    private static int resolveUnion(org.apache.avro.Schema union, Object value) {
        try {
            return GenericData.get().resolveUnion(union, value);
        } catch (AvroRuntimeException e) {
            throw new DataException("Value of " + value.getClass().getName() + " matches no member of union " + union, e);
        }
    }

    private static String stringValue(Object value) {
        if (value instanceof CharSequence || value instanceof GenericEnumSymbol<?> || value instanceof Enum<?>) {
            return value.toString();
        }
        throw new DataException("Invalid class for string type, expecting String or CharSequence but found "
                + value.getClass().getName());
    }

    private static ByteBuffer bytesValue(Object value) {
        if (value instanceof byte[] bytes) {
            return ByteBuffer.wrap(bytes);
        } else if (value instanceof ByteBuffer buffer) {
            return buffer;
        } else if (value instanceof GenericFixed fixed) {
            return ByteBuffer.wrap(fixed.bytes());
        }
        throw new DataException("Invalid class for bytes type, expecting byte[] or ByteBuffer but found "
                + value.getClass().getName());
    }

    private List<Object> arrayValue(Schema schema, org.apache.avro.Schema avroSchema, Collection<Object> list) {
        List<Object> result = new ArrayList<>(list.size());
        int index = 0;
        for (Object element : list) {
            try {
                result.add(value(schema.valueSchema(), avroSchema.getElementType(), element));
            } catch (DataException e) {
                throw FieldPathException.at("[" + index + "]", e);
            }
            index++;
        }
        return result;
    }

    @SuppressWarnings("unchecked")
    private Map<Object, Object> mapValue(Schema schema, org.apache.avro.Schema avroSchema, Object value) {
        if (avroSchema.getType() == org.apache.avro.Schema.Type.MAP) {
            Map<Object, Object> original = (Map<Object, Object>) value;
            Map<Object, Object> result = new HashMap<>(Math.max(4, original.size() * 2));
            for (Map.Entry<Object, Object> entry : original.entrySet()) {
                String key = entry.getKey().toString();
                try {
                    result.put(key, value(schema.valueSchema(), avroSchema.getValueType(), entry.getValue()));
                } catch (DataException e) {
                    throw FieldPathException.at("[" + key + "]", e);
                }
            }
            return result;
        }
        Collection<IndexedRecord> entries = (Collection<IndexedRecord>) value;
        Map<Object, Object> result = new HashMap<>(Math.max(4, entries.size() * 2));
        for (IndexedRecord entry : entries) {
            org.apache.avro.Schema.Field keyField = entry.getSchema().getField(KEY_FIELD);
            org.apache.avro.Schema.Field valueField = entry.getSchema().getField(VALUE_FIELD);
            Object key = value(schema.keySchema(), keyField.schema(), entry.get(keyField.pos()));
            try {
                result.put(key, value(schema.valueSchema(), valueField.schema(), entry.get(valueField.pos())));
            } catch (DataException e) {
                throw FieldPathException.at("[" + key + "]", e);
            }
        }
        return result;
    }

    private Struct structValue(Schema schema, IndexedRecord record) {
        Struct result = new Struct(schema);
        org.apache.avro.Schema recordSchema = record.getSchema();
        for (Field field : schema.fields()) {
            String fieldName = scrubName(field.name(), scrub);
            org.apache.avro.Schema.Field avroField = recordSchema.getField(fieldName);
            if (avroField == null) {
                throw new DataException("Avro record " + recordSchema.getFullName() + " has no field " + fieldName);
            }
            try {
                result.put(field, value(field.schema(), avroField.schema(), record.get(avroField.pos())));
            } catch (DataException e) {
                throw FieldPathException.at(field.name(), e);
            }
        }
        return result;
    }

    private static Object toConnectLogical(Schema schema, Object value) {
        String name = schema.name();
        if (name == null || value == null) {
            return value;
        }
        return switch (name) {
            case Decimal.LOGICAL_NAME -> {
                if (value instanceof BigDecimal decimal) {
                    yield decimal;
                }
                if (!(value instanceof ByteBuffer buffer)) {
                    throw new DataException("Invalid type for Decimal, underlying representation should be bytes but was "
                            + value.getClass().getName());
                }
                ByteBuffer copy = buffer.duplicate();
                byte[] bytes = new byte[copy.remaining()];
                copy.get(bytes);
                yield Decimal.toLogical(schema, bytes);
            }
            case Date.LOGICAL_NAME -> Date.toLogical(schema, asInt(name, value));
            case Time.LOGICAL_NAME -> Time.toLogical(schema, asInt(name, value));
            case Timestamp.LOGICAL_NAME -> {
                if (!(value instanceof Long millis)) {
                    throw new DataException("Invalid type for Timestamp, underlying representation should be int64 but was "
                            + value.getClass().getName());
                }
                yield Timestamp.toLogical(schema, millis);
            }
            default -> value;
        };
    }

    private static int asInt(String logicalName, Object value) {
        if (!(value instanceof Integer i)) {
            throw new DataException("Invalid type for " + logicalName + ", underlying representation should be int32 but was "
                    + value.getClass().getName());
        }
        return i;
    }
}
