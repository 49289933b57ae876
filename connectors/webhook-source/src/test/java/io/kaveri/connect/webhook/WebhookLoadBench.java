package io.kaveri.connect.webhook;

import static io.kaveri.connect.webhook.SignaturesTest.hex;
import static io.kaveri.connect.webhook.SignaturesTest.hmac;
import static io.kaveri.connect.webhook.SignaturesTest.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;


import io.kaveri.stack.LocalStack;
import io.kaveri.stack.LocalStack.Part;
import io.kaveri.test.KaveriStack;

/**
 * Load benchmark, not a test (its name escapes Surefire and Failsafe). Run it with
 * {@code ./mvnw -B -pl connectors/webhook-source -am verify -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false
 * -Dit.test=WebhookLoadBench -Dfailsafe.failIfNoSpecifiedTests=false}.
 *
 * <p>Small signed JSON events POSTed over loopback to the connector in the local stack's Connect worker, against
 * the same events sent by a plain KafkaProducer (acks=all) to the same broker in the same run. Both sides wait
 * for each event's acknowledgement before the next (closed loop, same concurrency), because that is what a
 * webhook sender does. Printed as ratios; the table is written to target/bench/webhook-load.md.
 */
@KaveriStack(Part.CONNECT)
class WebhookLoadBench {

    private static final String SECRET = "bench-secret";
    private static final int CLIENTS = Integer.getInteger("bench.clients", 16);
    private static final Duration WARMUP = Duration.ofSeconds(Long.getLong("bench.warmup.seconds", 5));
    private static final Duration MEASURE = Duration.ofSeconds(Long.getLong("bench.seconds", 15));
    private static final int BATCH = 50;

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .executor(Executors.newFixedThreadPool(4)).build();

    @Test
    void webhookAgainstRawProducer(LocalStack stack) throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 6);
        String rawTopic = "bench-raw-" + run;
        String hookTopic = "bench-webhook-" + run;
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(rawTopic, 3, (short) 1), new NewTopic(hookTopic, 3, (short) 1)))
                    .all().get(30, TimeUnit.SECONDS);
        }
        int port = startConnector(stack, hookTopic);
        String url = "http://127.0.0.1:" + port + "/bench";

        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all"), new ByteArraySerializer(), new ByteArraySerializer())) {
            Sender raw = id -> producer.send(new ProducerRecord<>(rawTopic, event(id))).get();
            Sender hook = id -> post(url, new String(event(id), StandardCharsets.UTF_8));
            Sender ndjson = id -> post(url + "-ndjson", ndjson(id));

            double rawRate = closedLoop(raw, 1);
            double hookRate = closedLoop(hook, 1);
            double batchRate = closedLoop(ndjson, BATCH);
            double half = hookRate / 2;
            Latency rawLatency = openLoop(raw, half);
            Latency hookLatency = openLoop(hook, half);

            String table = String.join("\n",
                    "| measure | raw KafkaProducer (acks=all) | webhook connector | ratio |",
                    "| --- | --- | --- | --- |",
                    row("max events/s, %d clients, 1 event/request".formatted(CLIENTS), rawRate, hookRate),
                    row("max events/s, %d clients, NDJSON %d events/request".formatted(CLIENTS, BATCH), rawRate, batchRate),
                    "| p50 / p99 ms at %.0f events/s (half the webhook max) | %.2f / %.2f | %.2f / %.2f | |".formatted(
                            half, rawLatency.p50, rawLatency.p99, hookLatency.p50, hookLatency.p99),
                    "",
                    "machine: %d cores, %s, Java %s; warm-up %d s, measure %d s".formatted(
                            Runtime.getRuntime().availableProcessors(), System.getProperty("os.arch"),
                            System.getProperty("java.version"), WARMUP.toSeconds(), MEASURE.toSeconds()));
            System.out.println(table);
            Path out = Path.of("target", "bench", "webhook-load.md");
            Files.createDirectories(out.getParent());
            Files.writeString(out, table + "\n");
            assertThat(hookRate).isPositive();
        }
    }

    private static String row(String what, double peer, double ours) {
        return "| %s | %.0f | %.0f | %.2f |".formatted(what, peer, ours, ours / peer);
    }

    @FunctionalInterface
    private interface Sender {
        void send(long id) throws Exception;
    }

    /** CLIENTS threads, each sending the next event once the previous one is acknowledged; events per second. */
    private static double closedLoop(Sender sender, int eventsPerCall) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
        AtomicLong ids = new AtomicLong();
        AtomicLong measured = new AtomicLong();
        long start = System.nanoTime();
        long measureFrom = start + WARMUP.toNanos();
        long end = measureFrom + MEASURE.toNanos();
        List<Future<?>> futures = new ArrayList<>();
        for (int c = 0; c < CLIENTS; c++) {
            futures.add(pool.submit(() -> {
                while (System.nanoTime() < end) {
                    sender.send(ids.getAndIncrement());
                    if (System.nanoTime() > measureFrom) {
                        measured.addAndGet(eventsPerCall);
                    }
                }
                return null;
            }));
        }
        for (Future<?> f : futures) {
            f.get();
        }
        pool.shutdown();
        return measured.get() / (MEASURE.toNanos() / 1e9);
    }

    private record Latency(double p50, double p99) {
    }

    /** Calls at a fixed rate whatever the answers take, latency counted from the planned start (no coordinated omission). */
    private static Latency openLoop(Sender sender, double perSecond) throws Exception {
        ExecutorService pool = Executors.newCachedThreadPool();
        long interval = (long) (1e9 / perSecond);
        long start = System.nanoTime();
        long measureFrom = start + WARMUP.toNanos();
        long end = measureFrom + MEASURE.toNanos();
        List<CompletableFuture<Long>> calls = new ArrayList<>();
        long id = 0;
        for (long planned = start; planned < end; planned += interval) {
            LockSupport.parkNanos(planned - System.nanoTime());
            long at = planned;
            long eventId = 1_000_000_000L + id++;
            CompletableFuture<Long> call = CompletableFuture.supplyAsync(() -> {
                try {
                    sender.send(eventId);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                return System.nanoTime() - at;
            }, pool);
            if (planned >= measureFrom) {
                calls.add(call);
            }
        }
        List<Long> nanos = new ArrayList<>();
        for (CompletableFuture<Long> call : calls) {
            nanos.add(call.get(60, TimeUnit.SECONDS));
        }
        pool.shutdown();
        nanos.sort(Long::compare);
        return new Latency(nanos.get(nanos.size() / 2) / 1e6, nanos.get((int) (nanos.size() * 0.99)) / 1e6);
    }

    private static byte[] event(long id) {
        return ("{\"id\":\"e-" + id + "\",\"user\":\"u-" + (id % 1000) + "\",\"action\":\"click\",\"ts\":" + id + "}")
                .getBytes(StandardCharsets.UTF_8);
    }

    private static String ndjson(long id) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < BATCH; i++) {
            b.append(new String(event(id * BATCH + i), StandardCharsets.UTF_8)).append('\n');
        }
        return b.toString();
    }

    private void post(String url, String body) throws Exception {
        HttpResponse<Void> r = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .header("X-Hub-Signature-256", "sha256=" + hex(hmac("HmacSHA256", utf8(SECRET), "", utf8(body))))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.discarding());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("answered " + r.statusCode());
        }
    }

    private int startConnector(LocalStack stack, String topic) throws Exception {
        int port = StackClient.freePorts(1);
        Map<String, String> config = StackClient.connectorConfig(port, 1, "bench,bench-ndjson");
        for (String route : List.of("bench", "bench-ndjson")) {
            config.put("route." + route + ".topic", topic);
            config.put("route." + route + ".signature.scheme", "github");
            config.put("route." + route + ".secret", SECRET);
            config.put("route." + route + ".key.pointer", "/user");
        }
        config.put("route.bench-ndjson.content", "ndjson");
        new StackClient(stack).deploy("bench-" + UUID.randomUUID().toString().substring(0, 6), config);
        return port;
    }
}
