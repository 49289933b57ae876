package io.kaveri.streams.runtime;

import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.ObjLongConsumer;

/**
 * Records a join holds until stream time passes their time plus a grace period, as the stream side of Kafka's
 * versioned stream-table join does, in a key-value store of the processor's (the truth: written through, with its
 * changelog) and decoded beside it in time order, so that releasing them decodes nothing and scans nothing. Keys
 * are the time then an id, big-endian, so the store's byte order is time order (times are >= 0); a record with the
 * time and id of one held replaces it, so a redelivery is held once.
 */
public final class TimeOrderedBuffer<V> {

    private final KeyValueStore<Bytes, V> store;
    private final TreeMap<Bytes, V> waiting = new TreeMap<>();

    /** Reads the store whole: create it in a processor's init (a revived task has restored its store by then). */
    public TimeOrderedBuffer(KeyValueStore<Bytes, V> store) {
        this.store = store;
        try (KeyValueIterator<Bytes, V> all = store.all()) {
            all.forEachRemaining(entry -> waiting.put(entry.key, entry.value));
        }
    }

    /** Holds {@code value}, at time {@code t}, under {@code id}. */
    public void put(long t, String id, V value) {
        Bytes key = key(t, id);
        store.put(key, value);
        waiting.put(key, value);
    }

    /**
     * Hands {@code release} the held values whose time is at or before {@code horizon}, in time order (then id), each
     * with its time, and forgets each once it has been handed over.
     */
    public void releaseUpTo(long horizon, ObjLongConsumer<V> release) {
        // firstEntry() is a snapshot, safe across removals.
        for (Map.Entry<Bytes, V> due = waiting.firstEntry(); due != null && time(due.getKey()) <= horizon;
             due = waiting.firstEntry()) {
            release.accept(due.getValue(), time(due.getKey()));
            store.delete(due.getKey());
            waiting.remove(due.getKey());
        }
    }

    static Bytes key(long t, String id) {
        byte[] utf8 = id.getBytes(StandardCharsets.UTF_8);
        return Bytes.wrap(ByteBuffer.allocate(Long.BYTES + utf8.length).putLong(t).put(utf8).array());
    }

    private static long time(Bytes key) {
        return ByteBuffer.wrap(key.get()).getLong(0);
    }
}
