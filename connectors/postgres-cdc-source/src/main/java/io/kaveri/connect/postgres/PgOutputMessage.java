package io.kaveri.connect.postgres;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

/**
 * The messages of PostgreSQL's {@code pgoutput} logical replication protocol ("Logical Replication Message
 * Formats" in the PostgreSQL documentation), protocol versions 1 and 2. Timestamps are converted from
 * PostgreSQL's microseconds since 2000-01-01 to {@link Instant}. {@code xid} is 0 where the message carries none
 * (outside a streamed transaction).
 */
sealed interface PgOutputMessage {

    record Begin(Lsn finalLsn, Instant commitTime, long xid) implements PgOutputMessage {
    }

    record Commit(int flags, Lsn commitLsn, Lsn endLsn, Instant commitTime) implements PgOutputMessage {
    }

    record Origin(Lsn lsn, String name) implements PgOutputMessage {
    }

    /** {@code replicaIdentity} is {@code d} (default), {@code n} (nothing), {@code f} (full) or {@code i} (index). */
    record Relation(long xid, int oid, String namespace, String name, char replicaIdentity, List<Column> columns)
            implements PgOutputMessage {

        public Relation {
            columns = List.copyOf(columns);
        }
    }

    /** {@code key} is true when the column is part of the replica identity (the primary key by default). */
    record Column(boolean key, String name, int typeOid, int typeModifier) {
    }

    record Type(long xid, int oid, String namespace, String name) implements PgOutputMessage {
    }

    record Insert(long xid, int relationOid, TupleData newTuple) implements PgOutputMessage {
    }

    /**
     * {@code oldKind} is {@code K} (old key columns, sent when the key changed), {@code O} (whole old row, REPLICA
     * IDENTITY FULL) or {@code 0} when no old tuple was sent ({@code oldTuple} is then null).
     */
    record Update(long xid, int relationOid, char oldKind, TupleData oldTuple, TupleData newTuple)
            implements PgOutputMessage {
    }

    /** {@code oldKind} is {@code K} or {@code O}, as for {@link Update}. */
    record Delete(long xid, int relationOid, char oldKind, TupleData oldTuple) implements PgOutputMessage {
    }

    record Truncate(long xid, boolean cascade, boolean restartIdentity, List<Integer> relationOids)
            implements PgOutputMessage {

        public Truncate {
            relationOids = List.copyOf(relationOids);
        }
    }

    /** A message written by {@code pg_logical_emit_message}. */
    record LogicalMessage(long xid, boolean transactional, Lsn lsn, String prefix, byte[] content)
            implements PgOutputMessage {
    }

    record StreamStart(long xid, boolean firstSegment) implements PgOutputMessage {
    }

    record StreamStop() implements PgOutputMessage {
    }

    record StreamCommit(long xid, int flags, Lsn commitLsn, Lsn endLsn, Instant commitTime) implements PgOutputMessage {
    }

    record StreamAbort(long xid, long subXid) implements PgOutputMessage {
    }

    /** The column values of one row as sent: {@code n} null, {@code u} unchanged TOAST, {@code t} text, {@code b} binary. */
    record TupleData(List<Value> values) {

        public TupleData {
            values = List.copyOf(values);
        }

        int size() {
            return values.size();
        }

        Value get(int i) {
            return values.get(i);
        }
    }

    record Value(char kind, byte[] bytes) {

        static final Value NULL = new Value('n', null);
        static final Value UNCHANGED_TOAST = new Value('u', null);

        static Value text(String s) {
            return new Value('t', s.getBytes(StandardCharsets.UTF_8));
        }

        boolean isNull() {
            return kind == 'n';
        }

        boolean isUnchangedToast() {
            return kind == 'u';
        }

        /** The text form; pgoutput sends text unless the {@code binary} option is on, and the client encoding is UTF-8. */
        String text() {
            return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
        }
    }
}
