package io.kaveri.connect.postgres;

import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.ConnectException;
import org.postgresql.util.PGInterval;

import java.math.BigDecimal;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.ChronoField;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.Map;
import java.util.function.Function;
import java.util.function.IntFunction;

/**
 * Maps a PostgreSQL column type to a Connect schema and a converter from the type's text form (what pgoutput and
 * the JDBC driver in text mode deliver) to the Connect value. The choices follow Debezium's defaults
 * ({@code time.precision.mode=adaptive_time_microseconds}) so that Debezium consumers read Kaveri's events:
 *
 * <ul>
 *   <li>numeric: Connect {@code Decimal} with the column's scale (precise), {@code double} or {@code string};
 *       unconstrained numeric in precise mode becomes Debezium's {@code VariableScaleDecimal} struct</li>
 *   <li>date: int32 days since epoch ({@code io.debezium.time.Date}); time: int64 micros
 *       ({@code MicroTime}); timestamp: int64 micros since epoch ({@code MicroTimestamp}); timestamptz and timetz:
 *       ISO-8601 strings in UTC ({@code ZonedTimestamp}, {@code ZonedTime}), since Connect has no zoned type;
 *       {@code infinity} becomes the largest/smallest value of the type (the string {@code infinity} for zoned)</li>
 *   <li>interval: int64 micros with a month of 30.4375 days ({@code MicroDuration}), or ISO-8601 string</li>
 *   <li>json, jsonb, xml, uuid, enums, money, inet, cidr, macaddr, bit strings, ranges, geometric types,
 *       tsvector and every type not listed: their text form as a string (named {@code Json}, {@code Uuid},
 *       {@code Enum} where Debezium names them)</li>
 *   <li>bytea: bytes; one-dimensional arrays of any mapped type: Connect arrays</li>
 * </ul>
 */
final class TypeMapper {

    /** How numeric columns are represented. */
    enum DecimalMode { PRECISE, DOUBLE, STRING }

    /** How interval columns are represented. */
    enum IntervalMode { NUMERIC, STRING }

    static final String JSON = "io.debezium.data.Json";
    static final String UUID = "io.debezium.data.Uuid";
    static final String ENUM = "io.debezium.data.Enum";
    static final String DATE = "io.debezium.time.Date";
    static final String MICRO_TIME = "io.debezium.time.MicroTime";
    static final String MICRO_TIMESTAMP = "io.debezium.time.MicroTimestamp";
    static final String ZONED_TIMESTAMP = "io.debezium.time.ZonedTimestamp";
    static final String ZONED_TIME = "io.debezium.time.ZonedTime";
    static final String MICRO_DURATION = "io.debezium.time.MicroDuration";
    static final String INTERVAL = "io.debezium.time.Interval";
    static final String VARIABLE_SCALE_DECIMAL = "io.debezium.data.VariableScaleDecimal";

    // Built-in type OIDs (src/include/catalog/pg_type.dat); they are fixed across PostgreSQL versions.
    static final int BOOL = 16, BYTEA = 17, INT8 = 20, INT2 = 21, INT4 = 23, OID = 26, XID = 28,
            JSON_OID = 114, XML = 142, FLOAT4 = 700, FLOAT8 = 701, BPCHAR = 1042, VARCHAR = 1043, TEXT = 25,
            NAME = 19, DATE_OID = 1082, TIME = 1083, TIMESTAMP = 1114, TIMESTAMPTZ = 1184, INTERVAL_OID = 1186,
            TIMETZ = 1266, NUMERIC = 1700, UUID_OID = 2950, JSONB = 3802;

    /** Array type OID to element type OID for the built-in arrays. */
    private static final Map<Integer, Integer> BUILTIN_ARRAYS = Map.ofEntries(
            Map.entry(1000, BOOL), Map.entry(1001, BYTEA), Map.entry(1005, INT2), Map.entry(1007, INT4),
            Map.entry(1016, INT8), Map.entry(1028, OID), Map.entry(1009, TEXT), Map.entry(1015, VARCHAR),
            Map.entry(1014, BPCHAR), Map.entry(1003, NAME), Map.entry(1021, FLOAT4), Map.entry(1022, FLOAT8),
            Map.entry(1231, NUMERIC), Map.entry(1182, DATE_OID), Map.entry(1183, TIME), Map.entry(1115, TIMESTAMP),
            Map.entry(1185, TIMESTAMPTZ), Map.entry(1187, INTERVAL_OID), Map.entry(1270, TIMETZ),
            Map.entry(2951, UUID_OID), Map.entry(199, JSON_OID), Map.entry(3807, JSONB), Map.entry(143, XML));

    private static final double DAYS_PER_MONTH = 365.25 / 12;
    private static final long MICROS_PER_DAY = 86_400_000_000L;

    private static final DateTimeFormatter LOCAL_DATE_TIME = new DateTimeFormatterBuilder()
            .appendPattern("uuuu-MM-dd HH:mm:ss")
            .optionalStart().appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true).optionalEnd()
            .toFormatter();
    private static final DateTimeFormatter OFFSET_DATE_TIME = new DateTimeFormatterBuilder()
            .append(LOCAL_DATE_TIME).appendOffset("+HH:mm:ss", "+00").toFormatter();
    private static final DateTimeFormatter TIME_FORMAT = new DateTimeFormatterBuilder()
            .appendPattern("HH:mm:ss")
            .optionalStart().appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true).optionalEnd()
            .toFormatter();
    private static final DateTimeFormatter OFFSET_TIME = new DateTimeFormatterBuilder()
            .append(TIME_FORMAT).appendOffset("+HH:mm:ss", "+00").toFormatter();

    /** A column's Connect schema and its converter from text; the converter never sees SQL NULL. */
    record Mapping(Schema schema, Function<String, Object> fromText) {
    }

    private final DecimalMode decimalMode;
    private final IntervalMode intervalMode;
    private final IntFunction<PgType> userTypes;

    /** @param userTypes looks up a type that is not built in (enum, domain, user array); null when unknown */
    TypeMapper(DecimalMode decimalMode, IntervalMode intervalMode, IntFunction<PgType> userTypes) {
        this.decimalMode = decimalMode;
        this.intervalMode = intervalMode;
        this.userTypes = userTypes;
    }

    /**
     * The mapping of one column.
     *
     * @param column   {@code schema.table.column}, named in errors
     * @param optional whether the column may be null
     */
    Mapping map(String column, int typeOid, int typeModifier, boolean optional) {
        SchemaBuilder builder;
        Function<String, Object> convert;
        Integer element = BUILTIN_ARRAYS.get(typeOid);
        PgType user = element == null && !isBuiltin(typeOid) ? userTypes.apply(typeOid) : null;
        if (user != null && user.kind() == 'a') {
            element = user.related();
        }
        if (element != null) {
            Mapping elementMapping = map(column + "[]", element, typeModifier, true);
            builder = SchemaBuilder.array(elementMapping.schema());
            convert = text -> PgArrays.parse(column, text).stream()
                    .map(e -> e == null ? null : elementMapping.fromText().apply(e)).toList();
        } else if (user != null && user.kind() == 'd') {
            return map(column, user.related(), typeModifier, optional);
        } else if (user != null && user.kind() == 'e') {
            builder = SchemaBuilder.string().name(ENUM).parameter("allowed", String.join(",", user.enumLabels()));
            convert = text -> text;
        } else {
            Mapping scalar = scalar(column, typeOid, typeModifier);
            builder = copyOf(scalar.schema());
            convert = scalar.fromText();
        }
        if (optional) {
            builder.optional();
        }
        return new Mapping(builder.build(), guarded(column, typeOid, convert));
    }

    private static boolean isBuiltin(int oid) {
        // OIDs below FirstNormalObjectId (16384) are assigned at initdb and never user types.
        return oid < 16384;
    }

    private Mapping scalar(String column, int oid, int typmod) {
        return switch (oid) {
            case BOOL -> new Mapping(Schema.BOOLEAN_SCHEMA, text -> text.equals("t") || text.equals("true"));
            case INT2 -> new Mapping(Schema.INT16_SCHEMA, Short::valueOf);
            case INT4 -> new Mapping(Schema.INT32_SCHEMA, Integer::valueOf);
            case INT8, OID, XID -> new Mapping(Schema.INT64_SCHEMA, Long::valueOf);
            case FLOAT4 -> new Mapping(Schema.FLOAT32_SCHEMA, Float::valueOf);
            case FLOAT8 -> new Mapping(Schema.FLOAT64_SCHEMA, Double::valueOf);
            case NUMERIC -> numeric(column, typmod);
            case BYTEA -> new Mapping(Schema.BYTES_SCHEMA, text -> bytea(column, text));
            case JSON_OID, JSONB -> new Mapping(SchemaBuilder.string().name(JSON).build(), text -> text);
            case UUID_OID -> new Mapping(SchemaBuilder.string().name(UUID).build(), text -> text);
            case DATE_OID -> new Mapping(SchemaBuilder.int32().name(DATE).build(), TypeMapper::date);
            case TIME -> new Mapping(SchemaBuilder.int64().name(MICRO_TIME).build(), TypeMapper::time);
            case TIMETZ -> new Mapping(SchemaBuilder.string().name(ZONED_TIME).build(), TypeMapper::timetz);
            case TIMESTAMP -> new Mapping(SchemaBuilder.int64().name(MICRO_TIMESTAMP).build(), TypeMapper::timestamp);
            case TIMESTAMPTZ -> new Mapping(SchemaBuilder.string().name(ZONED_TIMESTAMP).build(), TypeMapper::timestamptz);
            case INTERVAL_OID -> intervalMode == IntervalMode.NUMERIC
                    ? new Mapping(SchemaBuilder.int64().name(MICRO_DURATION).build(), TypeMapper::intervalMicros)
                    : new Mapping(SchemaBuilder.string().name(INTERVAL).build(), TypeMapper::intervalIso);
            // text, varchar, char, name, xml, money, network, geometric, bit, range, tsvector, pg_lsn, and any
            // type not known: the text PostgreSQL prints, which loses nothing.
            default -> new Mapping(Schema.STRING_SCHEMA, text -> text);
        };
    }

    private Mapping numeric(String column, int typmod) {
        return switch (decimalMode) {
            case DOUBLE -> new Mapping(Schema.FLOAT64_SCHEMA, Double::valueOf);
            case STRING -> new Mapping(Schema.STRING_SCHEMA, text -> text);
            case PRECISE -> {
                if (typmod < 4) {
                    Schema schema = variableScaleDecimalSchema();
                    yield new Mapping(schema, text -> {
                        BigDecimal d = decimal(column, text);
                        return new Struct(schema).put("scale", d.scale()).put("value", d.unscaledValue().toByteArray());
                    });
                }
                int precision = (typmod - 4) >> 16;
                int scale = (typmod - 4) & 0xFFFF;
                Schema schema = Decimal.builder(scale).parameter("connect.decimal.precision", String.valueOf(precision)).build();
                yield new Mapping(schema, text -> decimal(column, text).setScale(scale));
            }
        };
    }

    static Schema variableScaleDecimalSchema() {
        return SchemaBuilder.struct().name(VARIABLE_SCALE_DECIMAL).version(1)
                .field("scale", Schema.INT32_SCHEMA).field("value", Schema.BYTES_SCHEMA).build();
    }

    private static BigDecimal decimal(String column, String text) {
        if (text.equals("NaN") || text.endsWith("Infinity")) {
            throw new ConnectException("column " + column + " holds numeric " + text + ", which a Decimal cannot carry: "
                    + "set decimal.handling.mode=double or string");
        }
        return new BigDecimal(text);
    }

    private static byte[] bytea(String column, String text) {
        if (!text.startsWith("\\x")) {
            throw new ConnectException("column " + column + ": bytea is not in hex output format; set bytea_output = 'hex' "
                    + "(the default) for the connector's user");
        }
        return HexFormat.of().parseHex(text, 2, text.length());
    }

    static int date(String text) {
        if (text.equals("infinity")) {
            return Integer.MAX_VALUE;
        }
        if (text.equals("-infinity")) {
            return Integer.MIN_VALUE;
        }
        boolean bc = text.endsWith(" BC");
        LocalDate d = LocalDate.parse(bc ? text.substring(0, text.length() - 3) : text);
        return Math.toIntExact(bc ? d.withYear(1 - d.getYear()).toEpochDay() : d.toEpochDay());
    }

    static long time(String text) {
        if (text.startsWith("24:00:00")) {
            return MICROS_PER_DAY;
        }
        return LocalTime.parse(text, TIME_FORMAT).toNanoOfDay() / 1_000;
    }

    static String timetz(String text) {
        OffsetTime t = OffsetTime.parse(text, OFFSET_TIME).withOffsetSameInstant(ZoneOffset.UTC);
        return t.format(DateTimeFormatter.ISO_OFFSET_TIME);
    }

    static long timestamp(String text) {
        if (text.equals("infinity")) {
            return Long.MAX_VALUE;
        }
        if (text.equals("-infinity")) {
            return Long.MIN_VALUE;
        }
        boolean bc = text.endsWith(" BC");
        LocalDateTime t = LocalDateTime.parse(bc ? text.substring(0, text.length() - 3) : text, LOCAL_DATE_TIME);
        if (bc) {
            t = t.withYear(1 - t.getYear());
        }
        return ChronoUnit.MICROS.between(LocalDateTime.of(1970, 1, 1, 0, 0), t);
    }

    static String timestamptz(String text) {
        if (text.equals("infinity") || text.equals("-infinity")) {
            return text;
        }
        int bcAt = text.indexOf(" BC");
        String plain = bcAt < 0 ? text : text.substring(0, bcAt) + text.substring(bcAt + 3);
        OffsetDateTime t = OffsetDateTime.parse(plain, OFFSET_DATE_TIME);
        if (bcAt >= 0) {
            t = t.withYear(1 - t.getYear());
        }
        return t.withOffsetSameInstant(ZoneOffset.UTC).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
    }

    static long intervalMicros(String text) {
        PGInterval i = interval(text);
        double days = (i.getYears() * 12 + i.getMonths()) * DAYS_PER_MONTH + i.getDays();
        long micros = Math.round(days * MICROS_PER_DAY);
        return micros + i.getHours() * 3_600_000_000L + i.getMinutes() * 60_000_000L + Math.round(i.getSeconds() * 1_000_000);
    }

    static String intervalIso(String text) {
        PGInterval i = interval(text);
        BigDecimal seconds = BigDecimal.valueOf(i.getWholeSeconds()).add(BigDecimal.valueOf(i.getMicroSeconds(), 6))
                .stripTrailingZeros();
        return "P" + i.getYears() + "Y" + i.getMonths() + "M" + i.getDays() + "DT" + i.getHours() + "H" + i.getMinutes()
                + "M" + seconds.toPlainString() + "S";
    }

    private static PGInterval interval(String text) {
        try {
            return new PGInterval(text);
        } catch (SQLException e) {
            throw new IllegalArgumentException("not an interval: " + text, e);
        }
    }

    private static SchemaBuilder copyOf(Schema s) {
        SchemaBuilder b = switch (s.type()) {
            case STRUCT -> {
                SchemaBuilder sb = SchemaBuilder.struct();
                s.fields().forEach(f -> sb.field(f.name(), f.schema()));
                yield sb;
            }
            default -> new SchemaBuilder(s.type());
        };
        if (s.name() != null) {
            b.name(s.name());
        }
        if (s.version() != null) {
            b.version(s.version());
        }
        if (s.parameters() != null) {
            b.parameters(s.parameters());
        }
        return b;
    }

    /** Turns a parse failure into an error that names the column, the type and the text. */
    private static Function<String, Object> guarded(String column, int oid, Function<String, Object> convert) {
        return text -> {
            try {
                return convert.apply(text);
            } catch (ConnectException e) {
                throw e;
            } catch (RuntimeException e) {
                throw new ConnectException("column " + column + " (type oid " + oid + "): cannot read value '" + abbreviate(text)
                        + "': " + e.getMessage(), e);
            }
        };
    }

    private static String abbreviate(String text) {
        return text.length() <= 64 ? text : text.substring(0, 64) + "...";
    }

    /** The value a {@code VariableScaleDecimal} struct carries. */
    static BigDecimal fromVariableScale(Struct s) {
        return new BigDecimal(new java.math.BigInteger(s.getBytes("value")), s.getInt32("scale"));
    }
}
