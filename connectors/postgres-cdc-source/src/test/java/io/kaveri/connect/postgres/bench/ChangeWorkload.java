package io.kaveri.connect.postgres.bench;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.locks.LockSupport;

/**
 * A pgbench-style change stream on a {@code pgbench_accounts}-shaped table: inserts, balance updates and deletes in
 * transactions of mixed sizes. The same seed on the same seeded table gives the same changes, so two connectors can
 * be fed identical work.
 */
final class ChangeWorkload {

    /** Transaction sizes and how often each is drawn: many single-row transactions, a few large ones. */
    private static final int[] SIZES = {1, 10, 100, 1000};
    private static final double[] SIZE_WEIGHTS = {0.70, 0.20, 0.09, 0.01};
    /** Share of the row changes that are inserts, then updates; the rest are deletes. */
    private static final double INSERTS = 0.3;
    private static final double UPDATES = 0.5;
    private static final int FILLER = 84;

    /** The changes a run committed; a delete is followed by a tombstone in both connectors' default configuration. */
    record Counts(long inserts, long updates, long deletes) {
        long changes() {
            return inserts + updates + deletes;
        }

        long records() {
            return inserts + updates + 2 * deletes;
        }

        Counts plus(Counts o) {
            return new Counts(inserts + o.inserts, updates + o.updates, deletes + o.deletes);
        }
    }

    private final String table;
    private final SplittableRandom random;
    private int[] live;
    private int liveCount;
    private int nextId;

    private ChangeWorkload(String table, int seededRows, long seed) {
        this.table = table;
        this.random = new SplittableRandom(seed);
        this.live = new int[Math.max(16, seededRows * 2)];
        for (int i = 0; i < seededRows; i++) {
            live[i] = i + 1;
        }
        this.liveCount = seededRows;
        this.nextId = seededRows + 1;
    }

    String table() {
        return table;
    }

    /** Creates {@code table} with {@code rows} rows (ids 1..rows) and returns a workload over it. */
    static ChangeWorkload create(Connection c, String table, int rows, long seed) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute("CREATE TABLE " + table + " (aid int PRIMARY KEY, bid int NOT NULL, abalance int NOT NULL, "
                    + "filler char(" + FILLER + "))");
            st.execute("INSERT INTO " + table + " SELECT g, (g - 1) / 100000 + 1, 0, 'account ' || g "
                    + "FROM generate_series(1, " + rows + ") g");
            // Visibility hints set and statistics taken now, so that neither connector pays for them in its run.
            st.execute("VACUUM ANALYZE " + table);
        }
        return new ChangeWorkload(table, rows, seed);
    }

    /** Commits {@code changes} row changes (at least) as fast as the database takes them. */
    Counts runFlatOut(Connection c, long changes) throws SQLException {
        Counts total = new Counts(0, 0, 0);
        while (total.changes() < changes) {
            total = total.plus(transaction(c, nextSize()));
        }
        return total;
    }

    /**
     * Commits transactions spread so that row changes arrive at {@code perSecond} on average for {@code length}, each
     * transaction started at its planned time; returns what was committed.
     */
    Counts runPaced(Connection c, double perSecond, Duration length) throws SQLException {
        Counts total = new Counts(0, 0, 0);
        long start = System.nanoTime();
        long end = start + length.toNanos();
        long planned = start;
        while (planned < end) {
            LockSupport.parkNanos(planned - System.nanoTime());
            int size = nextSize();
            total = total.plus(transaction(c, size));
            planned += (long) (size * 1e9 / perSecond);
        }
        return total;
    }

    private int nextSize() {
        double r = random.nextDouble();
        for (int i = 0; i < SIZES.length; i++) {
            r -= SIZE_WEIGHTS[i];
            if (r < 0) {
                return SIZES[i];
            }
        }
        return SIZES[SIZES.length - 1];
    }

    /**
     * One transaction of {@code size} row changes. Inserts run first, then updates, then deletes: an update or a delete
     * may pick a row inserted earlier in the same transaction, and a deleted row leaves the pool at once, so every
     * statement touches exactly one row, which {@link #expectOneRowEach} checks.
     */
    private Counts transaction(Connection c, int size) throws SQLException {
        boolean autoCommit = c.getAutoCommit();
        c.setAutoCommit(false);
        try (PreparedStatement insert = c.prepareStatement("INSERT INTO " + table + " VALUES (?, ?, 0, ?)");
             PreparedStatement update = c.prepareStatement("UPDATE " + table + " SET abalance = abalance + ? WHERE aid = ?");
             PreparedStatement delete = c.prepareStatement("DELETE FROM " + table + " WHERE aid = ?")) {
            long inserts = 0;
            long updates = 0;
            long deletes = 0;
            for (int i = 0; i < size; i++) {
                double r = random.nextDouble();
                if (r < INSERTS || liveCount == 0) {
                    int aid = nextId++;
                    insert.setInt(1, aid);
                    insert.setInt(2, aid % 10 + 1);
                    insert.setString(3, "account " + aid);
                    insert.addBatch();
                    add(aid);
                    inserts++;
                } else if (r < INSERTS + UPDATES) {
                    update.setInt(1, random.nextInt(-5000, 5001));
                    update.setInt(2, live[random.nextInt(liveCount)]);
                    update.addBatch();
                    updates++;
                } else {
                    int index = random.nextInt(liveCount);
                    delete.setInt(1, live[index]);
                    delete.addBatch();
                    live[index] = live[--liveCount];
                    deletes++;
                }
            }
            expectOneRowEach(insert.executeBatch(), "insert");
            expectOneRowEach(update.executeBatch(), "update");
            expectOneRowEach(delete.executeBatch(), "delete");
            c.commit();
            return new Counts(inserts, updates, deletes);
        } catch (SQLException | RuntimeException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(autoCommit);
        }
    }

    private void add(int aid) {
        if (liveCount == live.length) {
            live = Arrays.copyOf(live, live.length * 2);
        }
        live[liveCount++] = aid;
    }

    private void expectOneRowEach(int[] counts, String what) {
        for (int n : counts) {
            if (n != 1) {
                throw new IllegalStateException(what + " on " + table + " touched " + n + " rows, not 1: the counts "
                        + "the benchmark awaits would be wrong");
            }
        }
    }
}
