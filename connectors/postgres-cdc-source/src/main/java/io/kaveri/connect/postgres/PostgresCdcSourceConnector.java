package io.kaveri.connect.postgres;

import org.apache.kafka.common.config.Config;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigValue;
import org.apache.kafka.connect.connector.Task;
import org.apache.kafka.connect.source.ConnectorTransactionBoundaries;
import org.apache.kafka.connect.source.ExactlyOnceSupport;
import org.apache.kafka.connect.source.SourceConnector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * PostgreSQL change data capture over logical replication ({@code pgoutput}).
 *
 * <p>One task: a replication slot is one ordered stream of the database's commits, and exactly-once per
 * transaction needs one producer to follow that order. The initial snapshot could be split across tasks by table,
 * but it must run inside the slot's exported snapshot, which belongs to one connection; keeping it in the one task
 * keeps the hand-off from snapshot to stream exact.
 *
 * <p>With {@code exactly.once.source.support=enabled} on the worker and {@code transaction.boundary=connector} on
 * the connector, each PostgreSQL transaction becomes exactly one Kafka transaction. Without it (at-least-once),
 * records of one database transaction may be split across Kafka batches and, after a crash, a transaction may be
 * delivered again; the slot is still never confirmed before Kafka has the data, so nothing is lost.
 */
public final class PostgresCdcSourceConnector extends SourceConnector {

    private static final Logger log = LoggerFactory.getLogger(PostgresCdcSourceConnector.class);
    static final String TASK_ID = "kaveri.task.id";

    private Map<String, String> props;

    @Override
    public String version() {
        return EventFactory.version();
    }

    @Override
    public void start(Map<String, String> props) {
        PostgresCdcSourceConfig config = new PostgresCdcSourceConfig(props);
        this.props = Map.copyOf(props);
        log.info("connector starting prefix={} host={} db={} slot={}", config.topicPrefix(), config.hostname(),
                config.database(), config.slotName());
    }

    @Override
    public Class<? extends Task> taskClass() {
        return PostgresCdcSourceTask.class;
    }

    @Override
    public List<Map<String, String>> taskConfigs(int maxTasks) {
        Map<String, String> task = new HashMap<>(props);
        task.put(TASK_ID, "0");
        return List.of(task);
    }

    @Override
    public void stop() {
        // The task owns the connections; the connector holds nothing to release.
    }

    @Override
    public ConfigDef config() {
        return PostgresCdcSourceConfig.CONFIG_DEF;
    }

    @Override
    public ExactlyOnceSupport exactlyOnceSupport(Map<String, String> connectorConfig) {
        return ExactlyOnceSupport.SUPPORTED;
    }

    @Override
    public ConnectorTransactionBoundaries canDefineTransactionBoundaries(Map<String, String> connectorConfig) {
        return ConnectorTransactionBoundaries.SUPPORTED;
    }

    /** Besides the keys' own checks, checks the database: see {@link Preflight}. */
    @Override
    public Config validate(Map<String, String> connectorConfigs) {
        Config config = super.validate(connectorConfigs);
        boolean keysValid = config.configValues().stream().allMatch(v -> v.errorMessages().isEmpty());
        if (keysValid) {
            Map<String, ConfigValue> byName = new HashMap<>();
            config.configValues().forEach(v -> byName.put(v.name(), v));
            new Preflight(new PostgresCdcSourceConfig(connectorConfigs)).check(byName);
        }
        return config;
    }
}
