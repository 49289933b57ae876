package io.kaveri.streams.fraud;

import io.kaveri.streams.runtime.JsonSerde;
import io.kaveri.streams.runtime.RunningStats;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.Test;

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
    void theJsonOfEarlierReleasesIsStillRead() {
        byte[] profile = JsonSerde.of(CardProfile.class).serializer().serialize("t", PROFILE);
        byte[] window = JsonSerde.of(VelocityWindow.class).serializer().serialize("t", WINDOW);
        assertThat(FraudSerdes.cardProfile().deserializer().deserialize("t", profile)).isEqualTo(PROFILE);
        assertThat(FraudSerdes.velocityWindow().deserializer().deserialize("t", window)).isEqualTo(WINDOW);
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
        byte[] cutWindow = Arrays.copyOf(window, 20);
        assertThatThrownBy(() -> FraudSerdes.velocityWindow().deserializer().deserialize("changelog-3", cutWindow))
                .isInstanceOf(SerializationException.class).hasMessageContaining("changelog-3");
    }

    private static <T> T roundTrip(Serde<T> serde, T value) {
        return serde.deserializer().deserialize("t", serde.serializer().serialize("t", value));
    }
}
