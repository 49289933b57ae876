package io.kaveri.streams.enrichment;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.kstream.internals.SessionWindow;
import org.apache.kafka.streams.processor.StateRestoreCallback;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.internals.RecordBatchingStateRestoreCallback;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.SessionStore;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.internals.InMemorySessionStore;
import org.apache.kafka.streams.state.internals.SessionKeySchema;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The store on its own (no server): Kafka's session store contract, expiry, changelog format and restore. */
class KeyOrderedSessionStoreTest {

    static final long RETENTION = 1_000;

    /** A store opened with a context that records the restore callback it registers. */
    static final class Opened {
        final SessionStore<Bytes, byte[]> store;
        final AtomicReference<StateRestoreCallback> restore = new AtomicReference<>();

        Opened(SessionStore<Bytes, byte[]> store) {
            this.store = store;
            StateStoreContext context = (StateStoreContext) Proxy.newProxyInstance(getClass().getClassLoader(),
                    new Class<?>[] {StateStoreContext.class}, (proxy, method, args) -> switch (method.getName()) {
                        case "register" -> {
                            restore.set((StateRestoreCallback) args[1]);
                            yield null;
                        }
                        case "appConfigs" -> Map.of();
                        case "recordMetadata" -> Optional.empty();
                        case "taskId" -> new TaskId(0, 0);
                        case "applicationId" -> "test";
                        default -> throw new UnsupportedOperationException(method.getName());
                    });
            store.init(context, store);
        }

        static Opened ours() {
            return new Opened(new KeyOrderedSessionStore("ours", RETENTION));
        }

        /** Sweeps keys without sessions after every second one, so that short tests see sweeps. */
        static Opened oursSweepingOften() {
            return new Opened(new KeyOrderedSessionStore("ours", RETENTION, 2));
        }

        static Opened kafkas() {
            return new Opened(new InMemorySessionStore("kafka", RETENTION, "in-memory-session"));
        }
    }

    static Bytes key(String k) {
        return Bytes.wrap(k.getBytes(StandardCharsets.UTF_8));
    }

    static Windowed<Bytes> session(String k, long start, long end) {
        return new Windowed<>(key(k), new SessionWindow(start, end));
    }

    static byte[] value(String v) {
        return v.getBytes(StandardCharsets.UTF_8);
    }

    /** key[start,end]=value, in iteration order. */
    static List<String> read(KeyValueIterator<Windowed<Bytes>, byte[]> it) {
        List<String> out = new ArrayList<>();
        try (it) {
            it.forEachRemaining(kv -> out.add(new String(kv.key.key().get(), StandardCharsets.UTF_8) + "["
                    + kv.key.window().start() + "," + kv.key.window().end() + "]="
                    + new String(kv.value, StandardCharsets.UTF_8)));
        }
        return out;
    }

    private final SessionStore<Bytes, byte[]> store = Opened.ours().store;

    @Test
    void findsAKeysSessionsByEndAndStartBoundsOnlyForThatKey() {
        store.put(session("a", 0, 10), value("1"));
        store.put(session("a", 20, 30), value("2"));
        store.put(session("a", 50, 60), value("3"));
        store.put(session("ab", 0, 25), value("x"));   // a longer key with "a" as its prefix
        store.put(session("b", 5, 25), value("y"));

        assertThat(read(store.findSessions(key("a"), 10, 50))).containsExactly("a[0,10]=1", "a[20,30]=2", "a[50,60]=3");
        assertThat(read(store.findSessions(key("a"), 11, 49))).containsExactly("a[20,30]=2");
        assertThat(read(store.backwardFindSessions(key("a"), 0, 100))).containsExactly("a[50,60]=3", "a[20,30]=2", "a[0,10]=1");
        assertThat(read(store.fetch(key("a")))).containsExactly("a[0,10]=1", "a[20,30]=2", "a[50,60]=3");
        assertThat(read(store.backwardFetch(key("ab")))).containsExactly("ab[0,25]=x");
        assertThat(read(store.findSessions(key("a"), key("ab"), 20, 100))).containsExactly("a[20,30]=2", "a[50,60]=3", "ab[0,25]=x");
        assertThat(read(store.fetch(null, key("ab")))).hasSize(4);
        assertThat(read(store.backwardFetch(key("ab"), null))).containsExactly("b[5,25]=y", "ab[0,25]=x");
        assertThat(store.fetchSession(key("a"), 20, 30)).asString(StandardCharsets.UTF_8).isEqualTo("2");
        assertThat(store.fetchSession(key("a"), 20, 31)).isNull();
    }

    @Test
    void findsSessionsByEndTimeAcrossKeysInEndOrder() {
        store.put(session("b", 0, 10), value("1"));
        store.put(session("a", 5, 10), value("2"));
        store.put(session("a", 0, 20), value("3"));
        store.put(session("c", 30, 30), value("4"));
        assertThat(read(store.findSessions(10, 20))).containsExactly("a[5,10]=2", "b[0,10]=1", "a[0,20]=3");
        assertThat(read(store.findSessions(21, 29))).isEmpty();
        assertThat(read(store.findSessions(30, 10))).isEmpty();
    }

    @Test
    void aNullValueOrRemoveDeletesTheSession() {
        store.put(session("a", 0, 10), value("1"));
        store.put(session("a", 20, 30), value("2"));
        store.put(session("a", 0, 10), null);
        store.remove(session("a", 20, 30));
        store.remove(session("a", 40, 50)); // absent: no effect
        assertThat(read(store.fetch(key("a")))).isEmpty();
        assertThat(read(store.findSessions(0, 100))).isEmpty();
    }

    @Test
    void sessionsEndingAtOrBeforeTheRetentionBehindTheLatestEndExpire() {
        store.put(session("a", 0, 10), value("old"));
        store.put(session("b", 500, 1_009), value("kept"));
        assertThat(read(store.fetch(key("a")))).containsExactly("a[0,10]=old");
        store.put(session("c", 1_011, 1_011), value("new"));      // 1011 - 1000 >= 10: a's session has expired
        assertThat(read(store.fetch(key("a")))).isEmpty();
        assertThat(store.fetchSession(key("a"), 0, 10)).isNull();
        store.put(session("a", 0, 11), value("too late"));        // at or before the retention: not stored
        assertThat(read(store.fetch(key("a")))).isEmpty();
        assertThat(read(store.fetch(null, null))).containsExactly("b[500,1009]=kept", "c[1011,1011]=new");
        assertThat(((KeyOrderedSessionStore) store).size()).isEqualTo(2);
    }

    @Test
    void keysLeftWithoutSessionsAreDroppedInBatches() {
        int n = KeyOrderedSessionStore.SWEEP_EVERY - 1;
        for (int i = 0; i < n; i++) {
            store.put(session("user-" + i, 0, i % 10), value("x"));
            store.remove(session("user-" + i, 0, i % 10));
        }
        KeyOrderedSessionStore ours = (KeyOrderedSessionStore) store;
        assertThat(ours.keys()).as("not swept yet").isEqualTo(n);
        store.put(session("user-0", 5, 5), value("back"));            // refills a queued key
        store.put(session("last", 6, 6), value("x"));
        store.put(session("last", 6, 6), null);                        // a removal through put, the last emptied key: sweeps
        store.put(session("other", 7, 7), value("y"));
        assertThat(ours.keys()).isEqualTo(2);
        assertThat(read(store.fetch(null, null))).containsExactly("other[7,7]=y", "user-0[5,5]=back");
        store.put(session("user-1", 8, 8), value("again"));
        assertThat(read(store.fetch(key("user-1")))).containsExactly("user-1[8,8]=again");
    }

    @Test
    void aKeyRangeFromAfterToIsEmptyAndNullKeysAreRefused() {
        store.put(session("a", 0, 10), value("1"));
        assertThat(read(store.findSessions(key("b"), key("a"), 0, 100))).isEmpty();
        assertThatThrownBy(() -> store.fetch(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> store.findSessions(null, 0, 10)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void iteratorsAreWeaklyConsistentWhileTheStoreChanges() {
        store.put(session("a", 0, 10), value("1"));
        store.put(session("a", 20, 30), value("2"));
        try (KeyValueIterator<Windowed<Bytes>, byte[]> it = store.fetch(key("a"))) {
            assertThat(it.peekNextKey().window().end()).isEqualTo(10);
            store.remove(session("a", 20, 30));
            store.put(session("a", 40, 50), value("3"));
            List<Long> ends = new ArrayList<>();
            it.forEachRemaining(kv -> ends.add(kv.key.window().end()));
            assertThat(ends).startsWith(10L).isSorted().doesNotHaveDuplicates();
        }
    }

    @Test
    void restoresKafkasBinarySessionKeysThroughTheRegisteredCallback() {
        Opened restored = Opened.ours();
        byte[] binary = SessionKeySchema.toBinary(session("user-1", 5, 25)).get();
        List<ConsumerRecord<byte[], byte[]>> changelog = List.of(
                new ConsumerRecord<>("changelog", 0, 0, binary, value("v1")),
                new ConsumerRecord<>("changelog", 0, 1, SessionKeySchema.toBinary(session("user-2", 0, 0)).get(), value("v2")),
                new ConsumerRecord<>("changelog", 0, 2, SessionKeySchema.toBinary(session("user-2", 0, 0)).get(), null));
        ((RecordBatchingStateRestoreCallback) restored.restore.get()).restoreBatch(changelog);
        assertThat(read(restored.store.fetch(null, null))).containsExactly("user-1[5,25]=v1");
        assertThatThrownBy(() -> ((KeyOrderedSessionStore) restored.store).restore(new byte[3], value("x")))
                .hasMessageContaining("ours").hasMessageContaining("not a session key");
    }

    /**
     * Through {@code Stores.sessionStoreBuilder} with logging, the same operations write the same changelog as
     * Kafka's in-memory store, and that changelog restores the same sessions.
     */
    @Test
    void writesKafkasChangelogFormatAndRestoresFromIt() {
        Topology topology = new Topology();
        topology.addSource("ops", Serdes.String().deserializer(), Serdes.String().deserializer(), "ops");
        topology.addProcessor("apply", () -> new Processor<String, String, Void, Void>() {
            private List<SessionStore<String, String>> stores;

            @Override
            public void init(ProcessorContext<Void, Void> context) {
                stores = List.of(context.getStateStore("ours"), context.getStateStore("kafka"));
            }

            @Override
            public void process(Record<String, String> record) {
                String[] op = record.value().split(":");
                Windowed<String> s = new Windowed<>(record.key(), new SessionWindow(Long.parseLong(op[1]), Long.parseLong(op[2])));
                stores.forEach(store -> {
                    if (op[0].equals("put")) {
                        store.put(s, op[3]);
                    } else {
                        store.remove(s);
                    }
                });
            }
        }, "ops");
        topology.addStateStore(Stores.sessionStoreBuilder(KeyOrderedSessionStore.supplier("ours", RETENTION),
                Serdes.String(), Serdes.String()).withLoggingEnabled(Map.of()), "apply");
        topology.addStateStore(Stores.sessionStoreBuilder(Stores.inMemorySessionStore("kafka", Duration.ofMillis(RETENTION)),
                Serdes.String(), Serdes.String()).withLoggingEnabled(Map.of()), "apply");
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "store-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        try (TopologyTestDriver driver = new TopologyTestDriver(topology, props)) {
            var ops = driver.createInputTopic("ops", Serdes.String().serializer(), Serdes.String().serializer());
            ops.pipeInput("ann", "put:0:10:a1");
            ops.pipeInput("bob", "put:5:5:b1");
            ops.pipeInput("ann", "remove:0:10");
            ops.pipeInput("ann", "put:0:40:a2");
            ops.pipeInput("bob", "put:5:5:b2");
            ops.pipeInput("cid", "put:2000:2000:c1");   // expires everything else in both stores
            ops.pipeInput("ann", "put:1500:1600:a3");

            List<KeyValue<Bytes, Bytes>> ours = changelog(driver, "store-test-ours-changelog");
            assertThat(ours).hasSize(7).isEqualTo(changelog(driver, "store-test-kafka-changelog"));

            Opened restored = Opened.ours();
            List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
            for (KeyValue<Bytes, Bytes> kv : ours) {
                records.add(new ConsumerRecord<>("c", 0, records.size(), kv.key.get(), kv.value == null ? null : kv.value.get()));
            }
            ((RecordBatchingStateRestoreCallback) restored.restore.get()).restoreBatch(records);
            List<String> live = new ArrayList<>();
            try (KeyValueIterator<Windowed<String>, String> it = driver.<String, String>getSessionStore("ours").fetch(null, null)) {
                it.forEachRemaining(kv -> live.add(kv.key.key() + "[" + kv.key.window().start() + "," + kv.key.window().end() + "]"));
            }
            assertThat(live).containsExactly("ann[1500,1600]", "cid[2000,2000]");
            assertThat(read(restored.store.fetch(null, null))).extracting(s -> s.substring(s.indexOf('=') + 1))
                    .containsExactly("a3", "c1");
        }
    }

    private static List<KeyValue<Bytes, Bytes>> changelog(TopologyTestDriver driver, String topic) {
        return driver.createOutputTopic(topic, Serdes.Bytes().deserializer(), Serdes.Bytes().deserializer())
                .readRecordsToList().stream().map((TestRecord<Bytes, Bytes> r) -> KeyValue.pair(r.key(), r.value())).toList();
    }

    @Test
    void theSupplierDescribesAnUnsegmentedInMemoryStore() {
        var supplier = KeyOrderedSessionStore.supplier("s", 42);
        assertThat(supplier.retentionPeriod()).isEqualTo(42);
        assertThat(supplier.segmentIntervalMs()).isEqualTo(1);
        StateStore s = supplier.get();
        assertThat(s.persistent()).isFalse();
        assertThat(s.name()).isEqualTo("s");
        assertThatThrownBy(() -> KeyOrderedSessionStore.supplier("s", -1)).hasMessageContaining("s");
    }
}
