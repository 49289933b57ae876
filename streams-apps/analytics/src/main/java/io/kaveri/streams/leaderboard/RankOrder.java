package io.kaveri.streams.leaderboard;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Distinct standings in {@link Standing#BEST_FIRST} order, with the rank of a standing and the standings at a range
 * of ranks. Every score moves a player in a ranking of up to {@code leaderboard.relative.max.players} (100,000 by
 * default), so this is laid out for the memory cache, not only for O(log n): the standings sit in blocks of sorted
 * arrays (score and time as primitives, compared without reaching the standing objects), the first score and time
 * of each block are in one array searched before any block is touched, and a Fenwick tree over the block sizes gives
 * the number of standings before a block. A balanced tree of nodes (such as Guava's {@code TreeMultiset}) follows
 * one pointer per level and another to compare each node's standing: measured on games of 27,000 players, that
 * took about four times the CPU of this layout. Insert and remove move at most a block's worth of array slots; a
 * full block splits in two and an empty one goes, which rebuilds the block index (linear in the number of blocks,
 * once per many updates).
 * Not thread-safe (see {@link RankingStore}).
 */
final class RankOrder {

    /** Standings per block at most: a move within a block stays within a few cache lines of each array. */
    static final int DEFAULT_BLOCK = 128;
    private static final int FIRST_CAPACITY = 8;

    private final int maxBlock;
    private Block[] blocks = new Block[4];
    private long[] firstScore = new long[4];
    private long[] firstTime = new long[4];
    private int blockCount;
    private int[] fenwick = new int[5];
    private int size;

    RankOrder() {
        this(DEFAULT_BLOCK);
    }

    RankOrder(int maxBlock) {
        if (maxBlock < 2) {
            throw new IllegalArgumentException("a block holds at least 2 standings, not " + maxBlock);
        }
        this.maxBlock = maxBlock;
    }

    /** One run of consecutive standings, best first; grown on demand so that small games stay small. */
    private static final class Block {
        long[] score = new long[FIRST_CAPACITY];
        long[] time = new long[FIRST_CAPACITY];
        Standing[] standing = new Standing[FIRST_CAPACITY];
        int n;

        /** Where {@code s} is, or {@code -(insertion point) - 1}. */
        int search(Standing s) {
            int lo = 0;
            int hi = n - 1;
            while (lo <= hi) {
                int mid = (lo + hi) >>> 1;
                int c = compare(score[mid], time[mid], standing[mid], s);
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

        void insert(int at, Standing s) {
            if (n == score.length) {
                int capacity = score.length * 2;
                score = Arrays.copyOf(score, capacity);
                time = Arrays.copyOf(time, capacity);
                standing = Arrays.copyOf(standing, capacity);
            }
            System.arraycopy(score, at, score, at + 1, n - at);
            System.arraycopy(time, at, time, at + 1, n - at);
            System.arraycopy(standing, at, standing, at + 1, n - at);
            score[at] = s.score();
            time[at] = s.reachedAt();
            standing[at] = s;
            n++;
        }

        void remove(int at) {
            System.arraycopy(score, at + 1, score, at, n - at - 1);
            System.arraycopy(time, at + 1, time, at, n - at - 1);
            System.arraycopy(standing, at + 1, standing, at, n - at - 1);
            n--;
            standing[n] = null;
        }

        /** Moves the second half of this block into a new one. */
        Block splitOff() {
            Block right = new Block();
            int from = n / 2;
            int count = n - from;
            right.score = Arrays.copyOfRange(score, from, from + Math.max(count, FIRST_CAPACITY));
            right.time = Arrays.copyOfRange(time, from, from + Math.max(count, FIRST_CAPACITY));
            right.standing = Arrays.copyOfRange(standing, from, from + Math.max(count, FIRST_CAPACITY));
            right.n = count;
            Arrays.fill(standing, from, n, null);
            n = from;
            return right;
        }
    }

    /** {@link Standing#BEST_FIRST} of a held standing (its score and time given apart) against {@code s}. */
    private static int compare(long score, long time, Standing held, Standing s) {
        if (score != s.score()) {
            return score > s.score() ? -1 : 1;
        }
        if (time != s.reachedAt()) {
            return time < s.reachedAt() ? -1 : 1;
        }
        return held.playerId().compareTo(s.playerId());
    }

    int size() {
        return size;
    }

    /** Adds a standing not held yet. */
    void add(Standing s) {
        if (blockCount == 0) {
            insertBlock(0, new Block());
        }
        int b = blockOf(s);
        Block block = blocks[b];
        if (block.n == maxBlock) {
            insertBlock(b + 1, block.splitOff());
            if (compareFirst(b + 1, s) <= 0) {
                b++;
                block = blocks[b];
            }
        }
        int at = block.search(s);
        if (at >= 0) {
            throw new IllegalStateException("standing already ranked: " + s);
        }
        at = -at - 1;
        block.insert(at, s);
        if (at == 0) {
            firstScore[b] = s.score();
            firstTime[b] = s.reachedAt();
        }
        size++;
        fenwickAdd(b, 1);
    }

    /** Removes a standing; false if it is not held. */
    boolean remove(Standing s) {
        if (blockCount == 0) {
            return false;
        }
        int b = blockOf(s);
        Block block = blocks[b];
        int at = block.search(s);
        if (at < 0) {
            return false;
        }
        block.remove(at);
        size--;
        if (block.n == 0) {
            removeBlock(b);
        } else {
            if (at == 0) {
                firstScore[b] = block.score[0];
                firstTime[b] = block.time[0];
            }
            fenwickAdd(b, -1);
        }
        return true;
    }

    /** The 0-based rank of a held standing (how many rank before it), or -1 if it is not held. */
    int rankOf(Standing s) {
        if (blockCount == 0) {
            return -1;
        }
        int b = blockOf(s);
        int at = blocks[b].search(s);
        return at < 0 ? -1 : before(b) + at;
    }

    /** The standing ranked last, or null when empty. */
    Standing last() {
        if (blockCount == 0) {
            return null;
        }
        Block block = blocks[blockCount - 1];
        return block.standing[block.n - 1];
    }

    /** The standings at ranks {@code from} (inclusive) to {@code to} (exclusive), clamped to what is held. */
    List<Standing> range(int from, int to) {
        from = Math.max(0, from);
        to = Math.min(size, to);
        List<Standing> out = new ArrayList<>(Math.max(0, to - from));
        if (from >= to) {
            return out;
        }
        // Fenwick descent: the block holding rank `from`, and how many rank before that block.
        int b = 0;
        int before = 0;
        for (int step = Integer.highestOneBit(blockCount); step > 0; step >>= 1) {
            int next = b + step;
            if (next <= blockCount && before + fenwick[next] <= from) {
                b = next;
                before += fenwick[next];
            }
        }
        int at = from - before;
        for (int rank = from; rank < to; rank++) {
            Block block = blocks[b];
            if (at == block.n) {
                block = blocks[++b];
                at = 0;
            }
            out.add(block.standing[at++]);
        }
        return out;
    }

    /** The last block whose first standing ranks at or before {@code s} (block 0 if none does). */
    private int blockOf(Standing s) {
        int lo = 1;
        int hi = blockCount - 1;
        int found = 0;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (compareFirst(mid, s) <= 0) {
                found = mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return found;
    }

    private int compareFirst(int b, Standing s) {
        Block block = blocks[b];
        return compare(firstScore[b], firstTime[b], block.standing[0], s);
    }

    private void insertBlock(int b, Block block) {
        if (blockCount == blocks.length) {
            int capacity = blocks.length * 2;
            blocks = Arrays.copyOf(blocks, capacity);
            firstScore = Arrays.copyOf(firstScore, capacity);
            firstTime = Arrays.copyOf(firstTime, capacity);
        }
        System.arraycopy(blocks, b, blocks, b + 1, blockCount - b);
        System.arraycopy(firstScore, b, firstScore, b + 1, blockCount - b);
        System.arraycopy(firstTime, b, firstTime, b + 1, blockCount - b);
        blocks[b] = block;
        if (block.n > 0) {
            firstScore[b] = block.score[0];
            firstTime[b] = block.time[0];
        }
        blockCount++;
        rebuildFenwick();
    }

    private void removeBlock(int b) {
        System.arraycopy(blocks, b + 1, blocks, b, blockCount - b - 1);
        System.arraycopy(firstScore, b + 1, firstScore, b, blockCount - b - 1);
        System.arraycopy(firstTime, b + 1, firstTime, b, blockCount - b - 1);
        blockCount--;
        blocks[blockCount] = null;
        rebuildFenwick();
    }

    private void rebuildFenwick() {
        if (fenwick.length < blockCount + 1) {
            fenwick = new int[blocks.length + 1];
        }
        Arrays.fill(fenwick, 0);
        for (int i = 1; i <= blockCount; i++) {
            fenwick[i] += blocks[i - 1].n;
            int parent = i + (i & -i);
            if (parent <= blockCount) {
                fenwick[parent] += fenwick[i];
            }
        }
    }

    private void fenwickAdd(int b, int delta) {
        for (int i = b + 1; i <= blockCount; i += i & -i) {
            fenwick[i] += delta;
        }
    }

    /** How many standings the blocks before {@code b} hold. */
    private int before(int b) {
        int sum = 0;
        for (int i = b; i > 0; i -= i & -i) {
            sum += fenwick[i];
        }
        return sum;
    }
}
