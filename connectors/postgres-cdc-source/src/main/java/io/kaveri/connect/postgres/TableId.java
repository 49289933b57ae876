package io.kaveri.connect.postgres;

/** A table by schema and name; {@code schema.table} is what include/exclude patterns match and topics end with. */
record TableId(String schema, String table) {

    @Override
    public String toString() {
        return schema + "." + table;
    }

    /** {@code "schema"."table"}, quoted for SQL. */
    String quoted() {
        return quote(schema) + "." + quote(table);
    }

    static String quote(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }
}
