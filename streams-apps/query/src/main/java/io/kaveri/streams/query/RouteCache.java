package io.kaveri.streams.query;

import org.apache.kafka.streams.KeyQueryMetadata;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Where keys live, remembered between rebalances. Kafka Streams answers {@code queryMetadataForKey} under one lock
 * per app, so every query thread queued on it; the answer only changes with the assignment, so it is kept until
 * {@link #invalidate()} (called when the assignment changes). A route that went stale in between is safe: the
 * instance it leads to reads with {@code requireActive} and answers 503 when it is not the owner any more, never a
 * wrong answer. Bounded: past {@code maxEntries} keys it starts again from empty.
 */
final class RouteCache {

    private record Key(String store, String key) {
    }

    private final int maxEntries;
    private final Map<Key, KeyQueryMetadata> routes = new ConcurrentHashMap<>();
    private final AtomicLong generation = new AtomicLong();

    RouteCache(int maxEntries) {
        this.maxEntries = maxEntries;
    }

    /** The remembered route of the key, else {@code lookup}'s, remembered when it names an owner. */
    KeyQueryMetadata get(String store, String key, Supplier<KeyQueryMetadata> lookup) {
        Key k = new Key(store, key);
        KeyQueryMetadata known = routes.get(k);
        if (known != null) {
            return known;
        }
        long seen = generation.get();
        KeyQueryMetadata fresh = lookup.get();
        if (!owned(fresh)) {
            return fresh; // starting or rebalancing: ask again next time
        }
        if (routes.size() >= maxEntries) {
            routes.clear();
        }
        routes.put(k, fresh);
        if (generation.get() != seen) {
            routes.remove(k, fresh); // the assignment changed while we looked it up
        }
        return fresh;
    }

    /** Forgets every route: the assignment changed, or may have. */
    void invalidate() {
        generation.incrementAndGet();
        routes.clear();
    }

    int size() {
        return routes.size();
    }

    private static boolean owned(KeyQueryMetadata m) {
        return m != null && m != KeyQueryMetadata.NOT_AVAILABLE && m.partition() >= 0 && m.activeHost() != null
                && m.activeHost().port() >= 0;
    }
}
