package io.kaveri.schemas.registry;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * A small thread-safe map that drops its least recently used entry beyond a fixed size: the registry client's
 * id and schema caches and the Connect converter's schema caches. A lock is enough: a hit costs a hash lookup,
 * and misses (a new schema) are rare. Public only so that the converter package can share it.
 */
public final class LruCache<K, V> {

    private final Map<K, V> map;

    public LruCache(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("cache size must be at least 1, was " + capacity);
        }
        this.map = new LinkedHashMap<>(16, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
                return size() > capacity;
            }
        };
    }

    public synchronized V get(K key) {
        return map.get(key);
    }

    public synchronized void put(K key, V value) {
        map.put(key, value);
    }

    /** The cached value, or one computed outside the lock (two threads may both compute it: harmless). */
    public V computeIfAbsent(K key, Function<K, V> compute) {
        V cached = get(key);
        if (cached != null) {
            return cached;
        }
        V computed = compute.apply(key);
        put(key, computed);
        return computed;
    }

    public synchronized void removeKeys(Predicate<K> condition) {
        map.keySet().removeIf(condition);
    }

    public synchronized int size() {
        return map.size();
    }
}
