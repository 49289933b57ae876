package io.kaveri.cli;

import io.kaveri.schemas.serde.KaveriAvroDeserializer;
import io.kaveri.stack.LocalStack;
import io.kaveri.stack.PostgresServer;
import io.kaveri.test.KaveriStack;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Each connector demo part on the real stack: deployed through the worker's REST API, its traffic in its topics as
 * Avro records (read committed), and nothing left running once it is closed. Topics, connectors and the slot are
 * named per run, since the broker's data outlives the registry's schema ids.
 */
@KaveriStack
class ConnectorDemosIT {

    private final String run = "it" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);

    /** A value as the apps' deserializer reads it; null for a tombstone. */
    private record Event(String topic, GenericRecord value) {
    }

    @Test
    void webhookDemoDeliversSignedEventsOfEveryRouteIntoItsTopics(LocalStack stack) throws Exception {
        String connector = "webhooks-" + run;
        WebhookDemo demo = new WebhookDemo(connector, run + "-", Duration.ofMillis(50));
        int port;
        try {
            List<String> lines = demo.start(stack);

            Matcher url = Pattern.compile("webhooks=http://127\\.0\\.0\\.1:(\\d+)/\\{tweets,impressions,clicks,trades,scores,"
                    + "payments,github}").matcher(lines.get(0));
            assertThat(url.matches()).as(lines.get(0)).isTrue();
            port = Integer.parseInt(url.group(1));
            Map<String, String> routeTopics = demo.routeTopics();
            List<String> topics = WebhookDemo.ROUTES.stream().map(routeTopics::get).toList();
            List<Event> events = readUntil(stack, topics, all -> topics.stream()
                    .allMatch(t -> all.stream().filter(e -> e.topic().equals(t)).count() >= 3));

            for (String route : WebhookDemo.ROUTES) {
                GenericRecord first = events.stream().filter(e -> e.topic().equals(routeTopics.get(route)))
                        .findFirst().orElseThrow().value();
                WebhookDemo.AppInput input = WebhookDemo.APP_INPUTS.get(route);
                if (input != null) {
                    assertThat(routeTopics.get(route)).as(route).doesNotContain("webhook-");
                    assertThat(first.getSchema().getFullName()).as(route).isEqualTo(input.contract());
                    assertThat(first.get(0)).as("the id of %s", first).isNotNull();
                    continue;
                }
                assertThat(routeTopics.get(route)).isEqualTo(WebhookDemo.topic(run + "-", route));
                assertThat(first.get("route").toString()).isEqualTo(route);
                GenericRecord signature = (GenericRecord) first.get("signature");
                String expectedScheme = switch (route) {
                    case "payments" -> "STRIPE";
                    case "github" -> "GITHUB";
                    default -> "BEARER";
                };
                assertThat(signature.get("scheme").toString()).as(route).isEqualTo(expectedScheme);
                assertThat(signature.get("verified")).as(route).isEqualTo(true);
                assertThat(first.get("json").toString()).as(route).startsWith("{");
            }
            assertThat(demo.refused()).as("deliveries not answered 2xx").isZero();
            assertThat(demo.accepted()).isGreaterThanOrEqualTo(3L * WebhookDemo.ROUTES.size());
        } finally {
            demo.close();
        }
        assertStopped(stack, connector);
        await("the listener closes").atMost(Duration.ofSeconds(30)).until(() -> !KaveriUpIT.listening(port));
    }

    @Test
    void cdcDemoSnapshotsTheSeedThenStreamsEveryKindOfChange(LocalStack stack) throws Exception {
        String connector = "cdc-" + run;
        PostgresCdcDemo demo = new PostgresCdcDemo(connector, Optional.of(run), run, Duration.ofMillis(100));
        String users = PostgresCdcDemo.topic(run, "users");
        String follows = PostgresCdcDemo.topic(run, "follows");
        try {
            List<String> lines = demo.start(stack);
            assertThat(lines).contains("topics=" + run + ".public.{users,follows}");

            List<Event> events = readUntil(stack, List.of(users, follows), all ->
                    ops(all, users, "r") >= PostgresCdcDemo.SEED_USERS && ops(all, follows, "r") > 0
                            && ops(all, users, "c") > 0 && ops(all, users, "u") > 0 && ops(all, users, "d") > 0
                            && ops(all, follows, "c") > 0 && ops(all, follows, "d") > 0);

            assertThat(ops(events, users, "r")).isEqualTo(PostgresCdcDemo.SEED_USERS);
            GenericRecord seeded = events.stream().filter(e -> e.topic().equals(users) && e.value() != null)
                    .findFirst().orElseThrow().value();
            GenericRecord row = (GenericRecord) seeded.get("after");
            for (String column : List.of("id", "name", "email", "country", "created_at", "updated_at")) {
                assertThat(row.get(column)).as("column %s of %s", column, row).isNotNull();
            }
            GenericRecord unfollow = events.stream().filter(e -> e.topic().equals(follows) && e.value() != null
                    && e.value().get("op").toString().equals("d")).findFirst().orElseThrow().value();
            assertThat(((GenericRecord) unfollow.get("before")).get("created_at"))
                    .as("an unfollow carries when the follow began (REPLICA IDENTITY FULL)").isNotNull();
            assertThat(demo.committed(DemoChanges.Kind.ADD_USER) + demo.committed(DemoChanges.Kind.FOLLOW)).isPositive();
        } finally {
            demo.close();
        }
        assertStopped(stack, connector);
        PostgresServer pg = stack.postgres();
        try (Connection c = DriverManager.getConnection(pg.jdbcUrl(), pg.user(), pg.password());
             PreparedStatement st = c.prepareStatement("SELECT 1 FROM pg_replication_slots WHERE slot_name = ?")) {
            st.setString(1, run);
            try (ResultSet rs = st.executeQuery()) {
                assertThat(rs.next()).as("slot %s dropped", run).isFalse();
            }
        }
    }

    private static long ops(List<Event> events, String topic, String op) {
        return events.stream().filter(e -> e.topic().equals(topic) && e.value() != null
                && op.equals(e.value().get("op").toString())).count();
    }

    private static void assertStopped(LocalStack stack, String connector) throws Exception {
        await("demo threads end").atMost(Duration.ofSeconds(10)).until(() -> Thread.getAllStackTraces().keySet().stream()
                .noneMatch(t -> t.isAlive() && t.getName().startsWith("kaveri-demo-")));
        try (ConnectRest connect = new ConnectRest(stack.connectUrl())) {
            // The worker applies a removal through its config topic: its status lingers for a moment.
            await("connector " + connector + " removed").atMost(Duration.ofSeconds(30))
                    .until(() -> connect.status(connector).isEmpty());
        }
    }

    /** Every committed record of the topics from their start until {@code done} holds, values read as the apps read them. */
    private static List<Event> readUntil(LocalStack stack, List<String> topics, Predicate<List<Event>> done) {
        List<Event> events = new ArrayList<>();
        Map<String, Object> props = new HashMap<>();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "it-" + UUID.randomUUID());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        try (KaveriAvroDeserializer values = new KaveriAvroDeserializer();
             KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            values.configure(Map.of("schema.registry.url", stack.registryUrl()), false);
            consumer.subscribe(topics);
            await("records in " + topics).atMost(Duration.ofSeconds(120)).until(() -> {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    events.add(new Event(r.topic(), (GenericRecord) values.deserialize(r.topic(), r.value())));
                }
                return done.test(events);
            });
        }
        return events;
    }
}
