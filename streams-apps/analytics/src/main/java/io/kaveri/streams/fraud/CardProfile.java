package io.kaveri.streams.fraud;

import io.kaveri.streams.runtime.RunningStats;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * What the amount and travel rules remember of one card: the rolling statistics of its amounts, its recent
 * located payments (oldest first) and when it was last used, in event time, for idle eviction.
 */
record CardProfile(RunningStats amounts, List<Visit> visits, long lastSeen) {

    static final CardProfile EMPTY = new CardProfile(RunningStats.EMPTY, List.of(), Long.MIN_VALUE);

    /** A located payment. {@code exact}: the payment's own coordinates, not its country's centroid. */
    record Visit(String paymentId, long ts, String country, double latitude, double longitude, boolean exact) {

        CountryCentroids.Position position() {
            return new CountryCentroids.Position(latitude, longitude);
        }
    }

    CardProfile {
        amounts = amounts == null ? RunningStats.EMPTY : amounts;
        visits = visits == null ? List.of() : List.copyOf(visits);
    }

    CardProfile withAmounts(RunningStats next, long ts) {
        return new CardProfile(next, visits, Math.max(lastSeen, ts));
    }

    /** Adds {@code visit}, keeping the newest {@code max} within {@code horizonMs} of the newest. */
    CardProfile withVisit(Visit visit, int max, long horizonMs) {
        List<Visit> next = new ArrayList<>(visits);
        next.add(visit);
        next.sort(Comparator.comparingLong(Visit::ts).thenComparing(Visit::paymentId));
        long newest = next.get(next.size() - 1).ts();
        next.removeIf(v -> v.ts() < newest - horizonMs);
        List<Visit> kept = next.size() > max ? next.subList(next.size() - max, next.size()) : next;
        return new CardProfile(amounts, kept, Math.max(lastSeen, visit.ts()));
    }
}
