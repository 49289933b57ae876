package io.kaveri.streams;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.kaveri.schemas.social.TimelineEntry;
import io.kaveri.stack.LocalStack;
import io.kaveri.stack.LocalStack.Part;
import io.kaveri.stack.PostgresServer;
import io.kaveri.streams.market.MarketApp;
import io.kaveri.streams.timeline.TimelineApp;
import io.kaveri.schemas.market.Candle;
import io.kaveri.test.KaveriStack;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Apps fed only by Kaveri's connectors, as a deployment runs them: follows come from PostgreSQL through the CDC
 * connector; tweets and trades are POSTed to the webhook connector, whose routes write the apps' own contracts.
 */
@KaveriStack({Part.KAFKA, Part.REGISTRY, Part.CONNECT, Part.POSTGRES})
class ConnectorFedIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(120);

    private final String run = "fed" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @Test
    void aFollowInsertedInPostgresAndATweetPostedToTheWebhookMakeATimelineEntry(LocalStack stack) throws Exception {
        PostgresServer pg = stack.postgres();
        try (Connection db = DriverManager.getConnection(pg.jdbcUrl(), pg.user(), pg.password());
             Statement sql = db.createStatement()) {
            sql.execute("CREATE SCHEMA " + run);
            sql.execute("CREATE TABLE " + run + ".follows (follower_id text NOT NULL, followee_id text NOT NULL, "
                    + "created_at timestamptz NOT NULL DEFAULT now(), PRIMARY KEY (follower_id, followee_id))");
            // An unfollow must carry when the follow began: the app reads it from the before image.
            sql.execute("ALTER TABLE " + run + ".follows REPLICA IDENTITY FULL");
        }
        String followsTopic = run + "." + run + ".follows";
        try (RunningApp app = RunningApp.start(stack, new TimelineApp(), Map.of(
                TimelineApp.FOLLOWS_TOPIC_CONFIG, followsTopic, TimelineApp.GRACE_MS_CONFIG, "1000"))) {
            deploy(stack, "cdc-" + run, cdcConfig(stack, pg));
            int port = freePort();
            String token = "tok-" + run;
            deploy(stack, "webhooks-" + run, webhookConfig(stack, port, token, "tweets", app.topic(TimelineApp.TWEETS_TOPIC_CONFIG),
                    "io.kaveri.schemas.social.Tweet", "/userId"));

            try (Connection db = DriverManager.getConnection(pg.jdbcUrl(), pg.user(), pg.password());
                 Statement sql = db.createStatement()) {
                sql.execute("INSERT INTO " + run + ".follows (follower_id, followee_id) VALUES ('alice', 'bob')");
            }
            awaitRecords(app, followsTopic, 1);

            Instant now = Instant.now();
            post(port, token, "tweets", tweet("t-" + run, "bob", now));
            // A later tweet of someone else moves stream time past the first one's grace.
            post(port, token, "tweets", tweet("tick-" + run, "carol", now.plusSeconds(5)));

            List<ConsumerRecord<String, TimelineEntry>> out = new ArrayList<>();
            try (KafkaConsumer<String, TimelineEntry> consumer = app.reader(app.topic(TimelineApp.TIMELINE_TOPIC_CONFIG))) {
                await("a timeline entry").atMost(TIMEOUT).until(() -> {
                    RunningApp.pollRecords(consumer, out);
                    return !out.isEmpty();
                });
            }
            assertThat(out).singleElement().satisfies(r -> {
                assertThat(r.key()).isEqualTo("alice");
                assertThat(r.value().getTweetId()).isEqualTo("t-" + run);
                assertThat(r.value().getAuthorId()).isEqualTo("bob");
            });
        } finally {
            for (String connector : List.of("cdc-" + run, "webhooks-" + run)) {
                http.send(HttpRequest.newBuilder(URI.create(stack.connectUrl() + "/connectors/" + connector)).DELETE().build(),
                        HttpResponse.BodyHandlers.discarding());
            }
        }
    }

    @Test
    void tradesPostedToTheWebhookMakeTheLiveCandle(LocalStack stack) throws Exception {
        String connector = "webhooks-" + run;
        try (RunningApp app = RunningApp.start(stack, new MarketApp(), Map.of())) {
            int port = freePort();
            String token = "tok-" + run;
            deploy(stack, connector, webhookConfig(stack, port, token, "trades", app.topic("market.trades.topic"),
                    "io.kaveri.schemas.market.Trade", "/symbol"));
            String symbol = "FED" + run.substring(3, 7).toUpperCase(java.util.Locale.ROOT);
            Instant minute = Instant.ofEpochMilli(System.currentTimeMillis() / 60_000 * 60_000);
            String[][] trades = {{"10.5", "2"}, {"12.25", "1"}, {"9.75", "4"}};
            for (int i = 0; i < trades.length; i++) {
                post(port, token, "trades", JSON.writeValueAsString(Map.of("tradeId", run + "-" + i, "symbol", symbol,
                        "price", trades[i][0], "quantity", trades[i][1], "side", "BUY",
                        "ts", minute.plusMillis(i).toString(), "venue", "WEBHOOK")));
            }
            List<Candle> live = new ArrayList<>();
            try (KafkaConsumer<String, Candle> reader = app.reader(app.topic("market.candles.live.topic"))) {
                await("the live candle of " + symbol + " with all three trades").atMost(TIMEOUT).until(() -> {
                    RunningApp.poll(reader, live);
                    return live.stream().anyMatch(c -> c.getSymbol().equals(symbol) && c.getTradeCount() == 3);
                });
            }
            Candle candle = live.stream().filter(c -> c.getSymbol().equals(symbol) && c.getTradeCount() == 3).findFirst().orElseThrow();
            assertThat(candle.getOpen()).isEqualByComparingTo(new BigDecimal("10.5"));
            assertThat(candle.getHigh()).isEqualByComparingTo(new BigDecimal("12.25"));
            assertThat(candle.getLow()).isEqualByComparingTo(new BigDecimal("9.75"));
            assertThat(candle.getClose()).isEqualByComparingTo(new BigDecimal("9.75"));
            assertThat(candle.getVolume()).isEqualByComparingTo(new BigDecimal("7"));
        } finally {
            http.send(HttpRequest.newBuilder(URI.create(stack.connectUrl() + "/connectors/" + connector)).DELETE().build(),
                    HttpResponse.BodyHandlers.discarding());
        }
    }

    private Map<String, String> cdcConfig(LocalStack stack, PostgresServer pg) {
        Map<String, String> c = new HashMap<>();
        c.put("connector.class", "io.kaveri.connect.postgres.PostgresCdcSourceConnector");
        c.put("tasks.max", "1");
        c.put("database.hostname", pg.host());
        c.put("database.port", Integer.toString(pg.port()));
        c.put("database.dbname", pg.database());
        c.put("database.user", pg.user());
        c.put("database.password", pg.password());
        c.put("topic.prefix", run);
        c.put("slot.name", run);
        c.put("publication.name", run);
        c.put("publication.autocreate.mode", "filtered");
        c.put("table.include.list", run + "\\.follows");
        c.put("key.converter", "io.kaveri.schemas.connect.AvroConverter");
        c.put("key.converter.schema.registry.url", stack.registryUrl());
        c.put("value.converter", "io.kaveri.schemas.connect.AvroConverter");
        c.put("value.converter.schema.registry.url", stack.registryUrl());
        return c;
    }

    /** A webhook connector with one bearer-authenticated route writing {@code contract} records into {@code topic}. */
    private static Map<String, String> webhookConfig(LocalStack stack, int port, String token, String route, String topic,
                                                     String contract, String keyPointer) {
        Map<String, String> c = new HashMap<>();
        c.put("connector.class", "io.kaveri.connect.webhook.WebhookSourceConnector");
        c.put("tasks.max", "1");
        c.put("listener.host", "127.0.0.1");
        c.put("listener.port", Integer.toString(port));
        c.put("routes", route);
        c.put("route." + route + ".topic", topic);
        c.put("route." + route + ".value.contract", contract);
        c.put("route." + route + ".signature.scheme", "bearer");
        c.put("route." + route + ".secret", token);
        c.put("route." + route + ".key.pointer", keyPointer);
        c.put("key.converter", "org.apache.kafka.connect.storage.StringConverter");
        c.put("value.converter", "io.kaveri.schemas.connect.AvroConverter");
        c.put("value.converter.schema.registry.url", stack.registryUrl());
        c.put("value.converter.enhanced.avro.schema.support", "true");
        return c;
    }

    private void deploy(LocalStack stack, String name, Map<String, String> config) throws Exception {
        HttpResponse<String> put = http.send(HttpRequest.newBuilder(URI.create(stack.connectUrl() + "/connectors/" + name + "/config"))
                .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(config)))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(put.statusCode()).as(put.body()).isIn(200, 201);
        await("connector " + name + " and its task RUNNING").atMost(TIMEOUT).until(() -> {
            String status = http.send(HttpRequest.newBuilder(URI.create(stack.connectUrl() + "/connectors/" + name + "/status")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            assertThat(status).as(status).doesNotContain("FAILED");
            var tasks = JSON.readTree(status).path("tasks");
            return tasks.size() == 1 && tasks.get(0).path("state").asText().equals("RUNNING");
        });
    }

    private static void awaitRecords(RunningApp app, String topic, int n) {
        List<byte[]> seen = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = app.consumer(topic,
                new org.apache.kafka.common.serialization.ByteArrayDeserializer(),
                new org.apache.kafka.common.serialization.ByteArrayDeserializer())) {
            await("CDC records in " + topic).atMost(TIMEOUT).until(() -> RunningApp.poll(consumer, seen).size() >= n);
        }
    }

    private static String tweet(String id, String userId, Instant createdAt) throws Exception {
        return JSON.writeValueAsString(Map.of("tweetId", id, "userId", userId, "text", "hello from " + userId,
                "lang", "en", "hashtags", List.of(), "createdAt", createdAt.toString()));
    }

    private void post(int port, String token, String route, String body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/" + route))
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + token)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        // The listener binds after the task reports RUNNING: retry until it answers.
        await("the webhook answers 2xx").atMost(TIMEOUT).ignoreExceptionsInstanceOf(java.io.IOException.class).until(() -> {
            HttpResponse<String> answer = http.send(request, HttpResponse.BodyHandlers.ofString());
            assertThat(answer.statusCode() / 100).as("a rejected tweet: %s", answer.body()).isNotEqualTo(4);
            return answer.statusCode() / 100 == 2;
        });
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            return socket.getLocalPort();
        }
    }
}
