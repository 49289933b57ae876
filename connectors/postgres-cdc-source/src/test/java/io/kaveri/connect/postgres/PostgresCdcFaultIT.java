package io.kaveri.connect.postgres;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.kaveri.connect.postgres.CdcHarness.Event;
import io.kaveri.connect.postgres.CdcHarness.Fault;
import io.kaveri.connect.postgres.CdcHarness.Writer;
import io.kaveri.stack.LocalStack;
import io.kaveri.stack.LocalStack.Part;
import io.kaveri.test.KaveriStack;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Faults in the middle of work: the worker killed mid-snapshot, PostgreSQL restarted mid-stream, the slot dropped, a
 * table dropped. After recovery each table rebuilt from its topic (c, u, r put the row, d and tombstones remove it)
 * equals the table row for row, and no committed change is in the topic twice.
 */
@KaveriStack({Part.KAFKA, Part.CONNECT, Part.POSTGRES})
class PostgresCdcFaultIT {

    private static final Duration READ = Duration.ofSeconds(240); // generous: CI machines are small and shared
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int ROWS = 20_000;

    /** Updates, deletes, primary key moves and inserts on random rows, one transaction each. */
    private static String mixedWrites(String table) {
        String randomId = "1 + floor(random() * " + ROWS + ")::bigint";
        return "UPDATE " + table + " SET v = md5(random()::text) WHERE id = " + randomId + ";"
                + "DELETE FROM " + table + " WHERE id = " + randomId + ";"
                + "UPDATE " + table + " SET id = id + 1000000 WHERE id = " + randomId + ";"
                + "INSERT INTO " + table + " (v) VALUES ('live')";
    }

    @Test
    void aWorkerKilledMidSnapshotResumesItAndTheTopicRebuildsTheTable(LocalStack stack) throws Exception {
        faultMidSnapshot(stack, "midsnap", (cdc, writer) -> {
            stack.connect().stop();
            long atStop = writer.done.get();
            await("writes while the worker is down").atMost(Duration.ofSeconds(60)).until(() -> writer.done.get() > atStop + 50);
            stack.connect().startAgain();
        });
    }

    @Test
    void postgresRestartedMidSnapshotResumesItAndTheTopicRebuildsTheTable(LocalStack stack) throws Exception {
        faultMidSnapshot(stack, "pgsnap", (cdc, writer) -> stack.postgres().restart());
    }

    /**
     * Snapshots a table under a writer, injects {@code fault} once part of the snapshot is in Kafka; then the table
     * rebuilt from the topic equals the table, no change is there twice, and the snapshot was read in two parts.
     */
    private static void faultMidSnapshot(LocalStack stack, String name, Fault fault) throws Exception {
        try (CdcHarness cdc = new CdcHarness(stack)) {
            String table = name + "_" + cdc.id;
            cdc.execute("CREATE TABLE " + table + " (id bigserial PRIMARY KEY, v text)",
                    "INSERT INTO " + table + " (v) SELECT md5(g::text) FROM generate_series(1, " + ROWS + ") g");
            Map<String, String> config = cdc.config("public\\." + table);
            // Small chunks, each its own Kafka transaction: the snapshot is slow enough for the fault to land inside
            // it, between two of them (grouped, the 20,000 rows can be in Kafka before the fault).
            config.put("snapshot.fetch.size", "50");
            config.put("transaction.grouping", "none");
            try (Writer writer = new Writer(cdc, mixedWrites(table))) {
                cdc.start(config);
                cdc.readUntil(List.of(cdc.topic(table)), READ, e -> e.size() >= 3_000);
                fault.inject(cdc, writer);
                cdc.awaitRunning();
                long afterFault = writer.done.get();
                await("writes after the fault").atMost(Duration.ofSeconds(60)).until(() -> writer.done.get() > afterFault + 50);
            }
            List<Event> events = readAllOf(cdc, table);
            assertRebuildEqualsTable(cdc, table, events);
            assertNoChangeTwice(events);
            assertThat(events.stream().filter(e -> "r".equals(e.op())).map(e -> e.value().path("source").path("lsn").asLong())
                    .distinct().count()).as("snapshot reads: the first one and the resumed one").isEqualTo(2);
        }
    }

    @Test
    void postgresRestartedMidStreamLosesAndDuplicatesNothing(LocalStack stack) throws Exception {
        try (CdcHarness cdc = new CdcHarness(stack)) {
            String table = "pgrestart_" + cdc.id;
            cdc.execute("CREATE TABLE " + table + " (id bigserial PRIMARY KEY, v text)",
                    "INSERT INTO " + table + " (v) SELECT md5(g::text) FROM generate_series(1, " + ROWS + ") g");
            cdc.start(cdc.config("public\\." + table));
            try (Writer writer = new Writer(cdc, mixedWrites(table))) {
                cdc.readUntil(List.of(cdc.topic(table)), READ, e -> e.stream().anyMatch(x -> "c".equals(x.op()) || "u".equals(x.op())));
                stack.postgres().restart();
                long afterRestart = writer.done.get();
                await("writes after the restart").atMost(Duration.ofSeconds(60)).until(() -> writer.done.get() > afterRestart + 100);
                cdc.awaitRunning();
            }
            List<Event> events = readAllOf(cdc, table);
            assertRebuildEqualsTable(cdc, table, events);
            assertNoChangeTwice(events);
        }
    }

    @Test
    void aSlotDroppedBehindTheConnectorsBackFailsTheTaskWithTheFix(LocalStack stack) throws Exception {
        try (CdcHarness cdc = new CdcHarness(stack)) {
            String table = "noslot_" + cdc.id;
            cdc.execute("CREATE TABLE " + table + " (id int PRIMARY KEY)");
            cdc.start(cdc.config("public\\." + table));
            cdc.execute("INSERT INTO " + table + " VALUES (1)");
            cdc.readUntil(List.of(cdc.topic(table)), READ, e -> e.size() >= 1);
            // An active slot cannot be dropped: end the walsender, then drop the slot before the connector is back.
            await("slot dropped").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50)).ignoreExceptions().until(() -> {
                cdc.execute("SELECT pg_terminate_backend(active_pid) FROM pg_replication_slots WHERE slot_name = '" + cdc.id
                        + "' AND active_pid IS NOT NULL", "SELECT pg_drop_replication_slot('" + cdc.id + "')");
                return true;
            });
            String trace = cdc.awaitFailedTask();
            assertThat(trace).contains("replication slot '" + cdc.id + "' does not exist", "snapshot.mode=when_needed");
        }
    }

    @Test
    void aDroppedTableEndsItsEventsAndTheOthersFlowOn(LocalStack stack) throws Exception {
        try (CdcHarness cdc = new CdcHarness(stack)) {
            String gone = "gone_" + cdc.id;
            String kept = "kept_" + cdc.id;
            cdc.execute("CREATE TABLE " + gone + " (id int PRIMARY KEY)", "CREATE TABLE " + kept + " (id int PRIMARY KEY)");
            cdc.start(cdc.config("public\\.(" + gone + "|" + kept + ")"));
            cdc.execute("INSERT INTO " + gone + " VALUES (1)", "DROP TABLE " + gone, "INSERT INTO " + kept + " VALUES (2)");
            List<Event> events = cdc.readUntil(List.of(cdc.topic(gone), cdc.topic(kept)), READ, e -> e.size() >= 2);
            assertThat(events).extracting(e -> e.topic() + ":" + e.key().path("id").asInt())
                    .containsExactlyInAnyOrder(cdc.topic(gone) + ":1", cdc.topic(kept) + ":2");
            cdc.awaitRunning();
        }
    }

    /** Every event of the table's topic, once the rebuilt table has caught up with the database. */
    private static List<Event> readAllOf(CdcHarness cdc, String table) throws Exception {
        Map<String, String> expected = tableRows(cdc, table);
        return cdc.readUntil(List.of(cdc.topic(table)), READ, events -> rebuild(events).equals(expected));
    }

    private static void assertRebuildEqualsTable(CdcHarness cdc, String table, List<Event> events) throws Exception {
        Map<String, String> expected = tableRows(cdc, table);
        assertThat(expected).hasSizeGreaterThan(ROWS / 2);
        assertThat(rebuild(events)).as("table rebuilt from the topic").isEqualTo(expected);
    }

    /** A committed change is one WAL position, operation and key; a snapshot row one key. */
    private static void assertNoChangeTwice(List<Event> events) {
        Map<String, Long> changes = events.stream().filter(e -> e.value() != null).collect(Collectors.groupingBy(e ->
                ("r".equals(e.op()) ? "r" : e.op() + "@" + e.value().path("source").path("lsn").asText()) + ":" + e.key(),
                Collectors.counting()));
        assertThat(changes.entrySet()).filteredOn(e -> e.getValue() > 1).as("changes in the topic more than once").isEmpty();
    }

    /** Applies the events in topic order: id -> row as JSON text. */
    private static Map<String, String> rebuild(List<Event> events) {
        Map<String, String> rows = new TreeMap<>();
        for (Event e : events) {
            String id = e.key().path("id").asText();
            if (e.value() == null || "d".equals(e.op())) {
                rows.remove(id);
            } else {
                rows.put(id, e.after().toString());
            }
        }
        return rows;
    }

    private static Map<String, String> tableRows(CdcHarness cdc, String table) throws SQLException {
        Map<String, String> rows = new TreeMap<>();
        try (Connection c = cdc.sql(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT id::text, row_to_json(t)::text FROM " + table + " t")) {
            while (rs.next()) {
                try {
                    rows.put(rs.getString(1), JSON.readTree(rs.getString(2)).toString());
                } catch (java.io.IOException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        return rows;
    }
}
