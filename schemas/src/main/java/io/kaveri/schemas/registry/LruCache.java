package io.kaveri.schemas.registry;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Predicate;

/** A small thread-safe map that drops its least recently used entry beyond a fixed size. */
final class LruCache<K, V> {

    private final Map<K, V> map;

    LruCache(int capacity) {
        this.map = new LinkedHashMap<>(16, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
                return size() > capacity;
            }
        };
    }

    synchronized V get(K key) {
        return map.get(key);
    }

    synchronized void put(K key, V value) {
        map.put(key, value);
    }

    synchronized void removeKeys(Predicate<K> condition) {
        map.keySet().removeIf(condition);
    }

    synchronized int size() {
        return map.size();
    }
}
