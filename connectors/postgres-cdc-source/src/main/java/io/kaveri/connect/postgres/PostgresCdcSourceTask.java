package io.kaveri.connect.postgres;

import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.source.SourceTask;
import org.apache.kafka.connect.source.TransactionContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Streams one replication slot. A reader thread fills a bounded queue; {@code poll()} drains it and, when the worker
 * lets the connector define transaction boundaries, ends Kafka transactions only at records that end a PostgreSQL
 * transaction: at each of them, or, under {@code transaction.grouping=drain}, at the last of a run of whole ones
 * already polled together ({@link TransactionGroups}). The slot is confirmed only up to transactions that Kafka has
 * durably: records acknowledged ({@link #commitRecord}) become confirmable at the next {@link #commit()}, which the
 * worker calls after it committed the offsets (with exactly-once: after the Kafka transaction committed).
 */
public final class PostgresCdcSourceTask extends SourceTask {

    private static final Logger log = LoggerFactory.getLogger(PostgresCdcSourceTask.class);

    private PostgresCdcSourceConfig config;
    private ChangeQueue queue;
    private CdcMetrics metrics;
    private ReplicationReader reader;
    private TransactionContext transactions;
    private TransactionGroups groups;
    private final AtomicReference<Lsn> acknowledged = new AtomicReference<>(Lsn.INVALID);

    @Override
    public String version() {
        return EventFactory.version();
    }

    @Override
    public void start(Map<String, String> props) {
        config = new PostgresCdcSourceConfig(props);
        Map<String, Object> offset = context.offsetStorageReader().offset(SourcePosition.partition(config.topicPrefix()));
        SourcePosition stored = SourcePosition.fromOffset(offset);
        transactions = context.transactionContext();
        groups = config.transactionGroups();
        queue = new ChangeQueue(config.maxQueueSize(), config.maxQueueBytes());
        metrics = new CdcMetrics(queue);
        metrics.register(config.topicPrefix(), props.getOrDefault(PostgresCdcSourceConnector.TASK_ID, "0"));
        log.info("task starting prefix={} slot={} position={} transactionBoundaries={} grouping={}", config.topicPrefix(),
                config.slotName(), stored, transactions != null ? "connector" : "worker",
                config.getString(PostgresCdcSourceConfig.TRANSACTION_GROUPING_CONFIG));
        reader = new ReplicationReader(config, offset, queue, metrics, Clock.systemUTC());
        reader.start();
    }

    @Override
    public List<SourceRecord> poll() throws InterruptedException {
        RuntimeException fatal = reader.fatal();
        if (fatal != null && queue.size() == 0) {
            throw fatal instanceof ConnectException c ? c : new ConnectException(fatal);
        }
        var failure = reader.takeTransientFailure();
        if (failure != null) {
            throw failure;
        }
        List<Emission> batch = queue.poll(config.maxBatchSize(), config.pollIntervalMs());
        if (batch.isEmpty()) {
            return null;
        }
        List<SourceRecord> records = groups.hand(batch, transactions);
        if (transactions != null) {
            metrics.kafkaTransactions.set(groups.commits());
        }
        return records;
    }

    @Override
    public void commitRecord(SourceRecord record, RecordMetadata metadata) {
        Object end = record.sourceOffset().get(SourcePosition.LSN_END);
        if (Boolean.TRUE.equals(record.sourceOffset().get(SourcePosition.TX_COMPLETE)) && end instanceof Number n) {
            acknowledged.accumulateAndGet(Lsn.of(n.longValue()), Lsn::max);
        }
    }

    @Override
    public void commit() {
        if (reader != null) {
            reader.confirm(acknowledged.get());
        }
    }

    @Override
    public void stop() {
        if (reader != null) {
            reader.stop(10_000);
        }
        if (metrics != null) {
            metrics.unregister();
        }
        log.info("task stopped prefix={}", config == null ? null : config.topicPrefix());
    }
}
