package io.kaveri.streams.runtime;

import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BinarySerdeTest {

    record State(String id, long count, int small, double value, boolean flag, BigDecimal amount, RunningStats stats) {
    }

    private static final BinarySerde<State> SERDE = BinarySerde.of(State.class, 2,
            (out, s) -> {
                out.writeString(s.id()).writeLong(s.count()).writeInt(s.small()).writeDouble(s.value())
                        .writeBoolean(s.flag()).writeDecimal(s.amount());
                s.stats().writeTo(out);
            },
            (in, version) -> new State(in.readString(), in.readLong(), in.readInt(), in.readDouble(), in.readBoolean(),
                    version == 1 ? BigDecimal.ZERO : in.readDecimal(), RunningStats.readFrom(in)));

    private static State roundTrip(State s) {
        return SERDE.deserializer().deserialize("t", SERDE.serializer().serialize("t", s));
    }

    @Test
    void everyFieldRoundTripsExactlyAtItsEdges() {
        List<Long> longs = List.of(0L, 1L, -1L, 63L, 64L, -64L, -65L, Long.MAX_VALUE, Long.MIN_VALUE, 1_764_000_000_000L);
        List<Double> doubles = List.of(0.0, -0.0, 0.1, -1e308, Double.MIN_VALUE, Double.NaN, Double.POSITIVE_INFINITY, 20.123456789);
        List<BigDecimal> decimals = List.of(new BigDecimal("0.00000001"), new BigDecimal("-123.45"),
                new BigDecimal("92233720368547758070.12345678"), // unscaled beyond a long
                new BigDecimal(Long.MIN_VALUE).movePointLeft(8), new BigDecimal("1E+5"));
        for (long l : longs) {
            for (double d : doubles) {
                for (BigDecimal b : decimals) {
                    State s = new State("sensor-é|" + l, l, (int) l, d, l % 2 == 0, b, new RunningStats(l, d, -d));
                    State back = roundTrip(s);
                    assertThat(back).isEqualTo(s);
                    assertThat(back.amount().scale()).isEqualTo(b.scale());
                }
            }
        }
        assertThat(roundTrip(new State(null, 0, 0, 0, false, BigDecimal.ONE, RunningStats.EMPTY)).id()).isNull();
        assertThat(SERDE.serializer().serialize("t", null)).isNull();
        assertThat(SERDE.deserializer().deserialize("t", null)).isNull();
    }

    @Test
    void smallNumbersTakeFewBytes() {
        byte[] bytes = SERDE.serializer().serialize("t",
                new State("a", 5, -3, 1.5, true, new BigDecimal("12.50000000"), RunningStats.EMPTY));
        // version 1 + id 2 + count 1 + small 1 + double 8 + flag 1 + decimal (scale 1, form 1, unscaled 5) + stats 1+8+8
        assertThat(bytes).hasSize(1 + 2 + 1 + 1 + 8 + 1 + 7 + 17);
    }

    @Test
    void theReaderIsGivenTheLayoutItFinds() {
        BinarySerde<State> v1 = BinarySerde.of(State.class, 1, (out, s) -> {
            out.writeString(s.id()).writeLong(s.count()).writeInt(s.small()).writeDouble(s.value()).writeBoolean(s.flag());
            s.stats().writeTo(out);
        }, (in, version) -> null);
        byte[] old = v1.serializer().serialize("t", new State("x", 1, 2, 3, true, null, RunningStats.EMPTY.add(4)));
        assertThat(SERDE.deserializer().deserialize("t", old))
                .isEqualTo(new State("x", 1, 2, 3, true, BigDecimal.ZERO, RunningStats.EMPTY.add(4)));
    }

    @Test
    void jsonOfAnEarlierReleaseIsReadWhenAsked() {
        record Plain(String id, double value) {
        }
        BinarySerde<Plain> serde = BinarySerde.of(Plain.class, 1, (out, p) -> out.writeString(p.id()).writeDouble(p.value()),
                (in, version) -> new Plain(in.readString(), in.readDouble()));
        byte[] json = JsonSerde.of(Plain.class).serializer().serialize("t", new Plain("d", 2.5));
        assertThat(serde.readingJson().deserializer().deserialize("t", json)).isEqualTo(new Plain("d", 2.5));
        assertThatThrownBy(() -> serde.deserializer().deserialize("t", json))
                .isInstanceOf(SerializationException.class).hasMessageContaining("unknown layout version");
    }

    @Test
    void unreadableBytesNameTheTypeAndTopic() {
        byte[] whole = SERDE.serializer().serialize("t", new State("abc", 1, 1, 1, true, BigDecimal.TEN, RunningStats.EMPTY));
        assertThatThrownBy(() -> SERDE.deserializer().deserialize("store-changelog", Arrays.copyOf(whole, 10)))
                .isInstanceOf(SerializationException.class).hasMessageContaining("State").hasMessageContaining("store-changelog");
        assertThatThrownBy(() -> SERDE.deserializer().deserialize("store-changelog", new byte[] {9, 0}))
                .isInstanceOf(SerializationException.class).hasMessageContaining("version 9").hasMessageContaining("store-changelog");
        assertThatThrownBy(() -> SERDE.deserializer().deserialize("store-changelog", "{}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(SerializationException.class).hasMessageContaining("store-changelog");
        assertThatThrownBy(() -> BinarySerde.of(State.class, '{', (out, s) -> { }, (in, v) -> null))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
