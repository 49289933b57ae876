package io.kaveri.streams.fraud;

import io.kaveri.streams.runtime.RunningStats;

import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * What the fraud rules remember of one card: the rolling statistics of its amounts, its recent located payments
 * (oldest first), when it was last used, in event time, for idle eviction, and its open tumbling velocity windows
 * as written to the changelog (the processor keeps them decoded; the copy here is what a restore rebuilds them from).
 */
record CardProfile(RunningStats amounts, List<Visit> visits, long lastSeen, EncodedWindows windows) {

    private static final Comparator<Visit> ORDER = Comparator.comparingLong(Visit::ts).thenComparing(Visit::paymentId);

    static final CardProfile EMPTY = new CardProfile(RunningStats.EMPTY, List.of(), Long.MIN_VALUE, EncodedWindows.NONE);

    /**
     * Open velocity windows in {@link FraudSerdes#windows}' layout, opaque here: a payment re-encodes its card's
     * windows from their decoded copy, so reading a profile never decodes them.
     */
    record EncodedWindows(byte[] bytes) {
        static final EncodedWindows NONE = new EncodedWindows(new byte[0]);

        @Override
        public boolean equals(Object o) {
            return o instanceof EncodedWindows other && Arrays.equals(bytes, other.bytes);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(bytes);
        }

        @Override
        public String toString() {
            return "EncodedWindows[" + bytes.length + " bytes]";
        }
    }

    CardProfile(RunningStats amounts, List<Visit> visits, long lastSeen) {
        this(amounts, visits, lastSeen, EncodedWindows.NONE);
    }

    /** A located payment. {@code exact}: the payment's own coordinates, not its country's centroid. */
    record Visit(String paymentId, long ts, String country, double latitude, double longitude, boolean exact) {

        CountryCentroids.Position position() {
            return new CountryCentroids.Position(latitude, longitude);
        }
    }

    CardProfile {
        amounts = amounts == null ? RunningStats.EMPTY : amounts;
        visits = visits == null ? List.of() : List.copyOf(visits);
        windows = windows == null ? EncodedWindows.NONE : windows;
    }

    CardProfile withAmounts(RunningStats next, long ts) {
        return new CardProfile(next, visits, Math.max(lastSeen, ts), windows);
    }

    CardProfile withWindows(EncodedWindows next) {
        return new CardProfile(amounts, visits, lastSeen, next);
    }

    /** Adds {@code visit}, keeping the newest {@code max} within {@code horizonMs} of the newest. */
    CardProfile withVisit(Visit visit, int max, long horizonMs) {
        // The visits are in order and a payment is most often the card's newest: find its place from the end
        // instead of sorting the whole list again.
        int at = visits.size();
        while (at > 0 && ORDER.compare(visits.get(at - 1), visit) > 0) {
            at--;
        }
        long newest = Math.max(visit.ts(), visits.isEmpty() ? Long.MIN_VALUE : visits.get(visits.size() - 1).ts());
        Visit[] next = new Visit[visits.size() + 1];
        int n = 0;
        for (int i = 0; i <= visits.size(); i++) {
            Visit v = i == at ? visit : visits.get(i < at ? i : i - 1);
            if (v.ts() >= newest - horizonMs) {
                next[n++] = v;
            }
        }
        int from = Math.max(0, n - max);
        // List.of: an immutable list, which the canonical constructor then keeps without copying it again.
        return new CardProfile(amounts, List.of(Arrays.copyOfRange(next, from, n)), Math.max(lastSeen, visit.ts()), windows);
    }
}
