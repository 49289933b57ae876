package io.kaveri.streams.query;

import io.kaveri.schemas.games.Score;
import io.kaveri.schemas.market.Candle;
import io.kaveri.schemas.market.Side;
import io.kaveri.schemas.market.Trade;
import io.kaveri.schemas.serde.SpecificAvroSerde;
import io.kaveri.stack.LocalStack;
import io.kaveri.streams.market.MarketApp;
import io.kaveri.streams.runtime.StreamsApp;
import io.kaveri.streams.runtime.StreamsAppConfig;
import io.kaveri.streams.runtime.TopicSpec;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;

import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;

/** The apps of the ITs on the local stack: settings with their own topic names, topics created, records produced. */
final class ItApps {

    static final int PARTITIONS = 4;
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private ItApps() {
    }

    /**
     * Settings of one run of {@code app}: topics and application id suffixed with {@code run}, so runs and classes
     * never share state; hour-long candles, so that every candle of a test is still open and in the store.
     */
    static Map<String, Object> settings(LocalStack stack, StreamsApp app, String run) throws Exception {
        Map<String, Object> s = new HashMap<>();
        s.put(StreamsAppConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
        s.put(StreamsAppConfig.SCHEMA_REGISTRY_URL_CONFIG, stack.registryUrl());
        s.put(StreamsAppConfig.APPLICATION_ID_CONFIG, "kaveri-" + app.name() + "-" + run);
        s.put(StreamsAppConfig.STATE_DIR_CONFIG, Files.createTempDirectory("kaveri-query-it").toString());
        s.put(StreamsAppConfig.REPLICATION_FACTOR_CONFIG, 1);
        s.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);
        s.put(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG, 1);
        s.put(QueryConfig.LISTENER_PORT_CONFIG, 0);
        s.put(QueryConfig.LISTENER_HOST_CONFIG, "127.0.0.1");
        s.put(QueryConfig.ADVERTISED_HOST_CONFIG, "127.0.0.1");
        for (String key : StreamsAppConfig.definition(app).names()) {
            if (key.startsWith(app.name() + ".") && key.endsWith(".topic")) {
                s.put(key, StreamsAppConfig.definition(app).configKeys().get(key).defaultValue + "-" + run);
            }
        }
        s.put("market.candle.size.ms", 3_600_000L);
        return s;
    }

    /** A second instance: same app and topics, its own state directory. */
    static Map<String, Object> secondInstance(Map<String, Object> settings) throws Exception {
        Map<String, Object> s = new HashMap<>(settings);
        s.put(StreamsAppConfig.STATE_DIR_CONFIG, Files.createTempDirectory("kaveri-query-it").toString());
        return s;
    }

    /** One run of the market app for two instances: their settings, topics created, value subjects registered. */
    record MarketRun(MarketApp app, String run, Map<String, Object> settingsA, Map<String, Object> settingsB,
                     String trades) {
    }

    static MarketRun marketRun(LocalStack stack) throws Exception {
        MarketApp app = new MarketApp();
        String run = Long.toString(System.nanoTime(), 36);
        Map<String, Object> settingsA = settings(stack, app, run);
        Map<String, Object> settingsB = secondInstance(settingsA);
        createTopics(stack, app, settingsA);
        registerMarketSubjects(stack, settingsA);
        return new MarketRun(app, run, settingsA, settingsB, (String) settingsA.get("market.trades.topic"));
    }

    static void createTopics(LocalStack stack, StreamsApp app, Map<String, Object> settings)
            throws InterruptedException, ExecutionException {
        StreamsAppConfig config = StreamsAppConfig.of(app, settings);
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", stack.bootstrapServers()))) {
            for (TopicSpec t : app.topics(config)) {
                try {
                    admin.createTopics(List.of(new NewTopic(t.name(), PARTITIONS, (short) 1).configs(t.configs())))
                            .all().get();
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw e;
                    }
                }
            }
        }
    }

    /**
     * Registers the market app's value subjects one by one before two instances start. Apicurio answers 409
     * "already exists" to the loser of two concurrent first registrations of a subject, which the serializer
     * reports as incompatible, so the record goes to the dead-letter topic; registering ahead keeps that race out
     * of tests that are about queries.
     */
    static void registerMarketSubjects(LocalStack stack, Map<String, Object> settings) {
        SpecificAvroSerde<SpecificRecord> serde = new SpecificAvroSerde<>();
        serde.configure(Map.of(StreamsAppConfig.SCHEMA_REGISTRY_URL_CONFIG, stack.registryUrl()), false);
        String app = (String) settings.get(StreamsAppConfig.APPLICATION_ID_CONFIG);
        Trade trade = trade("warm-up", "WARM", "1", "1", Instant.EPOCH);
        Candle candle = Candle.newBuilder().setSymbol("WARM").setWindowStart(Instant.EPOCH).setWindowEnd(Instant.EPOCH)
                .setOpen(trade.getPrice()).setHigh(trade.getPrice()).setLow(trade.getPrice()).setClose(trade.getPrice())
                .setVolume(trade.getQuantity()).setVwap(trade.getPrice()).setTradeCount(1).setClosed(false).build();
        for (String topic : List.of(app + "-market-trades-by-symbol-repartition", app + "-late")) {
            serde.serializer().serialize(topic, trade);
        }
        for (String key : List.of("market.candles.topic", "market.candles.live.topic", "market.candles.hopping.topic")) {
            serde.serializer().serialize((String) settings.get(key), candle);
        }
    }

    static KafkaProducer<String, SpecificRecord> producer(LocalStack stack) {
        SpecificAvroSerde<SpecificRecord> serde = new SpecificAvroSerde<>();
        serde.configure(Map.of(StreamsAppConfig.SCHEMA_REGISTRY_URL_CONFIG, stack.registryUrl()), false);
        Serializer<SpecificRecord> values = serde.serializer();
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), values);
    }

    static Trade trade(String id, String symbol, String price, String quantity, Instant ts) {
        return Trade.newBuilder().setTradeId(id).setSymbol(symbol).setPrice(new BigDecimal(price).setScale(8))
                .setQuantity(new BigDecimal(quantity).setScale(8)).setSide(Side.BUY).setTs(ts).setVenue("XNAS").build();
    }

    static Score score(String game, String player, long points, Instant ts) {
        return Score.newBuilder().setGameId(game).setPlayerId(player).setScore(points).setTs(ts).build();
    }

    static void send(KafkaProducer<String, SpecificRecord> producer, String topic, String key, SpecificRecord value)
            throws Exception {
        producer.send(new ProducerRecord<>(topic, key, value)).get();
    }

    static HttpResponse<String> get(URI base, String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(15)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static Path target() {
        return Path.of(System.getProperty("kaveri.work.dir", "target/stack")).getParent();
    }
}
