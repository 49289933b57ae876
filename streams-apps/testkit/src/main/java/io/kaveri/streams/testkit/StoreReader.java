package io.kaveri.streams.testkit;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.SessionStore;
import org.apache.kafka.streams.state.TimestampedKeyValueStore;
import org.apache.kafka.streams.state.TimestampedWindowStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;
import org.apache.kafka.streams.state.VersionedKeyValueStore;
import org.apache.kafka.streams.state.VersionedRecord;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;

/**
 * Reads any state store of the driver by name, as plain values: timestamped stores are unwrapped,
 * and a wrong name or store type fails naming the store and what the topology has.
 */
public final class StoreReader {

    private final TopologyTestDriver driver;

    StoreReader(TopologyTestDriver driver) {
        this.driver = driver;
    }

    /** Every entry of a key-value store (plain or timestamped), in the store's key order. */
    public <K, V> Map<K, V> keyValues(String store) {
        StateStore found = find(store);
        KeyValueStore<K, Object> kv = as(store, found, KeyValueStore.class);
        Map<K, V> out = new LinkedHashMap<>();
        try (KeyValueIterator<K, Object> it = kv.all()) {
            it.forEachRemaining(entry -> out.put(entry.key, plain(found, entry.value)));
        }
        return out;
    }

    /** One key of a key-value store (plain, timestamped, or versioned: its latest value); null if absent. */
    public <K, V> V get(String store, K key) {
        StateStore found = find(store);
        if (found instanceof VersionedKeyValueStore<?, ?>) {
            VersionedRecord<V> record = this.<K, V>versioned(store, found).get(key);
            return record == null ? null : record.value();
        }
        KeyValueStore<K, Object> kv = as(store, found, KeyValueStore.class);
        return plain(found, kv.get(key));
    }

    /** The value a versioned store held for {@code key} at {@code asOf}; null if none. */
    public <K, V> V getAsOf(String store, K key, Instant asOf) {
        VersionedRecord<V> record = this.<K, V>versioned(store, find(store)).get(key, asOf.toEpochMilli());
        return record == null ? null : record.value();
    }

    /**
     * The windows of {@code key} that start in {@code [from, to]}, window start to value, from a
     * window store (plain or timestamped).
     */
    public <K, V> Map<Instant, V> windows(String store, K key, Instant from, Instant to) {
        StateStore found = find(store);
        WindowStore<K, Object> windows = as(store, found, WindowStore.class);
        Map<Instant, V> out = new LinkedHashMap<>();
        try (WindowStoreIterator<Object> it = windows.fetch(key, from, to)) {
            while (it.hasNext()) {
                KeyValue<Long, Object> entry = it.next();
                out.put(Instant.ofEpochMilli(entry.key), plain(found, entry.value));
            }
        }
        return out;
    }

    /** Every window of every key in a window store (plain or timestamped). */
    public <K, V> Map<Windowed<K>, V> allWindows(String store) {
        StateStore found = find(store);
        WindowStore<K, Object> windows = as(store, found, WindowStore.class);
        return drain(found, windows.all());
    }

    /** Every session of {@code key} in a session store. */
    public <K, V> Map<Windowed<K>, V> sessions(String store, K key) {
        StateStore found = find(store);
        SessionStore<K, Object> sessions = as(store, found, SessionStore.class);
        return drain(found, sessions.fetch(key));
    }

    private StateStore find(String store) {
        Map<String, StateStore> all = driver.getAllStateStores();
        StateStore found = all.get(store);
        if (found == null) {
            throw new IllegalArgumentException("the topology has no state store named " + store
                    + "; it has " + new TreeSet<>(all.keySet()));
        }
        return found;
    }

    @SuppressWarnings("unchecked")
    private <K, V> VersionedKeyValueStore<K, V> versioned(String store, StateStore found) {
        return as(store, found, VersionedKeyValueStore.class);
    }

    @SuppressWarnings("unchecked")
    private static <S> S as(String store, StateStore found, Class<?> wanted) {
        if (found instanceof VersionedKeyValueStore<?, ?> && !wanted.equals(VersionedKeyValueStore.class)) {
            throw new IllegalArgumentException("store " + store + " is a versioned store: read one key"
                    + " with get(store, key) or getAsOf(store, key, time)");
        }
        if (!wanted.isInstance(found)) {
            throw new IllegalArgumentException("store " + store + " is a " + found.getClass().getSimpleName()
                    + ", not a " + wanted.getSimpleName());
        }
        return (S) found;
    }

    // Timestamped stores hold ValueAndTimestamp; a test wants the value.
    @SuppressWarnings("unchecked")
    private static <V> V plain(StateStore found, Object value) {
        boolean timestamped = found instanceof TimestampedKeyValueStore<?, ?>
                || found instanceof TimestampedWindowStore<?, ?>;
        return timestamped && value instanceof ValueAndTimestamp<?> vt ? (V) vt.value() : (V) value;
    }

    private static <K, V> Map<Windowed<K>, V> drain(StateStore found, KeyValueIterator<Windowed<K>, Object> it) {
        Map<Windowed<K>, V> out = new LinkedHashMap<>();
        try (it) {
            it.forEachRemaining(entry -> out.put(entry.key, plain(found, entry.value)));
        }
        return out;
    }
}
