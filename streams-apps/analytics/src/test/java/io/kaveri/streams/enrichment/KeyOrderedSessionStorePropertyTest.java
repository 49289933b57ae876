package io.kaveri.streams.enrichment;

import io.kaveri.streams.enrichment.KeyOrderedSessionStoreTest.Opened;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.kstream.internals.SessionWindow;
import org.apache.kafka.streams.state.SessionStore;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static io.kaveri.streams.enrichment.KeyOrderedSessionStoreTest.read;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Random sequences of writes and queries give the same answers from this store as from Kafka's
 * {@code InMemorySessionStore} (same retention): the same sessions, in the same order for queries of one key and
 * queries by end time. Queries over a key range are compared as sets: Kafka's store returns them by end time,
 * this one by key.
 */
class KeyOrderedSessionStorePropertyTest {

    /** Keys that share prefixes, an empty key and bytes above 0x7F (keys compare as unsigned bytes). */
    private static final List<Bytes> KEYS = List.of(Bytes.wrap(new byte[0]), key("a"), key("ab"), key("b"),
            Bytes.wrap(new byte[] {(byte) 0xFF}), Bytes.wrap(new byte[] {(byte) 0xFF, 0}), key("user-10"), key("user-1"));

    private static Bytes key(String k) {
        return Bytes.wrap(k.getBytes(StandardCharsets.UTF_8));
    }

    enum Kind { PUT, DELETE, REMOVE, FETCH_SESSION, FIND, BACKWARD_FIND, FIND_RANGE, BACKWARD_FIND_RANGE, FETCH,
        BACKWARD_FETCH, FETCH_RANGE, FIND_BY_END }

    record Op(Kind kind, int key, int key2, long a, long b) {
    }

    @Property(tries = 300)
    void answersAsKafkasInMemorySessionStore(@ForAll("operations") List<Op> ops) {
        SessionStore<Bytes, byte[]> ours = Opened.oursSweepingOften().store;
        SessionStore<Bytes, byte[]> kafkas = Opened.kafkas().store;
        int step = 0;
        for (Op op : ops) {
            step++;
            Bytes k = KEYS.get(op.key());
            Bytes k2 = KEYS.get(op.key2());
            long start = Math.min(op.a(), op.b());
            long end = Math.max(op.a(), op.b());
            String at = "step " + step + " " + op;
            switch (op.kind()) {
                case PUT -> {
                    byte[] v = ("v" + step).getBytes(StandardCharsets.UTF_8);
                    ours.put(new Windowed<>(k, new SessionWindow(start, end)), v);
                    kafkas.put(new Windowed<>(k, new SessionWindow(start, end)), v);
                }
                case DELETE -> {
                    ours.put(new Windowed<>(k, new SessionWindow(start, end)), null);
                    kafkas.put(new Windowed<>(k, new SessionWindow(start, end)), null);
                }
                case REMOVE -> {
                    ours.remove(new Windowed<>(k, new SessionWindow(start, end)));
                    kafkas.remove(new Windowed<>(k, new SessionWindow(start, end)));
                }
                case FETCH_SESSION -> assertThat(ours.fetchSession(k, start, end)).as(at)
                        .isEqualTo(kafkas.fetchSession(k, start, end));
                case FIND -> assertThat(read(ours.findSessions(k, op.a(), op.b()))).as(at)
                        .isEqualTo(read(kafkas.findSessions(k, op.a(), op.b())));
                case BACKWARD_FIND -> assertThat(read(ours.backwardFindSessions(k, op.a(), op.b()))).as(at)
                        .isEqualTo(read(kafkas.backwardFindSessions(k, op.a(), op.b())));
                case FIND_RANGE -> assertThat(read(ours.findSessions(k, k2, op.a(), op.b()))).as(at)
                        .containsExactlyInAnyOrderElementsOf(read(kafkas.findSessions(k, k2, op.a(), op.b())));
                case BACKWARD_FIND_RANGE -> assertThat(read(ours.backwardFindSessions(k, k2, op.a(), op.b()))).as(at)
                        .containsExactlyInAnyOrderElementsOf(read(kafkas.backwardFindSessions(k, k2, op.a(), op.b())));
                case FETCH -> assertThat(read(ours.fetch(k))).as(at).isEqualTo(read(kafkas.fetch(k)));
                case BACKWARD_FETCH -> assertThat(read(ours.backwardFetch(k))).as(at).isEqualTo(read(kafkas.backwardFetch(k)));
                case FETCH_RANGE -> {
                    // Kafka's store fails on from > to here (its other range queries answer empty, as this one does)
                    Bytes from = op.a() % 3 == 0 ? null : min(k, k2);
                    Bytes to = op.b() % 3 == 0 ? null : max(k, k2);
                    assertThat(read(ours.fetch(from, to))).as(at).containsExactlyInAnyOrderElementsOf(read(kafkas.fetch(from, to)));
                }
                // from > to: Kafka's store fails, this one answers empty (asserted in KeyOrderedSessionStoreTest)
                case FIND_BY_END -> assertThat(read(ours.findSessions(start, end))).as(at)
                        .isEqualTo(read(kafkas.findSessions(start, end)));
                default -> throw new IllegalStateException(op.kind().name());
            }
        }
        assertThat(read(ours.fetch(null, null))).containsExactlyInAnyOrderElementsOf(read(kafkas.fetch(null, null)));
    }

    private static Bytes min(Bytes a, Bytes b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private static Bytes max(Bytes a, Bytes b) {
        return a.compareTo(b) <= 0 ? b : a;
    }

    @Provide
    Arbitrary<List<Op>> operations() {
        // Times within a few retentions (1000 ms) so that expiry happens; puts weigh more so that stores fill up.
        Arbitrary<Kind> kinds = Arbitraries.frequencyOf(
                Tuple.of(8, Arbitraries.just(Kind.PUT)),
                Tuple.of(1, Arbitraries.of(Kind.DELETE, Kind.REMOVE)),
                Tuple.of(4, Arbitraries.of(Kind.FETCH_SESSION, Kind.FIND, Kind.BACKWARD_FIND, Kind.FIND_RANGE,
                        Kind.BACKWARD_FIND_RANGE, Kind.FETCH, Kind.BACKWARD_FETCH, Kind.FETCH_RANGE, Kind.FIND_BY_END)));
        Arbitrary<Long> times = Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.longs().between(0, 4_000)),
                Tuple.of(1, Arbitraries.longs().between(0, 40)));
        Arbitrary<Integer> keys = Arbitraries.integers().between(0, KEYS.size() - 1);
        return Combinators.combine(kinds, keys, keys, times, times).as(Op::new).list().ofMinSize(1).ofMaxSize(80);
    }
}
