package io.kaveri.streams.market;

import io.kaveri.schemas.market.Trade;
import io.kaveri.streams.testkit.KitDriver;
import io.kaveri.streams.testkit.StreamsTestKit;
import io.kaveri.streams.testkit.TestInput;
import io.kaveri.streams.testkit.TimedRecord;
import io.kaveri.streams.testkit.Variants;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Shuffling trades within grace gives exactly the candles, 1-minute and hopping, that a batch computation over the
 * same trades gives.
 */
class CandlePropertyTest {

    private static final long SIZE = 60_000;
    private static final long HOPPING_SIZE = 300_000;
    private static final Duration GRACE = Duration.ofSeconds(10);
    private final StreamsTestKit kit = MarketFixtures.kit(Map.of());

    @Property(tries = 30)
    void finalCandlesDoNotDependOnArrivalOrderWithinGrace(@ForAll("trades") List<Trade> trades, @ForAll long seed) {
        List<TimedRecord<byte[], Trade>> records = new ArrayList<>();
        for (int i = 0; i < trades.size(); i++) {
            // Generated trades are shared between tries while shrinking: copy, never mutate them.
            Trade t = Trade.newBuilder(trades.get(i)).setTradeId("t" + i).build();
            records.add(TimedRecord.of(null, t, t.getTs().toEpochMilli()));
        }
        List<TimedRecord<byte[], Trade>> arrivals = Variants.shuffledWithinGrace(GRACE).apply(records, seed);
        List<String> actual;
        List<String> hopping;
        try (KitDriver driver = kit.open()) {
            TestInput<byte[], Trade> in = driver.input(MarketFixtures.trades(driver));
            in.pipeAll(arrivals);
            long last = trades.stream().mapToLong(t -> t.getTs().toEpochMilli()).max().orElseThrow();
            // A trade of another symbol far enough ahead closes every window.
            Trade tick = MarketFixtures.trade("tick", "~TICK", "1", "1", last - MarketFixtures.T0.toEpochMilli() + HOPPING_SIZE + SIZE + GRACE.toMillis());
            in.pipe(null, tick, tick.getTs().toEpochMilli());
            actual = driver.output(MarketFixtures.candles(driver, MarketFixtures.CANDLES)).withoutKeys("~TICK"::equals)
                    .readAll().stream().map(r -> MarketFixtures.describe(r.value())).sorted().toList();
            hopping = driver.output(MarketFixtures.candles(driver, MarketFixtures.HOPPING)).withoutKeys("~TICK"::equals)
                    .readAll().stream().map(r -> MarketFixtures.describe(r.value())).sorted().toList();
        }
        List<Trade> all = records.stream().map(TimedRecord::value).toList();
        assertThat(actual).containsExactlyElementsOf(MarketFixtures.batchCandles(all, SIZE));
        assertThat(hopping).containsExactlyElementsOf(MarketFixtures.batchCandles(all, HOPPING_SIZE, SIZE));
    }

    @Provide
    Arbitrary<List<Trade>> trades() {
        Arbitrary<Trade> trade = Combinators.combine(
                Arbitraries.of("AAPL", "MSFT", "BTC-USD"),
                Arbitraries.longs().between(1, 500_000).map(cents -> BigDecimal.valueOf(cents, 2).toPlainString()),
                Arbitraries.longs().between(1, 10_000_000).map(units -> BigDecimal.valueOf(units, 6).toPlainString()),
                // Times repeat on purpose (whole seconds over 4 minutes), so that ties between trades occur.
                Arbitraries.longs().between(0, 240).map(s -> s * 1_000))
                .as((symbol, price, quantity, offset) -> MarketFixtures.trade("x", symbol, price, quantity, offset));
        return trade.list().ofMinSize(1).ofMaxSize(40);
    }
}
