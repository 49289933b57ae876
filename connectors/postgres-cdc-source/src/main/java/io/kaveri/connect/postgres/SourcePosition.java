package io.kaveri.connect.postgres;

import java.util.HashMap;
import java.util.Map;

/**
 * Where the connector is in the database's change history, as stored in Connect's source offsets.
 *
 * <p>Transactions arrive in commit order, each announced with its commit LSN ({@code lsn_commit}); events inside
 * one are numbered ({@code event_serial}). So {@code (lsn_commit, event_serial)} orders every event, and a resumed
 * stream skips whatever is at or before the stored position: no duplicate even when the slot replays a
 * transaction that Kafka already has. {@code lsn_end} is where streaming restarts: the end of the last
 * transaction that was complete.
 *
 * @param resumeLsn         {@code lsn_end}: the slot position to start streaming from
 * @param commitLsn         {@code lsn_commit}: commit LSN of the transaction of the last event, or 0/0
 * @param eventSerial       {@code event_serial}: index of the last event inside that transaction
 * @param txComplete        {@code tx_complete}: the last event was the transaction's last
 * @param snapshotCompleted {@code snapshot_completed}: the initial snapshot finished (or none was wanted)
 */
record SourcePosition(Lsn resumeLsn, Lsn commitLsn, long eventSerial, boolean txComplete, boolean snapshotCompleted) {

    static final String PARTITION_SERVER = "server";

    static final String LSN_END = "lsn_end";
    static final String LSN_COMMIT = "lsn_commit";
    static final String EVENT_SERIAL = "event_serial";
    static final String TX_COMPLETE = "tx_complete";
    static final String TX_ID = "txId";
    static final String LSN = "lsn";
    static final String SNAPSHOT = "snapshot";
    static final String SNAPSHOT_COMPLETED = "snapshot_completed";
    static final String SNAPSHOT_TABLE = "snapshot_table";
    /** The primary key (text values, see {@link SnapshotResumes#encodeKey}) of the last snapshot row of the record. */
    static final String SNAPSHOT_KEY = "snapshot_key";
    /** {@link SnapshotResumes#encode()}: how an interrupted snapshot was resumed. */
    static final String SNAPSHOT_RESUMES = "snapshot_resumes";

    /** The one source partition of a connector: its logical server name, as Debezium keys it. */
    static Map<String, String> partition(String topicPrefix) {
        return Map.of(PARTITION_SERVER, topicPrefix);
    }

    /** Start of streaming right after a snapshot taken at {@code consistentPoint}, or from a slot's position. */
    static SourcePosition streamingFrom(Lsn lsn) {
        return new SourcePosition(lsn, Lsn.INVALID, -1, true, true);
    }

    /** Null when there is no stored offset. */
    static SourcePosition fromOffset(Map<String, ?> offset) {
        if (offset == null || offset.isEmpty()) {
            return null;
        }
        return new SourcePosition(
                Lsn.of(number(offset, LSN_END)),
                Lsn.of(number(offset, LSN_COMMIT)),
                offset.containsKey(EVENT_SERIAL) ? number(offset, EVENT_SERIAL) : -1,
                Boolean.TRUE.equals(offset.get(TX_COMPLETE)),
                Boolean.TRUE.equals(offset.get(SNAPSHOT_COMPLETED)));
    }

    private static long number(Map<String, ?> offset, String key) {
        Object v = offset.get(key);
        return v instanceof Number n ? n.longValue() : 0L;
    }

    /** The offset map of a streamed event; LSNs as longs, as Debezium stores them. */
    Map<String, Object> toOffset(long txId, Lsn eventLsn) {
        Map<String, Object> m = new HashMap<>();
        m.put(LSN_END, resumeLsn.value());
        m.put(LSN_COMMIT, commitLsn.value());
        m.put(EVENT_SERIAL, eventSerial);
        m.put(TX_COMPLETE, txComplete);
        m.put(SNAPSHOT_COMPLETED, snapshotCompleted);
        m.put(TX_ID, txId);
        m.put(LSN, eventLsn.value());
        return m;
    }

    /** True when the event {@code serial} of the transaction committing at {@code commit} is at or before this position. */
    boolean covers(Lsn commit, long serial) {
        int c = commit.compareTo(commitLsn);
        return c < 0 || (c == 0 && (txComplete || serial <= eventSerial));
    }
}
