package io.kaveri.connect.postgres;

import io.kaveri.connect.postgres.PgOutputMessage.Begin;
import io.kaveri.connect.postgres.PgOutputMessage.Commit;
import io.kaveri.connect.postgres.PgOutputMessage.Delete;
import io.kaveri.connect.postgres.PgOutputMessage.Insert;
import io.kaveri.connect.postgres.PgOutputMessage.Relation;
import io.kaveri.connect.postgres.PgOutputMessage.Truncate;
import io.kaveri.connect.postgres.PgOutputMessage.TupleData;
import io.kaveri.connect.postgres.PgOutputMessage.Update;
import org.apache.kafka.connect.errors.ConnectException;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Turns the decoded replication stream into records, one database transaction at a time. It holds back the last
 * record of a transaction until the Commit arrives, so that the record that ends the Kafka transaction is known
 * when it is handed on, and it skips every event the stored position already covers, so that a replayed
 * transaction (after a crash, or a reconnect before the slot confirmed it) produces no duplicate.
 *
 * <p>Not thread-safe: the reader thread owns it.
 */
final class ChangeDispatcher {

    /** Makes the table schema for a Relation, or null when the table is not captured. */
    interface RelationResolver {
        TableSchema resolve(Relation relation);
    }

    /** Whether a streamed change is already in a resumed snapshot's read of its row (see {@link SnapshotResumes}). */
    interface SnapshotOverlap {
        boolean covers(TableSchema table, Lsn commitLsn, TupleData row);
    }

    private final Map<String, ?> partition;
    private final EventFactory events;
    private final RelationResolver resolver;
    private final Consumer<Emission> sink;
    private final Map<Integer, TableSchema> relations = new HashMap<>();
    private final Map<Integer, Relation> relationMessages = new HashMap<>();

    /** The last event handed on: the replay guard. */
    private SourcePosition emitted;
    private Lsn lastCommitLsn = Lsn.INVALID;

    private Begin tx;
    private long serial;
    private Pending held;
    private long transactions;
    private long eventCount;
    private SnapshotOverlap overlap;
    private SnapshotResumes resumes = SnapshotResumes.NONE;

    private record Pending(ChangeEvent event, long serial, Lsn lsn) {
    }

    ChangeDispatcher(Map<String, ?> partition, EventFactory events, RelationResolver resolver, SourcePosition start,
                     Consumer<Emission> sink) {
        this.partition = partition;
        this.events = events;
        this.resolver = resolver;
        this.emitted = start;
        this.sink = sink;
    }

    /** True while a transaction's Begin was seen and its Commit not yet. */
    boolean inTransaction() {
        return tx != null;
    }

    /** The last position handed on: where a reconnect resumes without duplicates. */
    SourcePosition position() {
        return emitted;
    }

    long transactions() {
        return transactions;
    }

    long events() {
        return eventCount;
    }

    /** Sets the position after a snapshot: streaming starts at its consistent point. */
    void startFrom(SourcePosition position) {
        emitted = position;
    }

    /**
     * After a resumed snapshot: changes of transactions committed before {@code resumes.until()} that the resumed
     * read already holds are skipped; the resume points go into the offsets of those transactions' records.
     */
    void skipSnapshotOverlap(SnapshotResumes resumes, SnapshotOverlap overlap) {
        this.resumes = resumes;
        this.overlap = resumes.isEmpty() ? null : overlap;
    }

    /** Drops a transaction cut short by a lost connection: the new session replays it from its Begin. */
    void newSession() {
        tx = null;
        held = null;
    }

    /** @param walLsn the WAL position of the message (the XLogData start), for {@code source.lsn} */
    void accept(Lsn walLsn, PgOutputMessage message) {
        if (message instanceof Begin b) {
            tx = b;
            serial = 0;
            held = null;
            if (overlap != null && b.finalLsn().compareTo(resumes.until()) >= 0) {
                overlap = null;
                resumes = SnapshotResumes.NONE;
            }
        } else if (message instanceof Relation r) {
            relationMessages.put(r.oid(), r);
            TableSchema schema = resolver.resolve(r);
            if (schema == null) {
                relations.remove(r.oid());
            } else {
                relations.put(r.oid(), schema);
            }
        } else if (message instanceof Insert i) {
            changes(i.relationOid(), walLsn, null, i.newTuple(), t -> events.insert(t, i.newTuple(), info(walLsn)));
        } else if (message instanceof Update u) {
            changes(u.relationOid(), walLsn, u.oldTuple(), u.newTuple(), t -> events.update(t, u.oldKind(), u.oldTuple(), u.newTuple(), info(walLsn)));
        } else if (message instanceof Delete d) {
            changes(d.relationOid(), walLsn, d.oldTuple(), null, t -> events.delete(t, d.oldTuple(), info(walLsn)));
        } else if (message instanceof Truncate tr) {
            for (int oid : tr.relationOids()) {
                changes(oid, walLsn, null, null, t -> List.of(events.truncate(t, info(walLsn))));
            }
        } else if (message instanceof Commit c) {
            commit(c);
        } else if (message instanceof PgOutputMessage.StreamStart s) {
            throw new ConnectException("a streamed in-progress transaction (xid " + s.xid()
                    + ") reached the dispatcher: it is assembled before, at its Stream Commit");
        }
        // Origin, Type, logical messages and the remaining stream markers carry nothing to capture.
    }

    /** @param oldRow the old key or row of an update or delete; {@code newRow} the row of an insert or update */
    private void changes(int relationOid, Lsn walLsn, TupleData oldRow, TupleData newRow,
                         Function<TableSchema, List<ChangeEvent>> build) {
        if (tx == null) {
            throw new ConnectException("a change of relation " + relationOid + " arrived outside a transaction at lsn " + walLsn);
        }
        TableSchema table = relations.get(relationOid);
        if (table == null) {
            if (!relationMessages.containsKey(relationOid)) {
                throw new ConnectException("a change of relation " + relationOid + " arrived before its Relation message "
                        + "at lsn " + walLsn + "; restart the connector");
            }
            return;
        }
        for (ChangeEvent e : build.apply(table)) {
            long s = serial++;
            if (emitted != null && emitted.covers(tx.finalLsn(), s)) {
                continue;
            }
            // A delete (and its tombstone) is about the old key, which a primary key update changes.
            TupleData row = e.isTombstone() || "d".equals(e.op()) ? (oldRow != null ? oldRow : newRow) : newRow;
            if (overlap != null && row != null && overlap.covers(table, tx.finalLsn(), row)) {
                continue;
            }
            if (held != null) {
                emit(held, false, null);
            }
            held = new Pending(e, s, walLsn);
        }
    }

    private void commit(Commit c) {
        if (tx == null) {
            throw new ConnectException("a Commit at lsn " + c.commitLsn() + " arrived without its Begin");
        }
        if (held != null) {
            emit(held, true, c.endLsn());
            transactions++;
        }
        lastCommitLsn = c.commitLsn();
        tx = null;
        held = null;
    }

    private void emit(Pending p, boolean last, Lsn endLsn) {
        Lsn resume = emitted == null ? Lsn.INVALID : emitted.resumeLsn();
        SourcePosition position = new SourcePosition(last ? endLsn : resume, tx.finalLsn(), p.serial(), last, true);
        Map<String, Object> offset = position.toOffset(tx.xid(), p.lsn());
        if (overlap != null) {
            offset.put(SourcePosition.SNAPSHOT_RESUMES, resumes.encode());
        }
        sink.accept(new Emission(p.event().toRecord(partition, offset), last,
                last ? endLsn : null, p.event().estimatedBytes()));
        emitted = position;
        eventCount++;
    }

    private EventFactory.SourceInfo info(Lsn walLsn) {
        return new EventFactory.SourceInfo(tx.commitTime(), "false", tx.xid(), walLsn, lastCommitLsn);
    }
}
