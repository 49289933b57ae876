package io.kaveri.connect.postgres.bench;

import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.LongSupplier;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Reads a one-partition change topic as a {@code read_committed} consumer does and keeps only figures: records, the
 * envelope's {@code op} counts, the first and last log-append time, and (when asked) each change's commit-to-Kafka
 * latency: the time this consumer got it minus {@code source.ts_ms}, the commit time PostgreSQL wrote in the WAL
 * (one clock: the database, the broker and this JVM share the machine).
 */
final class TopicTally implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration HEALTH_EVERY = Duration.ofSeconds(3);
    private static final byte[] OP = "\"op\":\"".getBytes(StandardCharsets.US_ASCII);

    private final String topic;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final long latencyFromMs;
    private long records;
    private final long[] ops = new long[128];
    private long firstAppendMs = Long.MAX_VALUE;
    private long lastAppendMs = Long.MIN_VALUE;
    private long[] latencies = new long[1024];
    private int latencyCount;

    /** Counts only; the envelope is not parsed (a byte scan finds {@code op}), so the reader costs little CPU. */
    static TopicTally counting(String bootstrapServers, String topic) {
        return new TopicTally(bootstrapServers, topic, Long.MAX_VALUE);
    }

    /** Also records the latency of every change committed at or after {@code fromMs}. */
    static TopicTally timing(String bootstrapServers, String topic, long fromMs) {
        return new TopicTally(bootstrapServers, topic, fromMs);
    }

    private TopicTally(String bootstrapServers, String topic, long latencyFromMs) {
        this.topic = topic;
        this.latencyFromMs = latencyFromMs;
        this.consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.GROUP_ID_CONFIG, "bench-" + UUID.randomUUID(),
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 10_000), new ByteArrayDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> partitions = List.of(new TopicPartition(topic, 0));
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
    }

    /**
     * Reads until {@code expected} records have arrived (the supplier may raise its answer while this runs, from
     * another thread), for at most {@code timeout}; {@code health} runs every few seconds and throws to stop early.
     */
    TopicTally awaitRecords(LongSupplier expected, Duration timeout, Runnable health) {
        long[] nextCheck = {System.nanoTime()};
        await("records in " + topic).atMost(timeout).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(20))
                .until(() -> {
                    poll();
                    if (System.nanoTime() >= nextCheck[0]) {
                        health.run();
                        nextCheck[0] = System.nanoTime() + HEALTH_EVERY.toNanos();
                    }
                    return records >= expected.getAsLong();
                });
        return this;
    }

    private void poll() {
        ConsumerRecords<byte[], byte[]> batch = consumer.poll(Duration.ofMillis(200));
        // Readable means returned to a read_committed consumer: later than the append, by the transaction's commit.
        long readAtMs = System.currentTimeMillis();
        for (ConsumerRecord<byte[], byte[]> r : batch) {
            if (r.timestampType() != TimestampType.LOG_APPEND_TIME) {
                throw new IllegalStateException(topic + " has " + r.timestampType() + " timestamps: the benchmark measures "
                        + "log-append time, so it creates its topics with message.timestamp.type=LogAppendTime");
            }
            records++;
            firstAppendMs = Math.min(firstAppendMs, r.timestamp());
            lastAppendMs = Math.max(lastAppendMs, r.timestamp());
            if (r.value() == null) {
                ops['-']++;
                continue;
            }
            if (latencyFromMs == Long.MAX_VALUE) {
                ops[op(r)]++;
            } else {
                JsonNode value = read(r);
                ops[value.path("op").asText("?").charAt(0) & 127]++;
                long committed = value.path("source").path("ts_ms").asLong(Long.MIN_VALUE);
                if (committed >= latencyFromMs) {
                    if (latencyCount == latencies.length) {
                        latencies = Arrays.copyOf(latencies, latencyCount * 2);
                    }
                    latencies[latencyCount++] = readAtMs - committed;
                }
            }
        }
    }

    /** The envelope's {@code op}, found from the end of the value where both connectors write it. */
    private char op(ConsumerRecord<byte[], byte[]> r) {
        byte[] v = r.value();
        for (int i = v.length - OP.length - 1; i >= 0; i--) {
            if (v[i] == '"' && Arrays.equals(v, i, i + OP.length, OP, 0, OP.length)) {
                return (char) (v[i + OP.length] & 127);
            }
        }
        throw new IllegalStateException("a record at offset " + r.offset() + " of " + topic + " has no \"op\" field: "
                + new String(v, 0, Math.min(v.length, 300), StandardCharsets.UTF_8));
    }

    private JsonNode read(ConsumerRecord<byte[], byte[]> r) {
        try {
            return JSON.readTree(r.value());
        } catch (java.io.IOException e) {
            throw new IllegalStateException("a record at offset " + r.offset() + " of " + topic + " is not JSON", e);
        }
    }

    long records() {
        return records;
    }

    /** How many records had {@code op}; {@code '-'} counts tombstones. */
    long ops(char op) {
        return ops[op];
    }

    long firstAppendMs() {
        return firstAppendMs;
    }

    long lastAppendMs() {
        return lastAppendMs;
    }

    /** The {@code q} quantile (0..1) of the recorded latencies, in ms. */
    long latencyQuantile(double q) {
        if (latencyCount == 0) {
            throw new IllegalStateException("no latency recorded in " + topic);
        }
        long[] sorted = Arrays.copyOf(latencies, latencyCount);
        Arrays.sort(sorted);
        return sorted[Math.max(0, Math.min(latencyCount - 1, (int) Math.ceil(q * latencyCount) - 1))];
    }

    int latencyCount() {
        return latencyCount;
    }

    @Override
    public void close() {
        consumer.close();
    }
}
