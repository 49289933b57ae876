package io.kaveri.streams.fraud;

import java.util.ArrayList;
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
        List<Seen> next = new ArrayList<>(newest);
        next.add(new Seen(ts, paymentId));
        next.sort(ORDER);
        if (next.size() > MAX_LISTED) {
            next = next.subList(next.size() - MAX_LISTED, next.size());
        }
        return new VelocityWindow(count + 1, Math.min(oldestTs, ts), next);
    }

    Seen last() {
        return newest.get(newest.size() - 1);
    }
}
