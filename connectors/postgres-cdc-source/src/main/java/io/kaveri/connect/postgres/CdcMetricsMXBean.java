package io.kaveri.connect.postgres;

/**
 * The task's JMX attributes, under {@code kaveri.connect.postgres:type=cdc,connector=<topic.prefix>,task=<id>}.
 */
public interface CdcMetricsMXBean {

    long getEventsTotal();

    long getTransactionsTotal();

    /** Kafka transactions the connector ended (0 when the worker defines the boundaries); see transaction.grouping. */
    long getKafkaTransactionsTotal();

    double getEventsPerSecond();

    boolean isSnapshotRunning();

    long getSnapshotRowsTotal();

    int getSnapshotTablesTotal();

    int getSnapshotTablesCompleted();

    double getSnapshotRowsPerSecond();

    String getLastReceivedLsn();

    String getLastFlushedLsn();

    /** WAL bytes between the last position received from the server and the last one confirmed to the slot. */
    long getLagBytes();

    /** Milliseconds between the commit of the last emitted transaction and its hand-over to Kafka. */
    long getMillisBehindSource();

    /** WAL bytes the slot keeps from being recycled ({@code pg_current_wal_lsn() - restart_lsn}). */
    long getSlotRetainedWalBytes();

    int getQueueSize();

    long getQueueBytes();
}
