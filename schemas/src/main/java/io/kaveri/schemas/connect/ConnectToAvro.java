package io.kaveri.schemas.connect;

import static io.kaveri.schemas.connect.ConnectAvroNames.*;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.AvroTypeException;
import org.apache.avro.JsonProperties;
import org.apache.avro.LogicalTypes;
import org.apache.avro.SchemaParseException;
import org.apache.avro.generic.GenericData;
import org.apache.avro.util.internal.JacksonUtils;
import org.apache.kafka.connect.data.ConnectSchema;
import org.apache.kafka.connect.data.Date;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Time;
import org.apache.kafka.connect.data.Timestamp;
import org.apache.kafka.connect.errors.DataException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Connect schemas and values to Avro, following Confluent's AvroData step by step: the order in
 * which properties are added is the order in which they are written, and the registry keeps the
 * schema text, so the order matters for two converters to register the same schema.
 */
final class ConnectToAvro {

    private static final Logger log = LoggerFactory.getLogger(ConnectToAvro.class);
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private final boolean connectMetaData;
    private final boolean enhanced;
    private final boolean scrub;
    private final boolean allowOptionalMapKeys;
    private final boolean ignoreDefaultForNullables;

    ConnectToAvro(AvroDataConfig config) {
        this.connectMetaData = config.connectMetaData();
        this.enhanced = config.enhancedSchemaSupport();
        this.scrub = config.scrubInvalidNames();
        this.allowOptionalMapKeys = config.allowOptionalMapKeys();
        this.ignoreDefaultForNullables = config.ignoreDefaultForNullables();
    }

    org.apache.avro.Schema schema(Schema schema) {
        try {
            return new SchemaContext().convert(schema, false);
        } catch (AvroRuntimeException e) {
            throw new DataException("Connect schema " + describe(schema) + " has no Avro form: " + e.getMessage()
                    + hint(e), e);
        } catch (FieldPathException e) {
            throw new DataException("Connect schema " + describe(schema) + " has no Avro form: " + e.getMessage()
                    + hint(e.getCause()), e);
        }
    }

    private String hint(Throwable e) {
        return e instanceof SchemaParseException && !scrub ? " (scrub.invalid.names=true rewrites invalid names)" : "";
    }

    /** The state of one schema conversion: named types already written, and the unnamed-struct counter. */
    private final class SchemaContext {
        // Non-optional schemas already converted: reusing the Avro object makes Avro write a name
        // reference instead of redefining the type (which Avro refuses).
        private final Map<Schema, org.apache.avro.Schema> converted = new HashMap<>();
        private final Map<String, org.apache.avro.Schema> namedRecords = new HashMap<>();
        // Names of field types met so far: a later field of the same named type is written as a bare
        // name reference, which cannot carry properties, so its parameters go on the field.
        private final Set<String> seenFieldTypeNames = new HashSet<>();
        private int defaultNameIndex;

        org.apache.avro.Schema convert(Schema schema, boolean ignoreOptional) {
            if (!isUnionSchema(schema) && !schema.isOptional()) {
                org.apache.avro.Schema done = converted.get(schema);
                if (done != null) {
                    return done;
                }
            }
            String connectType = null;
            org.apache.avro.Schema base;
            switch (schema.type()) {
                case INT8 -> {
                    connectType = CONNECT_TYPE_INT8;
                    base = primitive(org.apache.avro.Schema.Type.INT);
                }
                case INT16 -> {
                    connectType = CONNECT_TYPE_INT16;
                    base = primitive(org.apache.avro.Schema.Type.INT);
                }
                case INT32 -> base = primitive(org.apache.avro.Schema.Type.INT);
                case INT64 -> base = primitive(org.apache.avro.Schema.Type.LONG);
                case FLOAT32 -> base = primitive(org.apache.avro.Schema.Type.FLOAT);
                case FLOAT64 -> base = primitive(org.apache.avro.Schema.Type.DOUBLE);
                case BOOLEAN -> base = primitive(org.apache.avro.Schema.Type.BOOLEAN);
                case STRING -> base = enhanced && isEnumSchema(schema)
                        ? enumSchema(schema) : primitive(org.apache.avro.Schema.Type.STRING);
                case BYTES -> base = bytesSchema(schema);
                case ARRAY -> base = org.apache.avro.Schema.createArray(convertWithCycle(schema.valueSchema(), false));
                case MAP -> base = mapSchema(schema);
                case STRUCT -> base = structSchema(schema);
                default -> throw new DataException("Unknown Connect schema type " + schema.type());
            }
            org.apache.avro.Schema result = base;
            // A union cannot carry properties: its metadata is on its members.
            if (base.getType() != org.apache.avro.Schema.Type.UNION) {
                addMetadata(schema, base, connectType);
                addLogicalType(schema, base);
                if (schema.parameters() != null) {
                    schema.parameters().forEach((key, value) -> {
                        if (key.startsWith(AVRO_PROP)) {
                            base.addProp(key, value);
                        }
                    });
                }
                if (!ignoreOptional) {
                    result = maybeOptional(schema, base);
                }
            }
            if (!schema.isOptional()) {
                converted.put(schema, result);
            }
            return result;
        }

        private org.apache.avro.Schema convertWithCycle(Schema schema, boolean ignoreOptional) {
            org.apache.avro.Schema named = schema.name() == null ? null : namedRecords.get(schema.name());
            if (named == null) {
                return convert(schema, ignoreOptional);
            }
            return ignoreOptional ? named : maybeOptional(schema, named);
        }

        private org.apache.avro.Schema enumSchema(Schema schema) {
            String prefix = AVRO_TYPE_ENUM + ".";
            List<String> symbols = new ArrayList<>();
            schema.parameters().keySet().forEach(key -> {
                if (key.startsWith(prefix)) {
                    symbols.add(key.substring(prefix.length()));
                }
            });
            String simpleName = nameOrDefault(schema.name())[1];
            Map<String, String> params = schema.parameters();
            return org.apache.avro.SchemaBuilder.builder().enumeration(params.get(AVRO_TYPE_ENUM))
                    .doc(params.get(AVRO_ENUM_DOC_PREFIX_PROP + simpleName))
                    .defaultSymbol(params.get(AVRO_ENUM_DEFAULT_PREFIX_PROP + simpleName))
                    .symbols(symbols.toArray(new String[0]));
        }

        private org.apache.avro.Schema bytesSchema(Schema schema) {
            org.apache.avro.Schema base;
            if (isFixedSchema(schema)) {
                String[] names = nameOrDefault(schema.name());
                base = org.apache.avro.Schema.createFixed(names[1], null, names[0],
                        Integer.parseInt(schema.parameters().get(CONNECT_FIXED_SIZE_PROP)));
            } else {
                base = primitive(org.apache.avro.Schema.Type.BYTES);
            }
            if (Decimal.LOGICAL_NAME.equalsIgnoreCase(schema.name())) {
                base.addProp(DECIMAL_SCALE_PROP, new IntNode(Integer.parseInt(schema.parameters().get(Decimal.SCALE_FIELD))));
                String precision = schema.parameters().get(CONNECT_DECIMAL_PRECISION_PROP);
                base.addProp(DECIMAL_PRECISION_PROP,
                        new IntNode(precision == null ? CONNECT_DECIMAL_PRECISION_DEFAULT : Integer.parseInt(precision)));
            }
            return base;
        }

        private org.apache.avro.Schema mapSchema(Schema schema) {
            if (isStringKeyedMap(schema, allowOptionalMapKeys)) {
                return org.apache.avro.Schema.createMap(convertWithCycle(schema.valueSchema(), false));
            }
            // Avro maps have string keys only: other maps are arrays of key/value records.
            org.apache.avro.Schema entry;
            if (schema.name() == null) {
                entry = org.apache.avro.Schema.createRecord(MAP_ENTRY_TYPE_NAME, null, NAMESPACE, false);
            } else {
                String[] names = nameOrDefault(schema.name());
                entry = org.apache.avro.Schema.createRecord(names[1], null, names[0], false);
                entry.addProp(CONNECT_INTERNAL_TYPE_NAME, MAP_ENTRY_TYPE_NAME);
            }
            List<org.apache.avro.Schema.Field> fields = new ArrayList<>(2);
            addField(fields, KEY_FIELD, schema.keySchema(), null);
            addField(fields, VALUE_FIELD, schema.valueSchema(), null);
            entry.setFields(fields);
            return org.apache.avro.Schema.createArray(entry);
        }

        private org.apache.avro.Schema structSchema(Schema schema) {
            if (isUnionSchema(schema)) {
                List<org.apache.avro.Schema> members = new ArrayList<>();
                if (schema.isOptional()) {
                    members.add(primitive(org.apache.avro.Schema.Type.NULL));
                }
                for (Field field : schema.fields()) {
                    members.add(convertWithCycle(nonOptional(field.schema()), true));
                }
                return org.apache.avro.Schema.createUnion(members);
            }
            if (schema.isOptional()) {
                return org.apache.avro.Schema.createUnion(primitive(org.apache.avro.Schema.Type.NULL),
                        convertWithCycle(nonOptional(schema), false));
            }
            String[] names = nameOrDefault(schema.name());
            Map<String, String> params = schema.parameters();
            String doc = params == null ? null : params.get(AVRO_RECORD_DOC_PROP);
            org.apache.avro.Schema record = org.apache.avro.Schema.createRecord(names[1], doc, names[0], false);
            if (schema.name() != null) {
                namedRecords.put(schema.name(), record);
            }
            List<org.apache.avro.Schema.Field> fields = new ArrayList<>(schema.fields().size());
            for (Field field : schema.fields()) {
                String fieldDoc = params == null ? null : params.get(AVRO_FIELD_DOC_PREFIX_PROP + field.name());
                try {
                    addField(fields, scrubName(field.name(), scrub), field.schema(), fieldDoc);
                } catch (AvroRuntimeException e) {
                    throw FieldPathException.at(field.name(), new DataException(e.getMessage(), e));
                } catch (DataException e) {
                    throw FieldPathException.at(field.name(), e);
                }
            }
            record.setFields(fields);
            return record;
        }

        private void addField(List<org.apache.avro.Schema.Field> fields, String name, Schema fieldSchema, String doc) {
            Object defaultValue = null;
            if (fieldSchema.defaultValue() != null) {
                defaultValue = JacksonUtils.toObject(defaultJson(fieldSchema, fieldSchema.defaultValue()));
            } else if (fieldSchema.isOptional()) {
                defaultValue = JsonProperties.NULL_VALUE;
            }
            String typeName = scrubFullName(fieldSchema.name(), scrub);
            boolean seenBefore = typeName != null && !seenFieldTypeNames.add(typeName);
            org.apache.avro.Schema avroSchema = convert(fieldSchema, false);
            org.apache.avro.Schema.Field field;
            try {
                field = new org.apache.avro.Schema.Field(name, avroSchema, doc, defaultValue);
            } catch (AvroTypeException e) {
                // Avro cannot express every Connect default (e.g. a struct default of an optional
                // struct, whose union starts with null): keep the field, drop the default, as Confluent does.
                field = new org.apache.avro.Schema.Field(name, avroSchema, doc);
                log.warn("Ignoring a default Avro cannot hold field={} reason={}", name, e.getMessage());
            }
            if (connectMetaData && seenBefore && fieldSchema.parameters() != null && !fieldSchema.parameters().isEmpty()
                    && isNamedType(avroSchema)) {
                ObjectNode params = parametersJson(fieldSchema.parameters());
                if (!params.isEmpty()) {
                    field.addProp(CONNECT_PARAMETERS_PROP, params);
                }
            }
            fields.add(field);
        }

        private String[] nameOrDefault(String name) {
            if (name != null) {
                return splitName(name, scrub);
            }
            int index = ++defaultNameIndex;
            return new String[] {NAMESPACE, DEFAULT_SCHEMA_NAME + (index > 1 ? index : "")};
        }
    }

    private void addMetadata(Schema schema, org.apache.avro.Schema base, String connectType) {
        if (!connectMetaData) {
            return;
        }
        if (schema.doc() != null) {
            base.addProp(CONNECT_DOC_PROP, schema.doc());
        }
        if (schema.version() != null) {
            base.addProp(CONNECT_VERSION_PROP, JSON.numberNode(schema.version()));
        }
        if (schema.parameters() != null) {
            ObjectNode params = parametersJson(schema.parameters());
            if (!params.isEmpty()) {
                base.addProp(CONNECT_PARAMETERS_PROP, params);
            }
        }
        if (schema.defaultValue() != null
                && (schema.parameters() == null || !schema.parameters().containsKey(AVRO_FIELD_DEFAULT_FLAG_PROP))) {
            base.addProp(CONNECT_DEFAULT_VALUE_PROP, defaultJson(schema, schema.defaultValue()));
        }
        if (schema.name() != null) {
            base.addProp(CONNECT_NAME_PROP, schema.name());
        }
        if (connectType != null) {
            base.addProp(CONNECT_TYPE_PROP, connectType);
        }
    }

    private static ObjectNode parametersJson(Map<String, String> parameters) {
        ObjectNode params = JSON.objectNode();
        parameters.forEach((key, value) -> {
            if (!key.equals(AVRO_FIELD_DEFAULT_FLAG_PROP)) {
                params.put(key, value);
            }
        });
        return params;
    }

    private static boolean isNamedType(org.apache.avro.Schema schema) {
        return switch (schema.getType()) {
            case RECORD, ENUM, FIXED -> true;
            case UNION -> schema.getTypes().stream().anyMatch(ConnectToAvro::isNamedType);
            default -> false;
        };
    }

    private static void addLogicalType(Schema schema, org.apache.avro.Schema base) {
        String name = schema.name();
        if (name == null) {
            return;
        }
        if (Decimal.LOGICAL_NAME.equalsIgnoreCase(name)) {
            String precisionParam = schema.parameters().get(CONNECT_DECIMAL_PRECISION_PROP);
            String scaleParam = schema.parameters().get(Decimal.SCALE_FIELD);
            int precision = precisionParam == null ? CONNECT_DECIMAL_PRECISION_DEFAULT : Integer.parseInt(precisionParam);
            int scale = scaleParam == null ? 0 : Integer.parseInt(scaleParam);
            // Avro's decimal rejects a negative scale or one above the precision; Confluent then
            // writes only the legacy "logicalType" property, and so do we.
            boolean legacy = scale < 0 || scale > precision;
            if (!legacy) {
                LogicalTypes.decimal(precision, scale).addToSchema(base);
            }
            if (legacy || precisionParam != null) {
                base.addProp(LOGICAL_TYPE_PROP, LOGICAL_DECIMAL);
            }
        } else if (Time.LOGICAL_NAME.equalsIgnoreCase(name)) {
            LogicalTypes.timeMillis().addToSchema(base);
        } else if (Timestamp.LOGICAL_NAME.equalsIgnoreCase(name)) {
            LogicalTypes.timestampMillis().addToSchema(base);
        } else if (Date.LOGICAL_NAME.equalsIgnoreCase(name)) {
            LogicalTypes.date().addToSchema(base);
        }
    }

    private static org.apache.avro.Schema maybeOptional(Schema schema, org.apache.avro.Schema base) {
        if (!schema.isOptional()) {
            return base;
        }
        // Avro takes a field's default from the union's first member: null first unless there is a default.
        org.apache.avro.Schema nullSchema = primitive(org.apache.avro.Schema.Type.NULL);
        return schema.defaultValue() != null
                ? org.apache.avro.Schema.createUnion(base, nullSchema)
                : org.apache.avro.Schema.createUnion(nullSchema, base);
    }

    private static org.apache.avro.Schema primitive(org.apache.avro.Schema.Type type) {
        return org.apache.avro.Schema.create(type);
    }

    static Schema nonOptional(Schema schema) {
        Schema.Type type = schema.type();
        return new ConnectSchema(type, false, schema.defaultValue(), schema.name(), schema.version(), schema.doc(),
                schema.parameters(), type == Schema.Type.STRUCT ? schema.fields() : null,
                type == Schema.Type.MAP ? schema.keySchema() : null,
                type == Schema.Type.MAP || type == Schema.Type.ARRAY ? schema.valueSchema() : null);
    }

    /** A Connect default as Avro writes it in JSON (bytes as ISO-8859-1 text, non-string maps as [key, value] pairs). */
    @SuppressWarnings("unchecked")
    JsonNode defaultJson(Schema schema, Object value) {
        if (value == null) {
            return NullNode.getInstance();
        }
        try {
            Object raw = toAvroLogical(schema, value);
            switch (schema.type()) {
                case INT8:
                    return JSON.numberNode(((Byte) raw).intValue());
                case INT16:
                    return JSON.numberNode(((Short) raw).intValue());
                case INT32:
                    return JSON.numberNode((Integer) raw);
                case INT64:
                    return JSON.numberNode((Long) raw);
                case FLOAT32:
                    return JSON.numberNode((Float) raw);
                case FLOAT64:
                    return JSON.numberNode((Double) raw);
                case BOOLEAN:
                    return JSON.booleanNode((Boolean) raw);
                case STRING:
                    return JSON.textNode((String) raw);
                case BYTES:
                    return JSON.textNode(new String(raw instanceof byte[] b ? b : ((ByteBuffer) raw).array(),
                            StandardCharsets.ISO_8859_1));
                case ARRAY: {
                    ArrayNode array = JSON.arrayNode();
                    for (Object element : (Collection<Object>) raw) {
                        array.add(defaultJson(schema.valueSchema(), element));
                    }
                    return array;
                }
                case MAP:
                    return mapDefaultJson(schema, (Map<Object, Object>) raw);
                case STRUCT: {
                    Struct struct = (Struct) raw;
                    ObjectNode node = JSON.objectNode();
                    for (Field field : schema.fields()) {
                        JsonNode fieldJson = defaultJson(field.schema(), struct.get(field));
                        if (isUnionSchema(schema)) {
                            return fieldJson;
                        }
                        node.set(scrubName(field.name(), scrub), fieldJson);
                    }
                    return node;
                }
                default:
                    throw new DataException("Unknown Connect schema type " + schema.type());
            }
        } catch (ClassCastException e) {
            throw new DataException("Invalid type used for default value of " + schema.type() + " field: "
                    + value.getClass().getName(), e);
        }
    }

    private JsonNode mapDefaultJson(Schema schema, Map<Object, Object> map) {
        if (isStringKeyedMap(schema, allowOptionalMapKeys)) {
            ObjectNode node = JSON.objectNode();
            map.forEach((key, value) -> node.set((String) key, defaultJson(schema.valueSchema(), value)));
            return node;
        }
        ArrayNode array = JSON.arrayNode();
        map.forEach((key, value) -> {
            ArrayNode pair = JSON.arrayNode();
            pair.add(defaultJson(schema.keySchema(), key));
            pair.add(defaultJson(schema.valueSchema(), value));
            array.add(pair);
        });
        return array;
    }

    // ---- values ----

    /** Converts a Connect value to the Avro value of the given Avro schema (which {@link #schema} produced). */
    Object value(Schema schema, org.apache.avro.Schema avroSchema, Object logicalValue) {
        if (logicalValue == null) {
            if (!schema.isOptional()) {
                throw new DataException("Found null value for non-optional schema " + describe(schema));
            }
            return null;
        }
        Object value = toAvroLogical(schema, logicalValue);
        try {
            return switch (schema.type()) {
                case INT8 -> ((Byte) value).intValue();
                case INT16 -> ((Short) value).intValue();
                case INT32 -> (Integer) value;
                case INT64 -> (Long) value;
                case FLOAT32 -> (Float) value;
                case FLOAT64 -> (Double) value;
                case BOOLEAN -> (Boolean) value;
                case STRING -> enhanced && isEnumSchema(schema)
                        ? enumSymbol(avroSchema, (String) value, schema.parameters().get(AVRO_TYPE_ENUM))
                        : (String) value;
                case BYTES -> bytesValue(schema, avroSchema, value);
                case ARRAY -> arrayValue(schema, avroSchema, (Collection<?>) value);
                case MAP -> mapValue(schema, avroSchema, (Map<?, ?>) value);
                case STRUCT -> structValue(schema, avroSchema, (Struct) value);
            };
        } catch (ClassCastException e) {
            throw new DataException("Invalid Java type for " + describe(schema) + ": " + value.getClass().getName());
        }
    }

    private Object bytesValue(Schema schema, org.apache.avro.Schema avroSchema, Object value) {
        ByteBuffer buffer = value instanceof byte[] bytes ? ByteBuffer.wrap(bytes) : (ByteBuffer) value;
        if (!isFixedSchema(schema)) {
            return buffer;
        }
        int size = Integer.parseInt(schema.parameters().get(CONNECT_FIXED_SIZE_PROP));
        org.apache.avro.Schema fixedSchema = avroSchema;
        if (avroSchema.getType() == org.apache.avro.Schema.Type.UNION) {
            String memberName = unionMemberFieldName(schema, enhanced, scrub);
            fixedSchema = avroSchema.getTypes().stream()
                    .filter(member -> member.getType() == org.apache.avro.Schema.Type.FIXED
                            && member.getFixedSize() == size && unionMemberFieldName(member, enhanced).equals(memberName))
                    .reduce((first, second) -> second)
                    .orElseThrow(() -> new DataException("Fixed size " + size + " not in union " + avroSchema));
        }
        ByteBuffer copy = buffer.duplicate();
        byte[] bytes = new byte[copy.remaining()];
        copy.get(bytes);
        if (Decimal.LOGICAL_NAME.equalsIgnoreCase(schema.name())) {
            bytes = signExtend(bytes, size);
        }
        if (bytes.length != size) {
            throw new DataException("Fixed " + schema.name() + " holds " + size + " bytes, the value has " + bytes.length);
        }
        return new GenericData.Fixed(fixedSchema, bytes);
    }

    /** Avro fixed values must have exactly the fixed size; a decimal's minimal two's complement is often shorter. */
    private static byte[] signExtend(byte[] unscaled, int size) {
        if (unscaled.length >= size) {
            return unscaled;
        }
        byte[] padded = new byte[size];
        Arrays.fill(padded, 0, size - unscaled.length, unscaled.length > 0 && unscaled[0] < 0 ? (byte) 0xFF : 0);
        System.arraycopy(unscaled, 0, padded, size - unscaled.length, unscaled.length);
        return padded;
    }

    private List<Object> arrayValue(Schema schema, org.apache.avro.Schema avroSchema, Collection<?> list) {
        org.apache.avro.Schema elementSchema = underlying(schema, avroSchema).getElementType();
        List<Object> converted = new ArrayList<>(list.size());
        int index = 0;
        for (Object element : list) {
            try {
                converted.add(value(schema.valueSchema(), elementSchema, element));
            } catch (DataException e) {
                throw FieldPathException.at("[" + index + "]", e);
            }
            index++;
        }
        return converted;
    }

    private Object mapValue(Schema schema, org.apache.avro.Schema avroSchema, Map<?, ?> map) {
        if (isStringKeyedMap(schema, allowOptionalMapKeys)) {
            org.apache.avro.Schema valueSchema = underlying(schema, avroSchema).getValueType();
            Map<String, Object> converted = new HashMap<>(Math.max(4, map.size() * 2));
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                try {
                    converted.put((String) entry.getKey(), value(schema.valueSchema(), valueSchema, entry.getValue()));
                } catch (DataException e) {
                    throw FieldPathException.at("[" + entry.getKey() + "]", e);
                }
            }
            return converted;
        }
        org.apache.avro.Schema arraySchema = avroSchema;
        if (avroSchema.getType() == org.apache.avro.Schema.Type.UNION) {
            arraySchema = avroSchema.getTypes().stream()
                    .filter(member -> member.getType() == org.apache.avro.Schema.Type.ARRAY).findFirst()
                    .orElseThrow(() -> new DataException("No array of map entries in union " + avroSchema));
        }
        org.apache.avro.Schema entrySchema = arraySchema.getElementType();
        org.apache.avro.Schema.Field keyField = entrySchema.getField(KEY_FIELD);
        org.apache.avro.Schema.Field valueField = entrySchema.getField(VALUE_FIELD);
        List<GenericData.Record> converted = new ArrayList<>(map.size());
        for (Map.Entry<?, ?> entry : map.entrySet()) {
            GenericData.Record record = new GenericData.Record(entrySchema);
            try {
                record.put(keyField.pos(), value(schema.keySchema(), keyField.schema(), entry.getKey()));
                record.put(valueField.pos(), value(schema.valueSchema(), valueField.schema(), entry.getValue()));
            } catch (DataException e) {
                throw FieldPathException.at("[" + entry.getKey() + "]", e);
            }
            converted.add(record);
        }
        return converted;
    }

    private Object structValue(Schema schema, org.apache.avro.Schema avroSchema, Struct struct) {
        if (!struct.schema().equals(schema)) {
            throw new DataException("Mismatching struct schema: the value's schema " + describe(struct.schema())
                    + " is not the declared " + describe(schema));
        }
        if (isUnionSchema(schema)) {
            for (Field field : schema.fields()) {
                Object member = ignoreDefaultForNullables ? struct.getWithoutDefault(field.name()) : struct.get(field);
                if (member != null) {
                    return value(field.schema(), avroSchema, member);
                }
            }
            return value(schema, avroSchema, null);
        }
        org.apache.avro.Schema recordSchema = underlying(schema, avroSchema);
        GenericData.Record record = new GenericData.Record(recordSchema);
        for (Field field : schema.fields()) {
            String fieldName = scrubName(field.name(), scrub);
            org.apache.avro.Schema.Field avroField = recordSchema.getField(fieldName);
            if (avroField == null) {
                throw new DataException("Avro record " + recordSchema.getFullName() + " has no field " + fieldName);
            }
            Object fieldValue = ignoreDefaultForNullables ? struct.getWithoutDefault(field.name()) : struct.get(field);
            try {
                record.put(avroField.pos(), value(field.schema(), avroField.schema(), fieldValue));
            } catch (DataException e) {
                throw FieldPathException.at(field.name(), e);
            }
        }
        return record;
    }

    private GenericData.EnumSymbol enumSymbol(org.apache.avro.Schema avroSchema, String symbol, String enumName) {
        org.apache.avro.Schema enumSchema = avroSchema;
        if (avroSchema.getType() == org.apache.avro.Schema.Type.UNION) {
            Integer index = avroSchema.getIndexNamed(enumName);
            if (index == null) {
                throw new DataException("Enum " + enumName + " is not in union " + avroSchema);
            }
            enumSchema = avroSchema.getTypes().get(index);
        }
        if (!enumSchema.hasEnumSymbol(symbol)) {
            throw new DataException("'" + symbol + "' is not a symbol of enum " + enumName + " " + enumSchema.getEnumSymbols());
        }
        return new GenericData.EnumSymbol(enumSchema, symbol);
    }

    /** The member of an optional schema's union that holds its values. */
    private org.apache.avro.Schema underlying(Schema schema, org.apache.avro.Schema avroSchema) {
        if (!schema.isOptional()) {
            return avroSchema;
        }
        if (avroSchema.getType() != org.apache.avro.Schema.Type.UNION) {
            throw new DataException("An optional schema should have an Avro union type, not " + avroSchema.getType()
                    + " for " + describe(schema));
        }
        String fullName = scrubFullName(schema.name(), scrub);
        for (org.apache.avro.Schema member : avroSchema.getTypes()) {
            if (member.getType() != org.apache.avro.Schema.Type.NULL
                    && (member.getFullName().equals(fullName)
                    || member.getType().getName().equals(schema.type().getName())
                    || (schema.name() == null && member.getFullName().startsWith(DEFAULT_SCHEMA_FULL_NAME)))) {
                return member;
            }
        }
        throw new DataException("No member of union " + avroSchema + " matches " + describe(schema));
    }

    private static Object toAvroLogical(Schema schema, Object value) {
        String name = schema.name();
        if (name == null) {
            return value;
        }
        return switch (name) {
            case Decimal.LOGICAL_NAME -> {
                if (!(value instanceof BigDecimal decimal)) {
                    throw new DataException("Invalid type for Decimal, expected BigDecimal but was " + value.getClass().getName());
                }
                yield Decimal.fromLogical(schema, decimal);
            }
            case Date.LOGICAL_NAME -> Date.fromLogical(schema, asDate(name, value));
            case Time.LOGICAL_NAME -> Time.fromLogical(schema, asDate(name, value));
            case Timestamp.LOGICAL_NAME -> Timestamp.fromLogical(schema, asDate(name, value));
            default -> value;
        };
    }

    private static java.util.Date asDate(String logicalName, Object value) {
        if (!(value instanceof java.util.Date date)) {
            throw new DataException("Invalid type for " + logicalName + ", expected java.util.Date but was "
                    + value.getClass().getName());
        }
        return date;
    }

    static String describe(Schema schema) {
        return schema.type() + (schema.name() == null ? "" : " " + schema.name()) + (schema.isOptional() ? " (optional)" : "");
    }
}
