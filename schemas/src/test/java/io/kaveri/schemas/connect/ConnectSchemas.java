package io.kaveri.schemas.connect;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;
import org.apache.kafka.connect.data.Date;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Time;
import org.apache.kafka.connect.data.Timestamp;

/**
 * Generators of Connect schemas (nested structs, arrays, maps with string and other keys,
 * optional fields, defaults, docs, names, versions, parameters, logical types) and of values for them.
 */
final class ConnectSchemas {

    private static final long DAY_MILLIS = 86_400_000L;

    private ConnectSchemas() {
    }

    static Arbitrary<Schema> schemas(int depth) {
        if (depth == 0) {
            return decorated(Arbitraries.oneOf(primitives(), logicalTypes()));
        }
        return decorated(Arbitraries.frequencyOf(
                Tuple.of(2, primitives()),
                Tuple.of(1, logicalTypes()),
                Tuple.of(2, arrays(depth - 1)),
                Tuple.of(2, maps(depth - 1)),
                Tuple.of(3, structs(depth - 1))));
    }

    static Arbitrary<Schema> structs(int fieldDepth) {
        Arbitrary<List<Schema>> fieldSchemas = Arbitraries.lazy(() -> schemas(fieldDepth)).list().ofMinSize(1).ofMaxSize(5);
        Arbitrary<String> name = names("s.S").injectNull(0.4);
        return Combinators.combine(fieldSchemas, name).as((fields, structName) -> {
            SchemaBuilder builder = SchemaBuilder.struct();
            if (structName != null) {
                builder.name(structName);
            }
            for (int i = 0; i < fields.size(); i++) {
                builder.field("f" + i, fields.get(i));
            }
            return builder.build();
        });
    }

    private static Arbitrary<Schema> primitives() {
        Arbitrary<Schema> type = Arbitraries.of(Schema.INT8_SCHEMA, Schema.INT16_SCHEMA, Schema.INT32_SCHEMA,
                Schema.INT64_SCHEMA, Schema.FLOAT32_SCHEMA, Schema.FLOAT64_SCHEMA, Schema.BOOLEAN_SCHEMA,
                Schema.STRING_SCHEMA, Schema.BYTES_SCHEMA);
        return Combinators.combine(type, names("p.P").injectNull(0.8)).as((schema, name) ->
                name == null ? schema : new SchemaBuilder(schema.type()).name(name).build());
    }

    private static Arbitrary<Schema> logicalTypes() {
        Arbitrary<Schema> decimals = Combinators.combine(Arbitraries.integers().between(-2, 12),
                        Arbitraries.integers().between(1, 40).injectNull(0.6))
                .as((scale, precision) -> {
                    SchemaBuilder builder = Decimal.builder(scale);
                    if (precision != null) {
                        builder.parameter("connect.decimal.precision", String.valueOf(precision));
                    }
                    return builder.build();
                });
        return Arbitraries.oneOf(decimals, Arbitraries.of(Date.SCHEMA, Time.SCHEMA, Timestamp.SCHEMA));
    }

    private static Arbitrary<Schema> arrays(int depth) {
        return Arbitraries.lazy(() -> schemas(depth)).map(element -> SchemaBuilder.array(element).build());
    }

    private static Arbitrary<Schema> maps(int depth) {
        Arbitrary<Schema> keys = Arbitraries.of(Schema.STRING_SCHEMA, Schema.STRING_SCHEMA, Schema.OPTIONAL_STRING_SCHEMA,
                Schema.INT32_SCHEMA, Schema.INT64_SCHEMA, Schema.INT8_SCHEMA);
        return Combinators.combine(keys, Arbitraries.lazy(() -> schemas(depth)), names("m.M").injectNull(0.5))
                .as((key, value, name) -> {
                    SchemaBuilder builder = SchemaBuilder.map(key, value);
                    // Only an array of MapEntry records takes the name (an Avro map has none).
                    if (name != null && key.type() != Schema.Type.STRING) {
                        builder.name(name);
                    }
                    return builder.build();
                });
    }

    /** Adds optionality, doc, version, parameters and a default to a schema, as far as Connect allows. */
    private static Arbitrary<Schema> decorated(Arbitrary<Schema> base) {
        Arbitrary<String> doc = Arbitraries.strings().withCharRange(' ', '~').ofMaxLength(12).injectNull(0.7);
        Arbitrary<Integer> version = Arbitraries.integers().between(1, 50).injectNull(0.7);
        Arbitrary<Map<String, String>> params = Arbitraries.maps(
                Arbitraries.of("k1", "k2", "team"), Arbitraries.strings().alpha().ofMaxLength(6)).ofMaxSize(2);
        return Combinators.combine(base, Arbitraries.of(true, false), doc, version, params)
                .as(Decoration::new)
                .flatMap(d -> {
                    Schema plain = d.build(null);
                    if (!canHoldDefault(plain)) {
                        return Arbitraries.just(plain);
                    }
                    return values(plain, false).injectNull(0.6).map(d::build);
                });
    }

    private record Decoration(Schema base, boolean optional, String doc, Integer version, Map<String, String> params) {
        Schema build(Object defaultValue) {
            SchemaBuilder builder = copyOf(base);
            if (optional) {
                builder.optional();
            }
            if (doc != null) {
                builder.doc(doc);
            }
            // Logical types carry their own version.
            if (version != null && base.version() == null) {
                builder.version(version);
            }
            params.forEach(builder::parameter);
            if (defaultValue != null) {
                builder.defaultValue(defaultValue);
            }
            return builder.build();
        }
    }

    private static SchemaBuilder copyOf(Schema schema) {
        SchemaBuilder builder = switch (schema.type()) {
            case ARRAY -> SchemaBuilder.array(schema.valueSchema());
            case MAP -> SchemaBuilder.map(schema.keySchema(), schema.valueSchema());
            case STRUCT -> {
                SchemaBuilder struct = SchemaBuilder.struct();
                schema.fields().forEach(f -> struct.field(f.name(), f.schema()));
                yield struct;
            }
            default -> new SchemaBuilder(schema.type());
        };
        if (schema.name() != null) {
            builder.name(schema.name());
        }
        if (schema.version() != null) {
            builder.version(schema.version());
        }
        if (schema.parameters() != null) {
            schema.parameters().forEach(builder::parameter);
        }
        return builder;
    }

    /**
     * Defaults Avro can hold and Confluent reads back: none of structs (a struct default's schema is
     * its builder, so no rebuilt schema equals it) and none of maps without string keys (Confluent
     * writes them as [key, value] pairs that an Avro record default refuses, and drops them).
     */
    private static boolean canHoldDefault(Schema schema) {
        return switch (schema.type()) {
            case STRUCT -> false;
            case ARRAY -> canHoldElementDefault(schema.valueSchema());
            case MAP -> schema.keySchema().type() == Schema.Type.STRING && !schema.keySchema().isOptional()
                    && canHoldElementDefault(schema.valueSchema());
            default -> true;
        };
    }

    /** Confluent reads an element of a [null, T] union in a default as null, whatever was written. */
    private static boolean canHoldElementDefault(Schema element) {
        return (!element.isOptional() || element.defaultValue() != null) && canHoldDefault(element);
    }

    /** Values of the schema; with {@code nulls}, optional parts are sometimes null. */
    static Arbitrary<Object> values(Schema schema, boolean nulls) {
        Arbitrary<Object> value = nonNullValues(schema, nulls);
        // Connect replaces a null by the default on read, so a null with a default would not come back.
        return nulls && schema.isOptional() && schema.defaultValue() == null ? value.injectNull(0.2) : value;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Arbitrary<Object> nonNullValues(Schema schema, boolean nulls) {
        if (schema.name() != null) {
            switch (schema.name()) {
                case Decimal.LOGICAL_NAME -> {
                    int scale = Integer.parseInt(schema.parameters().get(Decimal.SCALE_FIELD));
                    return Arbitraries.bigIntegers().between(BigInteger.TEN.pow(20).negate(), BigInteger.TEN.pow(20))
                            .map(unscaled -> new BigDecimal(unscaled, scale));
                }
                case Date.LOGICAL_NAME -> {
                    return Arbitraries.longs().between(-100_000, 100_000).map(day -> new java.util.Date(day * DAY_MILLIS));
                }
                case Time.LOGICAL_NAME -> {
                    return Arbitraries.longs().between(0, DAY_MILLIS - 1).map(java.util.Date::new);
                }
                case Timestamp.LOGICAL_NAME -> {
                    return Arbitraries.longs().between(-10_000_000_000_000L, 10_000_000_000_000L).map(java.util.Date::new);
                }
                default -> {
                    // a named plain type: values as for its type
                }
            }
        }
        Arbitrary<?> values = switch (schema.type()) {
            case INT8 -> Arbitraries.bytes();
            case INT16 -> Arbitraries.shorts();
            case INT32 -> Arbitraries.integers();
            case INT64 -> Arbitraries.longs();
            // Finite only: a default goes through JSON, which has no NaN.
            case FLOAT32 -> Arbitraries.floats().between(-1e6f, 1e6f);
            case FLOAT64 -> Arbitraries.doubles();
            case BOOLEAN -> Arbitraries.of(true, false);
            case STRING -> Arbitraries.strings().ofMaxLength(8);
            case BYTES -> Arbitraries.bytes().array(byte[].class).ofMaxSize(8).map(ByteBuffer::wrap);
            case ARRAY -> values(schema.valueSchema(), nulls).list().ofMaxSize(3);
            case MAP -> Arbitraries.maps(values(schema.keySchema(), false), values(schema.valueSchema(), nulls))
                    .ofMaxSize(3).map(HashMap::new);
            case STRUCT -> {
                List<Arbitrary<Object>> fields = new ArrayList<>();
                for (Field field : schema.fields()) {
                    fields.add(values(field.schema(), nulls));
                }
                yield Combinators.combine(fields).as(fieldValues -> {
                    Struct struct = new Struct(schema);
                    for (int i = 0; i < fieldValues.size(); i++) {
                        struct.put(schema.fields().get(i), fieldValues.get(i));
                    }
                    return struct;
                });
            }
        };
        return (Arbitrary) values;
    }

    /**
     * Whether Avro can hold the schema at all: a name stands for one definition only, and so does
     * the shared name of unnamed non-string-keyed maps' entries (io.confluent.connect.avro.MapEntry).
     */
    static boolean namesAreUnambiguous(Schema schema) {
        Map<String, Set<Schema>> byName = new LinkedHashMap<>();
        collect(schema, byName);
        return byName.values().stream().allMatch(definitions -> definitions.size() == 1);
    }

    private static void collect(Schema schema, Map<String, Set<Schema>> byName) {
        Schema definition = ConnectToAvro.nonOptional(schema);
        String name = schema.name();
        if (name == null && schema.type() == Schema.Type.MAP
                && (schema.keySchema().type() != Schema.Type.STRING || schema.keySchema().isOptional())) {
            name = "MapEntry";
            definition = SchemaBuilder.map(schema.keySchema(), schema.valueSchema()).build();
        }
        if (name != null && !name.startsWith("org.apache.kafka.connect.data.")) {
            byName.computeIfAbsent(name, n -> new HashSet<>()).add(definition);
        }
        switch (schema.type()) {
            case STRUCT -> schema.fields().forEach(f -> collect(f.schema(), byName));
            case ARRAY -> collect(schema.valueSchema(), byName);
            case MAP -> {
                collect(schema.keySchema(), byName);
                collect(schema.valueSchema(), byName);
            }
            default -> {
            }
        }
    }

    /** A readable rendering of a Connect schema tree, for failure messages. */
    static String describe(Schema schema) {
        StringBuilder sb = new StringBuilder(schema.type().toString());
        if (schema.name() != null) {
            sb.append(" name=").append(schema.name());
        }
        if (schema.isOptional()) {
            sb.append(" optional");
        }
        if (schema.version() != null) {
            sb.append(" v=").append(schema.version());
        }
        if (schema.doc() != null) {
            sb.append(" doc='").append(schema.doc()).append('\'');
        }
        if (schema.parameters() != null) {
            sb.append(" params=").append(schema.parameters());
        }
        if (schema.defaultValue() != null) {
            sb.append(" default=").append(canonical(schema.defaultValue()));
        }
        switch (schema.type()) {
            case STRUCT -> {
                sb.append(" {");
                schema.fields().forEach(f -> sb.append(f.name()).append(": ").append(describe(f.schema())).append("; "));
                sb.append('}');
            }
            case ARRAY -> sb.append(" [").append(describe(schema.valueSchema())).append(']');
            case MAP -> sb.append(" <").append(describe(schema.keySchema())).append(", ")
                    .append(describe(schema.valueSchema())).append('>');
            default -> {
            }
        }
        return sb.toString();
    }

    /** Maps in key order, so that equal maps print the same. */
    private static Object canonical(Object value) {
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> sorted = new java.util.TreeMap<>();
            map.forEach((k, v) -> sorted.put(String.valueOf(k), canonical(v)));
            return sorted;
        }
        if (value instanceof List<?> list) {
            return list.stream().map(ConnectSchemas::canonical).toList();
        }
        return value;
    }

    private static Arbitrary<String> names(String prefix) {
        return Arbitraries.strings().withCharRange('a', 'z').ofLength(5).map(s -> prefix + s);
    }
}
