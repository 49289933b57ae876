package io.kaveri.streams.leaderboard;

import com.google.common.collect.BoundType;
import com.google.common.collect.Iterators;
import com.google.common.collect.Multiset;
import com.google.common.collect.SortedMultiset;
import com.google.common.collect.TreeMultiset;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The players of one game in rank order, at most {@code max} of them. {@link TreeMultiset} is an AVL tree whose
 * nodes count their subtrees, so a standing's rank (the size of the board above it) is O(log n), and neighbours
 * are read by iterating from it; every player holds one standing, so no element repeats. When full, the
 * lowest-ranked player is evicted; not guarded by itself (see {@link RankingStore}).
 */
final class GameRanking {

    private final SortedMultiset<Standing> order = TreeMultiset.create(Standing.BEST_FIRST);
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
            Multiset.Entry<Standing> lastEntry = order.pollLastEntry();
            Standing last = lastEntry.getElement();
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
        return order.headMultiset(s, BoundType.OPEN).size();
    }

    /** Up to {@code n} standings ranked right before {@code s}, best first. */
    List<Standing> above(Standing s, int n) {
        List<Standing> nearestFirst = take(order.headMultiset(s, BoundType.OPEN).descendingMultiset().iterator(), n);
        List<Standing> bestFirst = new ArrayList<>(nearestFirst.size());
        for (int i = nearestFirst.size() - 1; i >= 0; i--) {
            bestFirst.add(nearestFirst.get(i));
        }
        return bestFirst;
    }

    /** Up to {@code n} standings ranked right after {@code s}, best first. */
    List<Standing> below(Standing s, int n) {
        return take(order.tailMultiset(s, BoundType.OPEN).iterator(), n);
    }

    /** The best {@code n} standings, best first. */
    List<Standing> top(int n) {
        return take(order.iterator(), n);
    }

    private static List<Standing> take(Iterator<Standing> it, int n) {
        List<Standing> out = new ArrayList<>(Math.min(n, 64));
        Iterators.addAll(out, Iterators.limit(it, n));
        return out;
    }
}
