package io.kaveri.schemas.registry;

import java.util.Objects;

/**
 * A reference from one schema to a named type registered under another subject, as in Confluent's
 * {@code references} list: {@code name} is the referenced type's full name, {@code subject} and
 * {@code version} say where it is registered.
 */
public record SchemaReference(String name, String subject, int version) {
    public SchemaReference {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(subject, "subject");
    }
}
