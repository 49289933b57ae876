package io.kaveri.bench;

import io.kaveri.schemas.games.Score;
import io.kaveri.schemas.market.Side;
import io.kaveri.schemas.market.Trade;
import io.kaveri.schemas.payments.Payment;
import io.kaveri.schemas.sensors.SensorReading;
import io.kaveri.schemas.social.Tweet;
import io.kaveri.schemas.web.PageView;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The input of each app: synthetic but shaped like the demo's traffic, with event times advancing one second per
 * thousand events so that windows open and close during the run, as they do in production.
 */
final class Workloads {

    /** The family of an app, which the goals are stated for. */
    enum Kind { STREAM_TABLE_JOIN, WINDOWED }

    /** Sends one app's input: the table side first (not timed), then the events. */
    interface Loader {
        void load(Feeder feed, int events, Instant start);
    }

    /** One app under load: its settings on top of its defaults, and its input. */
    record Workload(String app, Kind kind, Map<String, String> settings, Loader loader) {
    }

    private static final Schema USER_ROW = SchemaBuilder.record("Value").namespace("kaveri.public.users").fields()
            .requiredLong("id").requiredString("name").optionalString("email").optionalString("country")
            .name("created_at").type(ChangeEvents.TIMESTAMP).noDefault()
            .name("updated_at").type(ChangeEvents.TIMESTAMP).noDefault()
            .endRecord();
    private static final Schema FOLLOW_ROW = SchemaBuilder.record("Value").namespace("kaveri.public.follows").fields()
            .requiredString("follower_id").requiredString("followee_id")
            .name("created_at").type(ChangeEvents.TIMESTAMP).noDefault()
            .endRecord();
    private static final List<String> COUNTRIES = List.of("FR", "DE", "ES", "IT", "NL", "BE");

    private Workloads() {
    }

    static List<Workload> all() {
        return List.of(
                // Page views keyed by user, as a webhook route with key.pointer=/userId writes views, clicks and
                // purchases; --set enrichment.pageviews.keyed.by.user=false measures the repartition by user instead.
                new Workload("enrichment", Kind.STREAM_TABLE_JOIN, Map.of("enrichment.pageviews.keyed.by.user", "true",
                        "enrichment.clicks.keyed.by.user", "true", "enrichment.purchases.keyed.by.user", "true"),
                        Workloads::enrichment),
                // The loader keys every tweet by its author, as the tweets "keyed by sender" are;
                // --set timeline.tweets.keyed.by.author=false measures the repartition by author instead.
                new Workload("timeline", Kind.STREAM_TABLE_JOIN, Map.of("timeline.tweets.keyed.by.author", "true"),
                        Workloads::timeline),
                // The loader keys every trade by its symbol, as a webhook route with key.pointer=/symbol would.
                new Workload("market", Kind.WINDOWED, Map.of("market.trades.keyed.by.symbol", "true"), Workloads::market),
                // Scores keyed by game, as a game server or a webhook route with key.pointer=/gameId writes them;
                // --set leaderboard.scores.keyed.by.game=false measures the repartition by game instead.
                new Workload("leaderboard", Kind.WINDOWED, Map.of("leaderboard.scores.keyed.by.game", "true"),
                        Workloads::leaderboard),
                // Payments keyed by card, as a producer keying by card writes them: no repartition (measure the
                // repartitioned path with --set fraud.payments.keyed.by.card=false).
                new Workload("fraud", Kind.WINDOWED, Map.of("fraud.payments.keyed.by.card", "true"), Workloads::fraud),
                new Workload("sensors", Kind.WINDOWED, Map.of(), Workloads::sensors));
    }

    private static long at(Instant start, int i) {
        return start.toEpochMilli() + i; // a thousand events per second of event time
    }

    /** Page views, keyed by user, joined with the users table, which holds one user per ten views. */
    private static void enrichment(Feeder feed, int events, Instant start) {
        ChangeEvents users = new ChangeEvents("users", USER_ROW, "id");
        int userCount = Math.max(1, events / 10);
        long created = start.toEpochMilli() - 3_600_000;
        String usersTopic = feed.topic("enrichment.users.topic");
        for (long id = 0; id < userCount; id++) {
            Map<String, Object> row = Map.of("id", id, "name", "user " + id, "email", "u" + id + "@example.com",
                    "country", COUNTRIES.get((int) (id % COUNTRIES.size())), "created_at", created, "updated_at", created);
            feed.sendGeneric(usersTopic, users.key(row), users.create(row, created), created);
        }
        Random random = new Random(1);
        String views = feed.topic("enrichment.pageviews.topic");
        for (int i = 0; i < events; i++) {
            String id = "v" + i;
            String user = Integer.toString(random.nextInt(userCount));
            feed.send(views, user, PageView.newBuilder().setViewId(id).setUserId(user)
                    .setUrl("https://shop.example/p/" + random.nextInt(1_000)).setTs(Instant.ofEpochMilli(at(start, i))).build(),
                    at(start, i));
        }
    }

    /** Tweets fanned out to their authors' followers: three follows per user on average. */
    private static void timeline(Feeder feed, int events, Instant start) {
        ChangeEvents follows = new ChangeEvents("follows", FOLLOW_ROW, "follower_id", "followee_id");
        int userCount = Math.max(2, events / 30);
        long created = start.toEpochMilli() - 3_600_000;
        Random random = new Random(2);
        String followsTopic = feed.topic("timeline.follows.topic");
        for (int i = 0; i < userCount * 3; i++) {
            Map<String, Object> row = Map.of("follower_id", "u" + random.nextInt(userCount),
                    "followee_id", "u" + random.nextInt(userCount), "created_at", created);
            feed.sendGeneric(followsTopic, follows.key(row), follows.create(row, created), created);
        }
        String tweets = feed.topic("timeline.tweets.topic");
        for (int i = 0; i < events; i++) {
            String author = "u" + random.nextInt(userCount);
            feed.send(tweets, author, Tweet.newBuilder().setTweetId("t" + i).setUserId(author).setText("tweet number " + i)
                    .setCreatedAt(Instant.ofEpochMilli(at(start, i))).build(), at(start, i));
        }
    }

    private static void market(Feeder feed, int events, Instant start) {
        Random random = new Random(3);
        String trades = feed.topic("market.trades.topic");
        for (int i = 0; i < events; i++) {
            String symbol = "SYM" + random.nextInt(100);
            feed.send(trades, symbol, Trade.newBuilder().setTradeId("t" + i).setSymbol(symbol)
                    .setPrice(BigDecimal.valueOf(1_000 + random.nextInt(100_000), 2).setScale(8))
                    .setQuantity(BigDecimal.valueOf(1 + random.nextInt(10_000), 2).setScale(8))
                    .setSide(random.nextBoolean() ? Side.BUY : Side.SELL).setVenue("XNAS")
                    .setTs(Instant.ofEpochMilli(at(start, i))).build(), at(start, i));
        }
    }

    private static void leaderboard(Feeder feed, int events, Instant start) {
        Random random = new Random(4);
        String scores = feed.topic("leaderboard.scores.topic");
        for (int i = 0; i < events; i++) {
            String game = "game-" + random.nextInt(10);
            feed.send(scores, game, Score.newBuilder().setGameId(game)
                    .setPlayerId("p" + random.nextInt(Math.max(1, events / 5))).setScore(random.nextInt(1_000_000))
                    .setTs(Instant.ofEpochMilli(at(start, i))).build(), at(start, i));
        }
    }

    private static void fraud(Feeder feed, int events, Instant start) {
        Random random = new Random(5);
        String payments = feed.topic("fraud.payments.topic");
        for (int i = 0; i < events; i++) {
            int card = random.nextInt(Math.max(1, events / 20));
            String cardId = "card-" + card;
            feed.send(payments, cardId, Payment.newBuilder().setPaymentId("pay" + i).setCardId(cardId)
                    .setMerchantId("m-" + random.nextInt(500))
                    .setAmount(BigDecimal.valueOf(100 + random.nextInt(50_000), 2).setScale(4)).setCurrency("EUR")
                    .setCountry(COUNTRIES.get(card % COUNTRIES.size())).setTs(Instant.ofEpochMilli(at(start, i))).build(),
                    at(start, i));
        }
    }

    private static void sensors(Feeder feed, int events, Instant start) {
        Random random = new Random(6);
        String readings = feed.topic("sensors.readings.topic");
        for (int i = 0; i < events; i++) {
            feed.send(readings, null, SensorReading.newBuilder().setDeviceId("device-" + random.nextInt(1_000))
                    .setMetric("temperature").setValue(20 + random.nextGaussian() * 2)
                    .setTs(Instant.ofEpochMilli(at(start, i))).build(), at(start, i));
        }
    }
}
