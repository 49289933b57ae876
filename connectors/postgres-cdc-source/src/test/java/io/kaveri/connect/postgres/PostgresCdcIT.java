package io.kaveri.connect.postgres;

import com.fasterxml.jackson.databind.JsonNode;
import io.kaveri.connect.postgres.CdcHarness.Event;
import io.kaveri.connect.postgres.CdcHarness.Fault;
import io.kaveri.connect.postgres.CdcHarness.Writer;
import io.kaveri.stack.LocalStack;
import io.kaveri.stack.LocalStack.Part;
import io.kaveri.test.KaveriStack;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@KaveriStack({Part.KAFKA, Part.CONNECT, Part.POSTGRES})
class PostgresCdcIT {

    private static final Duration READ = Duration.ofSeconds(240); // generous: CI machines are small and shared

    @Test
    void snapshotThenStreamWithRowsInsertedDuringTheSnapshotHasNoGapAndNoDuplicate(LocalStack stack) throws Exception {
        try (CdcHarness cdc = new CdcHarness(stack)) {
            String table = "snap_" + cdc.id;
            cdc.execute("CREATE TABLE " + table + " (id bigserial PRIMARY KEY, v text)",
                    "INSERT INTO " + table + " (v) SELECT 'row ' || g FROM generate_series(1, 5000) g");
            try (Writer writer = new Writer(cdc, "INSERT INTO " + table + " (v) VALUES ('live')")) {
                cdc.start(cdc.config("public\\." + table));
                // Streamed inserts arrive only after the snapshot: the writer ran across the hand-off.
                cdc.readUntil(List.of(cdc.topic(table)), READ, events -> events.stream().anyMatch(e -> "c".equals(e.op())));
            }
            long rows = count(cdc, table);
            List<Event> events = cdc.readUntil(List.of(cdc.topic(table)), READ, e -> e.size() >= rows);
            assertEachRowExactlyOnce(events, rows);
            assertThat(events).extracting(Event::op).containsOnly("r", "c");
            assertThat(events.stream().filter(e -> "r".equals(e.op())).count()).isGreaterThanOrEqualTo(5000);
            assertThat(events.stream().filter(e -> "r".equals(e.op()))
                    .filter(e -> "last".equals(e.value().path("source").path("snapshot").asText()))).hasSize(1);
        }
    }

    /**
     * Transactions committed while the connector runs, then a backlog of transactions decoded while the task is paused
     * (under 'drain' they are polled together and grouped). Under both groupings a read_committed consumer gets every
     * database transaction whole: its records are contiguous, no commit marker inside; under 'none' a marker follows
     * each one, under 'drain' some transactions of the backlog share one Kafka transaction.
     */
    @ParameterizedTest(name = "transaction.grouping={0}")
    @ValueSource(strings = {"none", "drain"})
    void databaseTransactionsAreAtomicForReadCommittedConsumersAndARolledBackOneIsNothing(String grouping, LocalStack stack)
            throws Exception {
        try (CdcHarness cdc = new CdcHarness(stack)) {
            String table = "tx_" + cdc.id;
            cdc.execute("CREATE TABLE " + table + " (id int PRIMARY KEY, v text)");
            Map<String, String> config = cdc.config("public\\." + table);
            config.put("transaction.grouping", grouping);
            cdc.start(config);
            List<Integer> expectedSizes = new ArrayList<>(List.of(50, 5, 1, 1, 1, 1, 1));
            int backlog = 30;
            try (Connection c = cdc.sql(); Statement st = c.createStatement()) {
                c.setAutoCommit(false);
                st.execute("INSERT INTO " + table + " SELECT g, 'a' FROM generate_series(1, 50) g");
                c.commit();
                st.execute("INSERT INTO " + table + " SELECT g, 'aborted' FROM generate_series(1000, 1009) g");
                c.rollback();
                st.execute("INSERT INTO " + table + " VALUES (51, 'b'), (52, 'b')");
                st.execute("UPDATE " + table + " SET v = 'c' WHERE id <= 3");
                c.commit();
                for (int i = 0; i < 5; i++) {
                    st.execute("INSERT INTO " + table + " VALUES (" + (60 + i) + ", 'single')");
                    c.commit();
                }
                cdc.readUntil(List.of(cdc.topic(table)), READ, e -> e.size() >= 60);
                cdc.pause();
                int id = 100;
                for (int t = 0; t < backlog; t++) {
                    int rows = 1 + t % 4;
                    for (int r = 0; r < rows; r++) {
                        st.execute("INSERT INTO " + table + " VALUES (" + id++ + ", 'backlog')");
                    }
                    c.commit();
                    expectedSizes.add(rows);
                }
            }
            int total = expectedSizes.stream().mapToInt(Integer::intValue).sum();
            await("the backlog decoded while paused").atMost(READ).until(() -> cdc.metric("QueueSize") >= total - 60);
            cdc.resume();
            List<Event> events = cdc.readUntil(List.of(cdc.topic(table)), READ, e -> e.size() >= total);
            assertThat(events).hasSize(total);
            assertThat(events).noneMatch(e -> e.key().path("id").asInt() >= 1000 && e.key().path("id").asInt() < 1010);
            assertThat(events.stream().filter(e -> "c".equals(e.op())).collect(Collectors.groupingBy(e -> e.key().path("id").asInt(),
                    Collectors.counting())).values()).as("each inserted row once").hasSize(total - 3).containsOnly(1L);
            // One partition: a Kafka transaction's records sit at consecutive offsets, and its commit marker takes the
            // offset after them, so records of one Kafka transaction are contiguous and a gap marks a commit.
            Map<Long, List<Event>> byTx = new TreeMap<>();
            events.forEach(e -> byTx.computeIfAbsent(e.txId(), k -> new ArrayList<>()).add(e));
            assertThat(byTx.values()).extracting(List::size).containsExactlyElementsOf(expectedSizes);
            long previousEnd = -2;
            int sharedKafkaTransaction = 0;
            for (List<Event> tx : byTx.values()) {
                long first = tx.get(0).offset();
                long last = tx.get(tx.size() - 1).offset();
                assertThat(last - first + 1).as("no commit marker inside a database transaction").isEqualTo(tx.size());
                assertThat(first).as("transactions in commit order").isGreaterThan(previousEnd);
                if (first == previousEnd + 1) {
                    sharedKafkaTransaction++;
                }
                previousEnd = last;
            }
            if ("none".equals(grouping)) {
                assertThat(sharedKafkaTransaction).as("a commit marker after every database transaction").isZero();
                assertThat(cdc.metric("KafkaTransactionsTotal")).isEqualTo(expectedSizes.size());
            } else {
                assertThat(sharedKafkaTransaction).as("the backlog's transactions share Kafka transactions").isPositive();
                assertThat(cdc.metric("KafkaTransactionsTotal")).isLessThan(expectedSizes.size());
            }
        }
    }

    @Test
    void aTransactionStreamedWhileInProgressIsStillOneKafkaTransaction(LocalStack stack) throws Exception {
        try (CdcHarness cdc = new CdcHarness(stack)) {
            String table = "big_" + cdc.id;
            cdc.execute("CREATE TABLE " + table + " (id int PRIMARY KEY, v text)");
            // The server streams a transaction once its decoded changes outgrow this (64 MB by default).
            cdc.execute("ALTER SYSTEM SET logical_decoding_work_mem = '64kB'", "SELECT pg_reload_conf()");
            try {
                cdc.start(cdc.config("public\\." + table));
                try (Connection c = cdc.sql(); Statement st = c.createStatement()) {
                    c.setAutoCommit(false);
                    st.execute("INSERT INTO " + table + " SELECT g, repeat('x', 200) FROM generate_series(1, 3000) g");
                    st.execute("SAVEPOINT s");
                    st.execute("INSERT INTO " + table + " SELECT g, repeat('y', 200) FROM generate_series(100000, 101000) g");
                    st.execute("ROLLBACK TO SAVEPOINT s");
                    st.execute("INSERT INTO " + table + " VALUES (3001, 'last')");
                    // A small transaction commits while the big one is open: it comes first.
                    cdc.execute("INSERT INTO " + table + " VALUES (0, 'small')");
                    c.commit();
                }
                List<Event> events = cdc.readUntil(List.of(cdc.topic(table)), READ, e -> e.size() >= 3002);
                assertThat(events).hasSize(3002);
                assertThat(events.get(0).key().path("id").asInt()).isZero();
                assertThat(events).noneMatch(e -> e.key().path("id").asInt() >= 100000);
                List<Event> big = events.subList(1, events.size());
                assertThat(big).extracting(Event::txId).containsOnly(big.get(0).txId());
                assertThat(big.get(big.size() - 1).offset() - big.get(0).offset() + 1).as("one Kafka transaction: contiguous")
                        .isEqualTo(big.size());
                assertThat(big.get(0).offset()).as("after the small one's commit marker").isGreaterThanOrEqualTo(events.get(0).offset() + 2);
                await("the server streamed a transaction").atMost(Duration.ofSeconds(60)).until(() -> Long.parseLong(single(cdc,
                        "SELECT coalesce(sum(stream_txns), 0) FROM pg_stat_replication_slots WHERE slot_name = '" + cdc.id + "'")) > 0);
            } finally {
                cdc.execute("ALTER SYSTEM RESET logical_decoding_work_mem", "SELECT pg_reload_conf()");
            }
        }
    }

    @Test
    void updatesDeletesTombstonesAndPrimaryKeyChangesInDebeziumEnvelope(LocalStack stack) throws Exception {
        try (CdcHarness cdc = new CdcHarness(stack)) {
            String plain = "env_" + cdc.id;
            String full = "envfull_" + cdc.id;
            cdc.execute("CREATE TABLE " + plain + " (id int PRIMARY KEY, name text)",
                    "CREATE TABLE " + full + " (id int PRIMARY KEY, name text)",
                    "ALTER TABLE " + full + " REPLICA IDENTITY FULL");
            cdc.start(cdc.config("public\\.env(full)?_" + cdc.id));
            cdc.execute("INSERT INTO " + plain + " VALUES (1, 'ann')",
                    "UPDATE " + plain + " SET name = 'bob' WHERE id = 1",
                    "UPDATE " + plain + " SET id = 2 WHERE id = 1",
                    "DELETE FROM " + plain + " WHERE id = 2",
                    "INSERT INTO " + full + " VALUES (7, 'x')",
                    "UPDATE " + full + " SET name = 'y' WHERE id = 7",
                    "TRUNCATE " + full);
            List<Event> p = cdc.readUntil(List.of(cdc.topic(plain)), READ, e -> e.size() >= 7);
            assertThat(p).extracting(Event::op).containsExactly("c", "u", "d", null, "c", "d", null);
            assertThat(p).extracting(e -> e.key().path("id").asInt()).containsExactly(1, 1, 1, 1, 2, 2, 2);
            assertThat(p.get(1).before().isNull()).as("REPLICA IDENTITY DEFAULT has no before image").isTrue();
            assertThat(p.get(1).after().path("name").asText()).isEqualTo("bob");
            assertThat(p.get(2).before().path("id").asInt()).isEqualTo(1);
            assertThat(p.get(2).after().isNull()).isTrue();
            JsonNode source = p.get(0).value().path("source");
            assertThat(source.path("connector").asText()).isEqualTo("postgresql");
            assertThat(source.path("name").asText()).isEqualTo(cdc.id);
            assertThat(source.path("schema").asText()).isEqualTo("public");
            assertThat(source.path("table").asText()).isEqualTo(plain);
            assertThat(source.path("txId").asLong()).isPositive();
            assertThat(source.path("lsn").asLong()).isPositive();
            assertThat(source.path("snapshot").asText()).isEqualTo("false");
            assertThat(p.get(0).value().path("ts_ms").asLong()).isPositive();

            List<Event> f = cdc.readUntil(List.of(cdc.topic(full)), READ, e -> e.size() >= 3);
            assertThat(f).extracting(Event::op).containsExactly("c", "u", "t");
            assertThat(f.get(1).before().path("name").asText()).isEqualTo("x");
            assertThat(f.get(1).after().path("name").asText()).isEqualTo("y");
        }
    }

    @Test
    void typesRoundTrip(LocalStack stack) throws Exception {
        try (CdcHarness cdc = new CdcHarness(stack)) {
            String table = "types_" + cdc.id;
            String mood = "mood_" + cdc.id;
            cdc.execute("CREATE TYPE " + mood + " AS ENUM ('sad', 'ok', 'happy')",
                    "CREATE TABLE " + table + " (id int PRIMARY KEY, b boolean, s smallint, l bigint, r real, d double precision,"
                            + " n numeric(10,2), t text, j jsonb, u uuid, dt date, tm time, ts timestamp, tz timestamptz,"
                            + " iv interval, by bytea, ia int[], ta text[], m " + mood + ", p point, big text)",
                    // Stored out of line uncompressed, so an update that leaves it alone does not send it.
                    "ALTER TABLE " + table + " ALTER COLUMN big SET STORAGE EXTERNAL");
            Map<String, String> config = cdc.config("public\\." + table);
            config.put("value.converter.decimal.format", "NUMERIC");
            cdc.start(config);
            cdc.execute("INSERT INTO " + table + " VALUES (1, true, -7, 9007199254740993, 1.5, 2.25, 12345678.91, 'Kāveri',"
                    + " '{\"a\": [1, 2]}', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', '2024-01-02', '03:04:05.123456',"
                    + " '2024-01-02 03:04:05.123456', '2024-01-02 08:34:05.5+05:30', '1 day 02:00:00', '\\x0a0bff',"
                    + " '{1,NULL,3}', '{\"x y\",z}', 'happy', '(1,2)', repeat('toast', 5000))",
                    "UPDATE " + table + " SET b = false WHERE id = 1");
            List<Event> events = cdc.readUntil(List.of(cdc.topic(table)), READ, e -> e.size() >= 2);
            JsonNode a = events.get(0).after();
            assertThat(a.path("b").asBoolean()).isTrue();
            assertThat(a.path("s").asInt()).isEqualTo(-7);
            assertThat(a.path("l").asLong()).isEqualTo(9007199254740993L);
            assertThat(a.path("r").asDouble()).isEqualTo(1.5);
            assertThat(a.path("d").asDouble()).isEqualTo(2.25);
            assertThat(a.path("n").decimalValue()).isEqualByComparingTo("12345678.91");
            assertThat(a.path("t").asText()).isEqualTo("Kāveri");
            assertThat(a.path("j").asText()).isEqualTo("{\"a\": [1, 2]}");
            assertThat(a.path("u").asText()).isEqualTo("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11");
            assertThat(a.path("dt").asInt()).isEqualTo(19724);
            assertThat(a.path("tm").asLong()).isEqualTo(11_045_123_456L);
            assertThat(a.path("ts").asLong()).isEqualTo(1_704_164_645_123_456L);
            assertThat(a.path("tz").asText()).isEqualTo("2024-01-02T03:04:05.5Z");
            assertThat(a.path("iv").asLong()).isEqualTo(93_600_000_000L);
            assertThat(a.path("by").binaryValue()).containsExactly(10, 11, -1);
            assertThat(a.path("ia").toString()).isEqualTo("[1,null,3]");
            assertThat(a.path("ta").toString()).isEqualTo("[\"x y\",\"z\"]");
            assertThat(a.path("m").asText()).isEqualTo("happy");
            assertThat(a.path("p").asText()).isEqualTo("(1,2)");
            assertThat(a.path("big").asText().length()).isEqualTo(25000);
            // The update left the TOASTed column alone: PostgreSQL does not send it, and the event says so.
            String big = events.get(1).after().path("big").asText();
            assertThat(big.length()).isEqualTo(EventFactory.UNAVAILABLE_VALUE.length());
            assertThat(big).isEqualTo(EventFactory.UNAVAILABLE_VALUE);
            assertThat(events.get(1).after().path("b").asBoolean()).isFalse();
        }
    }

    @Test
    void killingTheWorkerMidStreamLosesAndDuplicatesNothing(LocalStack stack) throws Exception {
        writeThroughAFault(stack, "crash", (cdc, writer) -> {
            stack.connect().stop();
            long atStop = writer.done.get();
            await("writes while the worker is down").atMost(Duration.ofSeconds(30)).until(() -> writer.done.get() > atStop + 50);
            stack.connect().startAgain();
            cdc.awaitRunning();
        });
    }

    @Test
    void aCutReplicationConnectionIsResumedWithoutLossOrDuplicate(LocalStack stack) throws Exception {
        writeThroughAFault(stack, "cut", (cdc, writer) -> assertThat(single(cdc, "SELECT count(pg_terminate_backend(pid)) "
                + "FROM pg_stat_replication WHERE application_name = 'kaveri-postgres-cdc-" + cdc.id + "'")).isEqualTo("1"));
    }

    /** Inserts rows in small transactions before, during and after {@code fault}; then every row has exactly one event. */
    private static void writeThroughAFault(LocalStack stack, String name, Fault fault) throws Exception {
        try (CdcHarness cdc = new CdcHarness(stack)) {
            String table = name + "_" + cdc.id;
            cdc.execute("CREATE TABLE " + table + " (id bigserial PRIMARY KEY, v text)");
            cdc.start(cdc.config("public\\." + table));
            try (Writer writer = new Writer(cdc, "INSERT INTO " + table + " (v) SELECT 'x' FROM generate_series(1, 3)")) {
                cdc.readUntil(List.of(cdc.topic(table)), READ, e -> e.size() >= 30);
                fault.inject(cdc, writer);
                long afterFault = writer.done.get();
                await("writes after the fault").atMost(Duration.ofSeconds(30)).until(() -> writer.done.get() > afterFault + 100);
            }
            long rows = count(cdc, table);
            List<Event> events = cdc.readUntil(List.of(cdc.topic(table)), READ, e -> e.size() >= rows);
            assertEachRowExactlyOnce(events, rows);
            assertThat(events).extracting(Event::op).as("streamed, never snapshotted again").containsOnly("c");
        }
    }

    @Test
    void anIdleSlotStillAdvances(LocalStack stack) throws Exception {
        try (CdcHarness cdc = new CdcHarness(stack)) {
            String table = "idle_" + cdc.id;
            String other = "other_" + cdc.id;
            cdc.execute("CREATE TABLE " + table + " (id int PRIMARY KEY)", "CREATE TABLE " + other + " (id int PRIMARY KEY)");
            cdc.start(cdc.config("public\\." + table));
            // WAL that the connector captures nothing of.
            cdc.execute("INSERT INTO " + other + " SELECT g FROM generate_series(1, 10000) g");
            String walAfterWrites = single(cdc, "SELECT pg_current_wal_lsn()::text");
            await("slot confirmed past " + walAfterWrites).atMost(Duration.ofSeconds(60)).until(() -> Boolean.parseBoolean(single(cdc,
                    "SELECT (confirmed_flush_lsn >= '" + walAfterWrites + "'::pg_lsn)::text FROM pg_replication_slots "
                            + "WHERE slot_name = '" + cdc.id + "'")));
        }
    }

    /** Insert-only workloads: every row of the table has exactly one event, keyed by its id. */
    private static void assertEachRowExactlyOnce(List<Event> events, long rows) {
        Map<Long, Long> perId = events.stream().collect(Collectors.groupingBy(e -> e.key().path("id").asLong(),
                TreeMap::new, Collectors.counting()));
        assertThat(perId).as("rows with an event").hasSize((int) rows);
        assertThat(perId.values()).as("events per row").containsOnly(1L);
    }

    private static long count(CdcHarness cdc, String table) throws SQLException {
        return Long.parseLong(single(cdc, "SELECT count(*) FROM " + table));
    }

    private static String single(CdcHarness cdc, String sql) throws SQLException {
        try (Connection c = cdc.sql(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
