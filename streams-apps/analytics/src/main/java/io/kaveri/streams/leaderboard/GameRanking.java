package io.kaveri.streams.leaderboard;

import org.apache.commons.collections4.list.TreeList;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The players of one game in rank order, at most {@code max} of them. {@link TreeList} is an indexed AVL tree:
 * reading rank i and inserting at rank i are O(log n), so finding a standing's rank by binary search is
 * O(log² n), and neighbours are a sub-list read. When full, the lowest-ranked player is evicted; not guarded by
 * itself (see {@link RankingStore}).
 */
final class GameRanking {

    private final TreeList<Standing> order = new TreeList<>();
    private final Map<String, Standing> byPlayer = new HashMap<>();
    private boolean evicted;
    private long asOf;

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
        return order.size();
    }

    /** True once a player was dropped for the bound: counts below the bound are then lower bounds. */
    boolean evicted() {
        return evicted;
    }

    /** Puts a player's improved standing; returns the player evicted to stay within {@code max}, or null. */
    Standing put(Standing s, int max) {
        Standing old = byPlayer.put(s.playerId(), s);
        if (old != null) {
            order.remove(indexOf(old));
        }
        int at = indexOf(s);
        order.add(at < 0 ? -at - 1 : at, s);
        if (order.size() > max) {
            Standing last = order.remove(order.size() - 1);
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

    /** 0-based rank of a standing held here; negative (insertion point, as binarySearch) if absent. */
    int indexOf(Standing s) {
        int lo = 0;
        int hi = order.size() - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            int c = Standing.BEST_FIRST.compare(order.get(mid), s);
            if (c < 0) {
                lo = mid + 1;
            } else if (c > 0) {
                hi = mid - 1;
            } else {
                return mid;
            }
        }
        return -(lo + 1);
    }

    /** Standings of ranks {@code [from, to)} (0-based), clipped to the board. */
    List<Standing> range(int from, int to) {
        return List.copyOf(order.subList(Math.max(0, from), Math.min(order.size(), to)));
    }
}
