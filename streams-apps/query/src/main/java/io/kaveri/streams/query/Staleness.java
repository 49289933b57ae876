package io.kaveri.streams.query;

import java.util.HashMap;
import java.util.Map;
import java.util.OptionalLong;

/**
 * Upper bounds of how stale each local store replica is, from samples of its offset lag. Kafka Streams reports lag
 * in offsets; a caller's bound is in time. A replica that was caught up (lag 0) at time t holds everything written
 * before t, so it is at most {@code now - t} behind: that is the bound, from the last sample at lag 0. A replica
 * never seen caught up has no bound and does not answer stale queries.
 */
final class Staleness {

    private record Sample(long offsetLag, long sampledAt, long caughtUpAt) {
    }

    private final Map<String, Map<Integer, Sample>> samples = new HashMap<>();

    /** Records the lags of every local replica, {@code store -> partition -> offset lag}, read at {@code now}. */
    synchronized void update(Map<String, Map<Integer, Long>> lags, long now) {
        Map<String, Map<Integer, Sample>> next = new HashMap<>();
        lags.forEach((store, partitions) -> partitions.forEach((partition, lag) -> {
            Sample before = samples.getOrDefault(store, Map.of()).get(partition);
            long caughtUpAt = lag == 0 ? now : before == null ? -1 : before.caughtUpAt();
            next.computeIfAbsent(store, s -> new HashMap<>()).put(partition, new Sample(lag, now, caughtUpAt));
        }));
        samples.clear();
        samples.putAll(next);
    }

    synchronized OptionalLong stalenessMs(String store, int partition, long now) {
        Sample s = samples.getOrDefault(store, Map.of()).get(partition);
        if (s == null || s.caughtUpAt() < 0) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(Math.max(0, now - s.caughtUpAt()));
    }
}
