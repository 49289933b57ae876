package io.kaveri.cli;

import io.kaveri.schemas.games.Score;
import io.kaveri.schemas.market.Side;
import io.kaveri.schemas.market.Trade;
import io.kaveri.schemas.serde.KaveriAvroSerializer;
import io.kaveri.stack.LocalStack;
import io.kaveri.streams.runtime.StreamsApp;
import io.kaveri.streams.runtime.StreamsAppConfig;
import io.kaveri.streams.runtime.StreamsApps;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Demo traffic for the streams apps: trades of a few symbols on a random walk, scores of two games. Topics are
 * read from each app's configuration, so the traffic follows the apps' defaults.
 */
final class SampleTraffic implements DemoPart {

    private static final Logger log = LoggerFactory.getLogger(SampleTraffic.class);
    private static final List<String> SYMBOLS = List.of("KAVERI", "KALLANAI", "CAUVERY", "TUNGA");
    private static final List<String> GAMES = List.of("river-race", "dam-builder");
    private static final long TICK_MS = 200;

    private final Random random = new Random(42);
    private final Map<String, BigDecimal> prices = new HashMap<>();
    private ScheduledExecutorService scheduler;
    private KafkaProducer<String, Object> producer;

    @Override
    public String name() {
        return "traffic";
    }

    @Override
    public Set<LocalStack.Part> needs() {
        return EnumSet.of(LocalStack.Part.KAFKA, LocalStack.Part.REGISTRY);
    }

    @Override
    public List<String> start(LocalStack stack) {
        Optional<String> tradesTopic = topicOf(stack, "market", "market.trades.topic");
        Optional<String> scoresTopic = topicOf(stack, "leaderboard", "leaderboard.scores.topic");
        KaveriAvroSerializer values = new KaveriAvroSerializer();
        values.configure(Map.of("schema.registry.url", stack.registryUrl()), false);
        producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers(),
                ProducerConfig.LINGER_MS_CONFIG, 20), new StringSerializer(), values);
        SYMBOLS.forEach(s -> prices.put(s, BigDecimal.valueOf(100 + random.nextInt(50))));
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "kaveri-demo-traffic"));
        scheduler.scheduleAtFixedRate(() -> {
            try {
                tradesTopic.ifPresent(this::sendTrade);
                scoresTopic.ifPresent(this::sendScore);
            } catch (RuntimeException e) {
                log.warn("demo traffic error={}", e.toString());
            }
        }, 0, TICK_MS, TimeUnit.MILLISECONDS);
        return List.of("every " + TICK_MS + " ms:" + tradesTopic.map(t -> " trades->" + t).orElse("")
                + scoresTopic.map(t -> " scores->" + t).orElse(""));
    }

    private static Optional<String> topicOf(LocalStack stack, String appName, String key) {
        Optional<StreamsApp> app = StreamsApps.named(appName);
        return app.map(a -> StreamsAppConfig.of(a, StreamsAppsDemo.baseConfig(stack)).getString(key));
    }

    private void sendTrade(String topic) {
        String symbol = SYMBOLS.get(random.nextInt(SYMBOLS.size()));
        BigDecimal price = prices.get(symbol).multiply(BigDecimal.valueOf(1 + (random.nextGaussian() * 0.002)))
                .setScale(8, RoundingMode.HALF_EVEN);
        prices.put(symbol, price);
        Trade trade = Trade.newBuilder().setTradeId(UUID.randomUUID().toString()).setSymbol(symbol).setPrice(price)
                .setQuantity(BigDecimal.valueOf(1 + random.nextInt(100)).setScale(8, RoundingMode.UNNECESSARY))
                .setSide(random.nextBoolean() ? Side.BUY : Side.SELL).setTs(Instant.now()).setVenue("DEMO").build();
        producer.send(new ProducerRecord<>(topic, symbol, trade));
    }

    private void sendScore(String topic) {
        String game = GAMES.get(random.nextInt(GAMES.size()));
        String player = "player-" + random.nextInt(25);
        Score score = Score.newBuilder().setGameId(game).setPlayerId(player).setScore(random.nextInt(10_000)).setTs(Instant.now()).build();
        producer.send(new ProducerRecord<>(topic, player, score));
    }

    @Override
    public void close() {
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
        if (producer != null) {
            producer.close(java.time.Duration.ofSeconds(5));
        }
    }
}
