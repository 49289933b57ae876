package io.kaveri.streams.query;

import com.fasterxml.jackson.databind.JsonNode;
import io.kaveri.stack.FreePorts;
import io.kaveri.stack.LocalStack;
import io.kaveri.stack.LocalStack.Part;
import io.kaveri.streams.market.MarketApp;
import io.kaveri.streams.market.MarketQueries;
import io.kaveri.streams.runtime.StreamsAppRunner;
import io.kaveri.test.KaveriStack;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.query.StateQueryRequest;
import org.apache.kafka.streams.query.StateQueryResult;
import org.apache.kafka.streams.query.WindowKeyQuery;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.WindowStoreIterator;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Benchmark, not a test (its name escapes Surefire and Failsafe). Run it with
 * {@code ./mvnw -B -pl streams-apps/query -am verify -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false
 * -Dit.test=QueryLoadBench -Dfailsafe.failIfNoSpecifiedTests=false} ({@code -Dbench.clients=N},
 * {@code -Dbench.seconds=S}, {@code -Dbench.freshness.rate=R}, {@code -Dbench.freshness.events=E} tune it).
 *
 * <p>Two instances A and B of the market app with their query services on the local stack. Point queries
 * ({@code /api/market/candles/{symbol}}, two window stores read per answer) are sent to A by N closed-loop client
 * threads for symbols A owns (answered locally) and for symbols B owns (forwarded once to B), against the same two
 * IQv2 reads called in-process on A by N threads: the ratio is the cost of the service (HTTP, routing, JSON).
 * Then freshness: the webhook source connector, with a route writing the app's {@code Trade} contract to its
 * trades topic, takes trades POSTed at a steady rate; an event-stream client on A waits for each trade's candle;
 * freshness is the time from the POST's 2xx to the candle's arrival. The tables go to target/bench/query-load.md.
 */
@KaveriStack({Part.KAFKA, Part.REGISTRY, Part.CONNECT})
class QueryLoadBench {

    private static final int CLIENTS = Integer.getInteger("bench.clients", 8);
    private static final Duration WARMUP = Duration.ofSeconds(Long.getLong("bench.warmup.seconds", 5));
    private static final Duration MEASURE = Duration.ofSeconds(Long.getLong("bench.seconds", 15));
    private static final int SYMBOLS = 64;
    private static final double FRESHNESS_RATE = Double.parseDouble(System.getProperty("bench.freshness.rate", "20"));
    private static final int FRESHNESS_EVENTS = Integer.getInteger("bench.freshness.events", 600);
    private static final String BEARER = "bench-token";

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).executor(Executors.newFixedThreadPool(4)).build();

    @Test
    void pointQueriesAndFreshness(LocalStack stack) throws Exception {
        ItApps.MarketRun market = ItApps.marketRun(stack);
        MarketApp app = market.app();
        String run = market.run();
        Map<String, Object> settingsA = market.settingsA();
        Map<String, Object> settingsB = market.settingsB();
        String trades = market.trades();

        List<String> rows = new ArrayList<>();
        try (QueryService a = QueryService.start(settingsA); QueryService b = QueryService.start(settingsB);
             KafkaProducer<String, SpecificRecord> producer = ItApps.producer(stack)) {
            StreamsAppRunner runnerA = a.run(app, settingsA);
            StreamsAppRunner runnerB = b.run(app, settingsB);
            assertThat(runnerA.awaitRunning(Duration.ofSeconds(120))).isTrue();
            assertThat(runnerB.awaitRunning(Duration.ofSeconds(120))).isTrue();

            Instant now = Instant.now();
            List<String> symbols = new ArrayList<>();
            for (int i = 0; i < SYMBOLS; i++) {
                String symbol = "S" + i;
                symbols.add(symbol);
                ItApps.send(producer, trades, symbol, ItApps.trade(symbol + "-1", symbol, "100", "1", now));
                ItApps.send(producer, trades, symbol, ItApps.trade(symbol + "-2", symbol, "101", "2", now));
            }
            HostInfo hostA = new HostInfo(a.url().getHost(), a.url().getPort());
            List<String> local = new ArrayList<>();
            List<String> remote = new ArrayList<>();
            // Both instances must have settled (every symbol answered by either, with both trades) before measuring.
            await("every symbol answered").atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(500)).until(() -> {
                local.clear();
                remote.clear();
                for (String symbol : symbols) {
                    HttpResponse<String> r = ItApps.get(a.url(), "api/market/candles/" + symbol);
                    if (r.statusCode() != 200 || Reply.JSON.readTree(r.body()).path("result").path("candles").path(0)
                            .path("tradeCount").asLong() != 2) {
                        return false;
                    }
                    HostInfo owner = runnerA.streams().queryMetadataForKey(MarketQueries.CANDLES_STORE, symbol,
                            new StringSerializer()).activeHost();
                    (owner.equals(hostA) ? local : remote).add(symbol);
                }
                return !local.isEmpty() && !remote.isEmpty();
            });

            KafkaStreams streamsA = runnerA.streams();
            Map<String, Integer> partitions = new ConcurrentHashMap<>();
            for (String symbol : local) {
                partitions.put(symbol, streamsA.queryMetadataForKey(MarketQueries.CANDLES_STORE, symbol,
                        new StringSerializer()).partition());
            }
            Result direct = closedLoop("direct IQv2 read on A", i -> {
                String symbol = local.get((int) (i % local.size()));
                directRead(streamsA, symbol, partitions.get(symbol));
            });
            // The HTTP floor of this machine: the same server and client for an answer that reads no store.
            Result floor = closedLoop("HTTP to A, /api/apps (no store read)", i -> get(a.url().resolve("api/apps")));
            Result viaLocal = closedLoop("HTTP to A, key on A", i -> query(a.url(), local.get((int) (i % local.size()))));
            Result viaForward = closedLoop("HTTP to A, key on B (forwarded)", i -> query(a.url(), remote.get((int) (i % remote.size()))));
            rows.add("| query | ops/s | p50 ms | p99 ms | throughput vs direct read |");
            rows.add("| --- | ---: | ---: | ---: | ---: |");
            for (Result r : List.of(direct, floor, viaLocal, viaForward)) {
                rows.add("| %s | %.0f | %.3f | %.3f | %.3f |".formatted(r.name, r.opsPerSecond, r.p50Ms, r.p99Ms,
                        r.opsPerSecond / direct.opsPerSecond));
            }
            rows.add("");
            rows.add("forwarded vs local: throughput %.2f, p99 %.2f×; %d clients, %d symbols (%d on A, %d on B)".formatted(
                    viaForward.opsPerSecond / viaLocal.opsPerSecond, viaForward.p99Ms / viaLocal.p99Ms, CLIENTS,
                    SYMBOLS, local.size(), remote.size()));
            rows.add("");

            Freshness freshness = freshness(stack, a, trades, run);
            rows.add("| freshness (webhook 2xx → candle on SSE) | events | p50 ms | p99 ms | max ms |");
            rows.add("| --- | ---: | ---: | ---: | ---: |");
            rows.add("| %.0f trades/s, one symbol each | %d | %.1f | %.1f | %.1f |".formatted(FRESHNESS_RATE,
                    freshness.events, freshness.p50Ms, freshness.p99Ms, freshness.maxMs));
            rows.add("");
            rows.add("machine: %d cores, %s, Java %s; warm-up %d s, measure %d s; commit.interval.ms=%s".formatted(
                    Runtime.getRuntime().availableProcessors(), System.getProperty("os.arch"),
                    System.getProperty("java.version"), WARMUP.toSeconds(), MEASURE.toSeconds(),
                    settingsA.get("commit.interval.ms")));
        }
        String table = String.join("\n", rows);
        System.out.println(table);
        Path out = Path.of("target", "bench", "query-load.md");
        Files.createDirectories(out.getParent());
        Files.writeString(out, table + "\n");
    }

    @FunctionalInterface
    private interface Operation {
        void run(long i) throws Exception;
    }

    private record Result(String name, double opsPerSecond, double p50Ms, double p99Ms) {
    }

    /** CLIENTS threads calling op back to back; latencies of the measured window only. */
    private static Result closedLoop(String name, Operation op) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
        long start = System.nanoTime();
        long measureFrom = start + WARMUP.toNanos();
        long end = measureFrom + MEASURE.toNanos();
        AtomicLong ids = new AtomicLong();
        List<Future<long[]>> futures = new ArrayList<>();
        for (int c = 0; c < CLIENTS; c++) {
            futures.add(pool.submit(() -> {
                long[] latencies = new long[1 << 16];
                int n = 0;
                while (true) {
                    long t0 = System.nanoTime();
                    if (t0 >= end) {
                        return Arrays.copyOf(latencies, n);
                    }
                    op.run(ids.getAndIncrement());
                    if (t0 >= measureFrom) {
                        if (n == latencies.length) {
                            latencies = Arrays.copyOf(latencies, n * 2);
                        }
                        latencies[n++] = System.nanoTime() - t0;
                    }
                }
            }));
        }
        List<long[]> parts = new ArrayList<>();
        for (Future<long[]> f : futures) {
            parts.add(f.get());
        }
        pool.shutdown();
        long[] all = parts.stream().flatMapToLong(Arrays::stream).sorted().toArray();
        assertThat(all).as(name + " measured operations").isNotEmpty();
        return new Result(name, all.length / (double) MEASURE.toSeconds(), percentile(all, 0.50) / 1e6,
                percentile(all, 0.99) / 1e6);
    }

    private static long percentile(long[] sorted, double p) {
        return sorted[Math.min(sorted.length - 1, (int) (sorted.length * p))];
    }

    /** What the candles endpoint reads, without the service: both window stores of the symbol's partition on A. */
    private static void directRead(KafkaStreams streams, String symbol, int partition) {
        int found = 0;
        for (String store : List.of(MarketQueries.CANDLES_STORE, MarketQueries.HOPPING_STORE)) {
            StateQueryResult<WindowStoreIterator<Object>> result = streams.query(StateQueryRequest.inStore(store)
                    .withQuery(WindowKeyQuery.<String, Object>withKeyAndWindowStartRange(symbol, Instant.EPOCH,
                            Instant.ofEpochMilli(Long.MAX_VALUE / 2))).withPartitions(Set.of(partition)).requireActive());
            try (WindowStoreIterator<Object> it = result.getPartitionResults().get(partition).getResult()) {
                while (it.hasNext()) {
                    it.next();
                    found++;
                }
            }
        }
        if (found == 0) {
            throw new IllegalStateException("no candle of " + symbol + " in A's stores");
        }
    }

    private void query(URI base, String symbol) throws Exception {
        get(base.resolve("api/market/candles/" + symbol));
    }

    private void get(URI uri) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException(uri + " answered " + r.statusCode() + ": " + r.body());
        }
    }

    private record Freshness(int events, double p50Ms, double p99Ms, double maxMs) {
    }

    /** Trades POSTed at FRESHNESS_RATE to the webhook route feeding the app; each one's candle awaited on A's SSE. */
    private Freshness freshness(LocalStack stack, QueryService a, String trades, String run) throws Exception {
        int port = FreePorts.pick();
        deployWebhook(stack, "bench-trades-" + run, port, trades);
        URI route = URI.create("http://127.0.0.1:" + port + "/trades");

        Map<String, Long> arrived = new ConcurrentHashMap<>();
        CountDownLatch subscribed = new CountDownLatch(1);
        HttpResponse<InputStream> events = http.send(HttpRequest.newBuilder(a.url().resolve("api/events?types=candle"))
                .build(), HttpResponse.BodyHandlers.ofInputStream());
        Thread reader = new Thread(() -> {
            subscribed.countDown();
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(events.body(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = lines.readLine()) != null) {
                    if (line.startsWith("data: ")) {
                        long at = System.nanoTime();
                        JsonNode data = Reply.JSON.readTree(line.substring("data: ".length()));
                        JsonNode symbol = data.findValue("symbol");
                        if (symbol != null) {
                            arrived.putIfAbsent(symbol.asText(), at);
                        }
                    }
                }
            } catch (java.io.IOException | UncheckedIOException closed) {
                // closed below once every candle arrived
            }
        }, "bench-sse");
        reader.setDaemon(true);
        reader.start();
        subscribed.await();

        // One new symbol per trade: its first candle is unambiguous on the stream.
        int warmup = (int) Math.min(FRESHNESS_EVENTS / 5, FRESHNESS_RATE * WARMUP.toSeconds());
        int total = warmup + FRESHNESS_EVENTS;
        Map<String, Long> acked = new ConcurrentHashMap<>();
        AtomicLong refused = new AtomicLong();
        ScheduledExecutorService sender = Executors.newSingleThreadScheduledExecutor();
        AtomicLong next = new AtomicLong();
        CountDownLatch sent = new CountDownLatch(total);
        sender.scheduleAtFixedRate(() -> {
            long i = next.getAndIncrement();
            if (i >= total) {
                return;
            }
            String symbol = "F" + run + "-" + i;
            String body = "{\"tradeId\":\"" + symbol + "\",\"symbol\":\"" + symbol + "\",\"price\":\"100.25\","
                    + "\"quantity\":1,\"side\":\"BUY\",\"ts\":\"" + Instant.now() + "\",\"venue\":\"XNAS\"}";
            http.sendAsync(HttpRequest.newBuilder(route).timeout(Duration.ofSeconds(30))
                            .header("Authorization", "Bearer " + BEARER).header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString())
                    .whenComplete((r, e) -> {
                        if (e == null && r.statusCode() / 100 == 2) {
                            acked.put(symbol, System.nanoTime());
                        } else {
                            refused.incrementAndGet();
                        }
                        sent.countDown();
                    });
        }, 0, (long) (1e9 / FRESHNESS_RATE), TimeUnit.NANOSECONDS);
        assertThat(sent.await((long) (total / FRESHNESS_RATE) + 120, TimeUnit.SECONDS)).isTrue();
        sender.shutdownNow();
        assertThat(refused.get()).as("refused deliveries").isZero();
        await("every candle on the event stream").atMost(Duration.ofSeconds(120))
                .until(() -> arrived.keySet().containsAll(acked.keySet()));
        events.body().close();

        long[] freshness = new long[FRESHNESS_EVENTS];
        for (int i = warmup; i < total; i++) {
            String symbol = "F" + run + "-" + i;
            freshness[i - warmup] = arrived.get(symbol) - acked.get(symbol);
        }
        Arrays.sort(freshness);
        return new Freshness(FRESHNESS_EVENTS, percentile(freshness, 0.50) / 1e6, percentile(freshness, 0.99) / 1e6,
                freshness[freshness.length - 1] / 1e6);
    }

    /** The webhook source with one route writing the market app's Trade contract to its trades topic. */
    private void deployWebhook(LocalStack stack, String name, int port, String topic) throws Exception {
        Map<String, String> c = new LinkedHashMap<>();
        c.put("connector.class", "io.kaveri.connect.webhook.WebhookSourceConnector");
        c.put("tasks.max", "1");
        c.put("listener.host", "127.0.0.1");
        c.put("listener.port", Integer.toString(port));
        c.put("routes", "trades");
        c.put("key.converter", "org.apache.kafka.connect.storage.StringConverter");
        c.put("value.converter", "io.kaveri.schemas.connect.AvroConverter");
        c.put("value.converter.schema.registry.url", stack.registryUrl());
        c.put("value.converter.enhanced.avro.schema.support", "true");
        c.put("route.trades.topic", topic);
        c.put("route.trades.value.contract", "io.kaveri.schemas.market.Trade");
        c.put("route.trades.key.pointer", "/symbol");
        c.put("route.trades.dedup.pointer", "/tradeId");
        c.put("route.trades.signature.scheme", "bearer");
        c.put("route.trades.secret", BEARER);
        HttpResponse<String> created = http.send(HttpRequest.newBuilder(URI.create(stack.connectUrl() + "/connectors/"
                        + name + "/config")).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(Reply.JSON.writeValueAsString(c))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(created.statusCode()).as(created.body()).isIn(200, 201);
        URI health = URI.create("http://127.0.0.1:" + port + "/health");
        await(name + " listening").atMost(Duration.ofSeconds(120)).ignoreExceptions().until(() -> http.send(
                HttpRequest.newBuilder(health).build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200);
    }
}
