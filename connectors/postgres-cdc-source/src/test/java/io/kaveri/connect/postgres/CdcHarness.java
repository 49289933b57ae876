package io.kaveri.connect.postgres;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kaveri.stack.LocalStack;
import io.kaveri.stack.PostgresServer;
import io.kaveri.test.CdcConnectorConfig;
import io.kaveri.test.ConnectClient;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** One connector of an integration test: its own table names, slot, publication and topics, and the tools to watch it. */
final class CdcHarness implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** A record as a read_committed consumer sees it; {@code value} is null for a tombstone. */
    record Event(String topic, long offset, JsonNode key, JsonNode value) {
        String op() {
            return value == null ? null : value.path("op").asText();
        }

        JsonNode after() {
            return value == null ? null : value.get("after");
        }

        JsonNode before() {
            return value == null ? null : value.get("before");
        }

        long txId() {
            return value.path("source").path("txId").asLong(-1);
        }
    }

    final String id = "it" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    final String connector = "cdc-" + id;
    private final LocalStack stack;
    private final HttpClient http = HttpClient.newHttpClient();
    private final ConnectClient connect;

    CdcHarness(LocalStack stack) {
        this.stack = stack;
        this.connect = ConnectClient.of(stack);
    }

    String topic(String table) {
        return id + ".public." + table;
    }

    Connection sql() throws SQLException {
        PostgresServer pg = stack.postgres();
        return DriverManager.getConnection(pg.jdbcUrl(), pg.user(), pg.password());
    }

    void execute(String... statements) throws SQLException {
        try (Connection c = sql(); Statement st = c.createStatement()) {
            for (String s : statements) {
                st.execute(s);
            }
        }
    }

    Map<String, String> config(String tableRegex) {
        return CdcConnectorConfig.forStack(stack, id, tableRegex)
                .connectorTransactions()
                .with("heartbeat.interval.ms", "500")
                .with("status.update.interval.ms", "500")
                .with("retriable.restart.wait.ms", "500")
                .jsonWithoutSchemas()
                .build();
    }

    void start(Map<String, String> config) throws Exception {
        reconfigure(config);
        awaitRunning();
        // Every change committed after the slot's creation is streamed, everything before is in the snapshot:
        // a test that writes only after this sees its writes as streamed events.
        await("slot " + id + " created").atMost(Duration.ofSeconds(60)).until(() -> {
            try (Connection c = sql(); Statement st = c.createStatement();
                 java.sql.ResultSet rs = st.executeQuery("SELECT 1 FROM pg_replication_slots WHERE slot_name = '" + id + "'")) {
                return rs.next();
            }
        });
    }

    /** Creates the connector, or changes its configuration. */
    void reconfigure(Map<String, String> config) {
        connect.putConfig(connector, config);
    }

    /** A failed task stays failed until restarted, even after its connector's configuration changed. */
    void restartFailedTask() throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(stack.connectUrl() + "/connectors/" + connector
                + "/restart?includeTasks=true&onlyFailed=true")).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isIn(200, 202, 204);
    }

    /** Stops the task polling (the reader goes on decoding into its queue) until {@link #resume()}. */
    void pause() throws Exception {
        lifecycle("pause");
        awaitTaskState("PAUSED");
    }

    void resume() throws Exception {
        lifecycle("resume");
        awaitTaskState("RUNNING");
    }

    private void lifecycle(String action) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(stack.connectUrl() + "/connectors/" + connector + "/" + action))
                .PUT(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isIn(200, 202, 204);
    }

    private void awaitTaskState(String state) {
        await("task of " + connector + " " + state).atMost(Duration.ofSeconds(90))
                .until(() -> state.equals(connect.status(connector).path("tasks").path(0).path("state").asText()));
    }

    /** A JMX attribute of the task's metrics: the worker runs in this JVM. */
    long metric(String attribute) throws Exception {
        Object value = java.lang.management.ManagementFactory.getPlatformMBeanServer().getAttribute(
                new javax.management.ObjectName("kaveri.connect.postgres:type=cdc,connector=" + javax.management.ObjectName.quote(id)
                        + ",task=0"), attribute);
        return ((Number) value).longValue();
    }

    void awaitRunning() {
        connect.awaitRunning(connector, Duration.ofSeconds(90));
    }

    /** Waits until the task failed; returns its stack trace, which holds the error message. */
    String awaitFailedTask() {
        String[] trace = new String[1];
        await("task of " + connector + " failed").atMost(Duration.ofSeconds(240)).until(() -> {
            JsonNode task = connect.status(connector).path("tasks").path(0);
            trace[0] = task.path("trace").asText();
            return "FAILED".equals(task.path("state").asText());
        });
        return trace[0];
    }

    /** Reads every committed record of the topics from the start until {@code done} holds for them. */
    List<Event> readUntil(List<String> topics, Duration timeout, Predicate<List<Event>> done) {
        Map<String, Object> props = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.GROUP_ID_CONFIG, "it-" + UUID.randomUUID());
        List<Event> events = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> partitions = topics.stream().map(t -> new TopicPartition(t, 0)).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            await("records of " + topics).atMost(timeout).pollInterval(Duration.ofMillis(200)).until(() -> {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
                    events.add(new Event(r.topic(), r.offset(), r.key() == null ? null : JSON.readTree(r.key()),
                            r.value() == null ? null : JSON.readTree(r.value())));
                }
                return done.test(events);
            });
        }
        return events;
    }

    @Override
    public void close() throws Exception {
        connect.delete(connector);
        // The task lets go of the slot as it stops; then the slot can go, so that it holds no WAL after the test.
        await("slot " + id + " released").atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> {
            try (Connection c = sql(); Statement st = c.createStatement()) {
                st.execute("SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = '" + id + "'");
                return true;
            }
        });
    }

    /** Something that goes wrong while a {@link Writer} writes. */
    interface Fault {
        void inject(CdcHarness cdc, Writer writer) throws Exception;
    }

    /** Runs one statement in a loop, each its own transaction, until closed; counts what committed. */
    static final Duration WRITE_PACE = Duration.ofMillis(20);

    static final class Writer implements AutoCloseable {
        final AtomicLong done = new AtomicLong();
        private final AtomicBoolean stop = new AtomicBoolean();
        private final CompletableFuture<Void> run;

        Writer(CdcHarness cdc, String statement) {
            run = CompletableFuture.runAsync(() -> {
                while (!stop.get()) {
                    try (Connection c = cdc.sql(); Statement st = c.createStatement()) {
                        while (!stop.get()) {
                            st.execute(statement);
                            done.incrementAndGet();
                            // A steady 50 transactions a second: each is one Kafka transaction, and an unpaced writer
                            // on a small machine builds a backlog the test would then spend minutes reading.
                            java.util.concurrent.locks.LockSupport.parkNanos(WRITE_PACE.toNanos());
                        }
                    } catch (SQLException e) {
                        // A database restart ends the session: write on in a new one; anything else fails the test.
                        if (e.getSQLState() == null || !(e.getSQLState().startsWith("08") || e.getSQLState().startsWith("57P"))) {
                            throw new IllegalStateException(e);
                        }
                        java.util.concurrent.locks.LockSupport.parkNanos(Duration.ofMillis(200).toNanos());
                    }
                }
            });
        }

        @Override
        public void close() {
            stop.set(true);
            run.join();
        }
    }
}
