package io.kaveri.connect.webhook;

import static io.kaveri.connect.webhook.SignaturesTest.hex;
import static io.kaveri.connect.webhook.SignaturesTest.hmac;
import static io.kaveri.connect.webhook.SignaturesTest.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.kaveri.stack.LocalStack;
import io.kaveri.stack.LocalStack.Part;
import io.kaveri.test.KaveriStack;

/** The packaged plugin in the local stack's Connect worker (exactly-once source support enabled). */
@KaveriStack(Part.CONNECT)
class WebhookSourceIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SECRET = "it-secret";
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void signedEventsAreInTheTopicWhenAnswered200(LocalStack stack) throws Exception {
        String name = "webhooks-" + UUID.randomUUID().toString().substring(0, 8);
        int port = freePortPair();
        Map<String, String> config = new LinkedHashMap<>();
        config.put("connector.class", WebhookSourceConnector.class.getName());
        config.put("tasks.max", "2");
        config.put("listener.host", "127.0.0.1");
        config.put("listener.port", Integer.toString(port));
        config.put("routes", "github,clicks");
        config.put("route.github.topic", name + "-github");
        config.put("route.github.signature.scheme", "github");
        config.put("route.github.secret", SECRET);
        config.put("route.github.key.pointer", "/repository/full_name");
        config.put("route.github.dead.letter.topic", name + "-dlq");
        config.put("route.clicks.topic", name + "-clicks");
        config.put("route.clicks.content", "ndjson");
        put(stack.connectUrl() + "/connectors/" + name + "/config", JSON.writeValueAsString(config));
        await("tasks listening").atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() ->
                get("http://127.0.0.1:" + port + "/health").statusCode() == 200
                        && get("http://127.0.0.1:" + (port + 1) + "/health").statusCode() == 200);

        String event = "{\"repository\":{\"full_name\":\"kaveri/kaveri\"},\"action\":\"opened\"}";
        HttpResponse<String> ok = post("http://127.0.0.1:" + port + "/github", event,
                "X-Hub-Signature-256", "sha256=" + hex(hmac("HmacSHA256", utf8(SECRET), "", utf8(event))),
                "X-GitHub-Delivery", "delivery-1", "Content-Type", "application/json");
        assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
        HttpResponse<String> again = post("http://127.0.0.1:" + port + "/github", event,
                "X-Hub-Signature-256", "sha256=" + hex(hmac("HmacSHA256", utf8(SECRET), "", utf8(event))),
                "X-GitHub-Delivery", "delivery-1");
        assertThat(again.body()).isEqualTo("{\"duplicate\":true}");
        assertThat(post("http://127.0.0.1:" + port + "/github", event, "X-Hub-Signature-256", "sha256=00").statusCode())
                .isEqualTo(401);
        HttpResponse<String> clicks = post("http://127.0.0.1:" + (port + 1) + "/clicks", "{\"n\":1}\n{\"n\":2}\n{\"n\":3}\n");
        assertThat(clicks.body()).isEqualTo("{\"records\":3}");

        List<ConsumerRecord<String, String>> github = consume(stack, name + "-github", 1);
        assertThat(github).hasSize(1);
        assertThat(github.get(0).key()).contains("kaveri/kaveri");
        JsonNode payload = JSON.readTree(github.get(0).value()).path("payload");
        assertThat(payload.path("route").asText()).isEqualTo("github");
        assertThat(payload.path("delivery_id").asText()).isEqualTo("delivery-1");
        assertThat(payload.path("json").asText()).isEqualTo(event);
        assertThat(JSON.readTree(github.get(0).value()).path("schema").path("name").asText())
                .isEqualTo("io.kaveri.schemas.webhook.WebhookEvent");
        assertThat(consume(stack, name + "-clicks", 3)).hasSize(3);
        ConsumerRecord<String, String> dead = consume(stack, name + "-dlq", 1).get(0);
        assertThat(new String(dead.headers().lastHeader("kaveri.webhook.error.reason").value()))
                .contains("signature mismatch");

        assertThat(http.send(HttpRequest.newBuilder(URI.create(stack.connectUrl() + "/connectors/" + name)).DELETE().build(),
                HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(204);
    }

    private static int freePortPair() throws IOException {
        for (int attempt = 0; attempt < 50; attempt++) {
            int base;
            try (ServerSocket first = new ServerSocket(0)) {
                base = first.getLocalPort();
            }
            try (ServerSocket a = new ServerSocket(base); ServerSocket b = new ServerSocket(base + 1)) {
                return base;
            } catch (IOException taken) {
                // try another pair
            }
        }
        throw new IOException("no two consecutive free ports");
    }

    private List<ConsumerRecord<String, String>> consume(LocalStack stack, String topic, int count) {
        List<ConsumerRecord<String, String>> out = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "it-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
                new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            await(count + " records on " + topic).atMost(Duration.ofSeconds(30)).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(out::add);
                return out.size() >= count;
            });
        }
        return out;
    }

    private HttpResponse<String> post(String url, String body, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (headers.length > 0) {
            b.headers(headers);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private void put(String url, String body) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isIn(200, 201);
    }
}
