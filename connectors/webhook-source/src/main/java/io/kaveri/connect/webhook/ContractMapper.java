package io.kaveri.connect.webhook;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.avro.Conversions;
import org.apache.avro.LogicalType;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.connect.data.SchemaAndValue;

import com.fasterxml.jackson.databind.JsonNode;

import io.kaveri.schemas.connect.AvroData;
import io.kaveri.schemas.connect.AvroDataConfig;

/**
 * Turns each JSON event of a route with {@code value.contract} into a record of that Avro contract, so that the
 * record value is the contract itself (not the webhook envelope) and the apps reading the topic decode it with their
 * own specific classes. Field by field, by the contract's types:
 * <ul>
 *   <li>string: a JSON string; boolean: true/false; int, long, float, double: a JSON number of that range;</li>
 *   <li>timestamp-millis / timestamp-micros: an ISO-8601 instant ({@code 2026-11-25T10:15:30Z}, any offset) or
 *       epoch milliseconds / microseconds as a number; date: {@code 2026-11-25} or days since the epoch;</li>
 *   <li>decimal: a JSON number or a numeric string, with no more fractional digits than the scale (never rounded)
 *       and no more digits than the precision;</li>
 *   <li>enum: one of its symbols; bytes and fixed: base64; arrays, maps and nested records: JSON arrays and objects;
 *       a union: null when it allows null, else the first branch the value fits;</li>
 *   <li>a missing or null field takes the contract's default; without one it is an error, unless nullable;
 *       JSON fields the contract does not have are ignored (senders add fields before readers know them).</li>
 * </ul>
 * An event that does not fit throws {@link Mismatch} naming the field, which the route answers with 400.
 */
final class ContractMapper {

    /** An event that does not fit the contract; the message names the field path, e.g. {@code items[2].price}. */
    static final class Mismatch extends Exception {
        private final String field;

        Mismatch(String field, String message) {
            super(message);
            this.field = field;
        }

        String field() {
            return field;
        }
    }

    private static final Conversions.DecimalConversion DECIMALS = new Conversions.DecimalConversion();

    private final Schema contract;
    private final AvroData avroData;
    private final org.apache.kafka.connect.data.Schema connectSchema;

    private ContractMapper(Schema contract) {
        this.contract = contract;
        // Enhanced support keeps enums Avro enums through the converter (with the same setting on the route's
        // value converter), so the record written is the contract, not a look-alike with strings.
        this.avroData = new AvroData(Map.of(AvroDataConfig.ENHANCED_AVRO_SCHEMA_SUPPORT_CONFIG, true));
        this.connectSchema = avroData.toConnectSchema(contract);
    }

    /** The mapper of a generated contract class, e.g. {@code io.kaveri.schemas.market.Trade}. */
    static ContractMapper forContract(String fullName) {
        return new ContractMapper(contractSchema(fullName));
    }

    /** The Avro schema of a contract class on this plugin's class path; IllegalArgumentException saying why not. */
    static Schema contractSchema(String fullName) {
        Class<?> type;
        try {
            type = Class.forName(fullName, false, ContractMapper.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            throw new IllegalArgumentException("no contract class " + fullName + " in the plugin (the Avro full name "
                    + "of a contract of the schemas module, e.g. io.kaveri.schemas.market.Trade)");
        }
        if (!SpecificRecord.class.isAssignableFrom(type)) {
            throw new IllegalArgumentException(fullName + " is not an Avro record contract");
        }
        return SpecificData.get().getSchema(type);
    }

    Schema contract() {
        return contract;
    }

    /** The Connect schema of the records, which the Kaveri AvroConverter writes back as the contract. */
    org.apache.kafka.connect.data.Schema connectSchema() {
        return connectSchema;
    }

    /** The event as a Connect value of {@link #connectSchema()}. */
    Object toConnect(JsonNode event) throws Mismatch {
        SchemaAndValue converted = avroData.toConnectData(contract, toAvro(event));
        return converted.value();
    }

    /** The event as a generic record of the contract. */
    GenericRecord toAvro(JsonNode event) throws Mismatch {
        if (event == null || !event.isObject()) {
            throw new Mismatch("", "the event must be a JSON object to become a " + contract.getFullName()
                    + ", got " + kind(event));
        }
        return (GenericRecord) value(contract, event, "");
    }

    private static Object value(Schema schema, JsonNode node, String path) throws Mismatch {
        LogicalType logical = schema.getLogicalType();
        return switch (schema.getType()) {
            case RECORD -> record(schema, node, path);
            case UNION -> union(schema, node, path);
            case NULL -> {
                if (!node.isNull()) {
                    throw wrong(path, "null", node);
                }
                yield null;
            }
            case STRING -> {
                if (!node.isTextual()) {
                    throw wrong(path, "a string", node);
                }
                yield node.textValue();
            }
            case BOOLEAN -> {
                if (!node.isBoolean()) {
                    throw wrong(path, "true or false", node);
                }
                yield node.booleanValue();
            }
            case INT -> logical instanceof LogicalTypes.Date ? date(node, path) : integer(node, path);
            case LONG -> logical instanceof LogicalTypes.TimestampMillis ? timestamp(node, path, ChronoUnit.MILLIS)
                    : logical instanceof LogicalTypes.TimestampMicros ? timestamp(node, path, ChronoUnit.MICROS)
                    : longValue(node, path);
            case FLOAT -> (float) number(node, path);
            case DOUBLE -> number(node, path);
            case BYTES -> logical instanceof LogicalTypes.Decimal d
                    ? DECIMALS.toBytes(decimal(node, path, d), schema, d) : ByteBuffer.wrap(base64(node, path));
            case FIXED -> logical instanceof LogicalTypes.Decimal d
                    ? DECIMALS.toFixed(decimal(node, path, d), schema, d) : fixed(schema, node, path);
            case ENUM -> {
                if (!node.isTextual() || !schema.hasEnumSymbol(node.textValue())) {
                    throw wrong(path, "one of " + schema.getEnumSymbols(), node);
                }
                yield new GenericData.EnumSymbol(schema, node.textValue());
            }
            case ARRAY -> {
                if (!node.isArray()) {
                    throw wrong(path, "an array", node);
                }
                List<Object> items = new ArrayList<>(node.size());
                for (int i = 0; i < node.size(); i++) {
                    items.add(value(schema.getElementType(), node.get(i), path + "[" + i + "]"));
                }
                yield new GenericData.Array<>(schema, items);
            }
            case MAP -> {
                if (!node.isObject()) {
                    throw wrong(path, "an object", node);
                }
                Map<String, Object> map = new LinkedHashMap<>();
                for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> e = it.next();
                    map.put(e.getKey(), value(schema.getValueType(), e.getValue(), path + "." + e.getKey()));
                }
                yield map;
            }
        };
    }

    private static GenericRecord record(Schema schema, JsonNode node, String path) throws Mismatch {
        if (!node.isObject()) {
            throw wrong(path, "an object (" + schema.getName() + ")", node);
        }
        GenericData.Record record = new GenericData.Record(schema);
        for (Schema.Field field : schema.getFields()) {
            String fieldPath = path.isEmpty() ? field.name() : path + "." + field.name();
            JsonNode value = node.get(field.name());
            if (value == null || value.isNull()) {
                if (field.hasDefaultValue()) {
                    record.put(field.pos(), GenericData.get().getDefaultValue(field));
                    continue;
                }
                if (!nullable(field.schema())) {
                    throw new Mismatch(fieldPath, "missing required field '" + fieldPath + "' of " + schema.getFullName());
                }
                record.put(field.pos(), null);
                continue;
            }
            record.put(field.pos(), value(field.schema(), value, fieldPath));
        }
        return record;
    }

    private static Object union(Schema schema, JsonNode node, String path) throws Mismatch {
        if (node.isNull() && nullable(schema)) {
            return null;
        }
        List<String> expected = new ArrayList<>();
        for (Schema branch : schema.getTypes()) {
            if (branch.getType() == Schema.Type.NULL) {
                continue;
            }
            try {
                return value(branch, node, path);
            } catch (Mismatch tryNext) {
                expected.add(branch.getType().getName());
            }
        }
        throw wrong(path, "one of " + expected, node);
    }

    private static boolean nullable(Schema schema) {
        return schema.getType() == Schema.Type.NULL || (schema.getType() == Schema.Type.UNION
                && schema.getTypes().stream().anyMatch(s -> s.getType() == Schema.Type.NULL));
    }

    private static int integer(JsonNode node, String path) throws Mismatch {
        if (!node.isIntegralNumber() || !node.canConvertToInt()) {
            throw wrong(path, "an integer within 32 bits", node);
        }
        return node.intValue();
    }

    private static long longValue(JsonNode node, String path) throws Mismatch {
        if (!node.isIntegralNumber() || !node.canConvertToLong()) {
            throw wrong(path, "an integer within 64 bits", node);
        }
        return node.longValue();
    }

    private static double number(JsonNode node, String path) throws Mismatch {
        if (!node.isNumber()) {
            throw wrong(path, "a number", node);
        }
        return node.doubleValue();
    }

    private static long timestamp(JsonNode node, String path, ChronoUnit unit) throws Mismatch {
        if (node.isIntegralNumber() && node.canConvertToLong()) {
            return node.longValue();
        }
        String unitName = unit == ChronoUnit.MILLIS ? "milliseconds" : "microseconds";
        if (node.isTextual()) {
            try {
                Instant instant = OffsetDateTime.parse(node.textValue()).toInstant();
                return unit == ChronoUnit.MILLIS ? instant.toEpochMilli() : ChronoUnit.MICROS.between(Instant.EPOCH, instant);
            } catch (DateTimeException | ArithmeticException e) {
                throw wrong(path, "an ISO-8601 instant such as 2026-11-25T10:15:30Z or epoch " + unitName, node);
            }
        }
        throw wrong(path, "an ISO-8601 instant such as 2026-11-25T10:15:30Z or epoch " + unitName, node);
    }

    private static int date(JsonNode node, String path) throws Mismatch {
        if (node.isIntegralNumber() && node.canConvertToInt()) {
            return node.intValue();
        }
        if (node.isTextual()) {
            try {
                return Math.toIntExact(LocalDate.parse(node.textValue()).toEpochDay());
            } catch (DateTimeException | ArithmeticException e) {
                throw wrong(path, "an ISO-8601 date such as 2026-11-25 or days since the epoch", node);
            }
        }
        throw wrong(path, "an ISO-8601 date such as 2026-11-25 or days since the epoch", node);
    }

    private static BigDecimal decimal(JsonNode node, String path, LogicalTypes.Decimal type) throws Mismatch {
        BigDecimal value;
        if (node.isNumber()) {
            value = node.decimalValue();
        } else if (node.isTextual()) {
            try {
                value = new BigDecimal(node.textValue().trim());
            } catch (NumberFormatException e) {
                throw wrong(path, "a decimal number", node);
            }
        } else {
            throw wrong(path, "a decimal number (a JSON number or a numeric string)", node);
        }
        BigDecimal scaled;
        try {
            scaled = value.setScale(type.getScale());
        } catch (ArithmeticException e) {
            throw new Mismatch(path, "field '" + path + "' has more than " + type.getScale()
                    + " fractional digits: " + node + " (never rounded)");
        }
        if (scaled.precision() > type.getPrecision()) {
            throw new Mismatch(path, "field '" + path + "' has more than " + type.getPrecision() + " digits: " + node);
        }
        return scaled;
    }

    private static byte[] base64(JsonNode node, String path) throws Mismatch {
        if (node.isTextual()) {
            try {
                return Base64.getDecoder().decode(node.textValue());
            } catch (IllegalArgumentException e) {
                // reported below
            }
        }
        throw wrong(path, "base64 text", node);
    }

    private static GenericData.Fixed fixed(Schema schema, JsonNode node, String path) throws Mismatch {
        byte[] bytes = base64(node, path);
        if (bytes.length != schema.getFixedSize()) {
            throw new Mismatch(path, "field '" + path + "' must be " + schema.getFixedSize() + " bytes, got " + bytes.length);
        }
        return new GenericData.Fixed(schema, bytes);
    }

    private static Mismatch wrong(String path, String expected, JsonNode got) {
        String name = path.isEmpty() ? "the event" : "field '" + path + "'";
        return new Mismatch(path, name + " must be " + expected + ", got " + kind(got));
    }

    private static String kind(JsonNode node) {
        if (node == null || node.isMissingNode()) {
            return "nothing";
        }
        String text = node.toString();
        String shown = text.length() > 40 ? text.substring(0, 40) + "..." : text;
        return node.getNodeType().name().toLowerCase(java.util.Locale.ROOT) + " " + shown;
    }
}
