package io.kaveri.streams.runtime;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.apache.kafka.streams.processor.StateRestoreListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Runs one streams app: builds its topology, starts Kafka Streams with the runtime's defaults, logs state
 * changes and restore progress, replaces a stream thread that dies of an unexpected error instead of stopping
 * the app, and closes cleanly (committing, leaving the group) within a bound.
 */
public final class StreamsAppRunner implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(StreamsAppRunner.class);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(15);

    private final String app;
    private final KafkaStreams streams;
    private final CountDownLatch running = new CountDownLatch(1);

    private StreamsAppRunner(String app, Topology topology, StreamsAppConfig config) {
        this.app = app;
        this.streams = new KafkaStreams(topology, config.streamsProperties());
        streams.setStateListener((now, before) -> {
            log.info("streams state app={} from={} to={}", app, before, now);
            if (now == KafkaStreams.State.RUNNING) {
                running.countDown();
            }
        });
        streams.setUncaughtExceptionHandler(e -> {
            log.error("stream thread died app={} error={}; replacing the thread", app, e.toString(), e);
            return StreamThreadExceptionResponse.REPLACE_THREAD;
        });
        streams.setGlobalStateRestoreListener(new RestoreLog(app));
    }

    /** Builds and starts {@code app}; returns at once (see {@link #awaitRunning}). */
    public static StreamsAppRunner start(StreamsApp app, StreamsAppConfig config) {
        StreamsAppRunner runner = new StreamsAppRunner(app.name(), app.build(config), config);
        log.info("starting app={} application.id={} bootstrap.servers={}", app.name(), config.applicationId(),
                config.getList(StreamsAppConfig.BOOTSTRAP_SERVERS_CONFIG));
        runner.streams.start();
        return runner;
    }

    /** Waits until the app has joined its group and restored its stores. */
    public boolean awaitRunning(Duration timeout) throws InterruptedException {
        return running.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** For interactive queries and metrics. */
    public KafkaStreams streams() {
        return streams;
    }

    @Override
    public void close() {
        boolean clean = streams.close(CLOSE_TIMEOUT);
        log.info("stopped app={} clean={}", app, clean);
    }

    /** One line when a store starts restoring, every batch at DEBUG, and one line with the rate when it is done. */
    private static final class RestoreLog implements StateRestoreListener {
        private final String app;
        private final java.util.Map<TopicPartition, Long> startedAt = new java.util.concurrent.ConcurrentHashMap<>();

        RestoreLog(String app) {
            this.app = app;
        }

        @Override
        public void onRestoreStart(TopicPartition partition, String store, long startOffset, long endOffset) {
            startedAt.put(partition, System.nanoTime());
            log.info("restore start app={} store={} changelog={} records={}", app, store, partition, endOffset - startOffset);
        }

        @Override
        public void onBatchRestored(TopicPartition partition, String store, long batchEndOffset, long numRestored) {
            log.debug("restore batch app={} store={} changelog={} offset={} records={}", app, store, partition, batchEndOffset, numRestored);
        }

        @Override
        public void onRestoreEnd(TopicPartition partition, String store, long totalRestored) {
            Long t0 = startedAt.remove(partition);
            double seconds = t0 == null ? 0 : (System.nanoTime() - t0) / 1e9;
            log.info("restore end app={} store={} changelog={} records={} seconds={} records_per_s={}", app, store, partition,
                    totalRestored, String.format(java.util.Locale.ROOT, "%.3f", seconds),
                    seconds > 0 ? Math.round(totalRestored / seconds) : totalRestored);
        }
    }
}
