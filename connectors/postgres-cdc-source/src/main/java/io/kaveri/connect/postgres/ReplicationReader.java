package io.kaveri.connect.postgres;

import io.kaveri.connect.postgres.Catalog.Slot;
import io.kaveri.connect.postgres.PgOutputMessage.Relation;
import io.kaveri.connect.postgres.PgOutputMessage.TupleData;
import io.kaveri.connect.postgres.PostgresCdcSourceConfig.PublicationMode;
import io.kaveri.connect.postgres.PostgresCdcSourceConfig.SnapshotMode;
import io.kaveri.connect.postgres.TableSchema.ColumnSpec;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.RetriableException;
import org.postgresql.PGConnection;
import org.postgresql.replication.LogSequenceNumber;
import org.postgresql.replication.PGReplicationStream;
import org.postgresql.replication.ReplicationSlotInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

/**
 * The task's reader thread: makes sure the publication and the slot exist, takes the snapshot in the slot's
 * exported snapshot if one is needed, then streams the slot into the {@link ChangeQueue}. It alone touches the
 * replication stream (which is not thread-safe); other threads talk to it through {@link #confirm(Lsn)} and the
 * error fields. A lost connection is retried from the slot's confirmed position, the dispatcher skipping what was
 * already handed on.
 */
final class ReplicationReader implements Runnable {

    private static final Logger log = LoggerFactory.getLogger(ReplicationReader.class);
    private static final String HEARTBEAT_PREFIX = "kaveri.heartbeat";

    private final PostgresCdcSourceConfig config;
    private final ChangeQueue queue;
    private final CdcMetrics metrics;
    private final Clock clock;
    private final Map<String, String> partition;
    private final TableFilter filter;
    private final EventFactory events;
    private final ChangeDispatcher dispatcher;
    private final SourcePosition stored;
    private final SchemaChangeGate gate;
    /** What the stored offset says of an interrupted snapshot: its last row in Kafka, and earlier resumes. */
    private final SnapshotResumes storedResumes;
    /**
     * The last snapshot row handed on (from the stored offset, then from this run), where an interrupted snapshot
     * resumes: after a crash, or after a lost connection in this run (what was handed on still reaches Kafka).
     */
    private String progressTable;
    private List<String> progressKey = List.of();
    private SnapshotResumes progressResumes = SnapshotResumes.NONE;
    private Lsn progressStreamStart = Lsn.INVALID;

    /** Highest end LSN of a transaction Kafka has durably (set by the task's commit callbacks). */
    private final AtomicReference<Lsn> confirmed = new AtomicReference<>(Lsn.INVALID);
    private final AtomicReference<RuntimeException> fatal = new AtomicReference<>();
    private final AtomicReference<RetriableException> transientFailure = new AtomicReference<>();
    private final List<Connection> open = new ArrayList<>();
    private volatile boolean stopping;
    private Thread thread;

    /** Highest end LSN handed to the queue: while Kafka has not confirmed it, the slot must not move past it. */
    private Lsn handedEnd = Lsn.INVALID;
    private Lsn flushed = Lsn.INVALID;
    private long lastHeartbeatNanos = System.nanoTime();
    private int attempts;
    private Catalog catalog;
    private TypeMapper types;
    private PGReplicationStream stream;
    private StreamedTransactions streamed;
    /** The tables in snapshot order, for {@link SnapshotResumes#covers}. */
    private List<TableId> snapshotOrder = List.of();
    /** How the snapshot was resumed, while streamed changes may still be in a resumed read. */
    private SnapshotResumes activeResumes = SnapshotResumes.NONE;
    /** Primary key column names and SQL types per table, while streamed changes are checked against a resumed read. */
    private final Map<TableId, List<String>> keyNames = new HashMap<>();
    private final Map<TableId, List<String>> keyTypes = new HashMap<>();

    ReplicationReader(PostgresCdcSourceConfig config, Map<String, ?> storedOffset, ChangeQueue queue, CdcMetrics metrics,
                      Clock clock) {
        this.config = config;
        this.stored = SourcePosition.fromOffset(storedOffset);
        Map<String, ?> offset = storedOffset == null ? Map.of() : storedOffset;
        this.storedResumes = SnapshotResumes.parse((String) offset.get(SourcePosition.SNAPSHOT_RESUMES));
        if (stored != null && !stored.snapshotCompleted()) {
            this.progressTable = (String) offset.get(SourcePosition.SNAPSHOT_TABLE);
            this.progressKey = SnapshotResumes.decodeKey((String) offset.get(SourcePosition.SNAPSHOT_KEY));
            this.progressResumes = storedResumes;
            this.progressStreamStart = stored.resumeLsn();
        }
        this.queue = queue;
        this.metrics = metrics;
        this.clock = clock;
        this.partition = SourcePosition.partition(config.topicPrefix());
        this.filter = config.tableFilter();
        this.events = new EventFactory(config.topicPrefix(), config.database(), config.tombstonesOnDelete(), clock);
        this.dispatcher = new ChangeDispatcher(partition, events, this::resolve, stored, this::hand);
        this.gate = config.schemaChangeGate();
    }

    void start() {
        thread = new Thread(this, "kaveri-postgres-cdc-" + config.topicPrefix());
        thread.setDaemon(true);
        thread.start();
    }

    /** Kafka has every record up to the transaction ending at {@code endLsn}: the slot may confirm it. */
    void confirm(Lsn endLsn) {
        confirmed.accumulateAndGet(endLsn, Lsn::max);
    }

    /** The error that ended the reader, or null. */
    RuntimeException fatal() {
        return fatal.get();
    }

    /** A connection fault since the last call, or null; the reader is reconnecting. */
    RetriableException takeTransientFailure() {
        return transientFailure.getAndSet(null);
    }

    void stop(long waitMs) {
        stopping = true;
        if (thread == null) {
            gate.close();
            return;
        }
        thread.interrupt();
        try {
            thread.join(waitMs);
            if (thread.isAlive()) {
                // Blocked in a socket read (a long snapshot query): closing the connections ends it.
                closeOpenConnections();
                thread.join(waitMs);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        gate.close();
    }

    @Override
    public void run() {
        while (!stopping) {
            try {
                session();
                return;
            } catch (StopRequested | InterruptedException e) {
                return;
            } catch (SQLException e) {
                if (!retry(e)) {
                    return;
                }
            } catch (StreamFault e) {
                if (!retry((SQLException) e.getCause())) {
                    return;
                }
            } catch (ConnectException e) {
                log.error("reader stopped prefix={} error={}", config.topicPrefix(), e.getMessage());
                fatal.set(e);
                return;
            } catch (RuntimeException e) {
                log.error("reader failed prefix={}", config.topicPrefix(), e);
                fatal.set(new ConnectException("PostgreSQL CDC reader failed: " + e, e));
                return;
            } finally {
                closeOpenConnections();
            }
        }
    }

    /** Decides whether a failed session is retried; false when the reader ends (stopping, or a fatal error is set). */
    private boolean retry(SQLException e) {
        if (stopping) {
            return false;
        }
        if (!isTransient(e)) {
            fatal.set(new ConnectException("PostgreSQL at " + config.jdbcUrl() + ": " + e.getMessage()
                    + " (SQLState " + e.getSQLState() + ")", e));
            return false;
        }
        attempts++;
        if (config.retryMaxAttempts() >= 0 && attempts > config.retryMaxAttempts()) {
            fatal.set(new ConnectException("PostgreSQL at " + config.jdbcUrl() + " unreachable after " + attempts
                    + " attempts (" + PostgresCdcSourceConfig.RETRY_MAX_ATTEMPTS_CONFIG + "=" + config.retryMaxAttempts()
                    + "): " + e.getMessage(), e));
            return false;
        }
        log.warn("connection lost url={} attempt={} sqlstate={} error={}; reconnecting from lsn={}",
                config.jdbcUrl(), attempts, e.getSQLState(), e.getMessage(), flushed);
        transientFailure.set(new RetriableException("connection to PostgreSQL lost, reconnecting: " + e.getMessage(), e));
        dispatcher.newSession();
        return pause(config.retryBackoffMs());
    }

    /** Connection faults (SQLState class 08), shutdowns (57P0x), a slot still held by the previous task (55006). */
    static boolean isTransient(SQLException e) {
        String state = e.getSQLState();
        if (state == null) {
            return e.getCause() instanceof java.io.IOException;
        }
        return state.startsWith("08") || state.startsWith("57P") || state.equals("55006") || state.equals("53300");
    }

    private void session() throws SQLException, InterruptedException {
        Connection plain = connect(false);
        Connection replication = connect(true);
        catalog = new Catalog(plain);
        types = new TypeMapper(config.decimalMode(), config.intervalMode(), catalog::userType);
        ensurePublication();
        SourcePosition position = dispatcher.position() != null ? dispatcher.position() : stored;
        Optional<Slot> slot = catalog.slot(config.slotName());
        slot.ifPresent(this::checkSlot);
        SnapshotMode mode = config.snapshotMode();
        snapshotOrder = snapshotTables();
        boolean snapshot;
        if (position == null && progressTable == null) {
            snapshot = mode != SnapshotMode.NEVER;
        } else if (position == null || !position.snapshotCompleted()) {
            Optional<SnapshotResumes.Point> from = resumePoint(slot.orElse(null));
            if (from.isPresent() && mode != SnapshotMode.NEVER) {
                Lsn streamStart = progressStreamStart;
                resumeSnapshot(plain, streamStart, from.get());
                if (mode == SnapshotMode.INITIAL_ONLY) {
                    dropSlot();
                    idle();
                    return;
                }
                stream(replication.unwrap(PGConnection.class), streamStart);
                return;
            }
            log.warn("snapshot was interrupted slot={} and cannot resume; it starts over in a new slot", config.slotName());
            snapshot = mode != SnapshotMode.NEVER;
        } else if (mode == SnapshotMode.INITIAL_ONLY) {
            log.info("snapshot done and snapshot.mode=initial_only: nothing more to capture");
            idle();
            return;
        } else if (slot.isEmpty()) {
            if (mode != SnapshotMode.WHEN_NEEDED) {
                throw new ConnectException("replication slot '" + config.slotName() + "' does not exist, but the stored "
                        + "position (lsn " + position.resumeLsn() + ") says streaming had started: the changes since are "
                        + "lost to this connector. Set snapshot.mode=when_needed to take a new snapshot, or start a new "
                        + "connector (another topic.prefix).");
            }
            log.warn("slot={} is gone; snapshot.mode=when_needed takes a new snapshot", config.slotName());
            snapshot = true;
        } else {
            snapshot = false;
        }
        PGConnection pg = replication.unwrap(PGConnection.class);
        Lsn start;
        if (snapshot) {
            if (slot.isPresent()) {
                log.warn("dropping slot={} to take a consistent snapshot from a new one", config.slotName());
                dropSlot();
            }
            ReplicationSlotInfo info = createSlot(pg);
            Lsn consistentPoint = Lsn.parse(info.getConsistentPoint().asString());
            snapshot(plain, info.getSnapshotName(), consistentPoint, consistentPoint, SnapshotResumes.NONE, null);
            if (mode == SnapshotMode.INITIAL_ONLY) {
                dropSlot();
                idle();
                return;
            }
            start = consistentPoint;
        } else {
            if (dispatcher.position() == stored) {
                // Crashed while streaming the changes a resumed snapshot may already hold: skip them again.
                activeResumes = storedResumes;
                dispatcher.skipSnapshotOverlap(storedResumes, this::inResumedRead);
            }
            if (slot.isEmpty()) {
                start = Lsn.parse(createSlot(pg).getConsistentPoint().asString());
            } else {
                start = position == null ? slot.get().confirmedFlush() : position.resumeLsn().max(slot.get().confirmedFlush());
            }
        }
        stream(pg, start);
    }

    /** The tables a snapshot reads, in the order it reads them. */
    private List<TableId> snapshotTables() throws SQLException {
        return catalog.publicationTables(config.publicationName()).stream().filter(filter::test).toList();
    }

    /**
     * Where an interrupted snapshot resumes: after its last row in Kafka, if the slot still holds every change since
     * its consistent point and that row's table is still captured.
     */
    private Optional<SnapshotResumes.Point> resumePoint(Slot slot) {
        if (slot == null || progressTable == null || slot.confirmedFlush().isAfter(progressStreamStart)) {
            return Optional.empty();
        }
        return snapshotOrder.stream().filter(t -> t.toString().equals(progressTable)).findFirst()
                .map(t -> new SnapshotResumes.Point(t, progressKey, Lsn.INVALID));
    }

    /**
     * Reads the rows after {@code from} in the exported snapshot of a temporary slot (gone with its connection), whose
     * consistent point tells which streamed changes that read already holds; streaming still starts at
     * {@code streamStart}, the first snapshot's consistent point, so that no change of the rows read before is lost.
     */
    private void resumeSnapshot(Connection plain, Lsn streamStart, SnapshotResumes.Point from)
            throws SQLException, InterruptedException {
        Connection temporary = connect(true);
        String name = (config.slotName().length() > 55 ? config.slotName().substring(0, 55) : config.slotName()) + "_resume";
        ReplicationSlotInfo info = temporary.unwrap(PGConnection.class).getReplicationAPI().createReplicationSlot().logical()
                .withSlotName(name).withOutputPlugin("pgoutput").withTemporaryOption().make();
        Lsn readLsn = Lsn.parse(info.getConsistentPoint().asString());
        SnapshotResumes resumes = progressResumes.plus(new SnapshotResumes.Point(from.table(), from.key(), readLsn));
        log.warn("snapshot resumes slot={} afterTable={} afterKey={} readAt={} streamFrom={}", config.slotName(), from.table(),
                from.key(), readLsn, streamStart);
        try {
            snapshot(plain, info.getSnapshotName(), streamStart, readLsn, resumes, from);
        } finally {
            synchronized (open) {
                open.remove(temporary);
            }
            temporary.close();
        }
    }

    /** True when a resumed snapshot read the row of this change after the change committed. */
    private boolean inResumedRead(TableSchema table, Lsn commitLsn, TupleData row) {
        List<String> key = new ArrayList<>();
        try {
            List<String> names = keyNames.get(table.id());
            if (names == null) {
                names = catalog.primaryKey(table.id());
                keyNames.put(table.id(), names);
            }
            for (String column : names) {
                int i = table.specs().stream().map(ColumnSpec::name).toList().indexOf(column);
                if (i < 0) {
                    return false;
                }
                key.add(row.get(i).text());
            }
        } catch (SQLException e) {
            throw new StreamFault(e);
        }
        return activeResumes.covers(table.id(), key, commitLsn, snapshotOrder, this::keyAfter);
    }

    /** Whether {@code key} sorts after {@code boundary} in the table's primary key order, as the database compares. */
    private boolean keyAfter(TableId table, List<String> key, List<String> boundary) {
        try {
            List<String> types = keyTypes.get(table);
            if (types == null) {
                types = catalog.primaryKeyTypes(table);
                keyTypes.put(table, types);
            }
            String row = types.stream().map(t -> "CAST(? AS " + t + ")").collect(Collectors.joining(", ", "ROW(", ")"));
            try (PreparedStatement ps = catalog.connection().prepareStatement("SELECT " + row + " > " + row)) {
                for (int i = 0; i < types.size(); i++) {
                    ps.setString(i + 1, key.get(i));
                    ps.setString(types.size() + i + 1, boundary.get(i));
                }
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getBoolean(1);
                }
            }
        } catch (SQLException e) {
            throw new StreamFault(e);
        }
    }

    private Connection connect(boolean replication) throws SQLException {
        Connection c = DriverManager.getConnection(config.jdbcUrl(), config.jdbcProperties(replication));
        synchronized (open) {
            open.add(c);
        }
        return c;
    }

    private void closeOpenConnections() {
        synchronized (open) {
            for (Connection c : open) {
                try {
                    c.close();
                } catch (SQLException e) {
                    log.debug("closing connection error={}", e.toString());
                }
            }
            open.clear();
        }
    }

    private void checkSlot(Slot slot) {
        if (!"pgoutput".equals(slot.plugin())) {
            throw new ConnectException("replication slot '" + slot.name() + "' uses plugin " + slot.plugin()
                    + ", not pgoutput: drop it (SELECT pg_drop_replication_slot('" + slot.name() + "')) or set "
                    + PostgresCdcSourceConfig.SLOT_NAME_CONFIG + " to another name");
        }
        if (!config.database().equals(slot.database())) {
            throw new ConnectException("replication slot '" + slot.name() + "' belongs to database " + slot.database()
                    + ", not " + config.database() + ": set " + PostgresCdcSourceConfig.SLOT_NAME_CONFIG + " to another name");
        }
    }

    private ReplicationSlotInfo createSlot(PGConnection pg) throws SQLException {
        ReplicationSlotInfo info = pg.getReplicationAPI().createReplicationSlot().logical()
                .withSlotName(config.slotName()).withOutputPlugin("pgoutput").make();
        log.info("created slot={} consistentPoint={} snapshot={}", info.getSlotName(), info.getConsistentPoint(),
                info.getSnapshotName());
        return info;
    }

    private void dropSlot() throws SQLException {
        try (PreparedStatement ps = catalog.connection().prepareStatement("SELECT pg_drop_replication_slot(?)")) {
            ps.setString(1, config.slotName());
            ps.execute();
        }
        log.info("dropped slot={}", config.slotName());
    }

    private void ensurePublication() throws SQLException {
        String name = config.publicationName();
        if (catalog.publicationExists(name)) {
            return;
        }
        PublicationMode mode = config.publicationMode();
        String sql = switch (mode) {
            case DISABLED -> throw new ConnectException("publication '" + name + "' does not exist and "
                    + PostgresCdcSourceConfig.PUBLICATION_AUTOCREATE_MODE_CONFIG + "=disabled: create it (CREATE PUBLICATION "
                    + name + " FOR TABLE ...) or set the mode to filtered or all_tables");
            case ALL_TABLES -> "CREATE PUBLICATION " + name + " FOR ALL TABLES";
            case FILTERED -> {
                List<TableId> tables = catalog.userTables().stream().map(Catalog.TableInfo::id).filter(filter::test).toList();
                if (tables.isEmpty()) {
                    throw new ConnectException("no table matches " + PostgresCdcSourceConfig.TABLE_INCLUDE_LIST_CONFIG
                            + " / " + PostgresCdcSourceConfig.TABLE_EXCLUDE_LIST_CONFIG + ": publication '" + name
                            + "' would be empty");
                }
                yield "CREATE PUBLICATION " + name + " FOR TABLE "
                        + tables.stream().map(TableId::quoted).collect(Collectors.joining(", "));
            }
        };
        try (Statement st = catalog.connection().createStatement()) {
            st.execute(sql);
        }
        log.info("created publication={} mode={}", name, mode);
    }

    // ---------------------------------------------------------------- snapshot

    /**
     * Reads the tables in {@link #snapshotOrder}, each in primary key order, in the exported snapshot
     * {@code snapshotName}, from the row after {@code from} (null: from the start).
     *
     * @param streamStart where streaming starts afterwards: the records' resume position
     * @param readLsn     the consistent point of the exported snapshot
     */
    private void snapshot(Connection connection, String snapshotName, Lsn streamStart, Lsn readLsn, SnapshotResumes resumes,
                          SnapshotResumes.Point from) throws SQLException, InterruptedException {
        connection.setAutoCommit(false);
        connection.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
        connection.setReadOnly(true);
        try (Statement st = connection.createStatement()) {
            st.execute("SET TRANSACTION SNAPSHOT '" + snapshotName.replace("'", "''") + "'");
        }
        List<TableId> tables = from == null ? snapshotOrder : snapshotOrder.subList(snapshotOrder.indexOf(from.table()), snapshotOrder.size());
        metrics.snapshotRunning = true;
        metrics.snapshotTablesTotal = tables.size();
        metrics.snapshotStartNanos = System.nanoTime();
        log.info("snapshot started tables={} consistentPoint={} readAt={}", tables.size(), streamStart, readLsn);
        SnapshotEmitter out = new SnapshotEmitter(streamStart, resumes);
        for (TableId table : tables) {
            List<ColumnSpec> columns = catalog.columns(table);
            TableSchema schema = gate.admit(new TableSchema(table, config.topicPrefix(), columns, types, EventFactory.SOURCE_SCHEMA));
            List<String> pk = catalog.primaryKey(table);
            List<String> after = from != null && from.table().equals(table) ? from.key() : List.of();
            int[] keyIndex = pk.stream().mapToInt(k -> columns.stream().map(ColumnSpec::name).toList().indexOf(k)).toArray();
            long rows = 0;
            long started = System.nanoTime();
            if (columns.isEmpty()) {
                log.warn("snapshot table={} skipped: dropped since the snapshot started", table);
                continue;
            }
            try (PreparedStatement st = connection.prepareStatement(snapshotQuery(table, columns, pk, !after.isEmpty()))) {
                st.setFetchSize(config.snapshotFetchSize());
                for (int i = 0; i < after.size(); i++) {
                    st.setString(i + 1, after.get(i));
                }
                try (ResultSet rs = st.executeQuery()) {
                    while (rs.next()) {
                        checkStop();
                        Object[] values = new Object[columns.size()];
                        for (int i = 0; i < values.length; i++) {
                            values[i] = schema.convert(i, rs.getString(i + 1));
                        }
                        List<String> key = new ArrayList<>(keyIndex.length);
                        for (int i : keyIndex) {
                            key.add(rs.getString(i + 1));
                        }
                        EventFactory.SourceInfo info = new EventFactory.SourceInfo(Instant.now(clock), "true", null,
                                readLsn, null);
                        out.add(events.read(schema, values, info), table, key);
                        rows++;
                        metrics.snapshotRows.incrementAndGet();
                    }
                }
            }
            metrics.snapshotTablesCompleted++;
            log.info("snapshot table={} rows={} seconds={} tablesDone={}/{}", table, rows,
                    (System.nanoTime() - started) / 1_000_000_000L, metrics.snapshotTablesCompleted, tables.size());
        }
        out.finish();
        connection.commit();
        connection.setAutoCommit(true);
        connection.setReadOnly(false);
        dispatcher.startFrom(SourcePosition.streamingFrom(streamStart));
        dispatcher.skipSnapshotOverlap(resumes, this::inResumedRead);
        activeResumes = resumes;
        metrics.snapshotRunning = false;
        log.info("snapshot done tables={} rows={} rowsPerSecond={}", tables.size(), metrics.snapshotRows.get(),
                Math.round(metrics.getSnapshotRowsPerSecond()));
    }

    /**
     * {@code SELECT columns FROM table [WHERE (pk) > (?)] ORDER BY pk}: the primary key order lets a crashed snapshot
     * resume after its last row in Kafka. A table without primary key is read in no particular order, whole.
     */
    private String snapshotQuery(TableId table, List<ColumnSpec> columns, List<String> pk, boolean after) throws SQLException {
        StringBuilder sql = new StringBuilder("SELECT ")
                .append(columns.stream().map(c -> TableId.quote(c.name())).collect(Collectors.joining(", ")))
                .append(" FROM ").append(table.quoted());
        if (pk.isEmpty()) {
            return sql.toString();
        }
        String keyRow = pk.stream().map(TableId::quote).collect(Collectors.joining(", ", "ROW(", ")"));
        if (after) {
            sql.append(" WHERE ").append(keyRow).append(" > ")
                    .append(catalog.primaryKeyTypes(table).stream().map(t -> "CAST(? AS " + t + ")").collect(Collectors.joining(", ", "ROW(", ")")));
        }
        return sql.append(" ORDER BY ").append(pk.stream().map(TableId::quote).collect(Collectors.joining(", "))).toString();
    }

    /** Holds back one record so that the last one of the snapshot is marked {@code last} and completes it. */
    private final class SnapshotEmitter {
        private final Lsn streamStart;
        private final SnapshotResumes resumes;
        private final String resumesText;
        private ChangeEvent held;
        private TableId heldTable;
        private List<String> heldKey;
        private long count;

        SnapshotEmitter(Lsn streamStart, SnapshotResumes resumes) {
            this.streamStart = streamStart;
            this.resumes = resumes;
            this.resumesText = resumes.isEmpty() ? null : resumes.encode();
        }

        void add(ChangeEvent e, TableId table, List<String> key) throws InterruptedException {
            if (held != null) {
                // A Kafka transaction per fetch: bounded transactions, and progress kept across a crash.
                release(++count % config.snapshotFetchSize() == 0, false);
            }
            held = e;
            heldTable = table;
            heldKey = key;
        }

        void finish() throws InterruptedException {
            if (held != null) {
                ((Struct) held.value().get("source")).put("snapshot", "last");
                release(true, true);
            }
        }

        private void release(boolean commit, boolean completed) throws InterruptedException {
            Map<String, Object> offset = new HashMap<>();
            offset.put(SourcePosition.LSN_END, streamStart.value());
            offset.put(SourcePosition.SNAPSHOT, !completed);
            offset.put(SourcePosition.SNAPSHOT_COMPLETED, completed);
            offset.put(SourcePosition.SNAPSHOT_TABLE, heldTable.toString());
            offset.put(SourcePosition.SNAPSHOT_KEY, SnapshotResumes.encodeKey(heldKey));
            if (resumesText != null) {
                offset.put(SourcePosition.SNAPSHOT_RESUMES, resumesText);
            }
            offer(new Emission(held.toRecord(partition, offset), commit, null, held.estimatedBytes()));
            metrics.events.incrementAndGet();
            held = null;
            progressTable = completed ? null : heldTable.toString();
            progressKey = heldKey;
            progressResumes = resumes;
            progressStreamStart = streamStart;
        }
    }

    // ---------------------------------------------------------------- streaming

    private void stream(PGConnection pg, Lsn start) throws SQLException, InterruptedException {
        // Protocol 2 (PostgreSQL 14+) streams a big transaction while it runs instead of spilling it on the server
        // until it commits; it is spooled here and handed on whole at its commit.
        boolean inProgress = catalog.serverVersionNum() >= 140000;
        var builder = pg.getReplicationAPI().replicationStream().logical()
                .withSlotName(config.slotName())
                .withStartPosition(LogSequenceNumber.valueOf(start.value()))
                .withSlotOption("proto_version", inProgress ? "2" : "1")
                .withSlotOption("publication_names", config.publicationName())
                .withStatusInterval(config.statusIntervalMs(), TimeUnit.MILLISECONDS);
        if (inProgress) {
            builder = builder.withSlotOption("streaming", "on");
        }
        stream = builder.start();
        flushed = flushed.max(start);
        metrics.lastFlushed.set(flushed);
        log.info("streaming slot={} publication={} from lsn={}", config.slotName(), config.publicationName(), start);
        attempts = 0;
        transientFailure.set(null);
        PgOutputDecoder decoder = new PgOutputDecoder();
        streamed = new StreamedTransactions(Path.of(System.getProperty("java.io.tmpdir")), dispatcher::accept);
        try {
            while (true) {
                checkStop();
                ByteBuffer message = stream.readPending();
                if (message == null) {
                    housekeeping();
                    // The driver has no blocking read with a timeout; a short pause keeps an idle stream cheap.
                    TimeUnit.MILLISECONDS.sleep(10);
                    continue;
                }
                Lsn lsn = Lsn.of(stream.getLastReceiveLSN().asLong());
                metrics.lastReceived.set(lsn);
                ByteBuffer raw = message.duplicate();
                streamed.accept(lsn, raw, decoder.decode(message));
                metrics.transactions.set(dispatcher.transactions());
            }
        } finally {
            stream = null;
            streamed.close();
            streamed = null;
        }
    }

    private void hand(Emission e) {
        try {
            offer(e);
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new StopRequested();
        }
        metrics.events.incrementAndGet();
        if (e.flushLsn() != null) {
            handedEnd = handedEnd.max(e.flushLsn());
            long commitMs = e.record().timestamp() == null ? clock.millis() : e.record().timestamp();
            metrics.millisBehind.set(Math.max(0, clock.millis() - commitMs));
        }
    }

    /** Waits for room in the queue; meanwhile keeps the replication connection alive (wal_sender_timeout). */
    private void offer(Emission e) throws InterruptedException {
        while (!queue.offer(e, 1000)) {
            checkStop();
            if (stream != null) {
                try {
                    stream.forceUpdateStatus();
                } catch (SQLException ex) {
                    throw new StreamFault(ex);
                }
            }
        }
    }

    private void housekeeping() throws SQLException {
        Lsn target = confirmed.get();
        boolean heartbeatDue = config.heartbeatIntervalMs() > 0
                && System.nanoTime() - lastHeartbeatNanos >= TimeUnit.MILLISECONDS.toNanos(config.heartbeatIntervalMs());
        boolean allConfirmed = !target.isValid() ? !handedEnd.isValid() : target.compareTo(handedEnd) >= 0;
        if (heartbeatDue) {
            lastHeartbeatNanos = System.nanoTime();
            if (!dispatcher.inTransaction() && !streamed.pending() && allConfirmed && queue.size() == 0) {
                // Idle: everything handed on is in Kafka, so the slot may move to the server's latest position;
                // a transaction still open is not skipped by that (it is decoded from restart_lsn, not from here).
                target = target.max(metrics.lastReceived.get());
                if (config.heartbeatEmitMessage()) {
                    emitHeartbeatMessage();
                }
            }
            updateSlotMetrics();
        }
        if (target.isAfter(flushed)) {
            LogSequenceNumber lsn = LogSequenceNumber.valueOf(target.value());
            stream.setFlushedLSN(lsn);
            stream.setAppliedLSN(lsn);
            stream.forceUpdateStatus();
            flushed = target;
            metrics.lastFlushed.set(target);
            log.debug("confirmed slot={} lsn={}", config.slotName(), target);
        }
    }

    private void emitHeartbeatMessage() throws SQLException {
        try (PreparedStatement ps = catalog.connection().prepareStatement("SELECT pg_logical_emit_message(false, ?, '')")) {
            ps.setString(1, HEARTBEAT_PREFIX);
            ps.execute();
        }
    }

    private void updateSlotMetrics() throws SQLException {
        try (PreparedStatement ps = catalog.connection().prepareStatement(
                "SELECT pg_current_wal_lsn() - restart_lsn FROM pg_replication_slots WHERE slot_name = ?")) {
            ps.setString(1, config.slotName());
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    metrics.slotRetainedWal.set(rs.getLong(1));
                }
            }
        }
    }

    private TableSchema resolve(Relation r) {
        TableId id = new TableId(r.namespace(), r.name());
        if (!filter.test(id)) {
            return null;
        }
        List<String> pk;
        try {
            pk = catalog.primaryKey(id);
        } catch (SQLException e) {
            throw new StreamFault(e);
        }
        // Without a primary key, a replica identity index still identifies rows; REPLICA IDENTITY FULL does not. A table
        // dropped since this change has no key in the catalog any more: the Relation's DEFAULT identity flags are its key.
        boolean useIdentity = pk.isEmpty() && (r.replicaIdentity() == 'i' || r.replicaIdentity() == 'd');
        List<ColumnSpec> columns = r.columns().stream()
                .map(c -> new ColumnSpec(c.name(), c.typeOid(), c.typeModifier(), useIdentity ? c.key() : pk.contains(c.name())))
                .toList();
        if (r.replicaIdentity() == 'd' && log.isDebugEnabled()) {
            log.debug("table={} has REPLICA IDENTITY DEFAULT: updates carry no before image", id);
        }
        log.info("table schema table={} oid={} columns={} key={}", id, r.oid(), columns.size(),
                columns.stream().filter(ColumnSpec::key).map(ColumnSpec::name).toList());
        // Checked before the first record with it: an incompatible change stops here, or goes to a new subject.
        return gate.admit(new TableSchema(id, config.topicPrefix(), columns, types, EventFactory.SOURCE_SCHEMA));
    }

    private void idle() throws InterruptedException {
        while (!stopping) {
            TimeUnit.MILLISECONDS.sleep(200);
        }
    }

    private boolean pause(long ms) {
        try {
            TimeUnit.MILLISECONDS.sleep(ms);
            return !stopping;
        } catch (InterruptedException e) {
            return false;
        }
    }

    private void checkStop() {
        if (stopping) {
            throw new StopRequested();
        }
    }

    /** The task is stopping: unwinds the reader. */
    private static final class StopRequested extends RuntimeException {
        StopRequested() {
            super(null, null, false, false);
        }
    }

    /** An SQLException inside a callback: unwrapped into the reconnect logic. */
    private static final class StreamFault extends RuntimeException {
        StreamFault(SQLException cause) {
            super(cause);
        }
    }
}
