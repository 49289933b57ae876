package io.kaveri.streams.runtime;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueBytesStoreSupplier;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * In-memory key-value stores for state that is only ever looked up by key (de-duplication ids, per-device or
 * per-card state), kept in a hash map instead of the sorted map of {@code Stores.inMemoryKeyValueStore}: a lookup
 * costs one hash of the key's bytes, not a dozen byte-array comparisons. Wrap the supplier with {@code Stores.keyValueStoreBuilder} as
 * usual: serdes, metrics and the changelog (restore included) work as for Kafka's own in-memory store.
 *
 * <p>Range queries ({@code range}, {@code reverseRange}, {@code prefixScan}, {@code reverseAll}) are not supported
 * and throw; {@code all()} sorts a snapshot of the entries by key (the record cache merges it with its own sorted
 * entries), a cost for occasional scans such as idle eviction, not for every record. Interactive queries: key
 * lookups ({@code ReadOnlyKeyValueStore#get}, IQv2 {@code KeyQuery}) are answered, range queries fail. Writes do not
 * record the store's position (a cost per write on the hot path), so IQv2 queries bounded by a position wait in vain.
 */
public final class HashStores {

    private HashStores() {
    }

    public static KeyValueBytesStoreSupplier inMemory(String name) {
        return InMemoryStore.keyValueSupplier(name, "in-memory-hash", () -> new HashStore(name));
    }

    static final class HashStore extends InMemoryStore implements KeyValueStore<Bytes, byte[]> {
        private final Map<Bytes, byte[]> map = new HashMap<>();

        HashStore(String name) {
            super(name);
        }

        @Override
        protected void restore(ConsumerRecord<byte[], byte[]> record) {
            put(Bytes.wrap(record.key()), record.value());
        }

        @Override
        protected void clear() {
            map.clear();
        }

        // Synchronized because interactive queries read from other threads; uncontended on the stream thread.
        @Override
        public synchronized byte[] get(Bytes key) {
            return map.get(key);
        }

        @Override
        public synchronized void put(Bytes key, byte[] value) {
            if (value == null) {
                map.remove(key);
            } else {
                map.put(key, value);
            }
        }

        @Override
        public synchronized byte[] putIfAbsent(Bytes key, byte[] value) {
            return value == null ? map.get(key) : map.putIfAbsent(key, value);
        }

        @Override
        public synchronized void putAll(List<KeyValue<Bytes, byte[]>> entries) {
            entries.forEach(e -> put(e.key, e.value));
        }

        @Override
        public synchronized byte[] delete(Bytes key) {
            return map.remove(key);
        }

        /** A snapshot of the entries, sorted by key: the store may change while the caller iterates. */
        @Override
        public synchronized KeyValueIterator<Bytes, byte[]> all() {
            List<KeyValue<Bytes, byte[]>> entries = new ArrayList<>(map.size());
            map.forEach((k, v) -> entries.add(KeyValue.pair(k, v)));
            entries.sort((a, b) -> a.key.compareTo(b.key));
            return new SnapshotIterator(entries);
        }

        @Override
        public KeyValueIterator<Bytes, byte[]> range(Bytes from, Bytes to) {
            throw unordered("range");
        }

        @Override
        public KeyValueIterator<Bytes, byte[]> reverseRange(Bytes from, Bytes to) {
            throw unordered("reverseRange");
        }

        @Override
        public KeyValueIterator<Bytes, byte[]> reverseAll() {
            throw unordered("reverseAll");
        }

        @Override
        public <PS extends Serializer<P>, P> KeyValueIterator<Bytes, byte[]> prefixScan(P prefix, PS prefixKeySerializer) {
            throw unordered("prefixScan");
        }

        private UnsupportedOperationException unordered(String operation) {
            return new UnsupportedOperationException(operation + " on store " + name()
                    + ", an unordered hash store: only get, put, delete and all are supported");
        }

        @Override
        public synchronized long approximateNumEntries() {
            return map.size();
        }
    }
}
