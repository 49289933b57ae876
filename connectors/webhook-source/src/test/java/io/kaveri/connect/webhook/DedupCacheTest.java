package io.kaveri.connect.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

class DedupCacheTest {

    private final AtomicLong clock = new AtomicLong(1_000);

    @Test
    void knownIdAnswersTheFirstAck() {
        DedupCache cache = new DedupCache(10, 60_000, clock::get);
        PendingAck first = new PendingAck(1);
        assertThat(cache.putIfAbsent("a", first)).isNull();
        assertThat(cache.putIfAbsent("a", new PendingAck(1))).isSameAs(first);
    }

    @Test
    void forgetsTheOldestBeyondMaxEntries() {
        DedupCache cache = new DedupCache(2, 60_000, clock::get);
        cache.putIfAbsent("a", new PendingAck(1));
        cache.putIfAbsent("b", new PendingAck(1));
        cache.putIfAbsent("c", new PendingAck(1));
        assertThat(cache.size()).isEqualTo(2);
        assertThat(cache.putIfAbsent("a", new PendingAck(1))).isNull();
    }

    @Test
    void forgetsIdsOlderThanTheWindow() {
        DedupCache cache = new DedupCache(10, 1_000, clock::get);
        cache.putIfAbsent("a", new PendingAck(1));
        clock.addAndGet(1_000);
        assertThat(cache.putIfAbsent("a", new PendingAck(1))).isNotNull();
        clock.addAndGet(1_001);
        assertThat(cache.putIfAbsent("a", new PendingAck(1))).isNull();
    }

    @Test
    void failedDeliveryIsRetriedNotDeduplicated() {
        DedupCache cache = new DedupCache(10, 60_000, clock::get);
        PendingAck first = new PendingAck(1);
        cache.putIfAbsent("a", first);
        first.fail(new IllegalStateException("task stopping"));
        PendingAck retry = new PendingAck(1);
        assertThat(cache.putIfAbsent("a", retry)).isNull();
        assertThat(cache.putIfAbsent("a", new PendingAck(1))).isSameAs(retry);
    }

    @Test
    void forgetOnlyRemovesItsOwnEntry() {
        DedupCache cache = new DedupCache(10, 60_000, clock::get);
        PendingAck first = new PendingAck(1);
        cache.putIfAbsent("a", first);
        cache.forget("a", new PendingAck(1));
        assertThat(cache.size()).isEqualTo(1);
        cache.forget("a", first);
        assertThat(cache.size()).isZero();
    }

    @Test
    void restoredIdIsAnAlreadyAcknowledgedDeliveryWithinItsOriginalWindow() {
        DedupCache cache = new DedupCache(10, 1_000, clock::get);
        cache.restore("old", clock.get() - 1_001);
        cache.restore("a", clock.get() - 500);
        assertThat(cache.size()).isEqualTo(1);
        PendingAck earlier = cache.putIfAbsent("a", new PendingAck(1));
        assertThat(earlier).isNotNull();
        assertThat(earlier.done()).isCompleted();
        // The window counts from the first delivery, not from the restart.
        clock.addAndGet(501);
        assertThat(cache.putIfAbsent("a", new PendingAck(1))).isNull();
    }
}
