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
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;


import io.kaveri.stack.ConnectWorker;
import io.kaveri.stack.LocalStack;
import io.kaveri.stack.LocalStack.Part;
import io.kaveri.stack.StackDirectories;
import io.kaveri.test.KaveriStack;

/**
 * Load benchmark, not a test (its name escapes Surefire and Failsafe). Run it with
 * {@code ./mvnw -B -pl connectors/webhook-source -am verify -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false
 * -Dit.test=WebhookLoadBench -Dfailsafe.failIfNoSpecifiedTests=false}.
 *
 * <p>Small signed JSON events POSTed over loopback to the connector, against the same events sent by a plain
 * KafkaProducer to the same broker in the same run. Both sides wait for each event's acknowledgement before the
 * next (closed loop, same concurrency), because that is what a webhook sender does. Each connector is measured
 * against its fair peer: on a worker with exactly-once source support disabled (acks come from commitRecord) against
 * a plain producer with acks=all; on the stack's exactly-once worker (one transaction per poll) against a
 * transactional producer committing one transaction per batch of waiting events. Printed as ratios; the table
 * is written to target/bench/webhook-load.md.
 */
@KaveriStack(Part.CONNECT)
class WebhookLoadBench {

    private static final String SECRET = "bench-secret";
    private static final int CLIENTS = Integer.getInteger("bench.clients", 16);
    private static final Duration WARMUP = Duration.ofSeconds(Long.getLong("bench.warmup.seconds", 5));
    private static final Duration MEASURE = Duration.ofSeconds(Long.getLong("bench.seconds", 15));
    private static final int BATCH = 50;
    /**
     * Connect gives a source task's producer max.in.flight.requests.per.connection=1 and no idempotence when
     * exactly-once source support is off; the raw peer has 5 and idempotence. These overrides (allowed by the
     * worker's connector.client.config.override.policy) give the connector the same producer.
     */
    private static final List<String> TUNED_PRODUCER = List.of(
            "producer.override.max.in.flight.requests.per.connection=5", "producer.override.enable.idempotence=true");
    private static final String[] TUNED = TUNED_PRODUCER.stream().flatMap(kv -> Stream.of(kv.split("=", 2)))
            .toArray(String[]::new);

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .executor(Executors.newFixedThreadPool(4)).build();

    @Test
    void webhookAgainstRawProducer(LocalStack stack) throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 6);
        String rawTopic = "bench-raw-" + run;
        String txTopic = "bench-tx-" + run;
        String eosTopic = "bench-eos-" + run;
        String plainTopic = "bench-plain-" + run;
        String splitTopic = "bench-split-" + run;
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()))) {
            admin.createTopics(Stream.of(rawTopic, txTopic, eosTopic, plainTopic, splitTopic)
                    .map(t -> new NewTopic(t, 3, (short) 1)).toList()).all().get(30, TimeUnit.SECONDS);
        }
        ConnectWorker plainWorker = ConnectWorker.start(new ConnectWorker.Options(stack.bootstrapServers(),
                StackDirectories.builtPluginDirectories(Path.of(System.getProperty("kaveri.home", ".")).toAbsolutePath()),
                stack.workDir().resolve("connect-bench.log"), Map.of(
                        "exactly.once.source.support", "disabled",
                        "group.id", "kaveri-bench-" + run,
                        "config.storage.topic", "kaveri-bench-configs-" + run,
                        "offset.storage.topic", "kaveri-bench-offsets-" + run,
                        "status.storage.topic", "kaveri-bench-status-" + run)));
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all"), new ByteArraySerializer(), new ByteArraySerializer());
             TransactionalPeer transactional = new TransactionalPeer(stack.bootstrapServers(), txTopic, run)) {
            StackClient eosClient = new StackClient(stack);
            StackClient plainClient = new StackClient(stack, plainWorker.restUrl());
            String eosUrl = url(startConnector(eosClient, eosTopic, 1, List.of("bench")));
            String eosNoLingerUrl = url(startConnector(eosClient, eosTopic, 1, List.of("bench"), "poll.linger.ms", "0"));
            String plainUrl = url(startConnector(plainClient, plainTopic, 1, List.of("bench", "bench-ndjson")));
            String tunedUrl = url(startConnector(plainClient, plainTopic, 1, List.of("bench"), TUNED));
            int splitPort = startConnector(plainClient, splitTopic, 2, List.of("bench", "bench-b"), TUNED);
            String[] splitUrls = {url(splitPort), "http://127.0.0.1:" + (splitPort + 1) + "/bench-b"};

            Sender raw = id -> producer.send(new ProducerRecord<>(rawTopic, event(id))).get();
            Sender tx = id -> transactional.send(event(id));
            Sender plain = id -> post(plainUrl, new String(event(id), StandardCharsets.UTF_8));
            Sender tuned = id -> post(tunedUrl, new String(event(id), StandardCharsets.UTF_8));
            Sender ndjson = id -> post(plainUrl + "-ndjson", ndjson(id));
            Sender split = id -> post(splitUrls[(int) (id % 2)], new String(event(id), StandardCharsets.UTF_8));
            Sender eos = id -> post(eosUrl, new String(event(id), StandardCharsets.UTF_8));
            Sender eosNoLinger = id -> post(eosNoLingerUrl, new String(event(id), StandardCharsets.UTF_8));

            // Each webhook figure right after its peer's: the machine is shared, and its load drifts over a run.
            Pair plainRate = pair(raw, plain, 1);
            Pair tunedRate = pair(raw, tuned, 1);
            Pair batchRate = pair(raw, ndjson, BATCH);
            Pair splitRate = pair(raw, split, 1);
            Pair eosRate = pair(tx, eos, 1);
            Pair eosNoLingerRate = pair(tx, eosNoLinger, 1);
            double half = tunedRate.ours() / 2;
            Latency rawLatency = openLoop(raw, half);
            Latency tunedLatency = openLoop(tuned, half);
            Latency plainLatency = openLoop(plain, half);
            double eosHalf = eosRate.ours() / 2;
            Latency txLatency = openLoop(tx, eosHalf);
            Latency eosLatency = openLoop(eos, eosHalf);

            String acksAll = "KafkaProducer acks=all";
            String txPeer = "transactional KafkaProducer, a commit per batch";
            String table = String.join("\n",
                    "| measure (%d clients) | peer | peer events/s | webhook events/s | ratio |".formatted(CLIENTS),
                    "| --- | --- | --- | --- | --- |",
                    row("1 event/request, EOS disabled, worker's producer defaults", acksAll, plainRate),
                    row("1 event/request, EOS disabled, producer tuned (see below)", acksAll, tunedRate),
                    row("NDJSON %d events/request, EOS disabled".formatted(BATCH), acksAll, batchRate),
                    row("1 event/request, 2 routes on 2 tasks, EOS disabled, producer tuned", acksAll, splitRate),
                    row("1 event/request, exactly-once (a transaction per poll)", txPeer, eosRate),
                    row("1 event/request, exactly-once, poll.linger.ms=0", txPeer, eosNoLingerRate),
                    latency("EOS disabled, producer tuned", half, acksAll, rawLatency, tunedLatency),
                    latency("EOS disabled, worker's producer defaults", half, acksAll, rawLatency, plainLatency),
                    latency("exactly-once", eosHalf, txPeer, txLatency, eosLatency),
                    "",
                    "tuned: " + String.join(", ", TUNED_PRODUCER),
                    "machine: %d cores, %s, Java %s; warm-up %d s, measure %d s".formatted(
                            Runtime.getRuntime().availableProcessors(), System.getProperty("os.arch"),
                            System.getProperty("java.version"), WARMUP.toSeconds(), MEASURE.toSeconds()));
            System.out.println(table);
            Path out = Path.of("target", "bench", "webhook-load.md");
            Files.createDirectories(out.getParent());
            Files.writeString(out, table + "\n");
            assertThat(plainRate.ours()).isPositive();
            assertThat(eosRate.ours()).isPositive();
        } finally {
            plainWorker.stop();
        }
    }

    /**
     * The fair peer of the exactly-once connector: senders hand their event to one transactional producer whose
     * thread commits one transaction per batch of the events waiting, as Connect does per poll, and answers them
     * once it committed.
     */
    private static final class TransactionalPeer implements AutoCloseable {
        private record Pending(byte[] value, CompletableFuture<Void> done) {
        }

        private final KafkaProducer<byte[], byte[]> producer;
        private final String topic;
        private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
        private final Thread committer;
        private volatile boolean running = true;

        TransactionalPeer(String bootstrapServers, String topic, String run) {
            this.topic = topic;
            producer = new KafkaProducer<>(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                    ProducerConfig.ACKS_CONFIG, "all",
                    ProducerConfig.TRANSACTIONAL_ID_CONFIG, "bench-tx-" + run), new ByteArraySerializer(), new ByteArraySerializer());
            producer.initTransactions();
            committer = new Thread(this::commitLoop, "bench-tx-committer");
            committer.start();
        }

        void send(byte[] value) throws Exception {
            CompletableFuture<Void> done = new CompletableFuture<>();
            queue.put(new Pending(value, done));
            done.get(60, TimeUnit.SECONDS);
        }

        private void commitLoop() {
            List<Pending> batch = new ArrayList<>();
            while (running) {
                try {
                    Pending first = queue.poll(100, TimeUnit.MILLISECONDS);
                    if (first == null) {
                        continue;
                    }
                    batch.add(first);
                    queue.drainTo(batch);
                    producer.beginTransaction();
                    for (Pending p : batch) {
                        producer.send(new ProducerRecord<>(topic, p.value()));
                    }
                    producer.commitTransaction();
                    batch.forEach(p -> p.done().complete(null));
                } catch (InterruptedException e) {
                    return;
                } catch (RuntimeException e) {
                    batch.forEach(p -> p.done().completeExceptionally(e));
                    return;
                } finally {
                    batch.clear();
                }
            }
        }

        @Override
        public void close() throws InterruptedException {
            running = false;
            committer.join();
            producer.close();
        }
    }

    private static String latency(String what, double rate, String peer, Latency theirs, Latency ours) {
        return "| p50 / p99 ms at %.0f events/s (half the webhook max), %s | %s | %.1f / %.1f | %.1f / %.1f | |".formatted(
                rate, what, peer, theirs.p50, theirs.p99, ours.p50, ours.p99);
    }

    private static String url(int port) {
        return "http://127.0.0.1:" + port + "/bench";
    }

    private record Pair(double peer, double ours) {
    }

    private static Pair pair(Sender peer, Sender ours, int oursEventsPerCall) throws Exception {
        return new Pair(closedLoop(peer, 1), closedLoop(ours, oursEventsPerCall));
    }

    private static String row(String what, String peer, Pair rates) {
        return "| %s | %s | %.0f | %.0f | %.2f |".formatted(what, peer, rates.peer(), rates.ours(), rates.ours() / rates.peer());
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

    /** Deploys a connector with the given GitHub-signed routes (a route named *-ndjson takes NDJSON) on tasks tasks. */
    private int startConnector(StackClient client, String topic, int tasks, List<String> routes, String... more)
            throws Exception {
        int port = StackClient.freePorts(tasks);
        Map<String, String> config = StackClient.connectorConfig(port, tasks, String.join(",", routes));
        for (String route : routes) {
            config.put("route." + route + ".topic", topic);
            config.put("route." + route + ".signature.scheme", "github");
            config.put("route." + route + ".secret", SECRET);
            config.put("route." + route + ".key.pointer", "/user");
            if (route.endsWith("-ndjson")) {
                config.put("route." + route + ".content", "ndjson");
            }
        }
        for (int i = 0; i < more.length; i += 2) {
            config.put(more[i], more[i + 1]);
        }
        client.deploy("bench-" + UUID.randomUUID().toString().substring(0, 6), config);
        return port;
    }
}
