package io.kaveri.streams.fraud;

import io.kaveri.streams.runtime.RunningStats;

import java.util.Arrays;
import java.util.List;

/**
 * What the fraud rules remember of one card: the rolling statistics of its amounts, its recent located payments
 * (oldest first), when it was last used, in event time, for idle eviction, and its open tumbling velocity windows
 * as written to the changelog (the processor keeps them decoded; the copy here is what a restore rebuilds them from).
 */
record CardProfile(RunningStats amounts, Visits visits, long lastSeen, EncodedWindows windows) {

    static final CardProfile EMPTY = new CardProfile(RunningStats.EMPTY, Visits.NONE, Long.MIN_VALUE, EncodedWindows.NONE);

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
        this(amounts, Visits.of(visits), lastSeen, EncodedWindows.NONE);
    }

    /** A located payment. {@code exact}: the payment's own coordinates, not its country's centroid. */
    record Visit(String paymentId, long ts, String country, double latitude, double longitude, boolean exact) {

        CountryCentroids.Position position() {
            return new CountryCentroids.Position(latitude, longitude);
        }
    }

    CardProfile {
        amounts = amounts == null ? RunningStats.EMPTY : amounts;
        visits = visits == null ? Visits.NONE : visits;
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
        return new CardProfile(amounts, visits.with(visit, max, horizonMs), Math.max(lastSeen, visit.ts()), windows);
    }
}
