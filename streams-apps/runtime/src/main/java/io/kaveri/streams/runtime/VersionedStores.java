package io.kaveri.streams.runtime;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.VersionedBytesStoreSupplier;
import org.apache.kafka.streams.state.VersionedKeyValueStore;
import org.apache.kafka.streams.state.VersionedRecord;
import org.apache.kafka.streams.state.internals.VersionedKeyValueToBytesStoreAdapter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * In-memory versioned key-value stores, which Kafka Streams 4.3 lacks (it has only
 * {@code Stores.persistentVersionedKeyValueStore}, on RocksDB). Use the supplier where a versioned store is
 * expected: {@code Materialized.as(VersionedStores.inMemory(...))} for a versioned KTable, or
 * {@code Stores.versionedKeyValueStoreBuilder}. The changelog, its topic configuration, metrics and the serdes are
 * Kafka's own, so the changelog is the same as that of Kafka's RocksDB versioned store: a table can move from one
 * to the other and restore what the other wrote.
 *
 * <p>The semantics are those of {@link VersionedKeyValueStore}: a write older than the history retention behind the
 * newest write seen is not applied; a lookup as of a time that old answers only from the latest version; one
 * version per key and timestamp. Versions that no lookup within history retention can reach are dropped when their
 * key is next written, so memory holds about one history retention of changes per key plus its latest version.
 * Interactive queries by key and time ({@code VersionedKeyQuery}) are answered; multi-version queries are not.
 *
 * <p>One deliberate difference: a delete at exactly the time of a key's latest value is kept as a tombstone, as the
 * interface documents (one record per key and timestamp). Kafka 4.3's RocksDB store drops the value and, unless a
 * version of its own ends at that time, keeps no tombstone, so that a put before that time arriving later becomes
 * the key's latest value there and stays deleted here.
 */
public final class VersionedStores {

    private VersionedStores() {
    }

    public static VersionedBytesStoreSupplier inMemory(String name, Duration historyRetention) {
        Objects.requireNonNull(name, "name");
        long retentionMs = historyRetention.toMillis();
        if (retentionMs < 0) {
            throw new IllegalArgumentException("store " + name + ": history retention must not be negative, got "
                    + historyRetention);
        }
        return new VersionedBytesStoreSupplier() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public KeyValueStore<Bytes, byte[]> get() {
                return new VersionedKeyValueToBytesStoreAdapter(new InMemoryVersionedStore(name, retentionMs));
            }

            @Override
            public String metricsScope() {
                return "kaveri-in-memory-versioned";
            }

            @Override
            public long historyRetentionMs() {
                return retentionMs;
            }
        };
    }

    /** The versions of one key, sorted by timestamp; a null value is a tombstone (the key had no value from then). */
    static final class Versions {
        long[] times = new long[2];
        byte[][] values = new byte[2][];
        int size;

        /** Index of the last version at or before {@code t}, or -1. */
        int floor(long t) {
            int i = Arrays.binarySearch(times, 0, size, t);
            return i >= 0 ? i : -i - 2;
        }

        /** Puts {@code value} at {@code t}, replacing a version at the same time; returns its index. */
        int put(long t, byte[] value) {
            int i = Arrays.binarySearch(times, 0, size, t);
            if (i >= 0) {
                values[i] = value;
                return i;
            }
            i = -i - 1;
            if (size == times.length) {
                times = Arrays.copyOf(times, size * 2);
                values = Arrays.copyOf(values, size * 2);
            }
            System.arraycopy(times, i, times, i + 1, size - i);
            System.arraycopy(values, i, values, i + 1, size - i);
            times[i] = t;
            values[i] = value;
            size++;
            return i;
        }

        /** Drops the versions before {@code first}. */
        void dropBefore(int first) {
            if (first <= 0) {
                return;
            }
            System.arraycopy(times, first, times, 0, size - first);
            System.arraycopy(values, first, values, 0, size - first);
            Arrays.fill(values, size - first, size, null);
            size -= first;
        }

        long validTo(int i) {
            return i + 1 < size ? times[i + 1] : VersionedKeyValueStore.PUT_RETURN_CODE_VALID_TO_UNDEFINED;
        }
    }

    static final class InMemoryVersionedStore extends InMemoryStore implements VersionedKeyValueStore<Bytes, byte[]> {

        private static final Logger log = LoggerFactory.getLogger(InMemoryVersionedStore.class);

        private final long historyRetentionMs;
        private final Map<Bytes, Versions> byKey = new HashMap<>();
        private long observedStreamTime = Long.MIN_VALUE;

        InMemoryVersionedStore(String name, long historyRetentionMs) {
            super(name);
            this.historyRetentionMs = historyRetentionMs;
        }

        // The changelog record's timestamp is the version's: what ChangeLoggingVersionedKeyValueBytesStore writes,
        // for this store and for Kafka's RocksDB one alike.
        @Override
        protected void restore(ConsumerRecord<byte[], byte[]> record) {
            write(Bytes.wrap(record.key()), record.value(), record.timestamp());
        }

        @Override
        public synchronized long put(Bytes key, byte[] value, long timestamp) {
            Objects.requireNonNull(key, "key cannot be null");
            long validTo = write(key, value, timestamp);
            updatePosition();
            return validTo;
        }

        @Override
        public synchronized VersionedRecord<byte[]> delete(Bytes key, long timestamp) {
            Objects.requireNonNull(key, "key cannot be null");
            if (expired(timestamp)) {
                log.debug("versioned delete older than history retention skipped store={} timestamp={} streamTime={}",
                        name(), timestamp, observedStreamTime);
                return null;
            }
            VersionedRecord<byte[]> before = get(key, timestamp);
            write(key, null, timestamp);
            updatePosition();
            return before;
        }

        @Override
        public synchronized VersionedRecord<byte[]> get(Bytes key) {
            Objects.requireNonNull(key, "key cannot be null");
            Versions versions = byKey.get(key);
            if (versions == null) {
                return null;
            }
            int last = versions.size - 1;
            byte[] value = versions.values[last];
            return value == null ? null : new VersionedRecord<>(value, versions.times[last]);
        }

        @Override
        public synchronized VersionedRecord<byte[]> get(Bytes key, long asOfTimestamp) {
            Objects.requireNonNull(key, "key cannot be null");
            Versions versions = byKey.get(key);
            if (versions == null) {
                return null;
            }
            int i = versions.floor(asOfTimestamp);
            if (i < 0 || (expired(asOfTimestamp) && i != versions.size - 1)) {
                // Beyond history retention only the latest version answers (it never expires), as in Kafka's store.
                return null;
            }
            byte[] value = versions.values[i];
            if (value == null) {
                return null;
            }
            long validTo = versions.validTo(i);
            return validTo == PUT_RETURN_CODE_VALID_TO_UNDEFINED
                    ? new VersionedRecord<>(value, versions.times[i])
                    : new VersionedRecord<>(value, versions.times[i], validTo);
        }

        private boolean expired(long timestamp) {
            return observedStreamTime != Long.MIN_VALUE && timestamp < observedStreamTime - historyRetentionMs;
        }

        /** A put or a delete (null value), from a processor or the changelog; returns the version's validTo. */
        private long write(Bytes key, byte[] value, long timestamp) {
            if (expired(timestamp)) {
                log.debug("versioned put older than history retention skipped store={} timestamp={} streamTime={}",
                        name(), timestamp, observedStreamTime);
                return PUT_RETURN_CODE_NOT_PUT;
            }
            observedStreamTime = Math.max(observedStreamTime, timestamp);
            Versions versions = byKey.get(key);
            if (versions == null) {
                // A tombstone is kept even for a key without versions: a write older than it, still in retention,
                // must not become the value after it.
                versions = new Versions();
                byKey.put(key, versions);
            }
            int at = versions.put(timestamp, value);
            long validTo = versions.validTo(at);
            // The version in force at the horizon answers every lookup still in retention; older ones cannot be asked.
            long horizon = observedStreamTime - historyRetentionMs;
            int base = versions.floor(horizon);
            if (base > 0) {
                versions.dropBefore(base);
            }
            if (versions.size == 1 && versions.values[0] == null && versions.times[0] <= horizon) {
                // A lone tombstone at the horizon answers null, as an absent key does, and no write can precede it.
                byKey.remove(key);
            }
            return validTo;
        }

        /** Keys held, for tests and metrics. */
        synchronized int keys() {
            return byKey.size();
        }

        /** Versions held for {@code key}, tombstones included; for tests. */
        synchronized int versions(Bytes key) {
            Versions versions = byKey.get(key);
            return versions == null ? 0 : versions.size;
        }

        @Override
        protected void clear() {
            byKey.clear();
        }
    }
}
