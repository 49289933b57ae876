package io.kaveri.streams.leaderboard;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The players of one game in rank order, at most {@code max} of them: a player's standing by id, and the standings
 * in a {@link RankOrder} for ranks and neighbours. When full, the lowest-ranked player is evicted; not guarded by
 * itself (see {@link RankingStore}).
 */
final class GameRanking {

    private final RankOrder order;
    private final Map<String, Standing> byPlayer = new HashMap<>();
    private boolean evicted;
    private long asOf;

    GameRanking() {
        this(new RankOrder());
    }

    GameRanking(RankOrder order) {
        this.order = order;
    }

    /** Event time of the latest score applied to this game. */
    long asOf() {
        return asOf;
    }

    void seen(long eventTime) {
        asOf = Math.max(asOf, eventTime);
    }

    Standing get(String playerId) {
        return byPlayer.get(playerId);
    }

    int size() {
        return byPlayer.size();
    }

    /** True once a player was dropped for the bound: counts below the bound are then lower bounds. */
    boolean evicted() {
        return evicted;
    }

    /** Puts a player's improved standing; returns the player evicted to stay within {@code max}, or null. */
    Standing put(Standing s, int max) {
        Standing old = byPlayer.put(s.playerId(), s);
        if (old != null) {
            order.remove(old);
        }
        order.add(s);
        if (byPlayer.size() > max) {
            Standing last = order.last();
            order.remove(last);
            byPlayer.remove(last.playerId());
            evicted = true;
            return last;
        }
        return null;
    }

    /** Restores without eviction bookkeeping: the restored set was within the bound when it was written. */
    void restore(Standing s) {
        put(s, Integer.MAX_VALUE);
    }

    void markEvicted() {
        evicted = true;
    }

    /** 0-based rank of a standing held here (the number of standings ranked before it). */
    int indexOf(Standing s) {
        return order.rankOf(s);
    }

    /** Up to {@code n} standings ranked right before the one at {@code index}, best first. */
    List<Standing> above(int index, int n) {
        return order.range(index - n, index);
    }

    /** Up to {@code n} standings ranked right after the one at {@code index}, best first. */
    List<Standing> below(int index, int n) {
        return order.range(index + 1, index + 1 + n);
    }

    /** The best {@code n} standings, best first. */
    List<Standing> top(int n) {
        return order.range(0, n);
    }
}
