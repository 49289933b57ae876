package io.kaveri.connect.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;

import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;

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
        // A single broker's controlled shutdown can leave a transaction hanging (see KafkaBroker.stop): a race in
        // Kafka's coordinator, not in the connector, and it loses that transaction's records. Seen about once in ten
        // restarts on a loaded machine; a second, independent restart is the test of the connector then.
        List<StackClient.HangingTransaction> hanging = brokerRestartedUnderLoad(stack, "broker");
        if (!hanging.isEmpty()) {
            log.warn("event=kafka-hanging-transaction action=aborted-and-repeated transactions={}", hanging);
            hanging = brokerRestartedUnderLoad(stack, "broker-again");
        }
        assertThat(hanging).as("hanging transactions after the broker restarted twice: Kafka's coordinator completed "
                + "them without markers while their partitions had no leader (see KafkaBroker.stop); aborted").isEmpty();
    }

    /** Delivery checked and nothing answered when the restart left no hanging transaction; else the ones aborted. */
    private List<StackClient.HangingTransaction> brokerRestartedUnderLoad(LocalStack stack, String label) throws Exception {
        Load load = startLoad(stack, label);
        load.awaitAcked(EVENTS / 4);
        stack.kafka().stop();
        load.faultInjected();
        int ackedWhenStopped = load.acked.size();
        // While the broker is down nothing can be acknowledged: every answer is a 503 (or a held request).
        await().during(Duration.ofSeconds(4)).atMost(Duration.ofSeconds(6))
                .until(() -> load.acked.size() <= ackedWhenStopped + SENDERS);
        stack.kafka().startAgain();
        // Before waiting on the senders: a transaction the restart left hanging would hold every later connector
        // of the worker, in this class and the next ones.
        List<StackClient.HangingTransaction> hanging = load.client.abortHangingTransactions(Duration.ofSeconds(60));
        if (!hanging.isEmpty()) {
            load.abandon();
            return hanging;
        }
        load.finish();
        load.assertDelivered(label);
        return List.of();
    }

    @Test
    void taskRestartedUnderLoad(LocalStack stack) throws Exception {
        Load load = startLoad(stack, "restart");
        load.awaitAcked(EVENTS / 4);
        // Before the call: it returns once the new task runs, so the rest must be under way while it restarts.
        load.faultInjected();
        assertThat(load.client.connectPost("/connectors/" + load.connector + "/tasks/0/restart")).isIn(200, 202, 204);
        load.finish();

        load.assertDelivered("task-restart");
    }

    @Test
    void workerRestartedUnderLoad(LocalStack stack) throws Exception {
        Load load = startLoad(stack, "worker");
        load.awaitAcked(EVENTS / 4);
        stack.connect().stop();
        load.faultInjected();
        int ackedWhenStopped = load.acked.size();
        stack.connect().startAgain();
        // The task comes back on the same port: events are acknowledged again, by the new task.
        load.awaitAcked(Math.min(EVENTS, ackedWhenStopped + SENDERS + 1));
        load.finish();

        load.assertDelivered("worker-restart");
    }

    @Test
    void burstBeyondTheBufferIsRejectedWithRetryAfter(LocalStack stack) throws Exception {
        Burst burst = burst(stack, "reject");
        assertThat(burst.statuses()).containsOnlyKeys(200, 503).containsKey(503);
        for (Answer a : burst.answers()) {
            if (a.status() == 503) {
                assertThat(a.retryAfter()).as("Retry-After of %s", a.id()).isEqualTo("1");
            }
        }
        burst.assertAnswered200AreInTheTopicOnce();
    }

    @Test
    void burstBeyondTheBufferIsHeldUpToTheBlockTimeout(LocalStack stack) throws Exception {
        Burst burst = burst(stack, "block", "route.burst.block.timeout.ms", Long.toString(BLOCK_TIMEOUT_MS));
        assertThat(burst.statuses().keySet()).isSubsetOf(200, 503);
        // More requests got in than the buffer holds at once: the others waited for room instead of failing.
        assertThat(burst.statuses().get(200)).isGreaterThan((int) (BURST_BUFFER_BYTES / BURST_BODY_BYTES));
        for (Answer a : burst.answers()) {
            if (a.status() == 503) {
                assertThat(a.millis()).as("%s held up to block.timeout.ms", a.id()).isGreaterThanOrEqualTo(BLOCK_TIMEOUT_MS);
            }
        }
        burst.assertAnswered200AreInTheTopicOnce();
    }

    @Test
    void burstBeyondTheBufferIsDroppedAndCounted(LocalStack stack) throws Exception {
        Burst burst = burst(stack, "drop");
        assertThat(burst.statuses()).containsOnlyKeys(200, 202).containsKey(202);
        assertThat(burst.metric("dropped-total")).isEqualTo(burst.statuses().get(202).doubleValue());
        burst.assertAnswered200AreInTheTopicOnce();
    }

    /**
     * BURST requests at once on a route whose buffer holds a few of them, drained one request per poll (one Kafka
     * transaction each), while the route's buffer-bytes gauge is sampled over JMX.
     */
    private Burst burst(LocalStack stack, String policy, String... more) throws Exception {
        StackClient client = new StackClient(stack);
        String connector = "burst-" + policy + "-" + UUID.randomUUID().toString().substring(0, 6);
        int port = StackClient.freePorts(1);
        Map<String, String> config = StackClient.connectorConfig(port, 1, "burst");
        config.put("poll.max.records", "1");
        config.put("ack.timeout.ms", "30000");
        config.put("listener.idle.timeout.ms", "60000");
        config.put("retry.after.seconds", "1");
        config.put("route.burst.topic", connector);
        config.put("route.burst.dedup.header", "X-Delivery");
        config.put("route.burst.max.body.bytes", Long.toString(2 * BURST_BODY_BYTES));
        config.put("route.burst.buffer.max.bytes", Long.toString(BURST_BUFFER_BYTES));
        config.put("route.burst.backpressure", policy);
        for (int i = 0; i < more.length; i += 2) {
            config.put(more[i], more[i + 1]);
        }
        client.deploy(connector, config);
        Burst burst = new Burst(client, connector);
        burst.run("http://127.0.0.1:" + port + "/burst");
        assertThat(client.delete(connector)).isEqualTo(204);
        return burst;
    }

    private static final int BURST = 200;
    private static final long BURST_BODY_BYTES = 1000;
    private static final long BURST_BUFFER_BYTES = 8 * BURST_BODY_BYTES;
    private static final long BLOCK_TIMEOUT_MS = 1500;

    record Answer(String id, int status, String retryAfter, long millis) {
    }

    private final class Burst {
        final StackClient client;
        final String connector;
        final List<Answer> answers = new CopyOnWriteArrayList<>();

        Burst(StackClient client, String connector) {
            this.client = client;
            this.connector = connector;
        }

        void run(String url) throws Exception {
            AtomicLong maxBufferBytes = new AtomicLong();
            AtomicBoolean sampling = new AtomicBoolean(true);
            Thread sampler = new Thread(() -> {
                while (sampling.get()) {
                    maxBufferBytes.accumulateAndGet((long) metric("buffer-bytes"), Math::max);
                    LockSupport.parkNanos(1_000_000);
                }
            }, "buffer-sampler");
            metric("buffer-bytes"); // fails fast when the gauge is not registered
            sampler.start();
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(10)).build();
            String pad = "x".repeat((int) BURST_BODY_BYTES - 40);
            List<CompletableFuture<Void>> calls = new ArrayList<>();
            for (int i = 0; i < BURST; i++) {
                String id = "b-" + i;
                long t0 = System.nanoTime();
                calls.add(http.sendAsync(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(120))
                                .header("X-Delivery", id)
                                .POST(HttpRequest.BodyPublishers.ofString("{\"id\":\"" + id + "\",\"pad\":\"" + pad + "\"}"))
                                .build(), HttpResponse.BodyHandlers.ofString())
                        .thenAccept(r -> answers.add(new Answer(id, r.statusCode(),
                                r.headers().firstValue("Retry-After").orElse(null), (System.nanoTime() - t0) / 1_000_000))));
            }
            CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).get(180, TimeUnit.SECONDS);
            sampling.set(false);
            sampler.join();
            log.info("event=burst-result connector={} statuses={} max_buffer_bytes={}", connector, statuses(),
                    maxBufferBytes.get());
            assertThat(answers).hasSize(BURST);
            assertThat(maxBufferBytes.get()).as("buffer-bytes never exceeds buffer.max.bytes")
                    .isPositive().isLessThanOrEqualTo(BURST_BUFFER_BYTES);
        }

        List<Answer> answers() {
            return answers;
        }

        Map<Integer, Integer> statuses() {
            Map<Integer, Integer> out = new TreeMap<>();
            answers.forEach(a -> out.merge(a.status(), 1, Integer::sum));
            return out;
        }

        /** The route's metric, read over JMX as an operator would (Connect tags it with connector, task, route). */
        double metric(String name) {
            try {
                MBeanServer server = ManagementFactory.getPlatformMBeanServer();
                Set<ObjectName> names = server.queryNames(new ObjectName("kafka.connect:connector=" + connector
                        + ",route=burst,*"), null);
                assertThat(names).as("route metrics of %s over JMX", connector).isNotEmpty();
                return ((Number) server.getAttribute(names.iterator().next(), name)).doubleValue();
            } catch (JMException e) {
                throw new AssertionError(e);
            }
        }

        /** Every event answered 200 is in the topic exactly once; no other event is. */
        void assertAnswered200AreInTheTopicOnce() {
            Set<String> ok = answers.stream().filter(a -> a.status() == 200).map(Answer::id).collect(Collectors.toSet());
            Map<String, Integer> counts = new HashMap<>();
            client.consume(connector, records -> records.stream().map(r -> id(r.value())).collect(Collectors.toSet())
                    .containsAll(ok), Duration.ofSeconds(2)).forEach(r -> counts.merge(id(r.value()), 1, Integer::sum));
            assertThat(counts.keySet()).as("exactly the events answered 200 are in the topic").isEqualTo(ok);
            assertThat(counts.values()).as("once each").containsOnly(1);
        }
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
        /**
         * Holds the second half of the events until the fault is injected: on a quiet machine the senders could
         * otherwise deliver everything before the fault, which then tests nothing.
         */
        final CountDownLatch fault = new CountDownLatch(1);

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
                        if (i >= EVENTS / 2 && !fault.await(180, TimeUnit.SECONDS)) {
                            throw new IllegalStateException("the fault was never injected");
                        }
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

        void faultInjected() {
            fault.countDown();
        }

        void awaitAcked(int n) {
            await("%d events acknowledged".formatted(n)).atMost(Duration.ofSeconds(120)).until(() -> acked.size() >= n);
        }

        /** Stops the senders and removes the connector without checking what was delivered. */
        void abandon() throws Exception {
            senders.shutdownNow();
            client.delete(connector);
        }

        void finish() throws InterruptedException {
            assertThat(senders.awaitTermination(180, TimeUnit.SECONDS)).isTrue();
            assertThat(acked).hasSize(EVENTS);
        }

        /**
         * Every event answered 2xx is in the topic, once: a retry after a 503 or a refused connection is answered
         * as a duplicate when its first delivery reached Kafka, by the same task or, through the delivery ids kept
         * in the source offsets, by the task that replaced it.
         */
        void assertDelivered(String fault) throws Exception {
            Map<String, Integer> inTopic = countInTopic();
            assertThat(inTopic.keySet()).as("every event answered 2xx is in the topic").containsAll(acked);
            List<String> duplicated = inTopic.entrySet().stream().filter(e -> e.getValue() > 1).map(Map.Entry::getKey).toList();
            log.info("event=fault-result fault={} acked={} unavailable={} duplicated={}", fault, acked.size(),
                    unavailable.get(), duplicated.size());
            assertThat(unavailable.get()).as("the fault was felt by the senders").isPositive();
            assertThat(duplicated).as("events written twice").isEmpty();
        }

        /** How often each event id is in the topic; reads on a moment after the last acknowledged one for late duplicates. */
        Map<String, Integer> countInTopic() {
            Map<String, Integer> counts = new HashMap<>();
            client.consume(connector, records -> records.stream().map(r -> id(r.value())).collect(Collectors.toSet())
                    .containsAll(acked), Duration.ofSeconds(2)).forEach(r -> counts.merge(id(r.value()), 1, Integer::sum));
            return counts;
        }
    }

    /** The event id in a record written through the JSON converter. */
    private static String id(String value) {
        try {
            return StackClient.JSON.readTree(StackClient.JSON.readTree(value).path("payload").path("json").asText()).path("id").asText();
        } catch (IOException e) {
            throw new AssertionError("not a webhook envelope: " + value, e);
        }
    }
}
