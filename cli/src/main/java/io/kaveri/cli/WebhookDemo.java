package io.kaveri.cli;

import io.kaveri.stack.FreePorts;
import io.kaveri.stack.LocalStack;
import io.kaveri.streams.runtime.StreamsAppConfig;
import io.kaveri.streams.runtime.StreamsApps;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The webhook source connector in the demo: one connector with a route per kind of pushed event, deployed through
 * the Connect REST API with Avro values, and a sender that POSTs signed deliveries to it a few times a second.
 *
 * <p>Routes whose events are an app's input ({@link #APP_INPUTS}: tweets, impressions, clicks, trades, scores) write
 * that app's Avro contract into the app's input topic ({@code route.<name>.value.contract}), so pushed events drive
 * the apps and the dashboard; an event that does not fit its contract is answered 400 and kept in the dead-letter
 * topic. The others (Stripe payments, GitHub) write {@code WebhookEvent} envelopes to {@code webhook-<route>}: their
 * bodies are the providers' own, not an app's contract.
 */
final class WebhookDemo implements DemoPart {

    /** The routes, in the order the sender takes them: an ad is shown (impressions) before it can be clicked. */
    static final List<String> ROUTES = List.of("tweets", "impressions", "clicks", "trades", "scores", "payments", "github");
    static final String CONNECTOR_CLASS = "io.kaveri.connect.webhook.WebhookSourceConnector";
    static final String AVRO_CONVERTER = "io.kaveri.schemas.connect.AvroConverter";

    /** A route that feeds a streams app: the app, its setting naming the input topic, and the contract it reads. */
    record AppInput(String app, String topicKey, String contract) {
    }

    static final Map<String, AppInput> APP_INPUTS = Map.of(
            "tweets", new AppInput("timeline", "timeline.tweets.topic", "io.kaveri.schemas.social.Tweet"),
            "impressions", new AppInput("enrichment", "enrichment.impressions.topic", "io.kaveri.schemas.ads.Impression"),
            "clicks", new AppInput("enrichment", "enrichment.clicks.topic", "io.kaveri.schemas.ads.Click"),
            "trades", new AppInput("market", "market.trades.topic", "io.kaveri.schemas.market.Trade"),
            "scores", new AppInput("leaderboard", "leaderboard.scores.topic", "io.kaveri.schemas.games.Score"));

    private static final Logger log = LoggerFactory.getLogger(WebhookDemo.class);
    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
    private static final Duration SEND_TIMEOUT = Duration.ofSeconds(15);
    private static final int MAX_LOGGED_BODY = 200;

    private final String connectorName;
    private final String topicPrefix;
    private final Duration interval;
    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private ConnectRest connect;
    private HttpClient http;
    private ScheduledExecutorService sender;
    private String baseUrl;
    private Map<String, String> routeTopics = Map.of();

    /** The demo's connector: topics {@code webhook-<route>}, one delivery every 200 ms (5/s). */
    WebhookDemo() {
        this("kaveri-webhooks", "", Duration.ofMillis(200));
    }

    /** @param topicPrefix put before every topic name, so that a test run has topics of its own */
    WebhookDemo(String connectorName, String topicPrefix, Duration interval) {
        this.connectorName = connectorName;
        this.topicPrefix = topicPrefix;
        this.interval = interval;
    }

    @Override
    public String name() {
        return "webhook-source";
    }

    @Override
    public Set<LocalStack.Part> needs() {
        return EnumSet.of(LocalStack.Part.CONNECT, LocalStack.Part.REGISTRY);
    }

    static String topic(String topicPrefix, String route) {
        return topicPrefix + "webhook-" + route;
    }

    /**
     * The input topic of each app-fed route whose app is on the classpath, as the demo configures the app; routes
     * of absent apps keep their {@code webhook-<route>} envelope topic.
     */
    static Map<String, String> appTopics(LocalStack stack) {
        Map<String, String> topics = new LinkedHashMap<>();
        APP_INPUTS.forEach((route, input) -> StreamsApps.named(input.app()).ifPresent(app -> topics.put(route,
                StreamsAppConfig.of(app, StreamsAppsDemo.baseConfig(stack)).getString(input.topicKey()))));
        return topics;
    }

    /**
     * The connector's config: every route, its topic, how it authenticates and keys its events.
     *
     * @param appTopics route to the input topic of the app it feeds (see {@link #appTopics}), before topicPrefix
     */
    static Map<String, String> connectorConfig(int port, String registryUrl, String topicPrefix, WebhookTraffic.Secrets secrets,
                                               Map<String, String> appTopics) {
        Map<String, String> c = new LinkedHashMap<>();
        c.put("connector.class", CONNECTOR_CLASS);
        c.put("tasks.max", "1"); // one listener port for every route: senders need to know only one URL
        c.put("listener.host", "127.0.0.1");
        c.put("listener.port", Integer.toString(port));
        c.put("routes", String.join(",", ROUTES));
        c.put("key.converter", "org.apache.kafka.connect.storage.StringConverter");
        c.put("value.converter", AVRO_CONVERTER);
        c.put("value.converter.schema.registry.url", registryUrl);
        // Keeps enums Avro enums, as the contracts have them (the envelope's signature scheme, a trade's side).
        c.put("value.converter.enhanced.avro.schema.support", "true");
        String deadLetters = topic(topicPrefix, "dead-letters");
        for (String route : ROUTES) {
            String appTopic = appTopics.get(route);
            c.put("route." + route + ".topic", appTopic == null ? topic(topicPrefix, route) : topicPrefix + appTopic);
            if (appTopic != null) {
                c.put("route." + route + ".value.contract", APP_INPUTS.get(route).contract());
            }
            c.put("route." + route + ".dead.letter.topic", deadLetters);
        }
        // Producers of our own (an app backend, an ad server, a trading gateway, a game server) hold a bearer token.
        for (String route : List.of("tweets", "impressions", "trades", "scores")) {
            c.put("route." + route + ".signature.scheme", "bearer");
            c.put("route." + route + ".secret", secrets.bearerToken());
        }
        c.put("route.tweets.key.pointer", "/userId");
        c.put("route.tweets.dedup.pointer", "/tweetId");
        c.put("route.impressions.key.pointer", "/userId");
        c.put("route.impressions.dedup.pointer", "/impressionId");
        c.put("route.trades.key.pointer", "/symbol");
        c.put("route.trades.dedup.pointer", "/tradeId");
        c.put("route.scores.key.pointer", "/playerId");
        // Browser beacons cannot sign or set headers; they batch clicks as NDJSON and are the first to shed under load.
        c.put("route.clicks.content", "ndjson");
        c.put("route.clicks.key.pointer", "/userId");
        c.put("route.clicks.backpressure", "drop");
        c.put("route.payments.signature.scheme", "stripe");
        c.put("route.payments.secret", secrets.stripe());
        c.put("route.payments.key.pointer", "/data/object/customer");
        c.put("route.github.signature.scheme", "github");
        c.put("route.github.secret", secrets.github());
        c.put("route.github.key.pointer", "/repository/full_name");
        c.put("route.github.headers.allow", "X-GitHub-Event,X-GitHub-Hook-ID");
        return c;
    }

    static WebhookTraffic.Secrets newSecrets(Random random) {
        return new WebhookTraffic.Secrets(hex(random, 16), "whsec_" + hex(random, 24), hex(random, 20));
    }

    @Override
    public List<String> start(LocalStack stack) throws Exception {
        SecureRandom secureRandom = new SecureRandom();
        WebhookTraffic.Secrets secrets = newSecrets(secureRandom);
        try {
            int port = FreePorts.pick();
            baseUrl = "http://127.0.0.1:" + port;
            connect = new ConnectRest(stack.connectUrl());
            Map<String, String> config = connectorConfig(port, stack.registryUrl(), topicPrefix, secrets, appTopics(stack));
            Map<String, String> topics = new LinkedHashMap<>();
            ROUTES.forEach(route -> topics.put(route, config.get("route." + route + ".topic")));
            routeTopics = Map.copyOf(topics);
            connect.putConfig(connectorName, config);
            connect.awaitRunning(connectorName, START_TIMEOUT);
            http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
            awaitListening(port);
            log.info("webhook demo connector={} listening={} routes={}", connectorName, baseUrl, ROUTES);

            WebhookTraffic traffic = new WebhookTraffic(secrets, new Random(secureRandom.nextLong()));
            sender = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "kaveri-demo-webhook-traffic"));
            // Fixed delay, not rate: a sender waiting for a slow acknowledgement sends less instead of piling up requests.
            sender.scheduleWithFixedDelay(() -> send(traffic.next(Instant.now())), 0, interval.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            close(); // what was started so far; UpCommand only stops parts whose start returned
            throw e;
        }
        return List.of("webhooks=" + baseUrl + "/{" + String.join(",", ROUTES) + "}",
                "topics=" + String.join(",", topics(routeTopics)),
                String.format(Locale.ROOT, "traffic=%.0f/s (payments Stripe-signed, github GitHub-signed)",
                        1000.0 / interval.toMillis()));
    }

    private void send(WebhookTraffic.Delivery delivery) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + "/" + delivery.route()))
                .timeout(SEND_TIMEOUT).POST(HttpRequest.BodyPublishers.ofByteArray(delivery.body()));
        delivery.headers().forEach(request::header);
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() / 100 == 2) {
                if (accepted.incrementAndGet() == 1) {
                    log.info("webhook demo first delivery accepted route={} status={}", delivery.route(), response.statusCode());
                }
            } else {
                refused.incrementAndGet();
                String body = response.body();
                log.warn("webhook demo delivery refused route={} status={} reason={} retry_after={}", delivery.route(),
                        response.statusCode(), body.length() > MAX_LOGGED_BODY ? body.substring(0, MAX_LOGGED_BODY) : body,
                        response.headers().firstValue("Retry-After").orElse(""));
            }
        } catch (IOException e) {
            refused.incrementAndGet();
            log.warn("webhook demo delivery failed route={} error={}", delivery.route(), e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // close() is stopping the sender
        } catch (RuntimeException e) {
            // An exception would silently cancel the schedule: log it and keep sending.
            refused.incrementAndGet();
            log.warn("webhook demo delivery error route={} error={}", delivery.route(), e.toString());
        }
    }

    /** The task is RUNNING before its listener is bound; the health path answers once requests are accepted. */
    private void awaitListening(int port) throws InterruptedException {
        URI health = URI.create("http://127.0.0.1:" + port + "/health");
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                if (http.send(HttpRequest.newBuilder(health).timeout(Duration.ofSeconds(5)).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // connection refused until the listener is bound
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("connector " + connectorName + ": nothing answers " + health + " within "
                + START_TIMEOUT.toSeconds() + " s; see connect.log in the work directory");
    }

    /** Where each route writes, once started. */
    Map<String, String> routeTopics() {
        return routeTopics;
    }

    private static List<String> topics(Map<String, String> routeTopics) {
        return ROUTES.stream().map(route -> route + "->" + routeTopics.get(route)).toList();
    }

    /** Deliveries answered 2xx so far. */
    long accepted() {
        return accepted.get();
    }

    /** Deliveries answered otherwise, or not at all, so far. */
    long refused() {
        return refused.get();
    }

    @Override
    public void close() throws InterruptedException {
        if (sender != null) {
            sender.shutdownNow();
            if (!sender.awaitTermination(SEND_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                log.warn("webhook demo sender did not stop within {} s", SEND_TIMEOUT.toSeconds());
            }
        }
        if (http != null) {
            ConnectRest.closeQuietly(http);
        }
        if (connect != null) {
            connect.removeOnStop(connectorName);
            connect.close();
        }
        log.info("webhook demo stopped connector={} accepted={} refused={}", connectorName, accepted.get(), refused.get());
    }

    private static String hex(Random random, int bytes) {
        byte[] b = new byte[bytes];
        random.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }
}
