package io.kaveri.connect.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.kaveri.stack.LocalStack;
import io.kaveri.stack.LocalStack.Part;
import io.kaveri.test.KaveriStack;

/**
 * Breaks things under load and checks the promise: an event answered 2xx is in the topic, and a sender that
 * retries after 503 (or a refused connection) gets its event in exactly once while the task keeps running.
 */
@KaveriStack(Part.CONNECT)
class WebhookFaultIT {

    private static final Logger log = LoggerFactory.getLogger(WebhookFaultIT.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int EVENTS = 300;
    private static final int SENDERS = 6;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @Test
    void brokerStoppedUnderLoad(LocalStack stack) throws Exception {
        Load load = startLoad(stack, "broker");
        load.awaitAcked(EVENTS / 4);
        stack.kafka().stop();
        int ackedWhenStopped = load.acked.size();
        // While the broker is down nothing can be acknowledged: every answer is a 503 (or a held request).
        await().during(Duration.ofSeconds(4)).atMost(Duration.ofSeconds(6))
                .until(() -> load.acked.size() <= ackedWhenStopped + SENDERS);
        stack.kafka().startAgain();
        load.finish();

        load.assertDelivered(stack, "broker");
    }

    @Test
    void taskRestartedUnderLoad(LocalStack stack) throws Exception {
        Load load = startLoad(stack, "restart");
        load.awaitAcked(EVENTS / 4);
        HttpResponse<String> restart = http.send(HttpRequest.newBuilder(URI.create(stack.connectUrl() + "/connectors/"
                + load.connector + "/tasks/0/restart")).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(restart.statusCode()).as(restart.body()).isIn(200, 202, 204);
        load.finish();

        load.assertDelivered(stack, "task-restart");
    }

    private Load startLoad(LocalStack stack, String label) throws Exception {
        String connector = "fault-" + label + "-" + UUID.randomUUID().toString().substring(0, 6);
        int port = freePort();
        Map<String, String> config = new LinkedHashMap<>();
        config.put("connector.class", WebhookSourceConnector.class.getName());
        config.put("tasks.max", "1");
        config.put("listener.host", "127.0.0.1");
        config.put("listener.port", Integer.toString(port));
        config.put("ack.timeout.ms", "2000");
        config.put("retry.after.seconds", "1");
        config.put("routes", "load");
        config.put("route.load.topic", connector);
        config.put("route.load.dedup.header", "X-Delivery");
        HttpResponse<String> created = http.send(HttpRequest.newBuilder(URI.create(stack.connectUrl() + "/connectors/"
                + connector + "/config")).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(config))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(created.statusCode()).as(created.body()).isIn(200, 201);
        Load load = new Load(connector, "http://127.0.0.1:" + port + "/load");
        load.start();
        return load;
    }

    /** SENDERS threads that deliver EVENTS distinct events, each retried until answered 2xx, like a provider. */
    private final class Load {
        final String connector;
        final String url;
        final Set<String> acked = ConcurrentHashMap.newKeySet();
        final AtomicInteger unavailable = new AtomicInteger();
        final ExecutorService senders = Executors.newFixedThreadPool(SENDERS);

        Load(String connector, String url) {
            this.connector = connector;
            this.url = url;
        }

        void start() {
            for (int t = 0; t < SENDERS; t++) {
                int first = t;
                senders.submit(() -> {
                    for (int i = first; i < EVENTS; i += SENDERS) {
                        deliver("e-" + i);
                    }
                    return null;
                });
            }
            senders.shutdown();
        }

        private void deliver(String id) throws InterruptedException {
            String body = "{\"id\":\"" + id + "\"}";
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (System.nanoTime() < deadline) {
                try {
                    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
                            .header("X-Delivery", id).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                            HttpResponse.BodyHandlers.ofString());
                    if (r.statusCode() / 100 == 2) {
                        acked.add(id);
                        return;
                    }
                    unavailable.incrementAndGet();
                } catch (IOException refusedOrReset) {
                    unavailable.incrementAndGet();
                }
                TimeUnit.MILLISECONDS.sleep(200);
            }
        }

        void awaitAcked(int n) {
            await("%d events acknowledged".formatted(n)).atMost(Duration.ofSeconds(120)).until(() -> acked.size() >= n);
        }

        void finish() throws InterruptedException {
            assertThat(senders.awaitTermination(180, TimeUnit.SECONDS)).isTrue();
            assertThat(acked).hasSize(EVENTS);
        }

        /**
         * Every event answered 2xx is in the topic. Retries after 503 are deduplicated by the running task; the
         * dedup window lives in the task, though, and Connect restarts tasks when the group coordinator is
         * unreachable for 3 s, so an event written but answered 503 just before a restart may be written again
         * by its retry: at most the requests in flight at that moment, one per sender, per restart.
         */
        void assertDelivered(LocalStack stack, String fault) throws Exception {
            Map<String, Integer> inTopic = countInTopic(stack);
            assertThat(inTopic.keySet()).as("every event answered 2xx is in the topic").containsAll(acked);
            long duplicated = inTopic.values().stream().filter(n -> n > 1).count();
            log.info("event=fault-result fault={} acked={} unavailable={} duplicated={}", fault, acked.size(),
                    unavailable.get(), duplicated);
            assertThat(unavailable.get()).as("the fault was felt by the senders").isPositive();
            assertThat(duplicated).as("duplicates beyond the requests in flight at a restart")
                    .isLessThanOrEqualTo(2L * SENDERS);
        }

        Map<String, Integer> countInTopic(LocalStack stack) throws Exception {
            Map<String, Integer> counts = new HashMap<>();
            try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                    ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers(),
                    ConsumerConfig.GROUP_ID_CONFIG, "it-" + UUID.randomUUID(),
                    ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                    ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
                    new StringDeserializer(), new StringDeserializer())) {
                consumer.subscribe(java.util.List.of(connector));
                // Everything acknowledged is readable now; keep reading a moment for late duplicates.
                await().atMost(Duration.ofSeconds(60)).until(() -> {
                    consumer.poll(Duration.ofMillis(500)).forEach(r -> counts.merge(id(r.value()), 1, Integer::sum));
                    return counts.keySet().containsAll(acked);
                });
                consumer.poll(Duration.ofSeconds(2)).forEach(r -> counts.merge(id(r.value()), 1, Integer::sum));
            }
            return counts;
        }

        private String id(String value) {
            try {
                return JSON.readTree(JSON.readTree(value).path("payload").path("json").asText()).path("id").asText();
            } catch (IOException e) {
                throw new AssertionError("not a webhook envelope: " + value, e);
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
