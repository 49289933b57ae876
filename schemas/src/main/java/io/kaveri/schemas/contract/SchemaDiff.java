package io.kaveri.schemas.contract;

import org.apache.avro.Schema;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A field-level diff between two versions of an Avro schema, for people reading a subject's history:
 * {@code + path: type = default} for an added field, {@code - path: type} for a removed one,
 * {@code ~ path: old -> new} for a changed type, default or doc. Nested records are walked by field path
 * ({@code address.city}); union branches and collections are compared by their printed type.
 */
public final class SchemaDiff {

    private SchemaDiff() {
    }

    /** The changes from {@code from} to {@code to}, in field order; empty when the two describe the same fields. */
    public static List<String> between(Schema from, Schema to) {
        List<String> lines = new ArrayList<>();
        compare("", from, to, lines);
        return lines;
    }

    private static void compare(String path, Schema from, Schema to, List<String> lines) {
        if (from.getType() == Schema.Type.RECORD && to.getType() == Schema.Type.RECORD) {
            if (!from.getFullName().equals(to.getFullName())) {
                lines.add("~ " + label(path) + ": record " + from.getFullName() + " -> " + to.getFullName());
            }
            Map<String, Schema.Field> before = fields(from);
            Map<String, Schema.Field> after = fields(to);
            for (Schema.Field f : before.values()) {
                Schema.Field g = after.get(f.name());
                String fieldPath = path.isEmpty() ? f.name() : path + "." + f.name();
                if (g == null) {
                    lines.add("- " + fieldPath + ": " + describe(f.schema()));
                    continue;
                }
                compare(fieldPath, f.schema(), g.schema(), lines);
                if (!Objects.equals(defaultOf(f), defaultOf(g))) {
                    lines.add("~ " + fieldPath + " default: " + defaultOf(f) + " -> " + defaultOf(g));
                }
                if (!Objects.equals(f.doc(), g.doc())) {
                    lines.add("~ " + fieldPath + " doc: " + quote(f.doc()) + " -> " + quote(g.doc()));
                }
            }
            for (Schema.Field g : after.values()) {
                if (!before.containsKey(g.name())) {
                    String fieldPath = path.isEmpty() ? g.name() : path + "." + g.name();
                    lines.add("+ " + fieldPath + ": " + describe(g.schema()) + (g.hasDefaultValue() ? " = " + defaultOf(g) : ""));
                }
            }
            return;
        }
        String a = describe(from);
        String b = describe(to);
        if (!a.equals(b)) {
            lines.add("~ " + label(path) + ": " + a + " -> " + b);
        }
    }

    private static Map<String, Schema.Field> fields(Schema record) {
        Map<String, Schema.Field> byName = new LinkedHashMap<>();
        record.getFields().forEach(f -> byName.put(f.name(), f));
        return byName;
    }

    /** A short type description: {@code long}, {@code decimal(18,8)}, {@code ["null","string"]}, {@code enum Side[BUY,SELL]}. */
    static String describe(Schema s) {
        if (s.getLogicalType() != null) {
            if (s.getLogicalType() instanceof org.apache.avro.LogicalTypes.Decimal d) {
                return "decimal(" + d.getPrecision() + "," + d.getScale() + ")";
            }
            return s.getLogicalType().getName();
        }
        return switch (s.getType()) {
            case RECORD -> "record " + s.getFullName();
            case ENUM -> "enum " + s.getName() + s.getEnumSymbols();
            case FIXED -> "fixed " + s.getName() + "(" + s.getFixedSize() + ")";
            case ARRAY -> "array<" + describe(s.getElementType()) + ">";
            case MAP -> "map<" + describe(s.getValueType()) + ">";
            case UNION -> s.getTypes().stream().map(SchemaDiff::describe).toList().toString();
            default -> s.getType().getName();
        };
    }

    private static String defaultOf(Schema.Field f) {
        if (!f.hasDefaultValue()) {
            return "none";
        }
        Object v = f.defaultVal();
        return v == Schema.Field.NULL_DEFAULT_VALUE || v == org.apache.avro.JsonProperties.NULL_VALUE ? "null" : String.valueOf(v);
    }

    private static String label(String path) {
        return path.isEmpty() ? "(root)" : path;
    }

    private static String quote(String s) {
        return s == null ? "none" : "\"" + s + "\"";
    }
}
