package io.kaveri.streams.runtime;

import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JsonSerdeTest {

    record State(String id, RunningStats stats, List<Long> times) {
    }

    private final JsonSerde<State> serde = JsonSerde.of(State.class);

    @Test
    void recordsRoundTrip() {
        State s = new State("card-1", RunningStats.EMPTY.add(3).add(5), List.of(1L, 2L));
        assertThat(serde.deserializer().deserialize("t", serde.serializer().serialize("t", s))).isEqualTo(s);
        assertThat(serde.serializer().serialize("t", null)).isNull();
    }

    @Test
    void aFieldAddedOrRemovedByAnotherReleaseDoesNotBreakRestore() {
        byte[] older = "{\"id\":\"x\",\"dropped\":1}".getBytes(StandardCharsets.UTF_8);
        assertThat(serde.deserializer().deserialize("t", older)).isEqualTo(new State("x", null, null));
    }

    @Test
    void unreadableBytesNameTheTypeAndTopic() {
        assertThatThrownBy(() -> serde.deserializer().deserialize("store-changelog", "{".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(SerializationException.class).hasMessageContaining("State").hasMessageContaining("store-changelog");
    }
}
