package io.kaveri.streams.testkit;

import java.time.Instant;
import java.util.Objects;
import java.util.function.Consumer;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.test.TestRecord;

/**
 * An input topic of the driver. Every record carries an explicit event time, so a test says when
 * each record happened instead of relying on the driver's auto-advancing clock.
 */
public final class TestInput<K, V> {

    private final String topic;
    private final TestInputTopic<K, V> delegate;
    private final Consumer<TestInput<?, ?>> onTickRegistered;
    private TimedRecord<K, V> tick;

    TestInput(String topic, TestInputTopic<K, V> delegate, Consumer<TestInput<?, ?>> onTickRegistered) {
        this.topic = topic;
        this.delegate = delegate;
        this.onTickRegistered = onTickRegistered;
    }

    public String topic() {
        return topic;
    }

    public TestInput<K, V> pipe(K key, V value, long eventTimeMs) {
        delegate.pipeInput(key, value, eventTimeMs);
        return this;
    }

    public TestInput<K, V> pipe(K key, V value, Instant eventTime) {
        return pipe(key, value, eventTime.toEpochMilli());
    }

    public TestInput<K, V> pipe(K key, V value, Headers headers, long eventTimeMs) {
        delegate.pipeInput(new TestRecord<>(key, value, headers, eventTimeMs));
        return this;
    }

    public TestInput<K, V> pipe(TimedRecord<K, V> record) {
        return pipe(record.key(), record.value(), record.timestamp());
    }

    /** Pipes the records in the order given: that order is the arrival order. */
    public TestInput<K, V> pipeAll(Iterable<TimedRecord<K, V>> records) {
        for (TimedRecord<K, V> record : records) {
            pipe(record);
        }
        return this;
    }

    /**
     * The record this input pipes to move stream time forward. Stream time only advances when a
     * record arrives, so closing windows needs one; pick a key and value that pass the topology's
     * filters and that the test can tell apart in the output (see {@link TestOutput#withoutKeys}).
     */
    public TestInput<K, V> tickWith(K key, V value) {
        boolean first = tick == null;
        tick = TimedRecord.of(Objects.requireNonNull(key, "tick key"), value, 0L);
        if (first) {
            onTickRegistered.accept(this);
        }
        return this;
    }

    /** Pipes the tick record at {@code streamTime}, so every processor fed by this topic sees that time. */
    public TestInput<K, V> advanceStreamTimeTo(Instant streamTime) {
        if (tick == null) {
            throw new IllegalStateException("input topic " + topic
                    + " has no tick record: call tickWith(key, value) before advancing its stream time");
        }
        return pipe(tick.key(), tick.value(), streamTime.toEpochMilli());
    }

    boolean hasTick() {
        return tick != null;
    }
}
