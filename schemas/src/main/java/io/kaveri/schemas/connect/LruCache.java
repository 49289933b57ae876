package io.kaveri.schemas.connect;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * A bounded least-recently-used map, safe for the several task threads that share one converter.
 * A lock is enough: a hit costs a hash lookup, and conversions of a new schema are rare.
 */
final class LruCache<K, V> {

    private final Map<K, V> map;

    LruCache(int maxSize) {
        if (maxSize < 1) {
            throw new IllegalArgumentException("cache size must be at least 1, was " + maxSize);
        }
        this.map = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
                return size() > maxSize;
            }
        };
    }

    /** The cached value, or one computed outside the lock (two threads may both compute it: harmless). */
    V computeIfAbsent(K key, Function<K, V> compute) {
        synchronized (map) {
            V cached = map.get(key);
            if (cached != null) {
                return cached;
            }
        }
        V computed = compute.apply(key);
        synchronized (map) {
            map.put(key, computed);
        }
        return computed;
    }

    int size() {
        synchronized (map) {
            return map.size();
        }
    }
}
