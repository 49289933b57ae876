package io.kaveri.connect.postgres;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import java.lang.management.ManagementFactory;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/** The task's counters, written by the reader and read over JMX. */
final class CdcMetrics implements CdcMetricsMXBean {

    private static final Logger log = LoggerFactory.getLogger(CdcMetrics.class);

    final AtomicLong events = new AtomicLong();
    final AtomicLong transactions = new AtomicLong();
    final AtomicLong kafkaTransactions = new AtomicLong();
    final AtomicLong snapshotRows = new AtomicLong();
    final AtomicLong millisBehind = new AtomicLong(-1);
    final AtomicLong slotRetainedWal = new AtomicLong(-1);
    final AtomicReference<Lsn> lastReceived = new AtomicReference<>(Lsn.INVALID);
    final AtomicReference<Lsn> lastFlushed = new AtomicReference<>(Lsn.INVALID);
    volatile boolean snapshotRunning;
    volatile int snapshotTablesTotal;
    volatile int snapshotTablesCompleted;
    volatile long snapshotStartNanos;
    private final long startNanos = System.nanoTime();
    private final ChangeQueue queue;
    private ObjectName name;

    CdcMetrics(ChangeQueue queue) {
        this.queue = queue;
    }

    void register(String connector, String task) {
        try {
            name = new ObjectName("kaveri.connect.postgres:type=cdc,connector=" + ObjectName.quote(connector) + ",task=" + task);
            MBeanServer server = ManagementFactory.getPlatformMBeanServer();
            if (server.isRegistered(name)) {
                server.unregisterMBean(name);
            }
            server.registerMBean(this, name);
        } catch (JMException e) {
            log.warn("metrics not registered connector={} error={}", connector, e.toString());
            name = null;
        }
    }

    void unregister() {
        if (name != null) {
            try {
                ManagementFactory.getPlatformMBeanServer().unregisterMBean(name);
            } catch (JMException e) {
                log.debug("metrics unregister name={} error={}", name, e.toString());
            }
        }
    }

    @Override
    public long getEventsTotal() {
        return events.get();
    }

    @Override
    public long getTransactionsTotal() {
        return transactions.get();
    }

    @Override
    public long getKafkaTransactionsTotal() {
        return kafkaTransactions.get();
    }

    @Override
    public double getEventsPerSecond() {
        return perSecond(events.get(), startNanos);
    }

    @Override
    public boolean isSnapshotRunning() {
        return snapshotRunning;
    }

    @Override
    public long getSnapshotRowsTotal() {
        return snapshotRows.get();
    }

    @Override
    public int getSnapshotTablesTotal() {
        return snapshotTablesTotal;
    }

    @Override
    public int getSnapshotTablesCompleted() {
        return snapshotTablesCompleted;
    }

    @Override
    public double getSnapshotRowsPerSecond() {
        return snapshotStartNanos == 0 ? 0 : perSecond(snapshotRows.get(), snapshotStartNanos);
    }

    @Override
    public String getLastReceivedLsn() {
        return lastReceived.get().toString();
    }

    @Override
    public String getLastFlushedLsn() {
        return lastFlushed.get().toString();
    }

    @Override
    public long getLagBytes() {
        return Math.max(0, lastReceived.get().bytesSince(lastFlushed.get()));
    }

    @Override
    public long getMillisBehindSource() {
        return millisBehind.get();
    }

    @Override
    public long getSlotRetainedWalBytes() {
        return slotRetainedWal.get();
    }

    @Override
    public int getQueueSize() {
        return queue.size();
    }

    @Override
    public long getQueueBytes() {
        return queue.bytes();
    }

    private static double perSecond(long count, long sinceNanos) {
        double seconds = (System.nanoTime() - sinceNanos) / 1e9;
        return seconds <= 0 ? 0 : count / seconds;
    }
}
