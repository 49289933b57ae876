package io.kaveri.streams.runtime;

import io.kaveri.streams.runtime.GroupedStores.GroupedStore;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.query.KeyQuery;
import org.apache.kafka.streams.query.PositionBound;
import org.apache.kafka.streams.query.Query;
import org.apache.kafka.streams.query.QueryConfig;
import org.apache.kafka.streams.query.QueryResult;
import org.apache.kafka.streams.query.RangeQuery;
import org.apache.kafka.streams.state.KeyValueBytesStoreSupplier;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.internals.WrappedStateStore;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The grouped in-memory store on its own (no server): ranges over one group, snapshot iterators, restore, the
 * supplier, keys shorter than the suffix and IQv2 queries; random operation sequences answered as Kafka's in-memory
 * store answers them; then the store under Kafka's layers in a topology, as an app uses it.
 */
class GroupedStoresTest {

    /** The app's keys end in a 2-byte slot (TimelineQueries.key). */
    static final int SLOT_BYTES = 2;

    /** A store opened with a context that records the restore callback it registers. */
    static final class Opened {
        final KeyValueStore<Bytes, byte[]> store;
        private final RecordingContext context;

        Opened(KeyValueStore<Bytes, byte[]> store) {
            this.store = store;
            this.context = RecordingContext.open(store);
        }

        static Opened ours(int suffixBytes) {
            return new Opened(new GroupedStore("ours", suffixBytes));
        }

        static Opened ours() {
            return ours(SLOT_BYTES);
        }

        static Opened kafkas() {
            return new Opened(Stores.inMemoryKeyValueStore("kafkas").get());
        }

        void restore(List<ConsumerRecord<byte[], byte[]>> records) {
            context.restore(records);
        }
    }

    /** A row key as the app writes it (TimelineQueries.key): the id's UTF-8 length in 4 bytes, the id, the slot. */
    static Bytes key(String id, int slot) {
        byte[] group = group(id).get();
        return Bytes.wrap(ByteBuffer.allocate(group.length + SLOT_BYTES).put(group).putShort((short) slot).array());
    }

    /** The group of {@code id}'s rows: its key without the slot. */
    static Bytes group(String id) {
        byte[] bytes = id.getBytes(StandardCharsets.UTF_8);
        return Bytes.wrap(ByteBuffer.allocate(Integer.BYTES + bytes.length).putInt(bytes.length).put(bytes).array());
    }

    static Bytes raw(int... bytes) {
        byte[] b = new byte[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            b[i] = (byte) bytes[i];
        }
        return Bytes.wrap(b);
    }

    static byte[] value(String v) {
        return v == null ? null : v.getBytes(StandardCharsets.UTF_8);
    }

    static String text(byte[] v) {
        return v == null ? "null" : new String(v, StandardCharsets.UTF_8);
    }

    static String hex(Bytes b) {
        return b == null ? "null" : HexFormat.of().formatHex(b.get());
    }

    /** A key as text: id#slot when it has the app's layout, else its bytes in hex (raw bounds and prefixes). */
    static String name(Bytes b) {
        if (b == null) {
            return "null";
        }
        byte[] k = b.get();
        if (k.length >= Integer.BYTES + SLOT_BYTES) {
            int length = ByteBuffer.wrap(k).getInt();
            if (length == k.length - Integer.BYTES - SLOT_BYTES) {
                String id = new String(k, Integer.BYTES, length, StandardCharsets.UTF_8);
                return "'" + id + "'#" + (ByteBuffer.wrap(k, k.length - SLOT_BYTES, SLOT_BYTES).getShort() & 0xFFFF);
            }
        }
        return "0x" + hex(b);
    }

    /**
     * Every row an iterator gives, as key hex = value, in its order; closes it. Asks peekNextKey before each row,
     * so that it is checked to name the row next() gives.
     */
    static List<String> drain(KeyValueIterator<Bytes, byte[]> iterator) {
        List<String> rows = new ArrayList<>();
        try (KeyValueIterator<Bytes, byte[]> it = iterator) {
            while (it.hasNext()) {
                Bytes peeked = it.peekNextKey();
                KeyValue<Bytes, byte[]> row = it.next();
                assertThat(peeked).as("peekNextKey before next()").isEqualTo(row.key);
                rows.add(hex(row.key) + "=" + text(row.value));
            }
        }
        return rows;
    }

    /** Every row in key order and the count, each as text. */
    static List<String> contents(KeyValueStore<Bytes, byte[]> s) {
        List<String> out = new ArrayList<>(drain(s.all()));
        out.add("approximateNumEntries " + s.approximateNumEntries());
        return out;
    }

    /** A changelog record as ChangeLoggingKeyValueBytesStore writes it: the key and the value, null for a delete. */
    static ConsumerRecord<byte[], byte[]> changelog(long offset, Bytes key, byte[] value) {
        return new ConsumerRecord<>("app-ours-changelog", 0, offset, 0L, TimestampType.CREATE_TIME, key.get().length,
                value == null ? 0 : value.length, key.get(), value, new RecordHeaders(), Optional.empty());
    }

    // ---- a group at a time ----

    @Test
    void aRangeOverOneGroupReturnsOnlyThatGroupsRowsInUnsignedKeyOrder() {
        KeyValueStore<Bytes, byte[]> store = Opened.ours().store;
        // slots whose high byte is 0x80 or more sort after the smaller ones only if bytes compare unsigned
        for (int slot : new int[] {0x8000, 3, 0xFFFF, 0x00FF, 0, 0x0100}) {
            store.put(key("user-1", slot), value("u1@" + slot));
        }
        // neighbours: an id that extends user-1, one it extends, one after it, the empty id and another group
        store.put(key("user-10", 0), value("u10@0"));
        store.put(key("user-10", 0xFFFF), value("u10@65535"));
        store.put(key("user-", 7), value("u@7"));
        store.put(key("user-2", 0), value("u2@0"));
        store.put(key("", 0), value("empty@0"));

        List<String> expected = List.of(0, 3, 0x00FF, 0x0100, 0x8000, 0xFFFF).stream()
                .map(slot -> hex(key("user-1", slot)) + "=u1@" + slot).toList();
        // the app's query of a user's rows: slot 0 to 0xFFFF
        assertThat(drain(store.range(key("user-1", 0), key("user-1", 0xFFFF)))).isEqualTo(expected);
        List<String> reversed = new ArrayList<>(expected);
        Collections.reverse(reversed);
        assertThat(drain(store.reverseRange(key("user-1", 0), key("user-1", 0xFFFF)))).isEqualTo(reversed);
        // part of a group, bounds included, the upper one between two rows
        assertThat(drain(store.range(key("user-1", 3), key("user-1", 0x7FFF))))
                .isEqualTo(expected.subList(1, 4));
        assertThat(drain(store.range(key("user-10", 0), key("user-10", 0xFFFF))))
                .containsExactly(hex(key("user-10", 0)) + "=u10@0", hex(key("user-10", 0xFFFF)) + "=u10@65535");
        // a group with no rows, and a range inverted within a group, are empty
        assertThat(drain(store.range(key("user-3", 0), key("user-3", 0xFFFF)))).isEmpty();
        assertThat(drain(store.range(key("user-1", 0xFFFF), key("user-1", 0)))).isEmpty();
        assertThat(store.approximateNumEntries()).isEqualTo(11);
    }

    /**
     * Iterators copy the rows they will give when they are made. Kafka's in-memory store copies only the keys: its
     * iterator skips rows deleted since and gives current values, so only new rows are unseen by both; the property
     * below reads every iterator at once.
     */
    @Test
    void anIteratorTakenBeforeWritesDoesNotSeeThem() {
        KeyValueStore<Bytes, byte[]> store = Opened.ours().store;
        store.put(key("a", 1), value("a1"));
        store.put(key("a", 2), value("a2"));
        store.put(key("b", 1), value("b1"));
        List<String> rowsOfA = List.of(hex(key("a", 1)) + "=a1", hex(key("a", 2)) + "=a2");

        KeyValueIterator<Bytes, byte[]> inGroup = store.range(key("a", 0), key("a", 0xFFFF));
        KeyValueIterator<Bytes, byte[]> reverseInGroup = store.reverseRange(key("a", 0), key("a", 0xFFFF));
        KeyValueIterator<Bytes, byte[]> all = store.all();
        KeyValueIterator<Bytes, byte[]> acrossGroups = store.range(key("a", 0), key("b", 0xFFFF));
        KeyValueIterator<Bytes, byte[]> prefix = store.prefixScan(group("a"), Serdes.Bytes().serializer());
        // the first row is read before the writes, the rest after
        assertThat(inGroup.next().key).isEqualTo(key("a", 1));

        store.put(key("a", 0), value("new"));
        store.put(key("a", 3), value("new"));
        store.put(key("a", 2), value("changed"));
        store.delete(key("b", 1));
        store.put(key("a", 1), null);

        assertThat(drain(inGroup)).containsExactly(hex(key("a", 2)) + "=a2");
        assertThat(drain(reverseInGroup)).containsExactly(rowsOfA.get(1), rowsOfA.get(0));
        assertThat(drain(all)).containsExactly(rowsOfA.get(0), rowsOfA.get(1), hex(key("b", 1)) + "=b1");
        assertThat(drain(acrossGroups)).containsExactly(rowsOfA.get(0), rowsOfA.get(1), hex(key("b", 1)) + "=b1");
        assertThat(drain(prefix)).isEqualTo(rowsOfA);
        // while the store itself has the writes
        assertThat(drain(store.range(key("a", 0), key("a", 0xFFFF)))).containsExactly(hex(key("a", 0)) + "=new",
                hex(key("a", 2)) + "=changed", hex(key("a", 3)) + "=new");
    }

    @Test
    void restoresFromChangelogRecordsToTheRowsOfTheSameWrites() {
        // (key, value or null for a delete): a replace, a delete of a group's only row, a delete of a row never
        // written and a row written again after its delete
        List<ConsumerRecord<byte[], byte[]>> records = List.of(
                changelog(0, key("user-1", 0), value("x")),
                changelog(1, key("user-1", 1), value("y")),
                changelog(2, key("user-10", 0), value("z")),
                changelog(3, key("user-1", 0), value("x2")),
                changelog(4, key("", 0xFFFF), value("e")),
                changelog(5, key("user-10", 0), null),
                changelog(6, key("b", 4), null),
                changelog(7, key("user-1", 1), null),
                changelog(8, key("user-1", 1), value("y2")),
                changelog(9, key("ünï-漢", 2), value("w")));
        KeyValueStore<Bytes, byte[]> written = Opened.ours().store;
        for (ConsumerRecord<byte[], byte[]> r : records) {
            written.put(Bytes.wrap(r.key()), r.value());
        }
        Opened restored = Opened.ours();
        Opened kafkas = Opened.kafkas();
        // in two batches, as a restore reads the changelog in polls
        for (Opened o : List.of(restored, kafkas)) {
            o.restore(records.subList(0, 5));
            o.restore(records.subList(5, records.size()));
        }

        assertThat(contents(restored.store)).isEqualTo(contents(written)).isEqualTo(contents(kafkas.store));
        assertThat(drain(restored.store.all())).containsExactly(hex(key("", 0xFFFF)) + "=e",
                hex(key("user-1", 0)) + "=x2", hex(key("user-1", 1)) + "=y2", hex(key("ünï-漢", 2)) + "=w");
        assertThat(restored.store.approximateNumEntries()).isEqualTo(4);
        assertThat(restored.store.get(key("user-10", 0))).isNull();
        assertThat(drain(restored.store.range(key("user-10", 0), key("user-10", 0xFFFF)))).isEmpty();
    }

    @Test
    void theSupplierMakesNamedStoresThatAreNotPersistentAndRefusesASlotNumberOtherThanOneOrTwoBytes() {
        KeyValueBytesStoreSupplier supplier = GroupedStores.inMemory("timeline", 2);
        assertThat(supplier.name()).isEqualTo("timeline");
        assertThat(supplier.metricsScope()).isNotBlank();
        KeyValueStore<Bytes, byte[]> store = supplier.get();
        assertThat(store).isInstanceOf(GroupedStore.class);
        assertThat(store.name()).isEqualTo("timeline");
        assertThat(store.persistent()).isFalse();
        // each get() is a store of its own
        assertThat(supplier.get()).isNotSameAs(store);

        Opened opened = new Opened(store);
        assertThat(store.isOpen()).isTrue();
        store.put(key("a", 0), value("v"));
        store.close();
        assertThat(store.isOpen()).isFalse();
        assertThat(opened.store.approximateNumEntries()).isZero();

        for (int suffix : new int[] {0, -1, 3}) {
            assertThatThrownBy(() -> GroupedStores.inMemory("timeline", suffix))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("timeline");
        }
    }

    /**
     * A key shorter than the slot number has no group and is kept apart: such keys (here with a 2-byte slot: keys of
     * one byte, and keys of the groups they begin) are written, read, deleted and ranged over as in Kafka's store.
     */
    @Test
    void keysShorterThanTheSuffixAreAnsweredAsByKafkasStore() {
        Bytes one = raw(1);
        Bytes two = raw(2);
        Bytes three = raw(3, 3, 3);
        Bytes ff = raw(0xFF);
        Bytes oneWithSuffix = raw(1, 0, 9); // in the group [01], which the short key [01] equals
        List<Op> ops = List.of(
                new Put(one, "1"), new Put(two, "2"), new Put(three, "3"), new Put(ff, "ff"), new Put(oneWithSuffix, "19"),
                new Get(one), new Get(two), new Get(raw(2, 2)), new Get(raw(2, 2, 2)),
                new Range(one, one, false), new Range(one, oneWithSuffix, false), new Range(one, oneWithSuffix, true),
                new Range(two, two, false), new Range(one, three, false), new Range(raw(2), raw(2, 2, 2), true),
                new Range(raw(1, 0), raw(1, 0, 0xFF), false),
                new Range(null, two, false), new Range(two, null, true), new Range(three, one, false),
                new All(false), new All(true), new PrefixScan(raw(1)), new Count(),
                new Delete(two), new Delete(two), new Get(two), new Range(one, three, false), new PutIfAbsent(one, "x"),
                new PutIfAbsent(two, "2b"), new Put(one, null), new Range(one, oneWithSuffix, false), new Count());
        assertAnswersAsKafkas(ops, 2);

        // the empty key, with the default 2-byte suffix
        Bytes empty = raw();
        assertAnswersAsKafkas(List.of(new Get(empty), new Put(empty, "e"), new Get(empty), new Range(empty, empty, false),
                new Range(null, empty, true), new Range(empty, null, false), new Count(), new Delete(empty),
                new Get(empty), new Range(empty, empty, false), new Count()), SLOT_BYTES);
    }

    /**
     * Bounds that are not keys of the app's layout (a group without its slot, a key cut short) can end in the same
     * bytes before their last two, a "group" that no row has, while rows of other groups lie between them: Kafka's
     * store returns those rows. Found by the property below.
     */
    @Test
    void aRangeBetweenBoundsThatShareAGroupWithoutRowsReturnsTheRowsBetweenThem() {
        assertAnswersAsKafkas(List.of(new Put(key("", 0), "v0"), new Range(raw(0, 0, 0, 0), raw(0, 0, 0, 1), false)),
                SLOT_BYTES);
        // every row of the 1-byte ids from "a" to "b": both bounds' groups are 00 00 00, which no row has
        assertAnswersAsKafkas(List.of(new Put(key("a", 3), "a3"), new Put(key("ab", 0), "ab0"),
                new Range(group("a"), group("b"), false), new Range(group("a"), group("b"), true)), SLOT_BYTES);
    }

    /** IQv2 key and range queries, as {@code StoreQueryUtils.handleBasicQueries} runs them on either store. */
    @Test
    void answersKeyAndRangeQueriesAsKafkasStore() {
        Opened ours = Opened.ours();
        Opened kafkas = Opened.kafkas();
        for (Opened o : List.of(ours, kafkas)) {
            for (String id : List.of("", "a", "ab", "user-1", "user-10")) {
                for (int slot : new int[] {0, 2, 0xFFFF}) {
                    o.store.put(key(id, slot), value(id + "@" + slot));
                }
            }
        }
        // by a name: Kafka's queries have no toString
        Map<String, Query<?>> queries = new LinkedHashMap<>();
        queries.put("key user-1#2", KeyQuery.withKey(key("user-1", 2)));
        queries.put("key user-1#1 (absent)", KeyQuery.withKey(key("user-1", 1)));
        queries.put("range user-1#0..user-1#65535", RangeQuery.withRange(key("user-1", 0), key("user-1", 0xFFFF)));
        queries.put("descending range user-1#0..user-1#65535",
                RangeQuery.<Bytes, byte[]>withRange(key("user-1", 0), key("user-1", 0xFFFF)).withDescendingKeys());
        queries.put("range a#2..user-1#0", RangeQuery.withRange(key("a", 2), key("user-1", 0)));
        queries.put("range from user-1#2", RangeQuery.withLowerBound(key("user-1", 2)));
        queries.put("range to ab#0", RangeQuery.withUpperBound(key("ab", 0)));
        queries.put("all", RangeQuery.withNoBounds());
        queries.put("all descending", RangeQuery.<Bytes, byte[]>withNoBounds().withDescendingKeys());
        queries.forEach((name, query) ->
                assertThat(answer(ours.store, query)).as(name).isEqualTo(answer(kafkas.store, query)));
        assertThat(answer(ours.store, KeyQuery.withKey(key("user-1", 2)))).isEqualTo("user-1@2");
        assertThat(answer(ours.store, RangeQuery.withRange(key("user-1", 0), key("user-1", 0xFFFF)))).isEqualTo(
                "[" + hex(key("user-1", 0)) + "=user-1@0, " + hex(key("user-1", 2)) + "=user-1@2, "
                        + hex(key("user-1", 0xFFFF)) + "=user-1@65535]");
    }

    @SuppressWarnings("unchecked")
    private static String answer(KeyValueStore<Bytes, byte[]> store, Query<?> query) {
        QueryResult<?> result = store.query(query, PositionBound.unbounded(), new QueryConfig(false));
        assertThat(result.isSuccess()).as("%s on %s: %s", query, store.name(), result).isTrue();
        Object r = result.getResult();
        return r instanceof KeyValueIterator<?, ?> it ? drain((KeyValueIterator<Bytes, byte[]>) it).toString()
                : text((byte[]) r);
    }

    // ---- differential: the same operations on this store and on Kafka's in-memory store ----

    /** One operation; its answer as text. Writes add what Kafka's logging layer would send to the changelog. */
    sealed interface Op permits Put, PutIfAbsent, PutAll, Delete, Get, Range, All, PrefixScan, Count {
        String apply(KeyValueStore<Bytes, byte[]> store, List<KeyValue<Bytes, byte[]>> changelog);
    }

    /** A put; a null value deletes. */
    record Put(Bytes key, String value) implements Op {
        @Override
        public String apply(KeyValueStore<Bytes, byte[]> store, List<KeyValue<Bytes, byte[]>> changelog) {
            store.put(key, GroupedStoresTest.value(value));
            changelog.add(KeyValue.pair(key, GroupedStoresTest.value(value)));
            return "ok";
        }

        @Override
        public String toString() {
            return "put(" + name(key) + ", " + value + ")";
        }
    }

    record PutIfAbsent(Bytes key, String value) implements Op {
        @Override
        public String apply(KeyValueStore<Bytes, byte[]> store, List<KeyValue<Bytes, byte[]>> changelog) {
            byte[] previous = store.putIfAbsent(key, GroupedStoresTest.value(value));
            if (previous == null) {
                changelog.add(KeyValue.pair(key, GroupedStoresTest.value(value)));
            }
            return text(previous);
        }

        @Override
        public String toString() {
            return "putIfAbsent(" + name(key) + ", " + value + ")";
        }
    }

    record PutAll(List<Put> entries) implements Op {
        @Override
        public String apply(KeyValueStore<Bytes, byte[]> store, List<KeyValue<Bytes, byte[]>> changelog) {
            List<KeyValue<Bytes, byte[]>> rows = entries.stream().map(e -> KeyValue.pair(e.key(), value(e.value())))
                    .collect(Collectors.toList());
            store.putAll(rows);
            changelog.addAll(rows);
            return "ok";
        }

        @Override
        public String toString() {
            return "putAll" + entries;
        }
    }

    record Delete(Bytes key) implements Op {
        @Override
        public String apply(KeyValueStore<Bytes, byte[]> store, List<KeyValue<Bytes, byte[]>> changelog) {
            byte[] old = store.delete(key);
            changelog.add(KeyValue.pair(key, null));
            return text(old);
        }

        @Override
        public String toString() {
            return "delete(" + name(key) + ")";
        }
    }

    record Get(Bytes key) implements Op {
        @Override
        public String apply(KeyValueStore<Bytes, byte[]> store, List<KeyValue<Bytes, byte[]>> changelog) {
            return text(store.get(key));
        }

        @Override
        public String toString() {
            return "get(" + name(key) + ")";
        }
    }

    /** range or reverseRange; a null bound is open. */
    record Range(Bytes from, Bytes to, boolean reverse) implements Op {
        @Override
        public String apply(KeyValueStore<Bytes, byte[]> store, List<KeyValue<Bytes, byte[]>> changelog) {
            return drain(reverse ? store.reverseRange(from, to) : store.range(from, to)).toString();
        }

        @Override
        public String toString() {
            return (reverse ? "reverseRange(" : "range(") + name(from) + ", " + name(to) + ")";
        }
    }

    record All(boolean reverse) implements Op {
        @Override
        public String apply(KeyValueStore<Bytes, byte[]> store, List<KeyValue<Bytes, byte[]>> changelog) {
            return drain(reverse ? store.reverseAll() : store.all()).toString();
        }

        @Override
        public String toString() {
            return reverse ? "reverseAll()" : "all()";
        }
    }

    record PrefixScan(Bytes prefix) implements Op {
        @Override
        public String apply(KeyValueStore<Bytes, byte[]> store, List<KeyValue<Bytes, byte[]>> changelog) {
            return drain(store.prefixScan(prefix, Serdes.Bytes().serializer())).toString();
        }

        @Override
        public String toString() {
            return "prefixScan(" + name(prefix) + ")";
        }
    }

    record Count() implements Op {
        @Override
        public String apply(KeyValueStore<Bytes, byte[]> store, List<KeyValue<Bytes, byte[]>> changelog) {
            return Long.toString(store.approximateNumEntries());
        }

        @Override
        public String toString() {
            return "approximateNumEntries()";
        }
    }

    /** The answer, or the exception's class when the operation throws: a store must throw where the other does. */
    private static String answer(Op op, KeyValueStore<Bytes, byte[]> store, List<KeyValue<Bytes, byte[]>> changelog) {
        try {
            return op.apply(store, changelog);
        } catch (RuntimeException e) {
            return "threw " + e.getClass().getSimpleName();
        }
    }

    /** Element by element, so that a failure names the first answer that differs rather than printing both lists. */
    private static void assertSame(List<String> ours, List<String> kafkas, String what, List<Op> ops) {
        for (int i = 0; i < Math.min(ours.size(), kafkas.size()); i++) {
            assertThat(ours.get(i)).as("%s, after %s", what, ops).isEqualTo(kafkas.get(i));
        }
        assertThat(ours).as("%s: answers", what).hasSameSizeAs(kafkas);
    }

    /**
     * Each operation answers the same from this store as from Kafka's in-memory store, and both hold the same rows
     * and count afterwards; then this store, restored from the changelog Kafka's logging layer would have written
     * for those writes, holds them too.
     */
    private static void assertAnswersAsKafkas(List<Op> ops, int suffixBytes) {
        Opened ours = Opened.ours(suffixBytes);
        Opened kafkas = Opened.kafkas();
        List<KeyValue<Bytes, byte[]>> changelog = new ArrayList<>();
        List<String> ourAnswers = new ArrayList<>();
        List<String> kafkasAnswers = new ArrayList<>();
        for (int i = 0; i < ops.size(); i++) {
            Op op = ops.get(i);
            ourAnswers.add("step " + (i + 1) + " " + op + " -> " + answer(op, ours.store, new ArrayList<>()));
            kafkasAnswers.add("step " + (i + 1) + " " + op + " -> " + answer(op, kafkas.store, changelog));
        }
        assertSame(ourAnswers, kafkasAnswers, "ours vs kafkas", ops);
        assertSame(contents(ours.store), contents(kafkas.store), "rows at the end, ours vs kafkas", ops);

        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        for (KeyValue<Bytes, byte[]> r : changelog) {
            records.add(changelog(records.size(), r.key, r.value));
        }
        Opened restored = Opened.ours(suffixBytes);
        restored.restore(records.subList(0, records.size() / 2));
        restored.restore(records.subList(records.size() / 2, records.size()));
        assertSame(contents(restored.store), contents(kafkas.store), "ours restored from the changelog vs kafkas", ops);
    }

    /**
     * Random sequences of every operation over ids whose bytes share prefixes (and the empty id), in the app's key
     * layout, answered as Kafka's in-memory store answers them.
     */
    @Property(tries = 300)
    void answersEveryOperationAsKafkasInMemoryStore(@ForAll("operations") List<Op> ops) {
        assertAnswersAsKafkas(ops, SLOT_BYTES);
    }

    /** Ids of different lengths: the empty one, ones that begin others ("a", "ab"; "user-1", "user-10"), non-ASCII. */
    static final List<String> IDS = List.of("", "a", "ab", "b", "user-1", "user-10", "ünï-漢");

    /** Slots 0..5 and the last one (the app's lastKey); 0x80.. bytes sort last only if compared unsigned. */
    static final List<Integer> SLOTS = List.of(0, 1, 2, 3, 4, 5, 0xFFFF);

    @Provide
    Arbitrary<List<Op>> operations() {
        Arbitrary<String> ids = Arbitraries.of(IDS);
        // the app's first and last slots, and slot 1, more often: so that gets and deletes find rows more often
        Arbitrary<Integer> slots = Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.just(0)),
                Tuple.of(2, Arbitraries.just(1)),
                Tuple.of(3, Arbitraries.of(SLOTS)),
                Tuple.of(2, Arbitraries.just(0xFFFF)));
        Arbitrary<Bytes> keys = Combinators.combine(ids, slots).as(GroupedStoresTest::key);
        // values are few so that a put often writes what a row already holds; null (a delete) now and then
        Arbitrary<String> values = Arbitraries.frequencyOf(
                Tuple.of(6, Arbitraries.integers().between(0, 9).map(i -> "v" + i)),
                Tuple.of(1, Arbitraries.just(null)));
        Arbitrary<Put> puts = Combinators.combine(keys, values).as(Put::new);
        Arbitrary<Boolean> reverse = Arbitraries.of(false, true);

        // a key cut short (possibly to nothing), or with a byte more: bytes between and around the app's keys
        Arbitrary<Bytes> cut = Combinators.combine(keys, Arbitraries.integers().between(0, 20))
                .as((k, n) -> Bytes.wrap(Arrays.copyOf(k.get(), Math.min(n, k.get().length - 1))));
        Arbitrary<Bytes> longer = Combinators.combine(keys, Arbitraries.of(0x00, 0x7F, 0xFF))
                .as((k, b) -> {
                    byte[] more = Arrays.copyOf(k.get(), k.get().length + 1);
                    more[more.length - 1] = (byte) (int) b;
                    return Bytes.wrap(more);
                });
        Arbitrary<Bytes> rawBounds = Arbitraries.of(raw(), raw(0), raw(0, 0), raw(0, 0, 0, 1), raw(0, 0, 0, 1, 'a'),
                raw(0x7F), raw(0xFF), raw(0xFF, 0xFF, 0xFF, 0xFF));
        Arbitrary<Bytes> bounds = Arbitraries.frequencyOf(
                Tuple.of(5, keys),
                Tuple.of(2, ids.map(GroupedStoresTest::group)),
                Tuple.of(2, cut),
                Tuple.of(1, longer),
                Tuple.of(1, rawBounds),
                Tuple.of(2, Arbitraries.just(null)));

        // within one group: any two slots (inverted half the time), or the app's firstKey..lastKey
        Arbitrary<Op> rangesInAGroup = Combinators.combine(ids, slots, slots, reverse)
                .as((id, a, b, r) -> new Range(key(id, a), key(id, b), r));
        Arbitrary<Op> wholeGroups = Combinators.combine(ids, reverse)
                .as((id, r) -> new Range(key(id, 0), key(id, 0xFFFF), r));
        Arbitrary<Op> rangesAcross = Combinators.combine(bounds, bounds, reverse).as(Range::new);

        // Kafka's store cannot scan for a prefix it cannot increment (empty, or all 0xFF bytes): it throws
        Arbitrary<Bytes> prefixes = Arbitraries.frequencyOf(
                        Tuple.of(3, ids.map(GroupedStoresTest::group)),
                        Tuple.of(1, keys),
                        Tuple.of(3, cut),
                        Tuple.of(1, rawBounds))
                .filter(p -> p.get().length > 0 && !allFF(p.get()));

        Arbitrary<Op> ops = Arbitraries.frequencyOf(
                Tuple.of(8, puts.map(p -> (Op) p)),
                Tuple.of(2, Combinators.combine(keys, values).as(PutIfAbsent::new)),
                Tuple.of(2, puts.list().ofMinSize(0).ofMaxSize(6).map(PutAll::new)),
                Tuple.of(4, keys.map(Delete::new)),
                Tuple.of(3, keys.map(Get::new)),
                Tuple.of(3, rangesInAGroup),
                Tuple.of(2, wholeGroups),
                Tuple.of(4, rangesAcross),
                Tuple.of(1, reverse.map(All::new)),
                Tuple.of(2, prefixes.map(PrefixScan::new)),
                Tuple.of(1, Arbitraries.just(new Count())));
        return ops.list().ofMinSize(1).ofMaxSize(80);
    }

    private static boolean allFF(byte[] b) {
        for (byte x : b) {
            if (x != (byte) 0xFF) {
                return false;
            }
        }
        return true;
    }

    // ---- through Kafka's layers, as an app uses the store ----

    /** Writes "slot=text" to the row of the record key's id in that slot; "slot=" deletes that row. */
    private static final class Writer implements Processor<String, String, Void, Void> {
        private KeyValueStore<Bytes, String> store;

        @Override
        public void init(ProcessorContext<Void, Void> context) {
            store = context.getStateStore("g");
        }

        @Override
        public void process(Record<String, String> record) {
            String[] slotAndText = record.value().split("=", -1);
            Bytes k = key(record.key(), Integer.parseInt(slotAndText[0]));
            if (slotAndText[1].isEmpty()) {
                store.delete(k);
            } else {
                store.put(k, slotAndText[1]);
            }
        }
    }

    @Test
    void underKafkasLayersAnAppsWritesAreReadBackInKeyOrderAndLoggedToTheChangelog() throws IOException {
        Topology topology = new Topology();
        topology.addSource("in", Serdes.String().deserializer(), Serdes.String().deserializer(), "in");
        topology.addProcessor("write", Writer::new, "in");
        topology.addStateStore(Stores.keyValueStoreBuilder(GroupedStores.inMemory("g", 2), Serdes.Bytes(),
                Serdes.String()), "write");
        Path stateDir = Files.createTempDirectory("grouped-stores-test");
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, "grouped");
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        p.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        try (TopologyTestDriver driver = new TopologyTestDriver(topology, p)) {
            TestInputTopic<String, String> in = driver.createInputTopic("in", Serdes.String().serializer(),
                    Serdes.String().serializer());
            List<KeyValue<String, String>> writes = List.of(
                    KeyValue.pair("user-1", "2=second"),
                    KeyValue.pair("user-10", "0=other"),
                    KeyValue.pair("user-1", "65535=last"),
                    KeyValue.pair("user-1", "0=first"),
                    KeyValue.pair("user-", "1=shorter"),
                    KeyValue.pair("user-1", "2=second again"),
                    KeyValue.pair("user-1", "3=gone soon"),
                    KeyValue.pair("user-1", "3="));
            writes.forEach(w -> in.pipeInput(w.key, w.value));

            KeyValueStore<Bytes, String> store = driver.getKeyValueStore("g");
            // the store under the metered and logging layers is this supplier's
            StateStore inner = store;
            while (inner instanceof WrappedStateStore<?, ?, ?> wrapped) {
                inner = wrapped.wrapped();
            }
            assertThat(inner).isInstanceOf(GroupedStore.class);

            List<String> rows = new ArrayList<>();
            try (KeyValueIterator<Bytes, String> it = store.range(key("user-1", 0), key("user-1", 0xFFFF))) {
                it.forEachRemaining(kv -> rows.add(name(kv.key) + "=" + kv.value));
            }
            assertThat(rows).containsExactly("'user-1'#0=first", "'user-1'#2=second again", "'user-1'#65535=last");
            List<String> reversed = new ArrayList<>();
            try (KeyValueIterator<Bytes, String> it = store.reverseRange(key("user-1", 0), key("user-1", 0xFFFF))) {
                it.forEachRemaining(kv -> reversed.add(name(kv.key) + "=" + kv.value));
            }
            assertThat(reversed).containsExactly("'user-1'#65535=last", "'user-1'#2=second again", "'user-1'#0=first");
            List<String> all = new ArrayList<>();
            try (KeyValueIterator<Bytes, String> it = store.all()) {
                it.forEachRemaining(kv -> all.add(name(kv.key) + "=" + kv.value));
            }
            // ids by length first, then bytes: "user-" (5 bytes) before "user-1" (6) before "user-10" (7)
            assertThat(all).containsExactly("'user-'#1=shorter", "'user-1'#0=first", "'user-1'#2=second again",
                    "'user-1'#65535=last", "'user-10'#0=other");
            assertThat(store.get(key("user-1", 3))).isNull();
            assertThat(store.approximateNumEntries()).isEqualTo(5);

            // one changelog record a write, in order, the delete as a tombstone
            List<TestRecord<Bytes, String>> logged = driver.createOutputTopic("grouped-g-changelog",
                    Serdes.Bytes().deserializer(), Serdes.String().deserializer()).readRecordsToList();
            assertThat(logged.stream().map(r -> name(r.key()) + "=" + r.value()).toList()).containsExactly(
                    "'user-1'#2=second", "'user-10'#0=other", "'user-1'#65535=last", "'user-1'#0=first",
                    "'user-'#1=shorter", "'user-1'#2=second again", "'user-1'#3=gone soon", "'user-1'#3=null");
        } finally {
            Utils.delete(stateDir.toFile());
        }
    }
}
