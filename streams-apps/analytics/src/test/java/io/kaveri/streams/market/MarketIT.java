package io.kaveri.streams.market;

import io.kaveri.schemas.market.Candle;
import io.kaveri.schemas.market.Trade;
import io.kaveri.stack.LocalStack;
import io.kaveri.stack.LocalStack.Part;
import io.kaveri.streams.RunningApp;
import io.kaveri.test.KaveriStack;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static io.kaveri.streams.testkit.KitAssertions.assertDeadLetter;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The market app on the real broker and registry, run by the runtime as the launcher runs it (exactly-once). */
@KaveriStack({Part.KAFKA, Part.REGISTRY})
class MarketIT {

    private static final long SIZE = 60_000;

    @Test
    void candlesEqualABatchComputationAndPoisonRecordsReachTheDeadLetterTopic(LocalStack stack) throws Exception {
        // A wide grace, so that a stalled broker on a loaded machine cannot turn the idle clock's estimate into late trades.
        try (RunningApp app = RunningApp.start(stack, new MarketApp(), Map.of(MarketConfig.GRACE_CONFIG, "30000"))) {
            String tradesTopic = app.topic(MarketConfig.TRADES_TOPIC_CONFIG);
            Instant t0 = Instant.now().truncatedTo(ChronoUnit.MINUTES).minus(Duration.ofHours(1));
            Random random = new Random(7);
            List<Trade> trades = new ArrayList<>();
            for (int i = 0; i < 60; i++) {
                String symbol = List.of("AAPL", "MSFT", "BTC-USD").get(random.nextInt(3));
                // In event-time order but a few seconds shuffled, well within grace; over three minutes.
                Instant ts = t0.plusMillis(i * 3_000L + random.nextInt(5_000));
                trades.add(MarketFixtures.trade("t" + i, symbol, BigDecimal.valueOf(1 + random.nextInt(50_000), 2).toPlainString(),
                        BigDecimal.valueOf(1 + random.nextInt(1_000_000), 4).toPlainString(), ts));
            }
            byte[] garbage = "not avro".getBytes(StandardCharsets.UTF_8);
            try (KafkaProducer<byte[], byte[]> raw = app.producer(new ByteArraySerializer(), new ByteArraySerializer())) {
                for (int i = 0; i < trades.size(); i++) {
                    app.send(tradesTopic, trades.get(i), trades.get(i).getTs());
                    if (i == 10) {
                        raw.send(new ProducerRecord<>(tradesTopic, null, trades.get(i).getTs().toEpochMilli(), null, garbage)).get();
                        app.send(tradesTopic, MarketFixtures.trade("negative", "AAPL", "-1", "1", trades.get(i).getTs()),
                                trades.get(i).getTs());
                    }
                }
            }
            // A trade of another symbol far ahead closes every window by stream time.
            Instant last = trades.stream().map(Trade::getTs).max(Instant::compareTo).orElseThrow();
            app.send(tradesTopic, MarketFixtures.trade("tick", "~TICK", "1", "1", last.plus(Duration.ofMinutes(3))),
                    last.plus(Duration.ofMinutes(3)));

            List<String> expected = MarketFixtures.batchCandles(trades, SIZE);
            List<Candle> finals = new ArrayList<>();
            try (KafkaConsumer<String, Candle> reader = app.reader(app.topic(MarketConfig.CANDLES_TOPIC_CONFIG))) {
                await().atMost(Duration.ofSeconds(120)).until(() ->
                        RunningApp.poll(reader, finals).stream().filter(c -> !c.getSymbol().equals("~TICK")).count() >= expected.size());
            }
            assertThat(finals.stream().filter(c -> !c.getSymbol().equals("~TICK")).map(MarketFixtures::describe).sorted().toList())
                    .containsExactlyElementsOf(expected);
            assertThat(finals).allSatisfy(c -> assertThat(c.getClosed()).isTrue());

            List<ConsumerRecord<byte[], byte[]>> dead = new ArrayList<>();
            try (KafkaConsumer<byte[], byte[]> dlq = app.consumer(app.config().deadLetterTopic(), new ByteArrayDeserializer(),
                    new ByteArrayDeserializer())) {
                await().atMost(Duration.ofSeconds(60)).until(() -> RunningApp.pollRecords(dlq, dead).size() >= 2);
            }
            assertThat(dead).hasSize(2);
            assertDeadLetter(asTestRecord(dead.get(0))).hasCause(SerializationException.class)
                    .hasMessageContaining("Unknown magic byte").cameFrom(tradesTopic).hasOriginalValue(garbage);
            assertDeadLetter(asTestRecord(dead.get(1))).hasCause(Trades.InvalidTradeException.class)
                    .hasMessageContaining("trade negative of topic " + tradesTopic + " has price -1").cameFrom(tradesTopic);
        }
    }

    @Test
    void anIdleSymbolsCandleClosesByTheWallClockWithoutAnotherTrade(LocalStack stack) throws Exception {
        try (RunningApp app = RunningApp.start(stack, new MarketApp(), Map.of())) {
            // Late in its minute: with the default grace of 10 s the window closes about 11 s of wall clock after
            // the trade is processed, and no trade ever moves stream time past it.
            Instant ts = Instant.now().truncatedTo(ChronoUnit.MINUTES).minus(Duration.ofHours(1)).plusMillis(59_000);
            app.send(app.topic(MarketConfig.TRADES_TOPIC_CONFIG), MarketFixtures.trade("only", "IDLE", "42.5", "2", ts), ts);

            List<Candle> finals = new ArrayList<>();
            try (KafkaConsumer<String, Candle> reader = app.reader(app.topic(MarketConfig.CANDLES_TOPIC_CONFIG))) {
                await().atMost(Duration.ofSeconds(120)).until(() -> !RunningApp.poll(reader, finals).isEmpty());
            }
            assertThat(finals).singleElement().satisfies(c -> {
                assertThat(c.getSymbol()).isEqualTo("IDLE");
                assertThat(c.getWindowStart()).isEqualTo(ts.truncatedTo(ChronoUnit.MINUTES));
                assertThat(c.getClosed()).isTrue();
                assertThat(c.getOpen()).isEqualTo(MarketFixtures.dec("42.5"));
                assertThat(c.getVolume()).isEqualTo(MarketFixtures.dec("2"));
                assertThat(c.getTradeCount()).isEqualTo(1);
            });
        }
    }

    private static TestRecord<byte[], byte[]> asTestRecord(ConsumerRecord<byte[], byte[]> r) {
        return new TestRecord<>(r.key(), r.value(), r.headers(), Instant.ofEpochMilli(r.timestamp()));
    }
}
