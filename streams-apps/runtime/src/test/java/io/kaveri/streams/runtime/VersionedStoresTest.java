package io.kaveri.streams.runtime;

import io.kaveri.streams.runtime.VersionedStores.InMemoryVersionedStore;
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
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.VersionedBytesStoreSupplier;
import org.apache.kafka.streams.state.VersionedKeyValueStore;
import org.apache.kafka.streams.state.VersionedRecord;
import org.apache.kafka.streams.state.internals.VersionedKeyValueToBytesStoreAdapter;
import org.apache.kafka.streams.state.internals.WrappedStateStore;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.stream.Stream;

import static org.apache.kafka.streams.state.VersionedKeyValueStore.PUT_RETURN_CODE_NOT_PUT;
import static org.apache.kafka.streams.state.VersionedKeyValueStore.PUT_RETURN_CODE_VALID_TO_UNDEFINED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The in-memory versioned store on its own (no server): lookups as of a time, tombstones, history retention, the
 * versions it drops and restore; then random operation sequences answered as Kafka's RocksDB versioned store
 * answers them.
 */
class VersionedStoresTest {

    static final long RETENTION = 1_000;

    /** A store opened with a context that records the restore callback it registers. */
    static final class Opened {
        final InMemoryVersionedStore store = new InMemoryVersionedStore("ours", RETENTION);
        private final RecordingContext context;

        Opened() {
            this.context = RecordingContext.open(store);
        }

        void restore(List<ConsumerRecord<byte[], byte[]>> records) {
            context.restore(records);
        }
    }

    static Bytes key(String k) {
        return Bytes.wrap(k.getBytes(StandardCharsets.UTF_8));
    }

    static byte[] value(String v) {
        return v.getBytes(StandardCharsets.UTF_8);
    }

    /** value@validFrom, then ..validTo when the record has one; "null" for no record. */
    static String show(VersionedRecord<byte[]> r) {
        if (r == null) {
            return "null";
        }
        return new String(r.value(), StandardCharsets.UTF_8) + "@" + r.timestamp()
                + r.validTo().map(to -> ".." + to).orElse("");
    }

    /** A changelog record as ChangeLoggingVersionedKeyValueBytesStore writes it: the version's time is the record's. */
    static ConsumerRecord<byte[], byte[]> changelog(long offset, byte[] key, byte[] value, long timestamp) {
        return new ConsumerRecord<>("app-ours-changelog", 0, offset, timestamp, TimestampType.CREATE_TIME, key.length,
                value == null ? 0 : value.length, key, value, new RecordHeaders(), Optional.empty());
    }

    static ConsumerRecord<byte[], byte[]> changelog(long offset, String k, String v, long timestamp) {
        return changelog(offset, value(k), v == null ? null : value(v), timestamp);
    }

    private final InMemoryVersionedStore store = new Opened().store;

    @Test
    void answersALookupAsOfATimeFromTheVersionInForceThenWithItsValidTo() {
        assertThat(store.put(key("a"), value("v1"), 100)).isEqualTo(PUT_RETURN_CODE_VALID_TO_UNDEFINED);
        assertThat(store.put(key("a"), value("v3"), 300)).isEqualTo(PUT_RETURN_CODE_VALID_TO_UNDEFINED);
        // an out-of-order put lands between the two and is valid until the next version
        assertThat(store.put(key("a"), value("v2"), 200)).isEqualTo(300);

        assertThat(show(store.get(key("a")))).isEqualTo("v3@300");
        assertThat(show(store.get(key("a"), 99))).isEqualTo("null");
        assertThat(show(store.get(key("a"), 100))).isEqualTo("v1@100..200");
        assertThat(show(store.get(key("a"), 199))).isEqualTo("v1@100..200");
        assertThat(show(store.get(key("a"), 200))).isEqualTo("v2@200..300");
        assertThat(show(store.get(key("a"), 300))).isEqualTo("v3@300");
        // the latest version has no validTo, however far ahead the lookup
        assertThat(show(store.get(key("a"), 10_000))).isEqualTo("v3@300");
        assertThat(store.get(key("b"))).isNull();
        assertThat(store.get(key("b"), 300)).isNull();
    }

    @Test
    void aPutAtATimeThatHasAVersionReplacesThatVersion() {
        store.put(key("a"), value("v1"), 100);
        store.put(key("a"), value("v2"), 200);
        assertThat(store.put(key("a"), value("v1b"), 100)).isEqualTo(200);
        assertThat(store.put(key("a"), value("v2b"), 200)).isEqualTo(PUT_RETURN_CODE_VALID_TO_UNDEFINED);
        assertThat(store.versions(key("a"))).isEqualTo(2);
        assertThat(show(store.get(key("a"), 150))).isEqualTo("v1b@100..200");
        assertThat(show(store.get(key("a")))).isEqualTo("v2b@200");
    }

    @Test
    void aDeleteReturnsTheRecordItEndsAndHidesTheKeyFromItsTimeOn() {
        store.put(key("a"), value("v1"), 100);
        store.put(key("a"), value("v3"), 300);
        // a delete between two versions ends the first early; the later version is untouched
        assertThat(show(store.delete(key("a"), 200))).isEqualTo("v1@100..300");
        assertThat(show(store.get(key("a"), 150))).isEqualTo("v1@100..200");
        assertThat(show(store.get(key("a"), 250))).isEqualTo("null");
        assertThat(show(store.get(key("a")))).isEqualTo("v3@300");

        assertThat(show(store.delete(key("a"), 400))).isEqualTo("v3@300");
        assertThat(store.get(key("a"))).isNull();
        assertThat(store.get(key("a"), 400)).isNull();
        // before the delete the value is still found, now with the delete as its end
        assertThat(show(store.get(key("a"), 399))).isEqualTo("v3@300..400");

        // deleting what is already deleted or never was returns nothing
        assertThat(store.delete(key("a"), 450)).isNull();
        assertThat(store.delete(key("b"), 450)).isNull();

        assertThat(store.put(key("a"), value("v5"), 500)).isEqualTo(PUT_RETURN_CODE_VALID_TO_UNDEFINED);
        assertThat(show(store.get(key("a")))).isEqualTo("v5@500");
    }

    @Test
    void aTombstoneForAKeyWithoutVersionsHidesAnOlderPutThatArrivesLater() {
        assertThat(store.delete(key("a"), 2_000)).isNull();
        assertThat(store.versions(key("a"))).isEqualTo(1);
        // within retention of the tombstone's time, so applied, but only until the tombstone
        assertThat(store.put(key("a"), value("v"), 1_500)).isEqualTo(2_000);
        assertThat(store.get(key("a"))).isNull();
        assertThat(store.get(key("a"), 2_000)).isNull();
        assertThat(show(store.get(key("a"), 1_700))).isEqualTo("v@1500..2000");
    }

    @Test
    void writesOlderThanHistoryRetentionBehindTheNewestWriteAreNotApplied() {
        store.put(key("a"), value("v5000"), 5_000);
        assertThat(store.put(key("a"), value("late"), 3_999)).isEqualTo(PUT_RETURN_CODE_NOT_PUT);
        assertThat(store.put(key("b"), value("late"), 3_999)).isEqualTo(PUT_RETURN_CODE_NOT_PUT);
        assertThat(store.delete(key("a"), 3_999)).isNull();
        assertThat(show(store.get(key("a")))).isEqualTo("v5000@5000");
        assertThat(store.get(key("b"))).isNull();
        assertThat(store.keys()).isEqualTo(1);

        // exactly one history retention behind is still in
        assertThat(store.put(key("a"), value("v4000"), 4_000)).isEqualTo(5_000);
        assertThat(show(store.get(key("a"), 4_500))).isEqualTo("v4000@4000..5000");
    }

    @Test
    void aLookupOlderThanHistoryRetentionIsAnsweredOnlyByTheLatestVersion() {
        store.put(key("a"), value("v100"), 100);
        store.put(key("b"), value("w100"), 100);
        store.put(key("a"), value("v1500"), 1_500);
        store.put(key("c"), value("x"), 2_000); // stream time 2000: lookups before 1000 are out of retention

        assertThat(show(store.get(key("a"), 1_000))).isEqualTo("v100@100..1500");
        assertThat(show(store.get(key("a"), 999))).isEqualTo("null");
        // b's only version is its latest, which never expires; Kafka's store gives it without validTo either way
        assertThat(show(store.get(key("b"), 100))).isEqualTo("w100@100");
        assertThat(show(store.get(key("b"), 99))).isEqualTo("null");
        assertThat(show(store.get(key("a"), 1_500))).isEqualTo("v1500@1500");
    }

    @Test
    void dropsTheVersionsThatNoLookupWithinHistoryRetentionCanReachWhenItsKeyIsWritten() {
        store.put(key("a"), value("v0"), 0);
        store.put(key("a"), value("v100"), 100);
        store.put(key("a"), value("v200"), 200);
        store.put(key("b"), value("w0"), 0);
        // stream time 1150: lookups reach back to 150, where v100 is in force; v0 can no longer be asked for
        store.put(key("a"), value("v1150"), 1_150);
        assertThat(store.versions(key("a"))).isEqualTo(3);
        assertThat(show(store.get(key("a"), 150))).isEqualTo("v100@100..200");

        store.put(key("a"), value("v2500"), 2_500);
        assertThat(store.versions(key("a"))).isEqualTo(2);
        assertThat(show(store.get(key("a"), 1_500))).isEqualTo("v1150@1150..2500");
        // b was not written since: its latest version stays, and answers as the latest does
        assertThat(store.versions(key("b"))).isEqualTo(1);
        assertThat(show(store.get(key("b")))).isEqualTo("w0@0");

        // a key left with only a tombstone at the retention horizon is forgotten: it answers as an absent key, and
        // no write can come before the tombstone any more
        store.put(key("c"), value("x"), 1_600);
        store.delete(key("c"), 1_700);
        assertThat(store.versions(key("c"))).isEqualTo(2);
        store.put(key("d"), value("y"), 2_700); // horizon 1700
        assertThat(store.keys()).isEqualTo(4);
        assertThat(store.delete(key("c"), 1_700)).isNull();
        assertThat(store.versions(key("c"))).isZero();
        assertThat(store.keys()).isEqualTo(3);
        assertThat(store.get(key("c"))).isNull();
        assertThat(store.get(key("c"), 1_700)).isNull();
    }

    @Test
    void restoresFromChangelogRecordsToAnswerAsAfterTheSameWrites() {
        // (key, value or null for a delete, time), including a write too old to be applied and a same-time replace
        List<ConsumerRecord<byte[], byte[]>> records = List.of(
                changelog(0, "a", "a100", 100),
                changelog(1, "b", "b150", 150),
                changelog(2, "a", "a300", 300),
                changelog(3, "a", null, 200),
                changelog(4, "b", "b150x", 150),
                changelog(5, "c", "c1600", 1_600),
                changelog(6, "b", "late", 500),
                changelog(7, "a", "a1700", 1_700),
                changelog(8, "b", null, 1_800));
        for (ConsumerRecord<byte[], byte[]> r : records) {
            if (r.value() == null) {
                store.delete(Bytes.wrap(r.key()), r.timestamp());
            } else {
                store.put(Bytes.wrap(r.key()), r.value(), r.timestamp());
            }
        }
        Opened restored = new Opened();
        // in two batches, as a restore reads the changelog in polls
        restored.restore(records.subList(0, 4));
        restored.restore(records.subList(4, records.size()));

        for (String k : List.of("a", "b", "c", "d")) {
            assertThat(show(restored.store.get(key(k)))).as(k).isEqualTo(show(store.get(key(k))));
            for (long t = 0; t <= 2_000; t += 50) {
                assertThat(show(restored.store.get(key(k), t))).as(k + " as of " + t).isEqualTo(show(store.get(key(k), t)));
            }
            assertThat(restored.store.versions(key(k))).as(k).isEqualTo(store.versions(key(k)));
        }
        assertThat(show(restored.store.get(key("a"), 1_000))).isEqualTo("a300@300..1700");
        assertThat(show(restored.store.get(key("b"), 1_000))).isEqualTo("b150x@150..1800");
        assertThat(restored.store.get(key("b"))).isNull();
        assertThat(show(restored.store.get(key("c")))).isEqualTo("c1600@1600");
    }

    @Test
    void theSupplierDescribesAnInMemoryStoreWithItsHistoryRetention() {
        VersionedBytesStoreSupplier supplier = VersionedStores.inMemory("prices", Duration.ofMillis(42));
        assertThat(supplier.name()).isEqualTo("prices");
        assertThat(supplier.historyRetentionMs()).isEqualTo(42);
        assertThat(supplier.get().persistent()).isFalse();
        assertThat(supplier.get().name()).isEqualTo("prices");
        assertThat(store.persistent()).isFalse();
        assertThatThrownBy(() -> VersionedStores.inMemory("prices", Duration.ofMillis(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("prices")
                .hasMessageContaining("negative");
    }

    // ---- differential: the same operations on this store and on Kafka's RocksDB versioned store ----

    /** A store as a processor sees it (Kafka's metered layer over the bytes adapter) and the store under those. */
    record Layers(VersionedKeyValueStore<Bytes, byte[]> metered, VersionedKeyValueStore<Bytes, byte[]> inner) {
    }

    /**
     * The {@code VersionedKeyValueStore<Bytes, byte[]>} under Kafka's metering, logging and bytes-adapter layers.
     * Only it tells a record's validTo: the adapter passes records on as value and timestamp, so a processor never
     * sees validTo from either store.
     */
    @SuppressWarnings("unchecked")
    static VersionedKeyValueStore<Bytes, byte[]> inner(StateStore store) {
        StateStore s = store;
        while (s instanceof WrappedStateStore<?, ?, ?> wrapped) {
            s = wrapped.wrapped();
        }
        try {
            // the adapter keeps the store in a package-private field
            Field inner = VersionedKeyValueToBytesStoreAdapter.class.getDeclaredField("inner");
            inner.setAccessible(true);
            return (VersionedKeyValueStore<Bytes, byte[]>) inner.get(s);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("no versioned store under " + store.name(), e);
        }
    }

    /**
     * A topology with one processor that, while it processes a record, runs whatever the test hands it on its
     * stores: Kafka's RocksDB store needs the task context that only processing provides.
     */
    static final class Harness implements AutoCloseable {
        private static final AtomicInteger APPS = new AtomicInteger();

        final String applicationId = "versioned-" + APPS.incrementAndGet();
        private final Path stateDir;
        private final TopologyTestDriver driver;
        private final TestInputTopic<byte[], byte[]> in;
        private Consumer<Map<String, Layers>> job;

        Harness(List<StoreBuilder<VersionedKeyValueStore<Bytes, byte[]>>> stores) {
            Topology topology = new Topology();
            topology.addSource("in", new ByteArrayDeserializer(), new ByteArrayDeserializer(), "in");
            topology.addProcessor("run", () -> new Processor<byte[], byte[], Void, Void>() {
                private final Map<String, Layers> opened = new LinkedHashMap<>();

                @Override
                public void init(ProcessorContext<Void, Void> context) {
                    for (StoreBuilder<?> s : stores) {
                        VersionedKeyValueStore<Bytes, byte[]> metered = context.getStateStore(s.name());
                        opened.put(s.name(), new Layers(metered, inner(metered)));
                    }
                }

                @Override
                public void process(Record<byte[], byte[]> record) {
                    job.accept(opened);
                }
            }, "in");
            stores.forEach(s -> topology.addStateStore(s, "run"));
            try {
                stateDir = Files.createTempDirectory("versioned-stores-test");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Properties p = new Properties();
            p.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
            p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
            p.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
            driver = new TopologyTestDriver(topology, p);
            in = driver.createInputTopic("in", new ByteArraySerializer(), new ByteArraySerializer());
        }

        void run(Consumer<Map<String, Layers>> job) {
            this.job = job;
            in.pipeInput(new byte[0], new byte[0]);
        }

        List<TestRecord<Bytes, byte[]>> changelog(String store) {
            return driver.createOutputTopic(applicationId + "-" + store + "-changelog", Serdes.Bytes().deserializer(),
                    Serdes.ByteArray().deserializer()).readRecordsToList();
        }

        @Override
        public void close() throws IOException {
            try {
                driver.close();
            } finally {
                Utils.delete(stateDir.toFile());
            }
        }
    }

    enum Kind { PUT, DELETE, GET, GET_AS_OF }

    /**
     * One operation. Writes go through Kafka's layers, as a processor's do (so that the changelog has them); a lookup
     * asks the store under them ({@code direct}, with validTo) or through them.
     */
    record Op(Kind kind, int key, long time, boolean direct) {
        @Override
        public String toString() {
            String via = direct || kind == Kind.PUT || kind == Kind.DELETE ? "" : "metered.";
            return via + switch (kind) {
                case PUT -> "put(k" + key + ", @" + time + ")";
                case DELETE -> "delete(k" + key + ", @" + time + ")";
                case GET -> "get(k" + key + ")";
                case GET_AS_OF -> "get(k" + key + ", asOf " + time + ")";
            };
        }
    }

    private static final int KEYS = 2;

    /**
     * The answer of one store to one operation, as text: a put's return code, a record as {@link #show}. A delete
     * answers the record it returns and, since that comes through Kafka's layers without validTo, the record the
     * store under them finds at its time just before.
     */
    private static String apply(Layers layers, Op op, int step) {
        VersionedKeyValueStore<Bytes, byte[]> reader = op.direct() ? layers.inner() : layers.metered();
        Bytes k = key("k" + op.key());
        return switch (op.kind()) {
            case PUT -> Long.toString(layers.metered().put(k, value("v" + step), op.time()));
            case DELETE -> {
                String before = show(layers.inner().get(k, op.time()));
                yield show(layers.metered().delete(k, op.time())) + " (found " + before + ")";
            }
            case GET -> show(reader.get(k));
            case GET_AS_OF -> show(reader.get(k, op.time()));
        };
    }

    /** Every key's latest record and its record as of every 25 ms over the times written. */
    private static List<String> lookups(VersionedKeyValueStore<Bytes, byte[]> s) {
        List<String> out = new ArrayList<>();
        for (int k = 0; k < KEYS; k++) {
            out.add("k" + k + " " + show(s.get(key("k" + k))));
            for (long t = -25; t <= 4_100; t += 25) {
                out.add("k" + k + " asOf " + t + " " + show(s.get(key("k" + k), t)));
            }
        }
        return out;
    }

    /** Element by element, so that a failure names the first answer that differs rather than printing both lists. */
    private static void assertSame(List<String> ours, List<String> kafkas, String what, List<Op> ops) {
        assertThat(ours).as("%s: answers", what).hasSameSizeAs(kafkas);
        for (int i = 0; i < ours.size(); i++) {
            assertThat(ours.get(i)).as("%s, after %s", what, ops).isEqualTo(kafkas.get(i));
        }
    }

    /**
     * Each operation answers the same from this store as from Kafka's RocksDB one, with its default segment interval
     * (all of these times in one segment) and with 100 ms segments (which expire as stream time passes); so do
     * lookups of every key over all times afterwards. Then this store, restored from the changelog Kafka's store
     * wrote, answers every lookup as Kafka's store does.
     */
    @Property(tries = 200)
    void answersAsKafkasRocksDbVersionedStore(@ForAll("operations") List<Op> ops) throws IOException {
        assertAnswersAsKafkas(ops);
    }

    /**
     * A delete at exactly the time of a key's latest version, then a put before it, where Kafka's store keeps the
     * tombstone because a record version of its own ends at that time; found by the property above.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("deletesAtTheTimeOfTheLatestVersion")
    void answersAsKafkasStoreAroundADeleteAtTheTimeOfTheLatestVersion(List<Op> ops) throws IOException {
        assertAnswersAsKafkas(ops);
    }

    static Stream<List<Op>> deletesAtTheTimeOfTheLatestVersion() {
        return Stream.of(
                List.of(put(4_000), delete(3_300), delete(4_000), put(3_500)),
                List.of(delete(3_800), put(3_800), delete(3_800), put(3_500)));
    }

    /**
     * Where Kafka 4.3's RocksDB store forgets a delete: at the time of the latest value, with no record version of
     * its own ending there, it drops the value and keeps no tombstone, so a later put before that time becomes the
     * key's latest value. This store keeps the tombstone, as {@code VersionedKeyValueStore} documents (one record
     * per key and timestamp, the second replacing the first), so the key stays deleted from that time on.
     */
    @Test
    void aDeleteAtTheTimeOfTheLatestValueStaysADeleteWhenAnOlderPutArrivesLater() {
        Opened opened = new Opened();
        InMemoryVersionedStore s = opened.store;
        Bytes k = key("k");
        s.put(k, value("created"), 4_000);
        assertThat(show(s.delete(k, 4_000))).isEqualTo(show(new VersionedRecord<>(value("created"), 4_000)));
        assertThat(s.put(k, value("late"), 3_999)).as("valid until the delete").isEqualTo(4_000);
        assertThat(s.get(k)).isNull();
        assertThat(s.get(k, 4_500)).isNull();
        assertThat(show(s.get(k, 3_999))).isEqualTo(show(new VersionedRecord<>(value("late"), 3_999, 4_000)));

        Bytes k2 = key("k2");
        s.put(k2, value("a"), 3_100);
        s.delete(k2, 3_150);
        s.put(k2, value("b"), 3_200);
        s.delete(k2, 3_200);
        assertThat(s.put(k2, value("c"), 3_180)).isEqualTo(3_200);
        assertThat(s.get(k2, 3_300)).isNull();
    }

    private static Op put(long time) {
        return new Op(Kind.PUT, 0, time, true);
    }

    private static Op delete(long time) {
        return new Op(Kind.DELETE, 0, time, true);
    }

    private static void assertAnswersAsKafkas(List<Op> ops) throws IOException {
        Duration retention = Duration.ofMillis(RETENTION);
        List<StoreBuilder<VersionedKeyValueStore<Bytes, byte[]>>> builders = List.of(
                Stores.versionedKeyValueStoreBuilder(VersionedStores.inMemory("ours", retention), Serdes.Bytes(),
                        Serdes.ByteArray()).withLoggingDisabled(),
                Stores.versionedKeyValueStoreBuilder(Stores.persistentVersionedKeyValueStore("kafkas", retention),
                        Serdes.Bytes(), Serdes.ByteArray()).withLoggingEnabled(Map.of()),
                Stores.versionedKeyValueStoreBuilder(Stores.persistentVersionedKeyValueStore("kafkas-small-segments",
                        retention, Duration.ofMillis(100)), Serdes.Bytes(), Serdes.ByteArray()).withLoggingDisabled());
        Map<String, List<String>> answers = new LinkedHashMap<>();
        Map<String, List<String>> lookups = new LinkedHashMap<>();
        Map<String, List<String>> meteredLookups = new LinkedHashMap<>();
        try (Harness harness = new Harness(builders)) {
            harness.run(stores -> stores.forEach((name, layers) -> {
                List<String> a = new ArrayList<>();
                for (int i = 0; i < ops.size(); i++) {
                    a.add("step " + (i + 1) + " " + ops.get(i) + " -> " + apply(layers, ops.get(i), i + 1));
                }
                answers.put(name, a);
                lookups.put(name, lookups(layers.inner()));
                meteredLookups.put(name, lookups(layers.metered()));
            }));
            for (String kafkas : List.of("kafkas", "kafkas-small-segments")) {
                assertSame(answers.get("ours"), answers.get(kafkas), "ours vs " + kafkas, ops);
                assertSame(lookups.get("ours"), lookups.get(kafkas), "lookups at the end, ours vs " + kafkas, ops);
                assertSame(meteredLookups.get("ours"), meteredLookups.get(kafkas),
                        "metered lookups at the end, ours vs " + kafkas, ops);
            }

            Opened restored = new Opened();
            List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
            for (TestRecord<Bytes, byte[]> r : harness.changelog("kafkas")) {
                records.add(changelog(records.size(), r.key().get(), r.value(), r.timestamp()));
            }
            restored.restore(records);
            assertSame(lookups(restored.store), lookups.get("kafkas"), "ours restored from Kafka's changelog vs kafkas", ops);
        }
    }

    @Provide
    Arbitrary<List<Op>> operations() {
        // Times over four history retentions so that writes and lookups expire; half of them on a 200 ms grid so
        // that versions share timestamps (replaces) and lookups hit version boundaries exactly. Two keys and many
        // deletes, so that a key's history has tombstones among its versions.
        Arbitrary<Kind> kinds = Arbitraries.frequencyOf(
                Tuple.of(5, Arbitraries.just(Kind.PUT)),
                Tuple.of(3, Arbitraries.just(Kind.DELETE)),
                Tuple.of(1, Arbitraries.just(Kind.GET)),
                Tuple.of(3, Arbitraries.just(Kind.GET_AS_OF)));
        Arbitrary<Long> times = Arbitraries.oneOf(
                Arbitraries.longs().between(0, 4_000),
                Arbitraries.longs().between(0, 20).map(t -> t * 200));
        Arbitrary<Integer> keys = Arbitraries.integers().between(0, KEYS - 1);
        Arbitrary<Boolean> direct = Arbitraries.of(true, true, false);
        return Combinators.combine(kinds, keys, times, direct).as(Op::new).list().ofMinSize(1).ofMaxSize(60)
                .map(VersionedStoresTest::withoutDeletesAtAPutsTime);
    }

    /**
     * The sequence with each delete moved off the times of its key's earlier puts: a delete at the time of the latest
     * value is where this store and Kafka's differ on purpose (see the test above); a delete at the time of an older
     * version is covered by the fixed sequences.
     */
    private static List<Op> withoutDeletesAtAPutsTime(List<Op> ops) {
        List<Op> out = new ArrayList<>(ops.size());
        Map<Integer, Set<Long>> putTimes = new HashMap<>();
        for (Op op : ops) {
            Set<Long> times = putTimes.computeIfAbsent(op.key(), k -> new HashSet<>());
            if (op.kind() == Kind.PUT) {
                times.add(op.time());
                out.add(op);
            } else if (op.kind() == Kind.DELETE) {
                long t = op.time();
                while (times.contains(t)) {
                    t++;
                }
                out.add(new Op(op.kind(), op.key(), t, op.direct()));
            } else {
                out.add(op);
            }
        }
        return out;
    }
}
