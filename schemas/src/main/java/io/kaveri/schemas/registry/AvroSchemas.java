package io.kaveri.schemas.registry;

import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;
import org.apache.avro.Schema;

/** Parsing of registered schemas, with the named types they reference. */
final class AvroSchemas {

    static final List<String> COMPATIBILITY_LEVELS = List.of("NONE", "BACKWARD", "BACKWARD_TRANSITIVE", "FORWARD",
            "FORWARD_TRANSITIVE", "FULL", "FULL_TRANSITIVE");

    private AvroSchemas() {
    }

    /**
     * Parses a schema after the named types it references, each fetched through the resolver.
     *
     * @throws InvalidSchemaException when the text or a referenced text is not a valid Avro schema
     */
    static Schema parse(RegisteredSchema.Content content, Function<SchemaReference, RegisteredSchema.Content> resolver) {
        Schema.Parser parser = new Schema.Parser();
        try {
            addReferences(parser, content.references(), resolver, new HashSet<>());
            return parser.parse(content.schema());
        } catch (SchemaRegistryException e) {
            throw e;
        } catch (RuntimeException e) {
            // Avro 1.12 reports an undefined type name as a NullPointerException about an "UnresolvedSchema".
            String detail = String.valueOf(e.getMessage());
            throw new InvalidSchemaException("Invalid Avro schema: " + (detail.contains("UnresolvedSchema")
                    ? "a type name is neither a primitive type nor defined before its use or in a reference" : detail));
        }
    }

    private static void addReferences(Schema.Parser parser, List<SchemaReference> references,
                                      Function<SchemaReference, RegisteredSchema.Content> resolver, Set<String> seen) {
        for (SchemaReference reference : references) {
            if (!seen.add(reference.subject() + '/' + reference.version())) {
                continue;
            }
            RegisteredSchema.Content referenced = resolver.apply(reference);
            addReferences(parser, referenced.references(), resolver, seen);
            if (!parser.getTypes().containsKey(reference.name())) {
                parser.parse(referenced.schema());
            }
        }
    }

    static String checkLevel(String level) {
        String upper = level == null ? "" : level.trim().toUpperCase(Locale.ROOT);
        if (!COMPATIBILITY_LEVELS.contains(upper)) {
            throw new SchemaRegistryException(422, 42203,
                    "Invalid compatibility level '" + level + "', expected one of " + COMPATIBILITY_LEVELS);
        }
        return upper;
    }
}
