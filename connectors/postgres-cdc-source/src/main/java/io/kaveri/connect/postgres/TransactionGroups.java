package io.kaveri.connect.postgres;

import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.source.TransactionContext;

import java.util.ArrayList;
import java.util.List;

/**
 * Decides at which records {@code poll()} asks the worker to commit the Kafka transaction. A unit is the run of
 * records that ends with one flagged {@link Emission#commitAfter()}: a whole database transaction, or a snapshot
 * chunk. A Kafka transaction always ends at the end of a unit, never inside one.
 *
 * <p>With {@link Grouping#NONE} every unit is its own Kafka transaction. With {@link Grouping#DRAIN} a unit's Kafka
 * transaction stays open for the next unit only when that whole unit is already in the same poll's records and the
 * group stays within {@code maxRecords}: a group is made of what was already decoded and waiting, so it never waits
 * for a transaction still to come, and a lone transaction at a low change rate is committed as soon as it is polled.
 *
 * <p>Not thread-safe: the task's poll thread owns it.
 */
final class TransactionGroups {

    /** How many database transactions one Kafka transaction may carry. */
    enum Grouping { NONE, DRAIN }

    private final Grouping grouping;
    private final int maxRecords;
    /** Records handed on since the last commit request: a unit may span polls. */
    private int open;
    private long commits;

    TransactionGroups(Grouping grouping, int maxRecords) {
        this.grouping = grouping;
        this.maxRecords = maxRecords;
    }

    /**
     * Hands a poll's records on, asking {@code context} to commit on the record that ends each group.
     *
     * @param context null when the worker defines transaction boundaries: then nothing is asked
     */
    List<SourceRecord> hand(List<Emission> batch, TransactionContext context) {
        int[] nextEnd = nextUnitEnds(batch);
        List<SourceRecord> records = new ArrayList<>(batch.size());
        for (int i = 0; i < batch.size(); i++) {
            Emission e = batch.get(i);
            records.add(e.record());
            open++;
            if (e.commitAfter() && endsGroup(i, nextEnd[i])) {
                if (context != null) {
                    context.commitTransaction(e.record());
                }
                commits++;
                open = 0;
            }
        }
        return records;
    }

    /** Commit requests so far: Kafka transactions, when the connector defines their boundaries. */
    long commits() {
        return commits;
    }

    /** @param following the index of the record that ends the next unit in the batch, or -1 when none is whole */
    private boolean endsGroup(int end, int following) {
        return grouping == Grouping.NONE || following < 0 || open + (following - end) > maxRecords;
    }

    /** For each index, the index of the first unit end after it in the batch, or -1. */
    private static int[] nextUnitEnds(List<Emission> batch) {
        int[] next = new int[batch.size()];
        int end = -1;
        for (int i = batch.size() - 1; i >= 0; i--) {
            next[i] = end;
            if (batch.get(i).commitAfter()) {
                end = i;
            }
        }
        return next;
    }
}
