package io.kaveri.connect.postgres.bench;

import java.util.Map;

import io.kaveri.stack.PostgresServer;
import io.kaveri.test.CdcConnectorConfig;

/**
 * The two connectors under comparison, each with its documented configuration for the same job and nothing tuned:
 * the same database, table, converters (JSON without schemas) and one task. Both run in a worker with exactly-once
 * source support, so all write through transactional producers: Kaveri with whole database transactions per Kafka
 * transaction (its default, grouped or one each), Debezium with the worker's default of one per poll. They run in
 * this order in the first round, so that the worker's own code is warmer for Debezium than for Kaveri.
 */
enum Contender {

    /** The default: whole database transactions already polled together share one Kafka transaction. */
    KAVERI("Kaveri, grouped", CdcConnectorConfig.CONNECTOR_CLASS) {
        @Override
        void specific(CdcConnectorConfig c, boolean snapshot) {
            connectorBoundaries(c, snapshot, "drain");
        }
    },

    DEBEZIUM("Debezium", "io.debezium.connector.postgresql.PostgresConnector") {
        @Override
        void specific(CdcConnectorConfig c, boolean snapshot) {
            c.with("plugin.name", "pgoutput").with("snapshot.mode", snapshot ? "initial" : "no_data");
        }
    },

    /** Strictly one Kafka transaction per database transaction. */
    KAVERI_STRICT("Kaveri, 1:1", CdcConnectorConfig.CONNECTOR_CLASS) {
        @Override
        void specific(CdcConnectorConfig c, boolean snapshot) {
            connectorBoundaries(c, snapshot, "none");
        }
    },

    /**
     * Kaveri with the worker's transaction boundaries, as Debezium runs: a Kafka transaction per poll, which may split a
     * database transaction. Not a way to run Kaveri; it tells what one Kafka transaction per database transaction costs.
     */
    KAVERI_POLL("Kaveri, poll transactions", CdcConnectorConfig.CONNECTOR_CLASS) {
        @Override
        void specific(CdcConnectorConfig c, boolean snapshot) {
            c.with("snapshot.mode", snapshot ? "initial" : "never");
        }
    };

    final String label;
    final String connectorClass;

    Contender(String label, String connectorClass) {
        this.label = label;
        this.connectorClass = connectorClass;
    }

    abstract void specific(CdcConnectorConfig config, boolean snapshot);

    private static void connectorBoundaries(CdcConnectorConfig c, boolean snapshot, String grouping) {
        c.with("snapshot.mode", snapshot ? "initial" : "never").connectorTransactions().with("transaction.grouping", grouping);
    }

    /**
     * A connector that captures {@code table} into {@code <prefix>.public.<table>} through slot and publication
     * {@code prefix}; with {@code snapshot} it first reads the table, else it streams from the slot's position.
     */
    Map<String, String> config(PostgresServer pg, String prefix, String table, boolean snapshot) {
        CdcConnectorConfig c = CdcConnectorConfig.forDatabase(pg, prefix, "public\\." + table).connectorClass(connectorClass)
                .jsonWithoutSchemas();
        specific(c, snapshot);
        return c.build();
    }
}
