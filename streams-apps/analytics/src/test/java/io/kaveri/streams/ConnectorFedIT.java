package io.kaveri.streams;

import io.kaveri.schemas.ads.CampaignCtr;
import io.kaveri.schemas.ads.Click;
import io.kaveri.schemas.ads.Impression;
import io.kaveri.schemas.games.Neighbour;
import io.kaveri.schemas.games.RelativeRank;
import io.kaveri.schemas.games.Score;
import io.kaveri.schemas.market.Candle;
import io.kaveri.schemas.market.Trade;
import io.kaveri.schemas.social.TimelineEntry;
import io.kaveri.schemas.social.Tweet;
import io.kaveri.schemas.web.EnrichedPageView;
import io.kaveri.schemas.web.PageView;
import io.kaveri.stack.LocalStack;
import io.kaveri.stack.LocalStack.Part;
import io.kaveri.stack.PostgresServer;
import io.kaveri.streams.enrichment.EnrichmentApp;
import io.kaveri.streams.leaderboard.LeaderboardApp;
import io.kaveri.streams.leaderboard.LeaderboardQueries;
import io.kaveri.streams.market.MarketApp;
import io.kaveri.streams.timeline.TimelineApp;
import io.kaveri.test.CdcConnectorConfig;
import io.kaveri.test.ConnectClient;
import io.kaveri.test.KaveriStack;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.streams.StoreQueryParameters;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

/**
 * Apps fed only by Kaveri's connectors, as a deployment runs them: rows (follows, users) come from PostgreSQL
 * through the CDC connector; tweets, trades, page views, ad impressions and clicks, and game scores are POSTed to
 * the webhook connector, whose routes write the apps' own contracts into their input topics.
 */
@KaveriStack({Part.KAFKA, Part.REGISTRY, Part.CONNECT, Part.POSTGRES})
class ConnectorFedIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(120);

    private final String run = "fed" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
    private final String cdc = "cdc-" + run;
    private final String webhooks = "webhooks-" + run;
    private final String token = "tok-" + run;
    private ConnectClient connect;

    @BeforeEach
    void connectTo(LocalStack stack) {
        connect = ConnectClient.of(stack);
    }

    /** The connectors of the test go with it (the worker is shared by every IT class); 404 for one it did not make. */
    @AfterEach
    void removeConnectors() {
        connect.delete(cdc);
        connect.delete(webhooks);
    }

    @Test
    void aFollowInsertedInPostgresAndATweetPostedToTheWebhookMakeATimelineEntry(LocalStack stack) throws Exception {
        PostgresServer pg = stack.postgres();
        sql(pg, "CREATE SCHEMA " + run,
                "CREATE TABLE " + run + ".follows (follower_id text NOT NULL, followee_id text NOT NULL, "
                        + "created_at timestamptz NOT NULL DEFAULT now(), PRIMARY KEY (follower_id, followee_id))",
                // An unfollow must carry when the follow began: the app reads it from the before image.
                "ALTER TABLE " + run + ".follows REPLICA IDENTITY FULL");
        String followsTopic = run + "." + run + ".follows";
        try (RunningApp app = RunningApp.start(stack, new TimelineApp(), Map.of(
                TimelineApp.FOLLOWS_TOPIC_CONFIG, followsTopic, TimelineApp.GRACE_MS_CONFIG, "1000"))) {
            connect.deploy(cdc, cdcConfig(stack, run + "\\.follows"));
            WebhookFeed feed = new WebhookFeed(token)
                    .route("tweets", app.topic(TimelineApp.TWEETS_TOPIC_CONFIG), Tweet.class, "/userId");
            connect.deploy(webhooks, feed.config(stack));

            commitAndAwait(pg, app, followsTopic, 1,
                    "INSERT INTO " + run + ".follows (follower_id, followee_id) VALUES ('alice', 'bob')");

            Instant now = Instant.now();
            feed.post("tweets", tweet("t-" + run, "bob", now));
            // A later tweet of someone else moves stream time past the first one's grace.
            feed.post("tweets", tweet("tick-" + run, "carol", now.plusSeconds(5)));

            List<ConsumerRecord<String, TimelineEntry>> out = readUntil(app, app.topic(TimelineApp.TIMELINE_TOPIC_CONFIG),
                    "a timeline entry", records -> !records.isEmpty());
            assertThat(out).singleElement().satisfies(r -> {
                assertThat(r.key()).isEqualTo("alice");
                assertThat(r.value().getTweetId()).isEqualTo("t-" + run);
                assertThat(r.value().getAuthorId()).isEqualTo("bob");
            });
        }
    }

    @Test
    void tradesPostedToTheWebhookMakeTheLiveCandle(LocalStack stack) throws Exception {
        try (RunningApp app = RunningApp.start(stack, new MarketApp(), Map.of())) {
            WebhookFeed feed = new WebhookFeed(token).route("trades", app.topic("market.trades.topic"), Trade.class, "/symbol");
            connect.deploy(webhooks, feed.config(stack));
            String symbol = "FED" + run.substring(3, 7).toUpperCase(Locale.ROOT);
            Instant minute = Instant.now().truncatedTo(ChronoUnit.MINUTES);
            String[][] trades = {{"10.5", "2"}, {"12.25", "1"}, {"9.75", "4"}};
            for (int i = 0; i < trades.length; i++) {
                feed.post("trades", Map.of("tradeId", run + "-" + i, "symbol", symbol, "price", trades[i][0],
                        "quantity", trades[i][1], "side", "BUY", "ts", minute.plusMillis(i).toString(), "venue", "WEBHOOK"));
            }
            Predicate<Candle> allThree = c -> c.getSymbol().equals(symbol) && c.getTradeCount() == 3;
            List<ConsumerRecord<String, Candle>> live = readUntil(app, app.topic("market.candles.live.topic"),
                    "the live candle of " + symbol + " with all three trades",
                    records -> records.stream().map(ConsumerRecord::value).anyMatch(allThree));
            Candle candle = live.stream().map(ConsumerRecord::value).filter(allThree).findFirst().orElseThrow();
            assertThat(candle.getOpen()).isEqualByComparingTo(new BigDecimal("10.5"));
            assertThat(candle.getHigh()).isEqualByComparingTo(new BigDecimal("12.25"));
            assertThat(candle.getLow()).isEqualByComparingTo(new BigDecimal("9.75"));
            assertThat(candle.getClose()).isEqualByComparingTo(new BigDecimal("9.75"));
            assertThat(candle.getVolume()).isEqualByComparingTo(new BigDecimal("7"));
        }
    }

    /**
     * Enrichment: a user inserted, then updated, in PostgreSQL; page views posted before and after the update get
     * the row as it was at their time. Two impressions and a click on one of them (plus a click on an impression
     * never shown) make a click-through rate of one in two.
     */
    @Test
    void usersFromPostgresEnrichPostedViewsAndPostedClicksJoinTheirImpressions(LocalStack stack) throws Exception {
        PostgresServer pg = stack.postgres();
        sql(pg, "CREATE SCHEMA " + run,
                "CREATE TABLE " + run + ".users (id bigint PRIMARY KEY, name text NOT NULL, country text, "
                        + "created_at timestamptz NOT NULL DEFAULT now(), updated_at timestamptz NOT NULL DEFAULT now())");
        String usersTopic = run + "." + run + ".users";
        try (RunningApp app = RunningApp.start(stack, new EnrichmentApp(), Map.of(
                EnrichmentApp.USERS_TOPIC_CONFIG, usersTopic, EnrichmentApp.VIEWS_GRACE_MS_CONFIG, "1000"))) {
            connect.deploy(cdc, cdcConfig(stack, run + "\\.users"));
            WebhookFeed feed = new WebhookFeed(token)
                    .route("pageviews", app.topic(EnrichmentApp.PAGEVIEWS_TOPIC_CONFIG), PageView.class, "/userId")
                    .route("impressions", app.topic(EnrichmentApp.IMPRESSIONS_TOPIC_CONFIG), Impression.class, "/userId")
                    .route("clicks", app.topic(EnrichmentApp.CLICKS_TOPIC_CONFIG), Click.class, "/userId");
            connect.deploy(webhooks, feed.config(stack));

            commitAndAwait(pg, app, usersTopic, 1, "INSERT INTO " + run + ".users (id, name, country) VALUES (42, 'Ann', 'DE')");
            // After the insert's commit; the tick of another user moves the views' stream time past the view's grace.
            Instant before = Instant.now();
            feed.post("pageviews", view("before-" + run, "42", before));
            feed.post("pageviews", view("tick1-" + run, "nobody", before.plusSeconds(5)));

            commitAndAwait(pg, app, usersTopic, 2,
                    "UPDATE " + run + ".users SET name = 'Ann B', country = 'IN', updated_at = now() WHERE id = 42");
            // After the update's commit and after the first tick, so that views arrive in event-time order.
            Instant after = latest(Instant.now(), before.plusSeconds(6));
            feed.post("pageviews", view("after-" + run, "42", after));
            feed.post("pageviews", view("tick2-" + run, "nobody", after.plusSeconds(5)));

            String campaign = "camp-" + run;
            Instant minute = Instant.now().truncatedTo(ChronoUnit.MINUTES);
            List<String> shown = List.of("imp1-" + run, "imp2-" + run);
            for (int i = 0; i < shown.size(); i++) {
                feed.post("impressions", Map.of("impressionId", shown.get(i), "campaignId", campaign, "adId", "ad-1",
                        "userId", "42", "ts", minute.plusMillis(i + 1).toString()));
            }
            List<String> clickedImpressions = List.of(shown.get(0), "never-shown-" + run);
            for (int i = 0; i < clickedImpressions.size(); i++) {
                feed.post("clicks", Map.of("clickId", "click" + i + "-" + run, "impressionId", clickedImpressions.get(i),
                        "campaignId", campaign, "adId", "ad-1", "userId", "42", "ts", minute.plusSeconds(1 + i).toString()));
            }
            long expectedClicks = clickedImpressions.stream().filter(shown::contains).count();

            List<ConsumerRecord<String, EnrichedPageView>> enriched = readUntil(app,
                    app.topic(EnrichmentApp.ENRICHED_TOPIC_CONFIG), "both views of user 42 enriched",
                    records -> viewed(records, "before-" + run) != null && viewed(records, "after-" + run) != null);
            EnrichedPageView first = viewed(enriched, "before-" + run);
            assertThat(first.getUserId()).isEqualTo("42");
            assertThat(first.getUser()).as("the user row at the first view").isNotNull();
            assertThat(first.getUser().getName()).isEqualTo("Ann");
            assertThat(first.getUser().getCountry()).isEqualTo("DE");
            EnrichedPageView second = viewed(enriched, "after-" + run);
            assertThat(second.getUser()).as("the user row at the second view").isNotNull();
            assertThat(second.getUser().getName()).isEqualTo("Ann B");
            assertThat(second.getUser().getCountry()).isEqualTo("IN");
            assertThat(enriched).filteredOn(r -> r.value().getViewId().equals("before-" + run)).hasSize(1);

            List<ConsumerRecord<String, CampaignCtr>> ctr = readUntil(app, app.topic(EnrichmentApp.CTR_TOPIC_CONFIG),
                    "the CTR of " + campaign + " with every impression and click", records -> {
                        CampaignCtr last = lastOf(records, campaign);
                        return last != null && last.getImpressions() == shown.size() && last.getClicks() == expectedClicks;
                    });
            CampaignCtr rate = lastOf(ctr, campaign);
            assertThat(rate.getWindowStart()).isEqualTo(minute);
            assertThat(rate.getCtr()).isCloseTo((double) expectedClicks / shown.size(), within(1e-9));
            assertThat(ctr).filteredOn(r -> r.key().equals(campaign))
                    .allSatisfy(r -> assertThat(r.value().getClicks()).isLessThanOrEqualTo(expectedClicks));
        }
    }

    /** Leaderboard: scores posted to the webhook rank players by their best score, as the posted scores imply. */
    @Test
    void scoresPostedToTheWebhookRankPlayersByTheirBestScore(LocalStack stack) throws Exception {
        try (RunningApp app = RunningApp.start(stack, new LeaderboardApp(), Map.of())) {
            WebhookFeed feed = new WebhookFeed(token)
                    .route("scores", app.topic("leaderboard.scores.topic"), Score.class, "/playerId");
            connect.deploy(webhooks, feed.config(stack));
            String game = "game-" + run;
            Object[][] scores = {{"ann", 120L}, {"bob", 90L}, {"cid", 150L}, {"ann", 80L}, {"dev", 60L}, {"bob", 130L},
                {"eve", 10L}, {"cid", 40L}};
            Instant t0 = Instant.now();
            Map<String, Long> best = new HashMap<>();
            for (int i = 0; i < scores.length; i++) {
                String player = (String) scores[i][0];
                long score = (Long) scores[i][1];
                feed.post("scores", Map.of("gameId", game, "playerId", player, "score", score,
                        "ts", t0.plusMillis(i).toString()));
                best.merge(player, score, Math::max);
            }
            // Best scores are distinct here, so the order needs no tie rule.
            List<String> standings = best.keySet().stream()
                    .sorted(Comparator.comparing((String p) -> best.get(p)).reversed()).toList();
            int k = 3;
            List<String> expectedTop = new ArrayList<>();
            for (int i = 0; i < k; i++) {
                expectedTop.add(standings.get(i) + " #" + (i + 1) + " " + best.get(standings.get(i)));
            }

            await("the leaderboard of " + game + " with every posted score").atMost(TIMEOUT).ignoreExceptions()
                    .untilAsserted(() -> {
                        LeaderboardQueries.Rankings rankings = rankings(app);
                        assertThat(rankings.top(game, k)).extracting(n -> n.getPlayerId() + " #" + n.getRank() + " " + n.getScore())
                                .containsExactlyElementsOf(expectedTop);
                        assertThat(rankings.games()).containsEntry(game, best.size());
                    });
            String asked = standings.get(2);
            RelativeRank rank = LeaderboardQueries.relative(rankings(app), game, asked, 1).orElseThrow();
            assertThat(rank.getRank()).isEqualTo(3);
            assertThat(rank.getScore()).isEqualTo(best.get(asked));
            assertThat(rank.getTotalPlayers()).isEqualTo(best.size());
            assertThat(rank.getApproximate()).isFalse();
            assertThat(rank.getAbove()).extracting(Neighbour::getPlayerId).containsExactly(standings.get(1));
            assertThat(rank.getBelow()).extracting(Neighbour::getPlayerId).containsExactly(standings.get(3));
        }
    }

    private static LeaderboardQueries.Rankings rankings(RunningApp app) {
        return app.streams().store(StoreQueryParameters.fromNameAndType(LeaderboardQueries.STORE, LeaderboardQueries.storeType()));
    }

    private Map<String, String> cdcConfig(LocalStack stack, String tableRegex) {
        return CdcConnectorConfig.forStack(stack, run, tableRegex).avro(stack.registryUrl()).build();
    }

    private static void sql(PostgresServer pg, String... statements) throws Exception {
        try (Connection db = DriverManager.getConnection(pg.jdbcUrl(), pg.user(), pg.password()); Statement st = db.createStatement()) {
            for (String statement : statements) {
                st.execute(statement);
            }
        }
    }

    /** Commits {@code statement}, then waits until the CDC topic holds {@code n} records in all (read as bytes). */
    private static void commitAndAwait(PostgresServer pg, RunningApp app, String topic, int n, String statement) throws Exception {
        sql(pg, statement);
        List<byte[]> seen = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = app.consumer(topic, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            await(n + " CDC records in " + topic).atMost(TIMEOUT).until(() -> RunningApp.poll(consumer, seen).size() >= n);
        }
    }

    /** Reads {@code topic} from its beginning until {@code done} holds for what was read. */
    private static <T extends SpecificRecord> List<ConsumerRecord<String, T>> readUntil(
            RunningApp app, String topic, String what, Predicate<List<ConsumerRecord<String, T>>> done) {
        List<ConsumerRecord<String, T>> out = new ArrayList<>();
        try (KafkaConsumer<String, T> consumer = app.reader(topic)) {
            await(what).atMost(TIMEOUT).until(() -> done.test(RunningApp.pollRecords(consumer, out)));
        }
        return out;
    }

    private static EnrichedPageView viewed(List<ConsumerRecord<String, EnrichedPageView>> records, String viewId) {
        return records.stream().map(ConsumerRecord::value).filter(v -> v.getViewId().equals(viewId)).findFirst().orElse(null);
    }

    private static CampaignCtr lastOf(List<ConsumerRecord<String, CampaignCtr>> records, String campaign) {
        CampaignCtr last = null;
        for (ConsumerRecord<String, CampaignCtr> r : records) {
            if (r.key().equals(campaign)) {
                last = r.value();
            }
        }
        return last;
    }

    private static Instant latest(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }

    private static Map<String, Object> tweet(String id, String userId, Instant createdAt) {
        return Map.of("tweetId", id, "userId", userId, "text", "hello from " + userId, "lang", "en",
                "hashtags", List.of(), "createdAt", createdAt.toString());
    }

    private static Map<String, Object> view(String id, String userId, Instant ts) {
        return Map.of("viewId", id, "userId", userId, "url", "https://shop.example/" + id, "ts", ts.toString());
    }
}
