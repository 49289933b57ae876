package io.kaveri.streams.testkit;

import java.time.Instant;
import java.util.Objects;

/**
 * One input or output record as the kit sees it: key, value and event time in epoch milliseconds.
 * Lists of these are in arrival order unless a method says otherwise.
 */
public record TimedRecord<K, V>(K key, V value, long timestamp) {

    public static <K, V> TimedRecord<K, V> of(K key, V value, long timestamp) {
        return new TimedRecord<>(key, value, timestamp);
    }

    public static <K, V> TimedRecord<K, V> of(K key, V value, Instant eventTime) {
        return new TimedRecord<>(key, value, eventTime.toEpochMilli());
    }

    public Instant eventTime() {
        return Instant.ofEpochMilli(timestamp);
    }

    // Compact on purpose: counter-examples print one record a line.
    @Override
    public String toString() {
        return Objects.toString(key) + "=" + Objects.toString(value) + " @" + timestamp;
    }
}
