package io.kaveri.connect.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;


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
    private static final int EVENTS = 300;
    private static final int SENDERS = 6;

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

        load.assertDelivered("broker");
    }

    @Test
    void taskRestartedUnderLoad(LocalStack stack) throws Exception {
        Load load = startLoad(stack, "restart");
        load.awaitAcked(EVENTS / 4);
        assertThat(load.client.connectPost("/connectors/" + load.connector + "/tasks/0/restart")).isIn(200, 202, 204);
        load.finish();

        load.assertDelivered("task-restart");
    }

    private Load startLoad(LocalStack stack, String label) throws Exception {
        StackClient client = new StackClient(stack);
        String connector = "fault-" + label + "-" + UUID.randomUUID().toString().substring(0, 6);
        int port = StackClient.freePorts(1);
        Map<String, String> config = StackClient.connectorConfig(port, 1, "load");
        config.put("ack.timeout.ms", "2000");
        config.put("retry.after.seconds", "1");
        config.put("route.load.topic", connector);
        config.put("route.load.dedup.header", "X-Delivery");
        client.deploy(connector, config);
        Load load = new Load(client, connector, "http://127.0.0.1:" + port + "/load");
        load.start();
        return load;
    }

    /** SENDERS threads that deliver EVENTS distinct events, each retried until answered 2xx, like a provider. */
    private final class Load {
        final StackClient client;
        final String connector;
        final String url;
        final Set<String> acked = ConcurrentHashMap.newKeySet();
        final AtomicInteger unavailable = new AtomicInteger();
        final ExecutorService senders = Executors.newFixedThreadPool(SENDERS);

        Load(StackClient client, String connector, String url) {
            this.client = client;
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
                    HttpResponse<String> r = client.http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
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
        void assertDelivered(String fault) throws Exception {
            Map<String, Integer> inTopic = countInTopic();
            assertThat(inTopic.keySet()).as("every event answered 2xx is in the topic").containsAll(acked);
            long duplicated = inTopic.values().stream().filter(n -> n > 1).count();
            log.info("event=fault-result fault={} acked={} unavailable={} duplicated={}", fault, acked.size(),
                    unavailable.get(), duplicated);
            assertThat(unavailable.get()).as("the fault was felt by the senders").isPositive();
            assertThat(duplicated).as("duplicates beyond the requests in flight at a restart")
                    .isLessThanOrEqualTo(2L * SENDERS);
        }

        /** How often each event id is in the topic; reads on a moment after the last acknowledged one for late duplicates. */
        Map<String, Integer> countInTopic() {
            Map<String, Integer> counts = new HashMap<>();
            client.consume(connector, records -> records.stream().map(r -> id(r.value())).collect(Collectors.toSet())
                    .containsAll(acked), Duration.ofSeconds(2)).forEach(r -> counts.merge(id(r.value()), 1, Integer::sum));
            return counts;
        }

        private String id(String value) {
            try {
                return StackClient.JSON.readTree(StackClient.JSON.readTree(value).path("payload").path("json").asText()).path("id").asText();
            } catch (IOException e) {
                throw new AssertionError("not a webhook envelope: " + value, e);
            }
        }
    }
}
