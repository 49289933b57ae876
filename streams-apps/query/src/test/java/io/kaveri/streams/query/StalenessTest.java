package io.kaveri.streams.query;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class StalenessTest {

    @Test
    void caughtUpReplicaIsBoundedByTheTimeSinceItsSample() {
        Staleness s = new Staleness();
        s.update(Map.of("store", Map.of(0, 0L)), 10_000);
        assertThat(s.stalenessMs("store", 0, 10_250)).hasValue(250);
    }

    @Test
    void laggingReplicaIsBoundedByWhenItWasLastCaughtUp() {
        Staleness s = new Staleness();
        s.update(Map.of("store", Map.of(0, 0L)), 10_000);
        s.update(Map.of("store", Map.of(0, 42L)), 11_000);
        s.update(Map.of("store", Map.of(0, 7L)), 12_000);
        assertThat(s.stalenessMs("store", 0, 12_500)).hasValue(2_500);
    }

    @Test
    void replicaNeverCaughtUpOrNotHereHasNoBound() {
        Staleness s = new Staleness();
        s.update(Map.of("store", Map.of(0, 5L)), 10_000);
        assertThat(s.stalenessMs("store", 0, 10_000)).isEmpty();
        assertThat(s.stalenessMs("store", 1, 10_000)).isEmpty();
        assertThat(s.stalenessMs("other", 0, 10_000)).isEmpty();
    }

    @Test
    void partitionThatLeftIsForgotten() {
        Staleness s = new Staleness();
        s.update(Map.of("store", Map.of(0, 0L, 1, 0L)), 10_000);
        s.update(Map.of("store", Map.of(1, 0L)), 11_000);
        assertThat(s.stalenessMs("store", 0, 11_000)).isEmpty();
        assertThat(s.stalenessMs("store", 1, 11_000)).hasValue(0);
    }
}
