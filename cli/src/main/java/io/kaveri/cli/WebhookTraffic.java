package io.kaveri.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

/**
 * The demo's webhook deliveries: realistic JSON for each route of {@link WebhookDemo}, with the headers and
 * signatures the real senders put on them. Field names follow the Avro contracts the streams apps read
 * ({@code Tweet}, {@code Click}, {@code Impression}, {@code Trade}, {@code Score}), so that a route producing
 * those contracts could take the same traffic. Not thread-safe: one sender thread drives it.
 */
final class WebhookTraffic {

    /** One HTTP POST: the route's path, the exact body bytes (they are what is signed) and the request headers. */
    record Delivery(String route, byte[] body, Map<String, String> headers) {
    }

    /** Per-run secrets shared by the connector config and the senders. */
    record Secrets(String bearerToken, String stripe, String github) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> WORDS = List.of("river", "dam", "monsoon", "delta", "kallanai", "paddy", "flow",
            "kafka", "stream", "harvest", "bridge", "rain", "channel", "field", "water");
    private static final List<String> HASHTAGS = List.of("kaveri", "kafka", "streaming", "monsoon", "dataeng");
    private static final List<String> LANGS = List.of("en", "en", "en", "ta", "kn", "hi");
    private static final List<String> CAMPAIGNS = List.of("cmp-monsoon-sale", "cmp-river-cruise", "cmp-paddy-tools");
    private static final List<String> PLACEMENTS = List.of("feed", "sidebar", "search", "video-preroll");
    private static final List<String> SYMBOLS = List.of("KAVERI", "KALLANAI", "CAUVERY", "TUNGA");
    private static final List<String> GAMES = List.of("river-race", "dam-builder");
    private static final List<String> REPOS = List.of("kaveri-demo/river", "kaveri-demo/dam", "kaveri-demo/fields");
    private static final List<String> DEVELOPERS = List.of("anbu", "kavya", "ravi", "meena", "arjun");
    private static final List<String> STRIPE_EVENTS = List.of("payment_intent.succeeded", "payment_intent.succeeded",
            "charge.succeeded", "payment_intent.payment_failed", "charge.refunded");
    private static final List<String> GITHUB_EVENTS = List.of("push", "issues", "pull_request", "issue_comment");
    /** Events name the users the CDC demo seeds (ids 1 to n), so that a join with the users table finds them. */
    private static final int USERS = PostgresCdcDemo.SEED_USERS;
    private static final int RECENT_IMPRESSIONS = 64;

    private final Secrets secrets;
    private final Random random;
    private final Deque<ObjectNode> recentImpressions = new ArrayDeque<>();
    private final Map<String, BigDecimal> prices = new HashMap<>();
    private final String githubHookId;
    private int next;

    WebhookTraffic(Secrets secrets, Random random) {
        this.secrets = secrets;
        this.random = random;
        SYMBOLS.forEach(s -> prices.put(s, BigDecimal.valueOf(100 + random.nextInt(50))));
        this.githubHookId = Integer.toString(100_000_000 + random.nextInt(900_000_000));
    }

    /** The next delivery, taking the routes in turn so that each gets traffic at the same rate. */
    Delivery next(Instant now) {
        String route = WebhookDemo.ROUTES.get(next);
        next = (next + 1) % WebhookDemo.ROUTES.size();
        return switch (route) {
            case "tweets" -> bearer(route, tweet(now));
            case "clicks" -> clicks(now);
            case "impressions" -> bearer(route, impression(now));
            case "trades" -> bearer(route, trade(now));
            case "scores" -> bearer(route, score(now));
            case "payments" -> stripeEvent(now);
            case "github" -> githubEvent();
            default -> throw new IllegalStateException("no traffic for webhook route " + route);
        };
    }

    private ObjectNode tweet(Instant now) {
        ObjectNode t = JSON.createObjectNode();
        t.put("tweetId", Long.toString(1_800_000_000_000_000_000L + Math.floorMod(random.nextLong(), 100_000_000_000_000_000L)));
        t.put("userId", user());
        StringBuilder text = new StringBuilder();
        for (int i = 0, n = 4 + random.nextInt(8); i < n; i++) {
            text.append(i == 0 ? "" : " ").append(pick(WORDS));
        }
        String tag = pick(HASHTAGS);
        t.put("text", text + " #" + tag);
        t.put("lang", pick(LANGS));
        t.putArray("hashtags").add(tag);
        t.put("createdAt", now.toString());
        return t;
    }

    private ObjectNode impression(Instant now) {
        ObjectNode i = JSON.createObjectNode();
        i.put("impressionId", "imp-" + UUID.randomUUID());
        String campaign = pick(CAMPAIGNS);
        i.put("campaignId", campaign);
        i.put("adId", campaign.replace("cmp-", "ad-") + "-" + (1 + random.nextInt(3)));
        i.put("userId", user());
        i.put("placement", pick(PLACEMENTS));
        i.put("ts", now.toString());
        if (recentImpressions.size() == RECENT_IMPRESSIONS) {
            recentImpressions.removeFirst();
        }
        recentImpressions.addLast(i);
        return i;
    }

    /** A click beacon batch (NDJSON, one to three clicks), each on an impression recently shown. */
    private Delivery clicks(Instant now) {
        if (recentImpressions.isEmpty()) {
            return bearer("impressions", impression(now)); // nothing shown yet, so nothing to click
        }
        StringBuilder ndjson = new StringBuilder();
        for (int n = 1 + random.nextInt(3); n > 0; n--) {
            ObjectNode shown = randomRecentImpression();
            ObjectNode c = JSON.createObjectNode();
            c.put("clickId", "clk-" + UUID.randomUUID());
            c.put("impressionId", shown.get("impressionId").asText());
            c.put("campaignId", shown.get("campaignId").asText());
            c.put("adId", shown.get("adId").asText());
            c.put("userId", shown.get("userId").asText());
            c.put("ts", now.toString());
            ndjson.append(write(c)).append('\n');
        }
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/x-ndjson");
        return new Delivery("clicks", ndjson.toString().getBytes(StandardCharsets.UTF_8), headers);
    }

    private ObjectNode randomRecentImpression() {
        int skip = random.nextInt(recentImpressions.size());
        return recentImpressions.stream().skip(skip).findFirst().orElseThrow();
    }

    private ObjectNode trade(Instant now) {
        String symbol = pick(SYMBOLS);
        // A random walk of 0.2 % steps keeps the candles of the market app plausible.
        BigDecimal price = prices.get(symbol).multiply(BigDecimal.valueOf(1 + random.nextGaussian() * 0.002))
                .setScale(4, RoundingMode.HALF_EVEN);
        prices.put(symbol, price);
        ObjectNode t = JSON.createObjectNode();
        t.put("tradeId", "trd-" + UUID.randomUUID());
        t.put("symbol", symbol);
        t.put("price", price);
        t.put("quantity", BigDecimal.valueOf(1 + random.nextInt(100)));
        t.put("side", random.nextBoolean() ? "BUY" : "SELL");
        t.put("ts", now.toString());
        t.put("venue", "WEBHOOK");
        return t;
    }

    private ObjectNode score(Instant now) {
        ObjectNode s = JSON.createObjectNode();
        s.put("gameId", pick(GAMES));
        s.put("playerId", "player-" + random.nextInt(25));
        s.put("score", random.nextInt(10_000));
        s.put("ts", now.toString());
        return s;
    }

    /** A Stripe event as Stripe POSTs it: {@code evt_} id, type, {@code data.object} of a payment intent or charge. */
    private Delivery stripeEvent(Instant now) {
        String type = pick(STRIPE_EVENTS);
        boolean charge = type.startsWith("charge.");
        ObjectNode event = JSON.createObjectNode();
        event.put("id", "evt_" + token(24));
        event.put("object", "event");
        event.put("api_version", "2024-06-20");
        event.put("created", now.getEpochSecond());
        event.put("type", type);
        event.put("livemode", false);
        event.put("pending_webhooks", 1);
        ObjectNode object = event.putObject("data").putObject("object");
        object.put("id", (charge ? "ch_" : "pi_") + token(24));
        object.put("object", charge ? "charge" : "payment_intent");
        object.put("amount", 500 + random.nextInt(50_000));
        object.put("currency", random.nextInt(4) == 0 ? "usd" : "inr");
        object.put("customer", "cus_" + String.format(Locale.ROOT, "%014d", random.nextInt(USERS)));
        object.put("status", type.endsWith("failed") ? "requires_payment_method" : "succeeded");
        object.put("created", now.getEpochSecond());
        byte[] body = write(event).getBytes(StandardCharsets.UTF_8);
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/json; charset=utf-8");
        headers.put("User-Agent", "Stripe/1.0 (+https://stripe.com/docs/webhooks)");
        headers.put(WebhookSigning.STRIPE_HEADER, WebhookSigning.stripe(secrets.stripe(), now.getEpochSecond(), body));
        return new Delivery("payments", body, headers);
    }

    /** A GitHub delivery: event name and delivery id in headers, the repository and sender in the body. */
    private Delivery githubEvent() {
        String event = pick(GITHUB_EVENTS);
        String repo = pick(REPOS);
        String sender = pick(DEVELOPERS);
        ObjectNode body = JSON.createObjectNode();
        switch (event) {
            case "push" -> {
                body.put("ref", "refs/heads/main");
                body.put("before", token(40).toLowerCase(Locale.ROOT));
                body.put("after", token(40).toLowerCase(Locale.ROOT));
                body.putArray("commits").addObject().put("message", pick(WORDS) + " " + pick(WORDS))
                        .putObject("author").put("username", sender);
            }
            case "issues", "pull_request" -> {
                body.put("action", random.nextBoolean() ? "opened" : "closed");
                body.putObject(event.equals("issues") ? "issue" : "pull_request")
                        .put("number", 1 + random.nextInt(500)).put("title", pick(WORDS) + " " + pick(WORDS));
            }
            default -> {
                body.put("action", "created");
                body.putObject("issue").put("number", 1 + random.nextInt(500));
                body.putObject("comment").put("body", "LGTM, " + pick(WORDS));
            }
        }
        body.putObject("repository").put("full_name", repo).put("name", repo.substring(repo.indexOf('/') + 1))
                .put("private", false);
        body.putObject("sender").put("login", sender).put("type", "User");
        byte[] bytes = write(body).getBytes(StandardCharsets.UTF_8);
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/json");
        headers.put("User-Agent", "GitHub-Hookshot/kaveri-demo");
        headers.put("X-GitHub-Event", event);
        headers.put("X-GitHub-Delivery", UUID.randomUUID().toString());
        headers.put("X-GitHub-Hook-ID", githubHookId);
        headers.put(WebhookSigning.GITHUB_HEADER, WebhookSigning.github(secrets.github(), bytes));
        return new Delivery("github", bytes, headers);
    }

    private Delivery bearer(String route, ObjectNode body) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/json");
        headers.put("Authorization", "Bearer " + secrets.bearerToken());
        return new Delivery(route, write(body).getBytes(StandardCharsets.UTF_8), headers);
    }

    private String user() {
        return Integer.toString(1 + random.nextInt(USERS));
    }

    private <T> T pick(List<T> values) {
        return values.get(random.nextInt(values.size()));
    }

    private String token(int length) {
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        StringBuilder b = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            b.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return b.toString();
    }

    private static String write(ObjectNode node) {
        try {
            return JSON.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write demo JSON", e); // a tree of plain values always writes
        }
    }
}
