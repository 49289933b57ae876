package io.kaveri.connect.postgres;

import java.util.List;

/**
 * What the connector needs to know of a PostgreSQL type beyond its OID: enums (their labels), domains (their base
 * type) and arrays (their element type) of user-defined types, read from {@code pg_type}.
 *
 * @param kind    {@code b} base, {@code e} enum, {@code d} domain, {@code a} array (from {@code typcategory = 'A'})
 * @param related the element type of an array, the base type of a domain, else 0
 */
record PgType(int oid, String namespace, String name, char kind, int related, List<String> enumLabels) {

    PgType {
        enumLabels = List.copyOf(enumLabels);
    }

    /** The text of {@code namespace.name}, for messages. */
    String qualifiedName() {
        return namespace + "." + name;
    }
}
