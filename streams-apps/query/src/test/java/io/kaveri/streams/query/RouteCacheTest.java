package io.kaveri.streams.query;

import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.state.HostInfo;
import org.junit.jupiter.api.Test;

import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class RouteCacheTest {

    private static final KeyQueryMetadata ON_A = new KeyQueryMetadata(new HostInfo("a", 1), Set.of(new HostInfo("b", 2)), 3);
    private static final KeyQueryMetadata ON_B = new KeyQueryMetadata(new HostInfo("b", 2), Set.of(), 3);

    @Test
    void asksOncePerKeyUntilInvalidated() {
        RouteCache cache = new RouteCache(100);
        AtomicInteger lookups = new AtomicInteger();
        assertThat(cache.get("s", "k", () -> { lookups.incrementAndGet(); return ON_A; })).isEqualTo(ON_A);
        assertThat(cache.get("s", "k", () -> { lookups.incrementAndGet(); return ON_B; })).isEqualTo(ON_A);
        assertThat(lookups).hasValue(1);
        assertThat(cache.get("other-store", "k", () -> ON_B)).isEqualTo(ON_B);

        cache.invalidate();
        assertThat(cache.get("s", "k", () -> { lookups.incrementAndGet(); return ON_B; })).isEqualTo(ON_B);
        assertThat(lookups).hasValue(2);
    }

    @Test
    void unownedKeysAreNeverRemembered() {
        RouteCache cache = new RouteCache(100);
        assertThat(cache.get("s", "k", () -> KeyQueryMetadata.NOT_AVAILABLE)).isSameAs(KeyQueryMetadata.NOT_AVAILABLE);
        KeyQueryMetadata unknownHost = new KeyQueryMetadata(new HostInfo("unavailable", -1), Set.of(), 0);
        assertThat(cache.get("s", "k", () -> unknownHost)).isSameAs(unknownHost);
        assertThat(cache.size()).isZero();
        assertThat(cache.get("s", "k", () -> ON_A)).isEqualTo(ON_A);
    }

    @Test
    void aRouteFoundWhileTheAssignmentChangedIsNotKept() {
        RouteCache cache = new RouteCache(100);
        assertThat(cache.get("s", "k", () -> {
            cache.invalidate(); // a rebalance seen while this lookup ran
            return ON_A;
        })).isEqualTo(ON_A);
        assertThat(cache.get("s", "k", () -> ON_B)).isEqualTo(ON_B);
    }

    @Test
    void staysWithinItsBound() {
        RouteCache cache = new RouteCache(10);
        for (int i = 0; i < 25; i++) {
            cache.get("s", "k" + i, () -> ON_A);
        }
        assertThat(cache.size()).isBetween(1, 10);
    }
}
