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
        KeyValueStore<K, V> kv = keyValueStore(store);
        Map<K, V> out = new LinkedHashMap<>();
        try (KeyValueIterator<K, V> it = kv.all()) {
            it.forEachRemaining(entry -> out.put(entry.key, entry.value));
        }
        return out;
    }

    /** One key of a key-value store (plain, timestamped or versioned, latest version); null if absent. */
    @SuppressWarnings("unchecked")
    public <K, V> V get(String store, K key) {
        StateStore found = find(store);
        if (found instanceof VersionedKeyValueStore<?, ?> versioned) {
            VersionedRecord<V> record = ((VersionedKeyValueStore<K, V>) versioned).get(key);
            return record == null ? null : record.value();
        }
        return this.<K, V>keyValueStore(store).get(key);
    }

    /** The value a versioned store held for {@code key} at {@code asOf}; null if none. */
    public <K, V> V getAsOf(String store, K key, Instant asOf) {
        VersionedKeyValueStore<K, V> versioned = typed(store, VersionedKeyValueStore.class,
                driver.getVersionedKeyValueStore(store));
        VersionedRecord<V> record = versioned.get(key, asOf.toEpochMilli());
        return record == null ? null : record.value();
    }

    /**
     * The windows of {@code key} that start in {@code [from, to]}, window start to value, from a
     * window store (plain or timestamped).
     */
    public <K, V> Map<Instant, V> windows(String store, K key, Instant from, Instant to) {
        WindowStore<K, V> windows = typed(store, WindowStore.class, driver.<K, V>getWindowStore(store));
        Map<Instant, V> out = new LinkedHashMap<>();
        try (WindowStoreIterator<V> it = windows.fetch(key, from, to)) {
            while (it.hasNext()) {
                KeyValue<Long, V> entry = it.next();
                out.put(Instant.ofEpochMilli(entry.key), entry.value);
            }
        }
        return out;
    }

    /** Every window of every key in a window store. */
    public <K, V> Map<Windowed<K>, V> allWindows(String store) {
        WindowStore<K, V> windows = typed(store, WindowStore.class, driver.<K, V>getWindowStore(store));
        return drain(windows.all());
    }

    /** Every session of {@code key} in a session store. */
    public <K, V> Map<Windowed<K>, V> sessions(String store, K key) {
        SessionStore<K, V> sessions = typed(store, SessionStore.class, driver.<K, V>getSessionStore(store));
        return drain(sessions.fetch(key));
    }

    private <K, V> KeyValueStore<K, V> keyValueStore(String store) {
        StateStore found = find(store);
        if (found instanceof VersionedKeyValueStore<?, ?>) {
            throw new IllegalArgumentException("store " + store + " is a versioned store: read one key"
                    + " with get(store, key) or getAsOf(store, key, time)");
        }
        return typed(store, KeyValueStore.class, driver.<K, V>getKeyValueStore(store));
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

    // The driver answers null when a store exists under another type: say which.
    private <S> S typed(String store, Class<?> wanted, S view) {
        StateStore found = find(store);
        if (view == null) {
            throw new IllegalArgumentException("store " + store + " is a " + found.getClass().getSimpleName()
                    + ", not a " + wanted.getSimpleName());
        }
        return view;
    }

    private static <K, V> Map<Windowed<K>, V> drain(KeyValueIterator<Windowed<K>, V> it) {
        Map<Windowed<K>, V> out = new LinkedHashMap<>();
        try (it) {
            it.forEachRemaining(entry -> out.put(entry.key, entry.value));
        }
        return out;
    }
}
