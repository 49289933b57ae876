package io.kaveri.streams.market;

import io.kaveri.schemas.market.Candle;
import io.kaveri.schemas.market.Trade;
import io.kaveri.streams.runtime.LateRecords;
import io.kaveri.streams.runtime.StreamsAppConfig;
import io.kaveri.streams.testkit.GoldenTopology;
import io.kaveri.streams.testkit.KitDriver;
import io.kaveri.streams.testkit.StreamsTestKit;
import io.kaveri.streams.testkit.TestInput;
import io.kaveri.streams.testkit.TestOutput;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.kaveri.streams.market.MarketFixtures.CANDLES;
import static io.kaveri.streams.market.MarketFixtures.DLQ;
import static io.kaveri.streams.market.MarketFixtures.HOPPING;
import static io.kaveri.streams.market.MarketFixtures.LIVE;
import static io.kaveri.streams.market.MarketFixtures.T0;
import static io.kaveri.streams.market.MarketFixtures.dec;
import static io.kaveri.streams.market.MarketFixtures.trade;
import static io.kaveri.streams.testkit.KitAssertions.assertDeadLetter;
import static io.kaveri.streams.testkit.KitAssertions.assertHeaders;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

class MarketTopologyTest {

    private static final long S = 1_000;
    private static final long M = 60_000;

    @RegisterExtension
    final StreamsTestKit kit = kit();

    private TestInput<byte[], Trade> trades;
    private TestOutput<String, Candle> candles;
    private TestOutput<String, Candle> live;
    private TestOutput<String, Candle> hopping;
    private TestOutput<String, Trade> late;

    @BeforeEach
    void topics() {
        KitDriver driver = kit.driver();
        trades = driver.input(MarketFixtures.trades(driver));
        candles = driver.output(MarketFixtures.candles(driver, CANDLES));
        live = driver.output(MarketFixtures.candles(driver, LIVE));
        hopping = driver.output(MarketFixtures.candles(driver, HOPPING));
        late = driver.output(MarketFixtures.late(driver));
    }

    /** The kit every test here runs on: without the record cache, so each update is seen as it is made. */
    StreamsTestKit kit() {
        return MarketFixtures.kit(Map.of());
    }

    private void pipe(Trade trade) {
        trades.pipe(null, trade, trade.getTs().toEpochMilli());
    }

    @Test
    void aMinuteOfTradesMakesOneFinalCandleOnceStreamTimePassesItsEndAndGrace() {
        pipe(trade("t1", "AAPL", "100.00", "2", 5 * S));
        pipe(trade("t2", "AAPL", "103.50", "1", 20 * S));
        pipe(trade("t3", "AAPL", "99.25", "4", 40 * S));
        pipe(trade("t4", "AAPL", "101.00", "3", 55 * S));
        pipe(trade("t5", "AAPL", "102.00", "1", M + 9 * S)); // stream time 69 s: window [0, 60 s) still in grace
        assertThat(candles.readAll()).isEmpty();

        pipe(trade("t6", "AAPL", "102.00", "1", M + 10 * S)); // 70 s: end + grace reached
        List<TestRecord<String, Candle>> finals = candles.readRecords();
        assertThat(finals).hasSize(1);
        Candle c = finals.get(0).value();
        assertThat(finals.get(0).key()).isEqualTo("AAPL");
        assertThat(c.getWindowStart()).isEqualTo(T0);
        assertThat(c.getWindowEnd()).isEqualTo(T0.plusMillis(M));
        assertThat(c.getOpen()).isEqualTo(dec("100.00"));
        assertThat(c.getHigh()).isEqualTo(dec("103.50"));
        assertThat(c.getLow()).isEqualTo(dec("99.25"));
        assertThat(c.getClose()).isEqualTo(dec("101.00"));
        assertThat(c.getVolume()).isEqualTo(dec("10"));
        // (200 + 103.5 + 397 + 303) / 10 = 100.35
        assertThat(c.getVwap()).isEqualTo(dec("100.35"));
        assertThat(c.getTradeCount()).isEqualTo(4);
        assertThat(c.getClosed()).isTrue();

        // Live: one open update per trade; the final of window 0 (closed) comes before the update of the trade
        // whose time closed it.
        List<Candle> updates = live.readAll().stream().map(r -> r.value()).toList();
        assertThat(updates).extracting(Candle::getTradeCount).containsExactly(1L, 2L, 3L, 4L, 1L, 4L, 2L);
        assertThat(updates).extracting(Candle::getClosed).containsExactly(false, false, false, false, false, true, false);
    }

    @Test
    void outOfOrderTradesWithinGraceCountAndOpenCloseFollowEventTimeNotArrival() {
        pipe(trade("t2", "BTC-USD", "50000.5", "0.1", 30 * S));
        pipe(trade("t3", "BTC-USD", "50010", "0.2", M + 5 * S)); // next window; stream time 65 s
        pipe(trade("t1", "BTC-USD", "49990", "0.3", 10 * S));   // 55 s old but within grace of window 0
        pipe(trade("t4", "BTC-USD", "50020", "0.1", 2 * M + 10 * S));

        List<Candle> finals = candles.readAll().stream().map(r -> r.value()).toList();
        assertThat(finals).hasSize(2);
        assertThat(finals.get(0).getOpen()).isEqualTo(dec("49990"));
        assertThat(finals.get(0).getClose()).isEqualTo(dec("50000.5"));
        assertThat(finals.get(0).getTradeCount()).isEqualTo(2);
        assertThat(finals.get(1).getWindowStart()).isEqualTo(T0.plusMillis(M));
        assertThat(late.readAll()).isEmpty();
    }

    @Test
    void aTradeBeyondGraceGoesToTheLateTopicWithItsRouteAndIsNotCounted() {
        pipe(trade("t1", "AAPL", "100", "1", 5 * S));
        pipe(trade("t2", "AAPL", "101", "1", M + 15 * S)); // closes window 0 at 70 s
        pipe(trade("t3", "AAPL", "500", "1", 30 * S));     // window 0 closed 5 s ago

        List<TestRecord<String, Trade>> lateRecords = late.readRecords();
        assertThat(lateRecords).extracting(r -> r.value().getTradeId()).containsExactly("t3");
        assertHeaders(lateRecords.get(0)).hasString(LateRecords.ROUTE_HEADER, "market-candles-1m")
                .hasString(LateRecords.WINDOW_CLOSE_HEADER, Long.toString(T0.toEpochMilli() + 70 * S));
        assertThat(candles.readAll()).singleElement()
                .satisfies(r -> assertThat(r.value().getHigh()).isEqualTo(dec("100")));
        assertThat(metric("late-records-total", "market-candles-1m")).isEqualTo(1.0);
    }

    @Test
    void aRedeliveredTradeCountsOnce() {
        Trade once = trade("t1", "AAPL", "100", "5", 5 * S);
        pipe(once);
        pipe(trade("t2", "AAPL", "110", "5", 6 * S));
        pipe(once);
        pipe(trade("t9", "AAPL", "100", "1", 2 * M));

        Candle c = candles.readAll().get(0).value();
        assertThat(c.getTradeCount()).isEqualTo(2);
        assertThat(c.getVolume()).isEqualTo(dec("10"));
        assertThat(metric("duplicates-total", MarketTopology.DEDUP_STORE)).isEqualTo(1.0);
    }

    @Test
    void unreadableAndInvalidTradesGoToTheDeadLetterTopicAndProcessingContinues() {
        TestInput<byte[], byte[]> raw = kit.driver().input(MarketFixtures.TRADES, Serdes.ByteArray(), Serdes.ByteArray());
        byte[] garbage = "not avro".getBytes(StandardCharsets.UTF_8);
        raw.pipe(null, garbage, T0.toEpochMilli());
        pipe(trade("t1", "AAPL", "-1", "1", S));
        pipe(trade("t2", "AAPL", "100", "1", 2 * S));
        pipe(trade("t3", "AAPL", "100", "1", 2 * M));

        List<TestRecord<byte[], byte[]>> dead = kit.driver().rawOutput(DLQ).readRecords();
        assertThat(dead).hasSize(2);
        assertDeadLetter(dead.get(0)).hasCause(SerializationException.class).hasMessageContaining("Unknown magic byte")
                .cameFrom(MarketFixtures.TRADES).hasOriginalValue(garbage);
        assertDeadLetter(dead.get(1)).hasCause(Trades.InvalidTradeException.class)
                .hasMessageContaining("trade t1 of topic market-trades has price -1").cameFrom(MarketFixtures.TRADES);
        assertThat(candles.readAll()).singleElement().satisfies(r -> assertThat(r.value().getTradeCount()).isEqualTo(1));
    }

    @Test
    void anIdleSymbolsCandleClosesByTheWallClockOnceAndLaterTradesForItAreLate() {
        pipe(trade("t1", "IDLE", "10", "1", 10 * S));
        kit.advanceWallClock(Duration.ofSeconds(59)); // estimated time 69 s: still in grace
        assertThat(candles.readAll()).isEmpty();
        kit.advanceWallClock(Duration.ofSeconds(2));  // 71 s
        assertThat(candles.readAll()).singleElement().satisfies(r -> {
            assertThat(r.value().getWindowStart()).isEqualTo(T0);
            assertThat(r.value().getClosed()).isTrue();
        });

        pipe(trade("t2", "IDLE", "11", "1", 50 * S));   // stream time alone says on time; the window is closed
        pipe(trade("t3", "IDLE", "12", "1", 3 * M));    // stream time passes window 0's close again
        kit.advanceWallClock(Duration.ofMinutes(5));
        assertThat(late.readAll()).extracting(r -> r.value().getTradeId()).containsExactly("t2");
        assertThat(candles.readAll()).extracting(r -> r.value().getWindowStart())
                .containsExactly(T0.plusMillis(3 * M)); // window 0 is not emitted a second time
    }

    @Test
    void hoppingCandlesCoverFiveMinutesEveryMinuteAndAreFinalOnly() {
        pipe(trade("t1", "AAPL", "100", "1", 30 * S));
        pipe(trade("t2", "AAPL", "120", "1", 4 * M + 30 * S));
        pipe(trade("t3", "AAPL", "100", "1", 5 * M + 10 * S)); // closes the hopping window [0, 5 min)

        List<Candle> windows = hopping.readAll().stream().map(r -> r.value()).toList();
        // Windows ending at 1..5 min have closed; [0, 5 min) holds both trades.
        assertThat(windows).extracting(c -> c.getWindowEnd().toEpochMilli() - T0.toEpochMilli())
                .containsExactly(M, 2 * M, 3 * M, 4 * M, 5 * M);
        Candle lastClosed = windows.get(4);
        assertThat(lastClosed.getTradeCount()).isEqualTo(2);
        assertThat(lastClosed.getHigh()).isEqualTo(dec("120"));
        assertThat(lastClosed.getVwap()).isEqualTo(dec("110"));
    }

    @Test
    void aTradeWhoseLastHoppingWindowHasClosedIsLateForTheHoppingRouteToo() {
        pipe(trade("t1", "AAPL", "100", "1", 30 * S));
        pipe(trade("t2", "AAPL", "101", "1", 5 * M + 10 * S)); // closes the last hopping window of 50 s, [0, 5 min)
        pipe(trade("t3", "AAPL", "500", "1", 50 * S));

        List<TestRecord<String, Trade>> lateRecords = late.readRecords();
        assertThat(lateRecords).extracting(r -> r.value().getTradeId()).containsExactly("t3", "t3");
        assertThat(lateRecords).extracting(r -> new String(r.headers().lastHeader(LateRecords.ROUTE_HEADER).value(),
                StandardCharsets.UTF_8)).containsExactlyInAnyOrder(CANDLES, HOPPING);
        TestRecord<String, Trade> hoppingLate = lateRecords.stream().filter(r -> new String(
                r.headers().lastHeader(LateRecords.ROUTE_HEADER).value(), StandardCharsets.UTF_8).equals(HOPPING)).findFirst().orElseThrow();
        assertHeaders(hoppingLate).hasString(LateRecords.WINDOW_CLOSE_HEADER, Long.toString(T0.toEpochMilli() + 5 * M + 10 * S));
        assertThat(hopping.readAll()).extracting(r -> r.value().getHigh()).containsOnly(dec("100"));
        assertThat(metric("late-records-total", HOPPING)).isEqualTo(1.0);
    }

    @Test
    void theHoppingStoreAnswersTheOpenHoppingWindowsMergedFromItsPanes() {
        pipe(trade("t1", "AAPL", "100", "1", 30 * S));
        pipe(trade("t2", "AAPL", "120", "3", M + 30 * S));
        pipe(trade("t3", "MSFT", "50", "1", M + 40 * S));

        StreamsAppConfig config = StreamsAppConfig.of(new MarketApp(), Map.of(StreamsAppConfig.SCHEMA_REGISTRY_URL_CONFIG, "mock://q"));
        WindowStore<String, Object> store = kit.driver().driver().getWindowStore(MarketQueries.HOPPING_STORE);
        List<Candle> open;
        try (WindowStoreIterator<Object> panes = store.fetch("AAPL", T0.minus(Duration.ofHours(1)), T0.plus(Duration.ofHours(1)))) {
            open = MarketQueries.hoppingCandles("AAPL", panes, T0.toEpochMilli(), T0.toEpochMilli() + 10 * M, config);
        }
        // [0, 5 min) holds both trades, [1 min, 6 min) the second only; windows starting before 0 are not asked for.
        assertThat(open).extracting(c -> c.getWindowStart().toEpochMilli() - T0.toEpochMilli(), Candle::getTradeCount,
                        c -> c.getOpen(), c -> c.getVwap(), Candle::getClosed)
                .containsExactly(tuple(0L, 2L, dec("100"), dec("115"), false), tuple(M, 1L, dec("120"), dec("120"), false));
    }

    @Test
    void topologyMatchesTheGoldenFile() {
        GoldenTopology.assertTopologyMatches(kit.driver().topology(), "src/test/resources/golden/market.txt");
    }

    private double metric(String name, String tag) {
        return kit.driver().driver().metrics().entrySet().stream()
                .filter(e -> e.getKey().name().equals(name) && e.getKey().tags().containsValue(tag))
                .mapToDouble(e -> ((Number) e.getValue().metricValue()).doubleValue()).sum();
    }
}
