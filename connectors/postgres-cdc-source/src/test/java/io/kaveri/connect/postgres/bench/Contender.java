package io.kaveri.connect.postgres.bench;

import java.util.HashMap;
import java.util.Map;

import io.kaveri.stack.PostgresServer;

/**
 * The two connectors under comparison, each with its documented configuration for the same job and nothing tuned:
 * the same database, table, converters (JSON without schemas) and one task. Both run in a worker with exactly-once
 * source support, so all write through transactional producers: Kaveri with whole database transactions per Kafka
 * transaction (its default, grouped or one each), Debezium with the worker's default of one per poll. They run in
 * this order in the first round, so that the worker's own code is warmer for Debezium than for Kaveri.
 */
enum Contender {

    /** The default: whole database transactions already polled together share one Kafka transaction. */
    KAVERI("Kaveri, grouped", "io.kaveri.connect.postgres.PostgresCdcSourceConnector") {
        @Override
        void specific(Map<String, String> c, boolean snapshot) {
            connectorBoundaries(c, snapshot, "drain");
        }
    },

    DEBEZIUM("Debezium", "io.debezium.connector.postgresql.PostgresConnector") {
        @Override
        void specific(Map<String, String> c, boolean snapshot) {
            c.put("plugin.name", "pgoutput");
            c.put("snapshot.mode", snapshot ? "initial" : "no_data");
        }
    },

    /** Strictly one Kafka transaction per database transaction. */
    KAVERI_STRICT("Kaveri, 1:1", "io.kaveri.connect.postgres.PostgresCdcSourceConnector") {
        @Override
        void specific(Map<String, String> c, boolean snapshot) {
            connectorBoundaries(c, snapshot, "none");
        }
    },

    /**
     * Kaveri with the worker's transaction boundaries, as Debezium runs: a Kafka transaction per poll, which may split a
     * database transaction. Not a way to run Kaveri; it tells what one Kafka transaction per database transaction costs.
     */
    KAVERI_POLL("Kaveri, poll transactions", "io.kaveri.connect.postgres.PostgresCdcSourceConnector") {
        @Override
        void specific(Map<String, String> c, boolean snapshot) {
            c.put("snapshot.mode", snapshot ? "initial" : "never");
        }
    };

    final String label;
    final String connectorClass;

    Contender(String label, String connectorClass) {
        this.label = label;
        this.connectorClass = connectorClass;
    }

    abstract void specific(Map<String, String> config, boolean snapshot);

    private static void connectorBoundaries(Map<String, String> c, boolean snapshot, String grouping) {
        c.put("snapshot.mode", snapshot ? "initial" : "never");
        c.put("transaction.boundary", "connector");
        c.put("exactly.once.support", "required");
        c.put("transaction.grouping", grouping);
    }

    /**
     * A connector that captures {@code table} into {@code <prefix>.public.<table>} through slot and publication
     * {@code prefix}; with {@code snapshot} it first reads the table, else it streams from the slot's position.
     */
    Map<String, String> config(PostgresServer pg, String prefix, String table, boolean snapshot) {
        Map<String, String> c = new HashMap<>();
        c.put("connector.class", connectorClass);
        c.put("tasks.max", "1");
        c.put("database.hostname", pg.host());
        c.put("database.port", String.valueOf(pg.port()));
        c.put("database.dbname", pg.database());
        c.put("database.user", pg.user());
        c.put("database.password", pg.password());
        c.put("topic.prefix", prefix);
        c.put("slot.name", prefix);
        c.put("publication.name", prefix);
        c.put("publication.autocreate.mode", "filtered");
        c.put("table.include.list", "public\\." + table);
        c.put("key.converter", "org.apache.kafka.connect.json.JsonConverter");
        c.put("key.converter.schemas.enable", "false");
        c.put("value.converter", "org.apache.kafka.connect.json.JsonConverter");
        c.put("value.converter.schemas.enable", "false");
        specific(c, snapshot);
        return c;
    }
}
