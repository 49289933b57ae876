package io.kaveri.streams.fraud;

import io.kaveri.streams.runtime.JsonSerde;
import io.kaveri.streams.runtime.RunningStats;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FraudSerdesTest {

    private static final CardProfile PROFILE = new CardProfile(new RunningStats(12, 41.5, 1234.25),
            List.of(new CardProfile.Visit("p1", 1_000, "FR", 46.2, 2.2, false),
                    new CardProfile.Visit("p2-ü", 2_000, null, -33.86, 151.2, true)), 2_000);
    private static final VelocityWindow WINDOW = VelocityWindow.empty().add("b", 20).add("a", 10).add("c", 20);

    @Test
    void profilesAndWindowsSurviveTheRoundTrip() {
        assertThat(roundTrip(FraudSerdes.cardProfile(), PROFILE)).isEqualTo(PROFILE);
        assertThat(roundTrip(FraudSerdes.cardProfile(), CardProfile.EMPTY)).isEqualTo(CardProfile.EMPTY);
        assertThat(roundTrip(FraudSerdes.velocityWindow(), WINDOW)).isEqualTo(WINDOW);
        assertThat(roundTrip(FraudSerdes.velocityWindow(), VelocityWindow.empty())).isEqualTo(VelocityWindow.empty());
    }

    @Test
    void aProfileCarriesItsCardsOpenWindowsAndLayoutTwoWithoutThemIsStillRead() {
        CardProfile.EncodedWindows windows = FraudSerdes.windows(new long[] {0, 60_000},
                new VelocityWindow[] {WINDOW, VelocityWindow.empty().add("d", 61_000)}, 2);
        CardProfile withWindows = PROFILE.withWindows(windows);
        assertThat(roundTrip(FraudSerdes.cardProfile(), withWindows)).isEqualTo(withWindows);
        List<String> read = new ArrayList<>();
        FraudSerdes.WindowSlices open = FraudSerdes.slices("t", windows);
        for (int i = 0; i < open.size(); i++) {
            read.add(open.starts()[i] + "=" + FraudSerdes.window("t", open.bytes(), open.from()[i], open.to()[i]).newest());
        }
        assertThat(read).containsExactly("0=" + WINDOW.newest(), "60000=[Seen[ts=61000, paymentId=d]]");

        assertThat(FraudSerdes.cardProfile().serializer().serialize("t", PROFILE)[0]).isEqualTo((byte) 3);
        // Layout 2: the profile's header, then its visits (no windows, no visits' length).
        ByteBuffer layout2 = ByteBuffer.allocate(256).put((byte) 2);
        varint(layout2, 12).putDouble(41.5).putDouble(1234.25);
        varint(layout2, 2_000);
        varint(layout2, 2);
        varint(layout2.put((byte) 0), 2).put("p1".getBytes(StandardCharsets.UTF_8));
        varint(layout2, 1_000 - 2_000);
        varint(layout2, 2).put("FR".getBytes(StandardCharsets.UTF_8)).putDouble(46.2).putDouble(2.2);
        varint(layout2.put((byte) 1), 5).put("p2-ü".getBytes(StandardCharsets.UTF_8));
        varint(layout2, 1_000);
        varint(layout2, -1).putDouble(-33.86).putDouble(151.2);
        assertThat(FraudSerdes.cardProfile().deserializer().deserialize("t", Arrays.copyOf(layout2.array(), layout2.position())))
                .isEqualTo(PROFILE);
    }

    /** Zig-zag variable-length, as the state layouts write numbers. */
    private static ByteBuffer varint(ByteBuffer out, long v) {
        long z = (v << 1) ^ (v >> 63);
        while ((z & ~0x7FL) != 0) {
            out.put((byte) ((z & 0x7F) | 0x80));
            z >>>= 7;
        }
        return out.put((byte) z);
    }

    @Test
    void aProfileReadFromItsBytesAndWrittenAgainWithMoreVisitsKeepsEveryIdAndPlace() {
        Serde<CardProfile> serde = FraudSerdes.cardProfile();
        CardProfile p = CardProfile.EMPTY;
        List<CardProfile.Visit> all = new ArrayList<>();
        String[] countries = {"FR", "FR", "DE", null, "JP"};
        for (int i = 0; i < 40; i++) {
            String country = countries[i % countries.length];
            CardProfile.Visit v = new CardProfile.Visit("pay-" + i + (i % 7 == 0 ? "-é" : ""), 1_000L * (i % 3 == 0 ? i - 1 : i),
                    country, 10 + i % 4, 20 - i % 2, i % 2 == 0);
            all.add(v);
            p = roundTrip(serde, roundTrip(serde, p).withVisit(v, 8, 60_000));
        }
        all.sort(java.util.Comparator.comparingLong(CardProfile.Visit::ts).thenComparing(CardProfile.Visit::paymentId));
        assertThat(p.visits().asList()).containsExactlyElementsOf(all.subList(all.size() - 8, all.size()));
    }

    @Test
    void theJsonOfEarlierReleasesIsStillRead() {
        // The record of earlier releases had these three fields.
        byte[] profile = JsonSerde.of(FraudSerdes.JsonProfile.class).serializer().serialize("t",
                new FraudSerdes.JsonProfile(PROFILE.amounts(), PROFILE.visits().asList(), PROFILE.lastSeen()));
        byte[] window = JsonSerde.of(VelocityWindow.class).serializer().serialize("t", WINDOW);
        assertThat(FraudSerdes.cardProfile().deserializer().deserialize("t", profile)).isEqualTo(PROFILE);
        assertThat(FraudSerdes.velocityWindow().deserializer().deserialize("t", window)).isEqualTo(WINDOW);
    }

    @Test
    void theFixedWidthLayoutOfEarlierReleasesIsStillRead() {
        ByteBuffer profile = ByteBuffer.allocate(256).put((byte) 1).putLong(12).putDouble(41.5).putDouble(1234.25).putLong(2_000)
                .putInt(2);
        fixedWidth(profile, "p1").putLong(1_000);
        fixedWidth(profile, "FR").putDouble(46.2).putDouble(2.2).put((byte) 0);
        fixedWidth(profile, "p2-ü").putLong(2_000).putInt(-1).putDouble(-33.86).putDouble(151.2).put((byte) 1);
        ByteBuffer window = ByteBuffer.allocate(256).put((byte) 1).putLong(3).putLong(10).putInt(3);
        fixedWidth(window.putLong(10), "a");
        fixedWidth(window.putLong(20), "b");
        fixedWidth(window.putLong(20), "c");

        assertThat(FraudSerdes.cardProfile().deserializer().deserialize("t", Arrays.copyOf(profile.array(), profile.position())))
                .isEqualTo(PROFILE);
        assertThat(FraudSerdes.velocityWindow().deserializer().deserialize("t", Arrays.copyOf(window.array(), window.position())))
                .isEqualTo(WINDOW);
    }

    @Test
    void aProfileOfPaymentsInOnePlaceWritesItsPlaceOnce() {
        List<CardProfile.Visit> visits = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            visits.add(new CardProfile.Visit("pay" + (100_000 + i * 15_000), 1_700_000_000_000L + i * 15_000L, "FR", 46.2, 2.2, false));
        }
        CardProfile profile = new CardProfile(new RunningStats(20, 41.5, 1234.25), visits, 1_700_000_285_000L);
        byte[] bytes = FraudSerdes.cardProfile().serializer().serialize("t", profile);
        assertThat(FraudSerdes.cardProfile().deserializer().deserialize("t", bytes)).isEqualTo(profile);
        // Per visit: flags, the id (length and 9 bytes) and a three-byte time difference (15 s); country and
        // position (19 bytes) once, after a header of at most 30 bytes. Layout 1 took 917 bytes.
        assertThat(bytes.length).isLessThanOrEqualTo(30 + 19 + 20 * 14);
    }

    @Test
    void nullsStayNull() {
        assertThat(FraudSerdes.cardProfile().serializer().serialize("t", null)).isNull();
        assertThat(FraudSerdes.velocityWindow().deserializer().deserialize("t", null)).isNull();
    }

    @Test
    void anUnknownVersionOrATruncatedValueIsAClearErrorNamingTheTopic() {
        byte[] bytes = FraudSerdes.cardProfile().serializer().serialize("t", PROFILE);
        byte[] future = bytes.clone();
        future[0] = 9;
        assertThatThrownBy(() -> FraudSerdes.cardProfile().deserializer().deserialize("changelog-1", future))
                .isInstanceOf(SerializationException.class).hasMessageContaining("version 9").hasMessageContaining("changelog-1");
        byte[] cut = Arrays.copyOf(bytes, bytes.length - 3);
        assertThatThrownBy(() -> FraudSerdes.cardProfile().deserializer().deserialize("changelog-2", cut))
                .isInstanceOf(SerializationException.class).hasMessageContaining("changelog-2");
        byte[] window = FraudSerdes.velocityWindow().serializer().serialize("t", WINDOW);
        byte[] cutWindow = Arrays.copyOf(window, window.length - 1);
        assertThatThrownBy(() -> FraudSerdes.velocityWindow().deserializer().deserialize("changelog-3", cutWindow))
                .isInstanceOf(SerializationException.class).hasMessageContaining("changelog-3");
    }

    private static ByteBuffer fixedWidth(ByteBuffer out, String s) {
        byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
        return out.putInt(utf8.length).put(utf8);
    }

    private static <T> T roundTrip(Serde<T> serde, T value) {
        return serde.deserializer().deserialize("t", serde.serializer().serialize("t", value));
    }
}
