package io.kaveri.docker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kaveri.stack.FreePorts;
import io.kaveri.stack.LocalStack;
import io.kaveri.stack.PostgresServer;
import io.kaveri.test.CdcConnectorConfig;
import io.kaveri.test.ConnectClient;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.DecoderFactory;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The Confluent Hub archives, unpacked as a user would, in a stock Connect worker whose only Kaveri code is what
 * {@code plugin.path} gives it: each connector runs through the REST API and writes Avro through the Kaveri
 * converter it bundles. This test's classpath holds neither the connectors nor {@code kaveri-schemas}.
 */
class StockWorkerIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String AVRO_CONVERTER = "io.kaveri.schemas.connect.AvroConverter";
    private static final String WEBHOOK_CONNECTOR = "io.kaveri.connect.webhook.WebhookSourceConnector";
    private static final String CDC_CONNECTOR = CdcConnectorConfig.CONNECTOR_CLASS;

    private static final HttpClient http = HttpClient.newHttpClient();
    private static LocalStack stack;
    private static Path hubPlugins;
    private final String run = "hub" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);

    @BeforeAll
    static void startStockWorker() throws IOException {
        hubPlugins = Path.of(System.getProperty("kaveri.hub.plugins", "target/hub-plugins"));
        assertThat(archiveFolders()).as("unpacked Hub archives in " + hubPlugins).hasSize(2);
        stack = LocalStack.builder()
                .parts(EnumSet.allOf(LocalStack.Part.class))
                .workDir(Path.of("target", "stock-worker", UUID.randomUUID().toString()))
                .pluginPath(List.of(hubPlugins))
                .start();
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    private static List<Path> archiveFolders() throws IOException {
        try (Stream<Path> dirs = Files.list(hubPlugins)) {
            return dirs.filter(d -> Files.isRegularFile(d.resolve("manifest.json"))).toList();
        }
    }

    @Test
    void nothingOfKaveriIsOnThisClasspath() {
        for (String name : List.of(AVRO_CONVERTER, WEBHOOK_CONNECTOR, CDC_CONNECTOR)) {
            assertThatThrownBy(() -> Class.forName(name)).as(name).isInstanceOf(ClassNotFoundException.class);
        }
    }

    @Test
    void theWorkerListsBothConnectorsAtTheirManifestVersionAndTheConverter() throws Exception {
        Map<String, String> manifestVersions = new LinkedHashMap<>();
        for (Path dir : archiveFolders()) {
            JsonNode manifest = JSON.readTree(dir.resolve("manifest.json").toFile());
            assertThat(dir.getFileName().toString()).isEqualTo(manifest.path("owner").path("username").asText() + "-"
                    + manifest.path("name").asText() + "-" + manifest.path("version").asText());
            assertThat(manifest.path("component_types")).isNotEmpty();
            assertThat(manifest.path("license")).isNotEmpty();
            assertThat(dir.resolve("doc")).isDirectoryContaining(p -> p.getFileName().toString().startsWith("config."));
            assertThat(dir.resolve("etc")).isDirectoryContaining(p -> p.toString().endsWith(".json"));
            assertThat(dir.resolve("lib")).isDirectoryNotContaining(p -> p.getFileName().toString().matches(
                    "(kafka-clients|connect-api|connect-runtime|slf4j-api)-.*\\.jar"));
            manifestVersions.put(manifest.path("name").asText(), manifest.path("version").asText());
        }
        JsonNode plugins = getJson("/connector-plugins?connectorsOnly=false");
        assertThat(versionOf(plugins, WEBHOOK_CONNECTOR)).isEqualTo(manifestVersions.get("kaveri-webhook-source"));
        assertThat(versionOf(plugins, CDC_CONNECTOR)).isEqualTo(manifestVersions.get("kaveri-postgres-cdc-source"));
        assertThat(plugins.findValuesAsText("class")).contains(AVRO_CONVERTER);
    }

    private static String versionOf(JsonNode plugins, String className) {
        for (JsonNode p : plugins) {
            if (className.equals(p.path("class").asText())) {
                return p.path("version").asText();
            }
        }
        throw new AssertionError(className + " is not among the worker's plugins: " + plugins);
    }

    @Test
    void theWebhookConnectorWritesAPostedEventAsAvro() throws Exception {
        int port = FreePorts.pick();
        String topic = run + "-events";
        Map<String, String> config = avroConfig(WEBHOOK_CONNECTOR);
        config.put("listener.host", "127.0.0.1");
        config.put("listener.port", Integer.toString(port));
        config.put("routes", "events");
        config.put("route.events.topic", topic);
        ConnectClient.of(stack).deploy(run + "-webhook", config);

        URI events = URI.create("http://127.0.0.1:" + port + "/events");
        await("webhook answered 200").atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> http.send(
                HttpRequest.newBuilder(events).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"hello\":\"" + run + "\"}")).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode() == 200);

        GenericRecord event = readAvro(topic, records -> !records.isEmpty()).get(0);
        assertThat(event.getSchema().getFullName()).isEqualTo("io.kaveri.schemas.webhook.WebhookEvent");
        assertThat(event.get("route")).hasToString("events");
        assertThat(event.toString()).contains(run);
    }

    @Test
    void theCdcConnectorWritesARowChangeAsAvro() throws Exception {
        String table = run + "_items";
        sql("CREATE TABLE " + table + " (id int PRIMARY KEY, name text)");
        sql("INSERT INTO " + table + " VALUES (1, 'kaveri')");
        Map<String, String> config = CdcConnectorConfig.forStack(stack, run, "public\\." + table).avro(stack.registryUrl()).build();
        ConnectClient.of(stack).deploy(run + "-cdc", config);
        // RUNNING comes before the snapshot: a row written now could be read by it (op r) instead of streamed (op c).
        // The streamed insert is written only once the snapshot's row has arrived.
        String topic = run + ".public." + table;
        GenericRecord snapshot = readAvro(topic, records -> !records.isEmpty()).get(0);
        assertThat(snapshot.get("op")).hasToString("r");
        assertThat(((GenericRecord) snapshot.get("after")).get("id")).isEqualTo(1);

        sql("INSERT INTO " + table + " VALUES (7, 'kallanai')");
        List<GenericRecord> changes = readAvro(topic,
                records -> records.stream().anyMatch(r -> String.valueOf(r.get("after")).contains("kallanai")));
        GenericRecord insert = changes.stream().filter(r -> String.valueOf(r.get("after")).contains("kallanai")).findFirst()
                .orElseThrow();
        assertThat(insert.get("op")).hasToString("c");
        assertThat(((GenericRecord) insert.get("after")).get("id")).isEqualTo(7);
    }

    private static Map<String, String> avroConfig(String connectorClass) {
        Map<String, String> config = new LinkedHashMap<>();
        config.put("connector.class", connectorClass);
        config.put("tasks.max", "1");
        config.put("key.converter", AVRO_CONVERTER);
        config.put("key.converter.schema.registry.url", stack.registryUrl());
        config.put("value.converter", AVRO_CONVERTER);
        config.put("value.converter.schema.registry.url", stack.registryUrl());
        return config;
    }

    private static JsonNode getJson(String path) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(stack.connectUrl() + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        return r.statusCode() == 200 ? JSON.readTree(r.body()) : JSON.createObjectNode();
    }

    private static void sql(String statement) throws SQLException {
        PostgresServer pg = stack.postgres();
        try (Connection c = DriverManager.getConnection(pg.jdbcUrl(), pg.user(), pg.password()); Statement st = c.createStatement()) {
            st.execute(statement);
        }
    }

    /** Reads the topic's committed values in Confluent's wire format, resolving each writer schema in the registry. */
    private static List<GenericRecord> readAvro(String topic, Predicate<List<GenericRecord>> done) {
        Map<String, Object> props = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        List<GenericRecord> values = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            await("Avro records in " + topic).atMost(Duration.ofSeconds(90)).ignoreExceptions().until(() -> {
                if (consumer.assignment().isEmpty()) {
                    List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                            .map(p -> new TopicPartition(topic, p.partition())).toList();
                    consumer.assign(partitions);
                    consumer.seekToBeginning(partitions);
                }
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    if (r.value() != null) {
                        values.add(decode(r.value()));
                    }
                }
                return done.test(values);
            });
        }
        return values;
    }

    private static GenericRecord decode(byte[] value) throws Exception {
        ByteBuffer buffer = ByteBuffer.wrap(value);
        assertThat(buffer.get()).as("magic byte").isZero();
        int id = buffer.getInt();
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(stack.registryUrl() + "/schemas/ids/" + id)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        Schema schema = new Schema.Parser().parse(JSON.readTree(r.body()).path("schema").asText());
        return new GenericDatumReader<GenericRecord>(schema).read(null,
                DecoderFactory.get().binaryDecoder(value, buffer.position(), buffer.remaining(), null));
    }
}
