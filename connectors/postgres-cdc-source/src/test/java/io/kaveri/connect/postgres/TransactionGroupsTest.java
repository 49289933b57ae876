package io.kaveri.connect.postgres;

import io.kaveri.connect.postgres.TransactionGroups.Grouping;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.source.TransactionContext;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class TransactionGroupsTest {

    /** Records the commit requests the way the worker sees them: by record. */
    private static final class Recorder implements TransactionContext {
        final List<SourceRecord> commitsOn = new ArrayList<>();

        @Override
        public void commitTransaction() {
            throw new AssertionError("the connector commits on a record, never on a whole batch");
        }

        @Override
        public void commitTransaction(SourceRecord record) {
            commitsOn.add(record);
        }

        @Override
        public void abortTransaction() {
            throw new AssertionError("nothing is aborted");
        }

        @Override
        public void abortTransaction(SourceRecord record) {
            throw new AssertionError("nothing is aborted");
        }
    }

    /** Database transactions of the given sizes, their records named "tx-serial"; the last of each ends a unit. */
    private static List<Emission> transactions(int... sizes) {
        List<Emission> out = new ArrayList<>();
        for (int tx = 0; tx < sizes.length; tx++) {
            for (int s = 0; s < sizes[tx]; s++) {
                out.add(emission(tx + "-" + s, s == sizes[tx] - 1));
            }
        }
        return out;
    }

    private static Emission emission(String name, boolean ends) {
        return new Emission(new SourceRecord(Map.of(), Map.of(), "t", null, name), ends, null, 10);
    }

    private static List<Object> names(List<SourceRecord> records) {
        return records.stream().map(SourceRecord::value).toList();
    }

    @Test
    void noneCommitsOnEveryDatabaseTransaction() {
        Recorder tx = new Recorder();
        TransactionGroups groups = new TransactionGroups(Grouping.NONE, 100);
        List<SourceRecord> records = groups.hand(transactions(2, 1, 3), tx);
        assertThat(names(records)).containsExactly("0-0", "0-1", "1-0", "2-0", "2-1", "2-2");
        assertThat(names(tx.commitsOn)).containsExactly("0-1", "1-0", "2-2");
        assertThat(groups.commits()).isEqualTo(3);
    }

    @Test
    void drainCommitsOnceOnTheLastWholeTransactionOfAPoll() {
        Recorder tx = new Recorder();
        TransactionGroups groups = new TransactionGroups(Grouping.DRAIN, 100);
        groups.hand(transactions(2, 1, 3), tx);
        assertThat(names(tx.commitsOn)).containsExactly("2-2");
    }

    @Test
    void aLoneTransactionIsCommittedAtOnce() {
        Recorder tx = new Recorder();
        TransactionGroups groups = new TransactionGroups(Grouping.DRAIN, 100);
        groups.hand(transactions(1), tx);
        assertThat(names(tx.commitsOn)).containsExactly("0-0");
        groups.hand(transactions(4), tx);
        assertThat(names(tx.commitsOn)).containsExactly("0-0", "0-3");
    }

    @Test
    void aTransactionCutByTheEndOfAPollIsNotWaitedFor() {
        Recorder tx = new Recorder();
        TransactionGroups groups = new TransactionGroups(Grouping.DRAIN, 100);
        List<Emission> all = transactions(1, 2, 3);
        // The poll holds the first two transactions and the start of the third.
        groups.hand(all.subList(0, 4), tx);
        assertThat(names(tx.commitsOn)).as("the whole ones are committed; the third is not waited for").containsExactly("1-1");
        groups.hand(all.subList(4, 6), tx);
        assertThat(names(tx.commitsOn)).containsExactly("1-1", "2-2");
    }

    @Test
    void aGroupStopsBeforeTheTransactionThatWouldExceedTheLimit() {
        Recorder tx = new Recorder();
        TransactionGroups groups = new TransactionGroups(Grouping.DRAIN, 7);
        groups.hand(transactions(3, 3, 3, 1), tx);
        // 3 + 3 fit in 7; a third 3 would not, and 3 + 1 fit again.
        assertThat(names(tx.commitsOn)).containsExactly("1-2", "3-0");
    }

    @Test
    void aTransactionLargerThanTheLimitIsNeverSplit() {
        Recorder tx = new Recorder();
        TransactionGroups groups = new TransactionGroups(Grouping.DRAIN, 4);
        groups.hand(transactions(1, 10, 1), tx);
        assertThat(names(tx.commitsOn)).containsExactly("0-0", "1-9", "2-0");
    }

    @Test
    void theLimitCountsRecordsOfAnEarlierPoll() {
        Recorder tx = new Recorder();
        TransactionGroups groups = new TransactionGroups(Grouping.DRAIN, 5);
        List<Emission> all = transactions(4, 2);
        groups.hand(all.subList(0, 2), tx);
        assertThat(tx.commitsOn).isEmpty();
        // The open transaction already holds 2 records: 4 + 2 exceed 5.
        groups.hand(all.subList(2, 6), tx);
        assertThat(names(tx.commitsOn)).containsExactly("0-3", "1-1");
    }

    @Test
    void withoutATransactionContextNothingIsAskedButRecordsFlow() {
        TransactionGroups groups = new TransactionGroups(Grouping.DRAIN, 100);
        assertThat(names(groups.hand(transactions(1, 1), null))).containsExactly("0-0", "1-0");
        assertThat(groups.commits()).isEqualTo(1);
    }

    /**
     * Random transaction sizes cut into random polls: a commit only ever falls on the last record of a database
     * transaction, each Kafka transaction holds at most the limit unless it is one transaction, every poll that holds
     * a transaction end leaves nothing whole uncommitted, and under 'none' every end is a commit.
     */
    @Test
    void boundariesHoldForRandomTransactionsAndPolls() {
        for (long seed = 0; seed < 500; seed++) {
            Random random = new Random(seed);
            int limit = 1 + random.nextInt(12);
            Grouping grouping = random.nextInt(4) == 0 ? Grouping.NONE : Grouping.DRAIN;
            int[] sizes = random.ints(1 + random.nextInt(30), 1, 15).toArray();
            List<Emission> all = transactions(sizes);
            Recorder tx = new Recorder();
            TransactionGroups groups = new TransactionGroups(grouping, limit);
            int at = 0;
            while (at < all.size()) {
                int n = Math.min(all.size() - at, 1 + random.nextInt(20));
                List<Emission> poll = all.subList(at, at + n);
                int before = tx.commitsOn.size();
                groups.hand(poll, tx);
                at += n;
                int lastEnd = -1;
                for (int i = 0; i < poll.size(); i++) {
                    if (poll.get(i).commitAfter()) {
                        lastEnd = i;
                    }
                }
                if (lastEnd >= 0) {
                    assertThat(tx.commitsOn.get(tx.commitsOn.size() - 1)).as("seed %d: the last whole transaction of a poll is committed", seed)
                            .isSameAs(poll.get(lastEnd).record());
                } else {
                    assertThat(tx.commitsOn).as("seed %d", seed).hasSize(before);
                }
            }
            List<SourceRecord> ends = all.stream().filter(Emission::commitAfter).map(Emission::record).toList();
            assertThat(ends).as("seed %d: commits fall on transaction ends only", seed).containsAll(tx.commitsOn);
            assertThat(tx.commitsOn).as("seed %d: the stream ends committed", seed).last().isSameAs(ends.get(ends.size() - 1));
            if (grouping == Grouping.NONE) {
                assertThat(tx.commitsOn).as("seed %d", seed).isEqualTo(ends);
            }
            int start = 0;
            for (SourceRecord commit : tx.commitsOn) {
                int end = indexOf(all, commit);
                long transactionsInGroup = all.subList(start, end + 1).stream().filter(Emission::commitAfter).count();
                if (transactionsInGroup > 1) {
                    assertThat(end - start + 1).as("seed %d: a group of several transactions keeps the limit", seed).isLessThanOrEqualTo(limit);
                }
                start = end + 1;
            }
        }
    }

    private static int indexOf(List<Emission> all, SourceRecord record) {
        for (int i = 0; i < all.size(); i++) {
            if (all.get(i).record() == record) {
                return i;
            }
        }
        throw new AssertionError("not handed on: " + record);
    }
}
