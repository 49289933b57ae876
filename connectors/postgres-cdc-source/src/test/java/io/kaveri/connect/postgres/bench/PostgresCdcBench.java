package io.kaveri.connect.postgres.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ToDoubleFunction;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.kaveri.connect.postgres.bench.ChangeWorkload.Counts;
import io.kaveri.stack.ConnectWorker;
import io.kaveri.stack.LocalStack;
import io.kaveri.stack.LocalStack.Part;
import io.kaveri.stack.PostgresServer;
import io.kaveri.stack.StackDirectories;
import io.kaveri.test.KaveriStack;

/**
 * Benchmark, not a test (its name escapes Surefire and Failsafe): Kaveri's PostgreSQL CDC source against Debezium's
 * PostgreSQL connector, on the local stack's PostgreSQL and broker, in one Connect worker, in the same run. Run it
 * with {@code ./mvnw -B -pl connectors/postgres-cdc-source -am verify -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false
 * -Dit.test=PostgresCdcBench -Dfailsafe.failIfNoSpecifiedTests=false} (that {@code it.test} value also unpacks
 * Debezium's plugin archive); {@code -Dbench.rows=N} scales it (default 1,000,000; 20,000 is a smoke run) and
 * {@code -Dbench.rounds=R} repeats it (default 3, the order of the contenders rotating; medians are reported).
 *
 * <p>The shared stack's worker loads only Kaveri's plugins, so this starts its own worker against the stack's broker
 * with Debezium's plugin folder added to {@code plugin.path}. Each connector runs alone, on its own slot, publication
 * and topic (one partition, log-append timestamps), over the same table contents:
 * <ol>
 *   <li>snapshot: a {@code pgbench_accounts}-shaped table of N rows; rows/s from the connector's creation to the
 *       log-append time of the N-th record;</li>
 *   <li>streaming: a slot per connector is created, then a pgbench-style workload of N/4 row changes (inserts, updates,
 *       deletes; transactions of 1 to 1000 rows) is committed; each connector then drains its slot; changes/s from
 *       its creation to the log-append time of its last record;</li>
 *   <li>latency: the same workload paced at {@code bench.live.rate} changes/s while the connector streams; per change,
 *       the time a {@code read_committed} consumer gets it minus the commit time in {@code source.ts_ms}.</li>
 * </ol>
 * The contenders are in {@link Contender}. Printed as a table with ratios, also written to
 * target/bench/postgres-cdc.md.
 */
@KaveriStack({Part.KAFKA, Part.POSTGRES})
class PostgresCdcBench {

    private static final int ROWS = Integer.getInteger("bench.rows", 1_000_000);
    private static final long CHANGES = Long.getLong("bench.changes", Math.max(1_000, ROWS / 4));
    private static final int STREAM_TABLE_ROWS = Math.max(1_000, ROWS / 10);
    private static final double LIVE_RATE = Double.parseDouble(System.getProperty("bench.live.rate", "1000"));
    private static final Duration WARMUP = Duration.ofSeconds(Long.getLong("bench.warmup.seconds", 5));
    private static final Duration LIVE = Duration.ofSeconds(Long.getLong("bench.live.seconds", 20));
    private static final Duration TIMEOUT = Duration.ofSeconds(Long.getLong("bench.timeout.seconds", 1800));
    private static final int ROUNDS = Integer.getInteger("bench.rounds", 3);
    private static final long SEED = 20_261_125L;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String run = "cdcb" + UUID.randomUUID().toString().replace("-", "").substring(0, 6);
    private final HttpClient http = HttpClient.newHttpClient();
    private LocalStack stack;
    private ConnectWorker worker;

    /** A rate from the connector's creation (what a user waits) and from its first record (the steady pace). */
    private record Rate(double overall, double steady) {
    }

    private record Figures(Rate snapshot, Rate stream, long p50, long p99, int latencySamples) {
    }

    @Test
    void kaveriAgainstDebezium(LocalStack stack) throws Exception {
        this.stack = stack;
        Path debezium = Path.of(System.getProperty("bench.debezium.plugin.dir", "target/debezium-plugin")).toAbsolutePath();
        assertThat(debezium.resolve("debezium-connector-postgres")).as("Debezium's plugin folder; run the benchmark "
                + "with -Dit.test=PostgresCdcBench so that the cdc-bench profile unpacks it").isDirectory();
        List<Path> pluginPath = new ArrayList<>(StackDirectories.builtPluginDirectories(
                Path.of(System.getProperty("kaveri.home", "../..")).toAbsolutePath().normalize()));
        pluginPath.add(debezium);
        worker = ConnectWorker.start(new ConnectWorker.Options(stack.bootstrapServers(), pluginPath,
                Path.of(System.getProperty("kaveri.log.dir", "target/stack"), "connect.log"), Map.of(
                        "group.id", run,
                        "config.storage.topic", run + "-configs",
                        "offset.storage.topic", run + "-offsets",
                        "status.storage.topic", run + "-status")));
        try {
            Map<Contender, String> versions = pluginVersions();
            List<Map<Contender, Figures>> rounds = new ArrayList<>();
            try (Connection c = sql()) {
                String accounts = run + "_accounts";
                ChangeWorkload.create(c, accounts, ROWS, SEED);
                ChangeWorkload backlog = ChangeWorkload.create(c, run + "_stream", STREAM_TABLE_ROWS, SEED);
                for (int r = 0; r < ROUNDS; r++) {
                    rounds.add(round(c, r, accounts, backlog));
                    System.out.println("round " + (r + 1) + " of " + ROUNDS + "\n" + report(versions, rounds.subList(r, r + 1)));
                }
            }
            String report = report(versions, rounds);
            System.out.println(report);
            Path out = Path.of("target", "bench", "postgres-cdc.md");
            Files.createDirectories(out.getParent());
            Files.writeString(out, report + "\n");
            assertThat(rounds).allSatisfy(f -> assertThat(f).containsOnlyKeys(Contender.values()));
        } finally {
            worker.close();
        }
    }

    /**
     * Every phase once for every contender. The order rotates from round to round, so that a change in the machine's
     * load does not always favour the same one.
     */
    private Map<Contender, Figures> round(Connection c, int round, String accounts, ChangeWorkload backlog) throws Exception {
        List<Contender> order = new ArrayList<>(List.of(Contender.values()));
        Collections.rotate(order, -round);
        Map<Contender, Rate> snapshot = new EnumMap<>(Contender.class);
        Map<Contender, Rate> streaming = new EnumMap<>(Contender.class);
        Map<Contender, Figures> figures = new EnumMap<>(Contender.class);
        for (Contender who : order) {
            snapshot.put(who, snapshot(who, round, accounts));
        }
        // Every slot exists before the first change, so every connector gets the very same WAL to decode.
        for (Contender who : order) {
            createSlot(c, prefix(who, round, "stream"), backlog.table());
        }
        long t0 = System.nanoTime();
        Counts counts = backlog.runFlatOut(c, CHANGES);
        System.out.printf(Locale.ROOT, "workload committed changes=%d (%d c, %d u, %d d) changes_per_s=%.0f%n",
                counts.changes(), counts.inserts(), counts.updates(), counts.deletes(),
                counts.changes() / ((System.nanoTime() - t0) / 1e9));
        for (Contender who : order) {
            streaming.put(who, streaming(who, round, backlog.table(), counts));
        }
        for (Contender who : order) {
            long[] latency = latency(c, who, round);
            figures.put(who, new Figures(snapshot.get(who), streaming.get(who), latency[0], latency[1], (int) latency[2]));
        }
        return figures;
    }

    /** Rows per second for a fresh connector to put every row of {@code table} in Kafka. */
    private Rate snapshot(Contender who, int round, String table) throws Exception {
        String prefix = prefix(who, round, "snap");
        String topic = createTopic(prefix, table);
        try (TopicTally tally = TopicTally.counting(stack.bootstrapServers(), topic)) {
            long t0 = System.currentTimeMillis();
            deploy(prefix, who.config(stack.postgres(), prefix, table, true));
            tally.awaitRecords(() -> ROWS, TIMEOUT, () -> requireHealthy(prefix));
            undeploy(prefix);
            assertThat(tally.records()).as(topic).isEqualTo(ROWS);
            assertThat(tally.ops('r')).as("op=r records in " + topic).isEqualTo(ROWS);
            return rate(who, "snapshot", ROWS, t0, tally);
        }
    }

    /** Changes per second for a connector to drain the backlog its slot holds. */
    private Rate streaming(Contender who, int round, String table, Counts counts) throws Exception {
        String prefix = prefix(who, round, "stream");
        String topic = createTopic(prefix, table);
        try (TopicTally tally = TopicTally.counting(stack.bootstrapServers(), topic)) {
            long t0 = System.currentTimeMillis();
            deploy(prefix, who.config(stack.postgres(), prefix, table, false));
            tally.awaitRecords(counts::records, TIMEOUT, () -> requireHealthy(prefix));
            printKafkaTransactions(who, prefix);
            undeploy(prefix);
            assertMatches(topic, tally, counts);
            return rate(who, "streaming", counts.changes(), t0, tally);
        }
    }

    /** p50, p99 (ms) and the sample count of commit-to-readable latency under a paced workload. */
    private long[] latency(Connection c, Contender who, int round) throws Exception {
        String prefix = prefix(who, round, "live");
        String table = prefix;
        ChangeWorkload live = ChangeWorkload.create(c, table, STREAM_TABLE_ROWS, SEED);
        createSlot(c, prefix, table);
        String topic = createTopic(prefix, table);
        deploy(prefix, who.config(stack.postgres(), prefix, table, false));
        AtomicLong expected = new AtomicLong(Long.MAX_VALUE);
        long measureFrom = System.currentTimeMillis() + WARMUP.toMillis();
        try (TopicTally tally = TopicTally.timing(stack.bootstrapServers(), topic, measureFrom)) {
            CompletableFuture<TopicTally> reading = CompletableFuture.supplyAsync(
                    () -> tally.awaitRecords(expected::get, WARMUP.plus(LIVE).plus(TIMEOUT), () -> requireHealthy(prefix)));
            Counts counts;
            try {
                counts = live.runPaced(c, LIVE_RATE, WARMUP.plus(LIVE));
            } catch (SQLException | RuntimeException e) {
                expected.set(0); // lets the reader end
                throw e;
            }
            expected.set(counts.records());
            reading.get(TIMEOUT.toSeconds() + 60, TimeUnit.SECONDS);
            undeploy(prefix);
            assertMatches(topic, tally, counts);
            long[] result = {tally.latencyQuantile(0.50), tally.latencyQuantile(0.99), tally.latencyCount()};
            System.out.printf(Locale.ROOT, "%s latency changes=%d measured=%d p50_ms=%d p99_ms=%d%n",
                    who.label, counts.changes(), result[2], result[0], result[1]);
            return result;
        }
    }

    /** Kaveri's count of the Kafka transactions it ended (the worker runs in this JVM); Debezium has none. */
    private static void printKafkaTransactions(Contender who, String prefix) {
        try {
            Object n = java.lang.management.ManagementFactory.getPlatformMBeanServer().getAttribute(new javax.management.ObjectName(
                    "kaveri.connect.postgres:type=cdc,connector=" + javax.management.ObjectName.quote(prefix) + ",task=0"),
                    "KafkaTransactionsTotal");
            System.out.printf(Locale.ROOT, "%s streaming kafka_transactions=%s%n", who.label, n);
        } catch (javax.management.JMException e) {
            System.out.printf(Locale.ROOT, "%s streaming kafka_transactions=n/a%n", who.label);
        }
    }

    private static Rate rate(Contender who, String what, long count, long createdMs, TopicTally tally) {
        long millis = tally.lastAppendMs() - createdMs;
        long steadyMillis = tally.lastAppendMs() - tally.firstAppendMs();
        Rate rate = new Rate(count * 1000.0 / Math.max(1, millis), count * 1000.0 / Math.max(1, steadyMillis));
        System.out.printf(Locale.ROOT, "%s %s count=%d ms=%d per_s=%.0f first_to_last_ms=%d steady_per_s=%.0f%n",
                who.label, what, count, millis, rate.overall(), steadyMillis, rate.steady());
        return rate;
    }

    private static void assertMatches(String topic, TopicTally tally, Counts counts) {
        assertThat(tally.records()).as("records in " + topic).isEqualTo(counts.records());
        assertThat(new long[] {tally.ops('c'), tally.ops('u'), tally.ops('d'), tally.ops('-')})
                .as("c, u, d and tombstones in " + topic)
                .containsExactly(counts.inserts(), counts.updates(), counts.deletes(), counts.deletes());
    }

    private String prefix(Contender who, int round, String phase) {
        return run + "_r" + round + "_" + who.name().toLowerCase(Locale.ROOT) + "_" + phase;
    }

    /**
     * One column per contender, Debezium first, each figure the median over the rounds; beside each other contender,
     * the median of its per-round ratios to Debezium (a ratio within one round compares runs minutes apart, not
     * rounds apart), with their range when there are several rounds.
     */
    private String report(Map<Contender, String> versions, List<Map<Contender, Figures>> rounds) {
        List<Contender> ours = List.of(Contender.values()).stream().filter(c -> c != Contender.DEBEZIUM).toList();
        StringBuilder header = new StringBuilder("| measure | Debezium " + versions.get(Contender.DEBEZIUM) + " |");
        StringBuilder rule = new StringBuilder("| --- | ---: |");
        for (Contender who : ours) {
            header.append(' ').append(who.label).append(' ').append(versions.get(who)).append(" | ratio |");
            rule.append(" ---: | ---: |");
        }
        List<String> lines = new ArrayList<>(List.of(header.toString(), rule.toString()));
        lines.add(row("snapshot rows/s, %,d-row table, from connector creation".formatted(ROWS), rounds, ours,
                x -> x.snapshot().overall(), false));
        lines.add(row("snapshot rows/s, first to last record", rounds, ours, x -> x.snapshot().steady(), false));
        lines.add(row("streaming changes/s, backlog of %,d+ changes, from connector creation".formatted(CHANGES), rounds,
                ours, x -> x.stream().overall(), false));
        lines.add(row("streaming changes/s, first to last record", rounds, ours, x -> x.stream().steady(), false));
        lines.add(row("commit-to-readable p50 ms at %,.0f changes/s".formatted(LIVE_RATE), rounds, ours, Figures::p50, true));
        lines.add(row("commit-to-readable p99 ms at %,.0f changes/s".formatted(LIVE_RATE), rounds, ours, Figures::p99, true));
        lines.add("");
        lines.add("machine: %d cores, %s %s, Java %s, %s; %d round(s), %,d latency samples per contender and round"
                .formatted(Runtime.getRuntime().availableProcessors(), System.getProperty("os.name"),
                        System.getProperty("os.arch"), System.getProperty("java.version"), LocalDate.now(), rounds.size(),
                        rounds.get(0).get(Contender.DEBEZIUM).latencySamples()));
        return String.join("\n", lines);
    }

    /** A figure's medians; the ratio is ours / Debezium's, or for latency Debezium's / ours: above 1 is better. */
    private static String row(String what, List<Map<Contender, Figures>> rounds, List<Contender> ours,
                              ToDoubleFunction<Figures> value, boolean lowerIsBetter) {
        double[] peer = rounds.stream().mapToDouble(r -> value.applyAsDouble(r.get(Contender.DEBEZIUM))).toArray();
        StringBuilder row = new StringBuilder("| %s | %,.0f |".formatted(what, median(peer)));
        for (Contender who : ours) {
            double[] x = rounds.stream().mapToDouble(r -> value.applyAsDouble(r.get(who))).toArray();
            double[] ratios = new double[x.length];
            for (int i = 0; i < x.length; i++) {
                ratios[i] = lowerIsBetter ? Math.max(1, peer[i]) / Math.max(1, x[i]) : x[i] / peer[i];
            }
            double[] sorted = ratios.clone();
            Arrays.sort(sorted);
            String range = sorted.length > 1 ? " (%.2f–%.2f)".formatted(sorted[0], sorted[sorted.length - 1]) : "";
            row.append(" %,.0f | **%.2f×**%s |".formatted(median(x), median(ratios), range));
        }
        return row.toString();
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    // ---- the worker's REST API

    /** Both connector classes as the worker lists them, with their versions: proof that Debezium's plugin loaded. */
    private Map<Contender, String> pluginVersions() throws Exception {
        JsonNode plugins = JSON.readTree(send(HttpRequest.newBuilder(uri("/connector-plugins")).GET(), 200));
        Map<Contender, String> versions = new EnumMap<>(Contender.class);
        for (JsonNode p : plugins) {
            for (Contender who : Contender.values()) {
                if (who.connectorClass.equals(p.path("class").asText())) {
                    versions.put(who, p.path("version").asText());
                }
            }
        }
        assertThat(versions).as("connector plugins of the benchmark's worker: " + plugins).containsOnlyKeys(Contender.values());
        return versions;
    }

    private void deploy(String name, Map<String, String> config) throws Exception {
        send(HttpRequest.newBuilder(uri("/connectors/" + name + "/config")).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(config))), 201);
    }

    /** Throws, with the worker's trace, once the connector or its task has failed. */
    private void requireHealthy(String name) {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri("/connectors/" + name + "/status")).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() == 200 && r.body().contains("\"FAILED\"")) {
                throw new IllegalStateException("connector " + name + " failed: " + r.body());
            }
        } catch (java.io.IOException e) {
            throw new IllegalStateException("the worker at " + worker.restUrl() + " does not answer", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Deletes the connector, then its slot (once the stopped task lets go of it) and its publication. */
    private void undeploy(String name) throws Exception {
        send(HttpRequest.newBuilder(uri("/connectors/" + name)).DELETE(), 204);
        await("slot " + name + " released").atMost(Duration.ofSeconds(120)).ignoreExceptions().until(() -> {
            try (Connection c = sql(); Statement st = c.createStatement()) {
                st.execute("SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = '"
                        + name + "'");
                st.execute("DROP PUBLICATION IF EXISTS " + name);
                return true;
            }
        });
    }

    private String send(HttpRequest.Builder request, int expected) throws Exception {
        HttpResponse<String> r = http.send(request.timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.request().method() + " " + r.request().uri() + ": " + r.body()).isIn(expected, 200);
        return r.body();
    }

    private URI uri(String path) {
        return URI.create(worker.restUrl() + path);
    }

    // ---- PostgreSQL and Kafka

    private Connection sql() throws SQLException {
        PostgresServer pg = stack.postgres();
        return DriverManager.getConnection(pg.jdbcUrl(), pg.user(), pg.password());
    }

    /** A publication for {@code table} and a pgoutput slot, both named {@code name}; changes from now on are kept. */
    private static void createSlot(Connection c, String name, String table) throws SQLException {
        try (Statement st = c.createStatement()) {
            // The publication first: pgoutput looks it up as of each change it decodes.
            st.execute("CREATE PUBLICATION " + name + " FOR TABLE " + table);
            try (ResultSet rs = st.executeQuery("SELECT pg_create_logical_replication_slot('" + name + "', 'pgoutput')")) {
                rs.next();
            }
        }
    }

    /** Creates {@code <prefix>.public.<table>} before the connector does, with one partition and log-append time. */
    private String createTopic(String prefix, String table) throws Exception {
        String topic = prefix + ".public." + table;
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1)
                    .configs(Map.of("message.timestamp.type", "LogAppendTime")))).all().get(60, TimeUnit.SECONDS);
        }
        return topic;
    }
}
