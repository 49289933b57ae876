package io.kaveri.schemas.registry;

import java.util.List;
import java.util.Objects;
import org.apache.avro.Schema;

/**
 * One version of a subject as the registry keeps it.
 *
 * @param subject the subject
 * @param version the version under the subject (1, 2, ...)
 * @param id the registry-wide schema id written in every record's header
 * @param schemaString the schema text as registered (with references unresolved)
 * @param schema the parsed Avro schema, with referenced types resolved
 * @param references the named types this schema takes from other subjects
 */
public record RegisteredSchema(String subject, int version, int id, String schemaString, Schema schema,
                               List<SchemaReference> references) {

    public RegisteredSchema {
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(schemaString, "schemaString");
        Objects.requireNonNull(schema, "schema");
        references = List.copyOf(references);
    }

    /** What is sent to register this version again. */
    public Content content() {
        return new Content(schemaString, references);
    }

    /**
     * A schema as sent to the registry: its text and the references it needs resolved.
     *
     * @param schema the Avro schema as JSON text
     * @param references named types taken from other subjects, empty when none
     */
    public record Content(String schema, List<SchemaReference> references) {
        public Content {
            Objects.requireNonNull(schema, "schema");
            references = List.copyOf(references);
        }

        public static Content of(Schema schema) {
            return new Content(schema.toString(), List.of());
        }
    }
}
