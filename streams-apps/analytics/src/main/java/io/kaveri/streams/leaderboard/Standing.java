package io.kaveri.streams.leaderboard;

import java.util.Comparator;

/**
 * A player's best score in a game and when it was first reached. Ordered best first: higher score, then the
 * earlier time (as the contract ranks ties), then player id so that the order is total and arrival-independent.
 */
record Standing(String playerId, long score, long reachedAt) {

    static final Comparator<Standing> BEST_FIRST = Comparator.comparingLong((Standing s) -> -s.score)
            .thenComparingLong(Standing::reachedAt).thenComparing(Standing::playerId);

    /** The better of two standings of one player: a best score only improves, or is reached earlier. */
    Standing best(Standing other) {
        return other == null || BEST_FIRST.compare(this, other) < 0 ? this : other;
    }
}
