package io.kaveri.test;

import io.kaveri.stack.LocalStack;
import io.kaveri.stack.PostgresServer;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The configuration of a PostgreSQL CDC connector on the stack's database, for integration tests and benchmarks:
 * one task, one name for the topic prefix, replication slot and publication (created for the captured tables only),
 * so that a test's unique name keeps its slot, publication and topics apart from every other test's.
 *
 * <pre>{@code
 * Map<String, String> config = CdcConnectorConfig.forStack(stack, run, run + "\\.follows")
 *         .avro(stack.registryUrl()).with("heartbeat.interval.ms", "500").build();
 * }</pre>
 *
 * <p>Keys are spelled here as strings: test-support sits below the connector in the build, and a test of a stock
 * worker must not have the connector's classes on its classpath.
 */
public final class CdcConnectorConfig {

    /** Kaveri's PostgreSQL CDC source connector. */
    public static final String CONNECTOR_CLASS = "io.kaveri.connect.postgres.PostgresCdcSourceConnector";

    private static final String AVRO_CONVERTER = "io.kaveri.schemas.connect.AvroConverter";
    private static final String JSON_CONVERTER = "org.apache.kafka.connect.json.JsonConverter";

    private final Map<String, String> config = new LinkedHashMap<>();

    private CdcConnectorConfig() {
    }

    /** {@link #forDatabase} on the stack's PostgreSQL. */
    public static CdcConnectorConfig forStack(LocalStack stack, String name, String tableRegex) {
        return forDatabase(stack.postgres(), name, tableRegex);
    }

    /**
     * Captures the tables matching {@code tableRegex} ({@code schema\.table}, a regular expression) into topics
     * {@code <name>.<schema>.<table>}, through slot and publication {@code name}. Converters are the worker's until
     * {@link #avro} or {@link #jsonWithoutSchemas} is called.
     */
    public static CdcConnectorConfig forDatabase(PostgresServer pg, String name, String tableRegex) {
        return new CdcConnectorConfig()
                .with("connector.class", CONNECTOR_CLASS)
                .with("tasks.max", "1")
                .with("database.hostname", pg.host())
                .with("database.port", Integer.toString(pg.port()))
                .with("database.dbname", pg.database())
                .with("database.user", pg.user())
                .with("database.password", pg.password())
                .with("topic.prefix", name)
                .with("slot.name", name)
                .with("publication.name", name)
                .with("publication.autocreate.mode", "filtered")
                .with("table.include.list", tableRegex);
    }

    /** Another connector class taking the same keys (Debezium's PostgreSQL connector, in the benchmark). */
    public CdcConnectorConfig connectorClass(String className) {
        return with("connector.class", className);
    }

    /** Keys and values in Avro through Kaveri's converter and the registry at {@code registryUrl}. */
    public CdcConnectorConfig avro(String registryUrl) {
        return with("key.converter", AVRO_CONVERTER)
                .with("key.converter.schema.registry.url", registryUrl)
                .with("value.converter", AVRO_CONVERTER)
                .with("value.converter.schema.registry.url", registryUrl);
    }

    /** Keys and values as plain JSON, without Connect's schema envelope: what a test reads with Jackson. */
    public CdcConnectorConfig jsonWithoutSchemas() {
        return with("key.converter", JSON_CONVERTER)
                .with("key.converter.schemas.enable", "false")
                .with("value.converter", JSON_CONVERTER)
                .with("value.converter.schemas.enable", "false");
    }

    /** The connector defines the Kafka transactions, and the worker must give it exactly-once delivery. */
    public CdcConnectorConfig connectorTransactions() {
        return with("transaction.boundary", "connector").with("exactly.once.support", "required");
    }

    /** Sets one key, replacing any value it had. */
    public CdcConnectorConfig with(String key, String value) {
        config.put(key, value);
        return this;
    }

    /** The configuration so far, as a new map the caller may change. */
    public Map<String, String> build() {
        return new LinkedHashMap<>(config);
    }
}
