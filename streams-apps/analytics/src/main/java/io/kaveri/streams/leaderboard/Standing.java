package io.kaveri.streams.leaderboard;

import java.util.Comparator;

/**
 * A player's best score in a game and when it was first reached. Ordered best first: higher score, then the
 * earlier time (as the contract ranks ties), then player id so that the order is total and arrival-independent.
 */
record Standing(String playerId, long score, long reachedAt) {

    // Written out rather than composed from Comparator.comparing...: ranking a score runs it a few dozen times.
    static final Comparator<Standing> BEST_FIRST = (a, b) -> {
        int c = Long.compare(b.score, a.score);
        if (c == 0) {
            c = Long.compare(a.reachedAt, b.reachedAt);
        }
        return c != 0 ? c : a.playerId.compareTo(b.playerId);
    };

    /** The better of two standings of one player: a best score only improves, or is reached earlier. */
    Standing best(Standing other) {
        return other == null || BEST_FIRST.compare(this, other) < 0 ? this : other;
    }
}
