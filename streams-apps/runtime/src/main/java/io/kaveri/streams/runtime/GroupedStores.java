package io.kaveri.streams.runtime;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueBytesStoreSupplier;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * In-memory key-value stores for rows that belong to groups and are read a group at a time: keys are a group's
 * bytes followed by a slot number of one or two bytes (big-endian), such as a follower's id, then the slot of one
 * of their timeline entries. A group is found by hash and holds its rows in an array indexed by slot, so a write
 * costs a hash of the group and an array store, where Kafka's {@code Stores.inMemoryKeyValueStore} searches one
 * sorted map of every row (a dozen byte-array comparisons, most of them missing the CPU cache when it holds
 * hundreds of thousands of rows). Memory per group grows with its highest slot, so slots should be small and dense.
 *
 * <p>All of {@code KeyValueStore} is supported, in key order, for any keys, so interactive queries (IQv2
 * {@code KeyQuery} and {@code RangeQuery}, {@code ReadOnlyKeyValueStore}) work as on Kafka's store. Iterators read a
 * snapshot taken when they are opened. A range whose bounds are keys of one group reads that group (and checks the
 * few groups that could hold keys between them: the groups ordered between the bounds and those that begin the
 * lower bound); {@code all()}, prefix scans and ranges over many groups sort a snapshot of the rows they cover, a
 * cost for occasional scans, not for every record. Wrap the supplier with {@code Stores.keyValueStoreBuilder} as
 * usual: serdes, metrics and the changelog (restore included) are Kafka's.
 */
public final class GroupedStores {

    private GroupedStores() {
    }

    /** @param slotBytes how many bytes end every key after its group: 1 or 2 */
    public static KeyValueBytesStoreSupplier inMemory(String name, int slotBytes) {
        Objects.requireNonNull(name, "name");
        if (slotBytes < 1 || slotBytes > 2) {
            throw new IllegalArgumentException("store " + name + ": a slot number is 1 or 2 bytes, got " + slotBytes);
        }
        return InMemoryStore.keyValueSupplier(name, "kaveri-in-memory-grouped", () -> new GroupedStore(name, slotBytes));
    }

    /** The rows of one group, by slot; null where a slot is empty. */
    private static final class Group {
        byte[][] bySlot = new byte[4][];
        int count;
    }

    static final class GroupedStore extends InMemoryStore implements KeyValueStore<Bytes, byte[]> {
        private final int slotBytes;
        private final Map<Bytes, Group> groups = new HashMap<>();
        /** The groups in key order, for ranges and scans; changes only when a group appears or empties. */
        private final TreeSet<Bytes> groupOrder = new TreeSet<>();
        /** Keys shorter than a slot number: no group, kept apart (none in a store used as intended). */
        private final TreeMap<Bytes, byte[]> shortKeys = new TreeMap<>();
        private long rows;

        GroupedStore(String name, int slotBytes) {
            super(name);
            this.slotBytes = slotBytes;
        }

        @Override
        protected void restore(ConsumerRecord<byte[], byte[]> record) {
            write(Bytes.wrap(record.key()), record.value());
        }

        private Bytes groupOf(byte[] key) {
            return Bytes.wrap(Arrays.copyOf(key, key.length - slotBytes));
        }

        private int slotOf(byte[] key) {
            int n = key.length;
            return slotBytes == 1 ? key[n - 1] & 0xFF : (key[n - 2] & 0xFF) << 8 | key[n - 1] & 0xFF;
        }

        private byte[] keyOf(Bytes group, int slot) {
            byte[] g = group.get();
            byte[] key = Arrays.copyOf(g, g.length + slotBytes);
            if (slotBytes == 1) {
                key[g.length] = (byte) slot;
            } else {
                key[g.length] = (byte) (slot >>> 8);
                key[g.length + 1] = (byte) slot;
            }
            return key;
        }

        /** Puts or removes (null value) one row; returns the value it replaced. */
        private byte[] write(Bytes key, byte[] value) {
            byte[] k = key.get();
            if (k.length < slotBytes) {
                byte[] old = value == null ? shortKeys.remove(key) : shortKeys.put(key, value);
                rows += (old == null ? 0 : -1) + (value == null ? 0 : 1);
                return old;
            }
            Bytes groupKey = groupOf(k);
            int slot = slotOf(k);
            Group group = groups.get(groupKey);
            if (value == null) {
                if (group == null || slot >= group.bySlot.length || group.bySlot[slot] == null) {
                    return null;
                }
                byte[] old = group.bySlot[slot];
                group.bySlot[slot] = null;
                rows--;
                if (--group.count == 0) {
                    groups.remove(groupKey);
                    groupOrder.remove(groupKey);
                }
                return old;
            }
            if (group == null) {
                group = new Group();
                groups.put(groupKey, group);
                groupOrder.add(groupKey);
            }
            if (slot >= group.bySlot.length) {
                group.bySlot = Arrays.copyOf(group.bySlot, Math.max(slot + 1, 2 * group.bySlot.length));
            }
            byte[] old = group.bySlot[slot];
            group.bySlot[slot] = value;
            if (old == null) {
                group.count++;
                rows++;
            }
            return old;
        }

        // Synchronized because interactive queries read from other threads; uncontended on the stream thread.
        @Override
        public synchronized byte[] get(Bytes key) {
            byte[] k = key.get();
            if (k.length < slotBytes) {
                return shortKeys.get(key);
            }
            Group group = groups.get(groupOf(k));
            int slot = slotOf(k);
            return group == null || slot >= group.bySlot.length ? null : group.bySlot[slot];
        }

        @Override
        public synchronized void put(Bytes key, byte[] value) {
            Objects.requireNonNull(key, "key cannot be null");
            write(key, value);
            updatePosition();
        }

        @Override
        public synchronized byte[] putIfAbsent(Bytes key, byte[] value) {
            byte[] existing = get(key);
            if (existing == null) {
                put(key, value);
            }
            return existing;
        }

        @Override
        public synchronized void putAll(List<KeyValue<Bytes, byte[]>> entries) {
            entries.forEach(e -> put(e.key, e.value));
        }

        @Override
        public synchronized byte[] delete(Bytes key) {
            Objects.requireNonNull(key, "key cannot be null");
            byte[] old = write(key, null);
            updatePosition();
            return old;
        }

        @Override
        public synchronized KeyValueIterator<Bytes, byte[]> range(Bytes from, Bytes to) {
            return snapshot(from, to, false);
        }

        @Override
        public synchronized KeyValueIterator<Bytes, byte[]> reverseRange(Bytes from, Bytes to) {
            return snapshot(from, to, true);
        }

        @Override
        public synchronized KeyValueIterator<Bytes, byte[]> all() {
            return snapshot(null, null, false);
        }

        @Override
        public synchronized KeyValueIterator<Bytes, byte[]> reverseAll() {
            return snapshot(null, null, true);
        }

        @Override
        public synchronized <PS extends Serializer<P>, P> KeyValueIterator<Bytes, byte[]> prefixScan(
                P prefix, PS prefixKeySerializer) {
            byte[] p = prefixKeySerializer.serialize(null, prefix);
            List<KeyValue<Bytes, byte[]>> matching = new ArrayList<>();
            collect(groupOrder, shortKeys, null, null, row -> startsWith(row.key.get(), p), matching);
            return new SnapshotIterator(matching);
        }

        private static boolean startsWith(byte[] key, byte[] prefix) {
            return key.length >= prefix.length && Arrays.equals(key, 0, prefix.length, prefix, 0, prefix.length);
        }

        /** The rows from {@code from} to {@code to} inclusive (null: unbounded), copied: the store may change. */
        private KeyValueIterator<Bytes, byte[]> snapshot(Bytes from, Bytes to, boolean reverse) {
            List<KeyValue<Bytes, byte[]>> rowsInRange = new ArrayList<>();
            if (from != null && to != null && from.compareTo(to) > 0) {
                return new SnapshotIterator(rowsInRange); // as Kafka's stores: an inverted range is empty
            }
            // A key between the bounds belongs to a group between them, or to a group that begins the lower bound
            // (a shorter prefix sorts first, its longer keys may not); no other group can hold one.
            NavigableSet<Bytes> candidates;
            if (from == null) {
                candidates = to == null ? groupOrder : groupOrder.headSet(to, true);
            } else {
                candidates = new TreeSet<>(to == null ? groupOrder.tailSet(from, true)
                        : groupOrder.subSet(from, true, to, true));
                byte[] f = from.get();
                for (int length = 0; length < f.length; length++) {
                    Bytes prefix = Bytes.wrap(Arrays.copyOf(f, length));
                    if (groups.containsKey(prefix)) {
                        candidates.add(prefix);
                    }
                }
            }
            collect(candidates, shortKeys, from, to, row -> true, rowsInRange);
            if (reverse) {
                Collections.reverse(rowsInRange);
            }
            return new SnapshotIterator(rowsInRange);
        }

        /** The rows of {@code candidates} and {@code shortKeys} within the bounds that pass {@code keep}, in key order. */
        private void collect(Collection<Bytes> candidates, TreeMap<Bytes, byte[]> shorts, Bytes from, Bytes to,
                             Predicate<KeyValue<Bytes, byte[]>> keep, List<KeyValue<Bytes, byte[]>> out) {
            for (Bytes groupKey : candidates) {
                byte[][] bySlot = groups.get(groupKey).bySlot;
                for (int slot = 0; slot < bySlot.length; slot++) {
                    if (bySlot[slot] != null) {
                        KeyValue<Bytes, byte[]> row = KeyValue.pair(Bytes.wrap(keyOf(groupKey, slot)), bySlot[slot]);
                        if ((from == null || row.key.compareTo(from) >= 0) && (to == null || row.key.compareTo(to) <= 0)
                                && keep.test(row)) {
                            out.add(row);
                        }
                    }
                }
            }
            shorts.forEach((k, v) -> {
                KeyValue<Bytes, byte[]> row = KeyValue.pair(k, v);
                if ((from == null || k.compareTo(from) >= 0) && (to == null || k.compareTo(to) <= 0) && keep.test(row)) {
                    out.add(row);
                }
            });
            // One group's rows come in slot order, which is key order; rows of several groups may interleave (a
            // group that begins another sorts its rows among the other's).
            if (candidates.size() > 1 || !shorts.isEmpty()) {
                out.sort((a, b) -> a.key.compareTo(b.key));
            }
        }

        @Override
        public synchronized long approximateNumEntries() {
            return rows;
        }

        @Override
        protected void clear() {
            groups.clear();
            groupOrder.clear();
            shortKeys.clear();
            rows = 0;
        }
    }
}
