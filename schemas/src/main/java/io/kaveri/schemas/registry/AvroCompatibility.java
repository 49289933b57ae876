package io.kaveri.schemas.registry;

import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.Incompatibility;

/**
 * The registry's compatibility modes on Avro's own checker, with messages that name the breaking field
 * (e.g. {@code field:'email'}), as the in-memory registry and the serializer's {@code use.latest.version}
 * check report them.
 */
public final class AvroCompatibility {

    private AvroCompatibility() {
    }

    /** Whether data written with {@code writer} can be read with {@code reader}; one message per problem. */
    public static List<String> canRead(Schema reader, Schema writer) {
        List<String> messages = new ArrayList<>();
        describe(reader, writer, "the reader schema cannot read data written with the writer schema", messages);
        return messages;
    }

    /**
     * Checks a candidate against the previous versions (oldest first) under a compatibility mode; returns
     * one message per incompatibility, naming the field, empty when compatible.
     */
    public static List<String> incompatibilities(String level, Schema candidate, List<Schema> previous) {
        if ("NONE".equals(level) || previous.isEmpty()) {
            return List.of();
        }
        List<Schema> against = level.endsWith("_TRANSITIVE") ? previous : List.of(previous.get(previous.size() - 1));
        boolean backward = level.startsWith("BACKWARD") || level.startsWith("FULL");
        boolean forward = level.startsWith("FORWARD") || level.startsWith("FULL");
        List<String> messages = new ArrayList<>();
        for (Schema old : against) {
            if (backward) {
                describe(candidate, old, "the new schema cannot read data written with an old one", messages);
            }
            if (forward) {
                describe(old, candidate, "an old schema cannot read data written with the new one", messages);
            }
        }
        return messages;
    }

    private static void describe(Schema reader, Schema writer, String direction, List<String> messages) {
        for (Incompatibility incompatibility : SchemaCompatibility.checkReaderWriterCompatibility(reader, writer)
                .getResult().getIncompatibilities()) {
            String location = incompatibility.getLocation();
            messages.add("{errorType:'" + incompatibility.getType() + "', field:'" + fieldAt(reader, location)
                    + "', path:'" + location + "', description:'" + direction + ": " + incompatibility.getMessage()
                    + "'}");
        }
    }

    /** The dotted field name that an Avro compatibility location such as /fields/2/type/fields/0 points at. */
    static String fieldAt(Schema schema, String location) {
        List<String> names = new ArrayList<>();
        Schema current = schema;
        String[] steps = location == null ? new String[0] : location.split("/");
        try {
            for (int i = 0; i < steps.length; i++) {
                String step = steps[i];
                if ("fields".equals(step) && i + 1 < steps.length && current.getType() == Schema.Type.RECORD) {
                    Schema.Field field = current.getFields().get(Integer.parseInt(steps[++i]));
                    names.add(field.name());
                    current = field.schema();
                } else if ("items".equals(step) && current.getType() == Schema.Type.ARRAY) {
                    current = current.getElementType();
                } else if ("values".equals(step) && current.getType() == Schema.Type.MAP) {
                    current = current.getValueType();
                } else if (step.matches("\\d+") && current.getType() == Schema.Type.UNION) {
                    current = current.getTypes().get(Integer.parseInt(step));
                }
            }
        } catch (RuntimeException e) {
            // A location Avro describes differently from what is walked here: the path still says where.
        }
        return names.isEmpty() ? "(" + schema.getFullName() + ")" : String.join(".", names);
    }
}
