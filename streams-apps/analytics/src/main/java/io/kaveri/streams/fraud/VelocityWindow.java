package io.kaveri.streams.fraud;

import java.util.Comparator;
import java.util.List;

/**
 * The payments of one card in one velocity window: their count, the oldest one's time, and the newest
 * {@value #MAX_LISTED} of them (oldest first) for the alert. The content depends only on which payments fell in
 * the window, not on their arrival order, so out-of-order input within grace gives the same alert.
 */
record VelocityWindow(long count, long oldestTs, List<Seen> newest) {

    /** Enough to explain any realistic burst; bounds the state of a card hammered by a bot. */
    static final int MAX_LISTED = 50;

    static final Comparator<Seen> ORDER = Comparator.comparingLong(Seen::ts).thenComparing(Seen::paymentId);

    record Seen(long ts, String paymentId) {
    }

    static VelocityWindow empty() {
        return new VelocityWindow(0, Long.MAX_VALUE, List.of());
    }

    VelocityWindow {
        newest = newest == null ? List.of() : List.copyOf(newest);
    }

    VelocityWindow add(String paymentId, long ts) {
        Seen seen = new Seen(ts, paymentId);
        // In order already, and a payment is most often the newest: find its place from the end.
        int at = newest.size();
        while (at > 0 && ORDER.compare(newest.get(at - 1), seen) > 0) {
            at--;
        }
        int kept = Math.min(newest.size() + 1, MAX_LISTED);
        int skip = newest.size() + 1 - kept; // the oldest fall out
        Seen[] next = new Seen[kept];
        for (int i = skip; i <= newest.size(); i++) {
            next[i - skip] = i == at ? seen : newest.get(i < at ? i : i - 1);
        }
        return new VelocityWindow(count + 1, Math.min(oldestTs, ts), List.of(next));
    }

    Seen last() {
        return newest.get(newest.size() - 1);
    }
}
