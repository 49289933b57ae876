package io.kaveri.streams.market;

import io.kaveri.schemas.market.Candle;
import io.kaveri.schemas.market.Trade;
import io.kaveri.streams.runtime.KeyedInput;
import io.kaveri.streams.testkit.GoldenTopology;
import io.kaveri.streams.testkit.KitDriver;
import io.kaveri.streams.testkit.StreamsTestKit;
import io.kaveri.streams.testkit.TestInput;
import io.kaveri.streams.testkit.TestOutput;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static io.kaveri.streams.market.MarketFixtures.CANDLES;
import static io.kaveri.streams.market.MarketFixtures.DLQ;
import static io.kaveri.streams.market.MarketFixtures.LIVE;
import static io.kaveri.streams.market.MarketFixtures.dec;
import static io.kaveri.streams.market.MarketFixtures.trade;
import static io.kaveri.streams.testkit.KitAssertions.assertDeadLetter;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/** The app told that the trades topic is keyed by symbol already: no repartition, and every key checked. */
class MarketKeyedInputTest {

    private static final long S = 1_000;
    private static final long M = 60_000;

    @RegisterExtension
    final StreamsTestKit kit = MarketFixtures.kit(Map.of(MarketConfig.TRADES_KEYED_CONFIG, "true"));

    private TestInput<byte[], Trade> trades;
    private TestOutput<String, Candle> candles;
    private TestOutput<String, Candle> live;

    @BeforeEach
    void topics() {
        KitDriver driver = kit.driver();
        trades = driver.input(MarketFixtures.trades(driver));
        candles = driver.output(MarketFixtures.candles(driver, CANDLES));
        live = driver.output(MarketFixtures.candles(driver, LIVE));
    }

    private void pipe(String key, Trade trade) {
        trades.pipe(key == null ? null : key.getBytes(StandardCharsets.UTF_8), trade, trade.getTs().toEpochMilli());
    }

    @Test
    void tradesKeyedBySymbolMakeTheSameCandlesWithoutARepartitionTopic() {
        pipe("AAPL", trade("t1", "AAPL", "100", "1", 5 * S));
        pipe("MSFT", trade("t2", "MSFT", "50", "2", 6 * S));
        pipe("AAPL", trade("t3", "AAPL", "104", "3", 30 * S));
        pipe("AAPL", trade("t1", "AAPL", "100", "1", 5 * S)); // redelivered: counts once
        pipe("MSFT", trade("t4", "MSFT", "51", "1", M + 10 * S)); // closes window 0 of both symbols

        assertThat(candles.readRecords()).extracting(TestRecord::key, r -> r.value().getTradeCount(), r -> r.value().getClose())
                .containsExactly(tuple("AAPL", 2L, dec("104")),
                        tuple("MSFT", 1L, dec("50")));
        assertThat(live.readRecords()).extracting(TestRecord::key).containsExactly("AAPL", "MSFT", "AAPL",
                "AAPL", "MSFT", "MSFT"); // the two finals, then the update of the trade that closed them
        assertThat(kit.driver().topology().describe().toString()).doesNotContain("repartition");
        assertThat(kit.driver().rawOutput(DLQ).readRecords()).isEmpty();
    }

    @Test
    void aTradeKeyedByAnythingButItsSymbolGoesToTheDeadLetterTopicAndProcessingContinues() {
        pipe("AAPL", trade("t1", "AAPL", "100", "1", 5 * S));
        pipe("MSFT", trade("t2", "AAPL", "999", "1", 6 * S));
        pipe(null, trade("t3", "AAPL", "998", "1", 7 * S));
        pipe("AAPL", trade("t4", "AAPL", "-1", "1", 8 * S)); // keyed right but invalid: still the trade's own error
        pipe("AAPL", trade("t5", "AAPL", "101", "1", M + 10 * S));

        List<TestRecord<byte[], byte[]>> dead = kit.driver().rawOutput(DLQ).readRecords();
        assertThat(dead).hasSize(3);
        assertDeadLetter(dead.get(0)).hasCause(KeyedInput.KeyMismatchException.class)
                .hasMessageContaining("topic market-trades: a record keyed 'MSFT' has 'AAPL'")
                .hasMessageContaining(MarketConfig.TRADES_KEYED_CONFIG + "=true").cameFrom(MarketFixtures.TRADES);
        assertDeadLetter(dead.get(1)).hasCause(KeyedInput.KeyMismatchException.class).hasMessageContaining("keyed null");
        assertDeadLetter(dead.get(2)).hasCause(Trades.InvalidTradeException.class)
                .hasMessageContaining("trade t4 of topic market-trades has price -1");
        assertThat(candles.readAll()).singleElement().satisfies(r -> {
            assertThat(r.value().getTradeCount()).isEqualTo(1);
            assertThat(r.value().getHigh()).isEqualTo(dec("100"));
        });
    }

    @Test
    void topologyMatchesTheKeyedGoldenFile() {
        GoldenTopology.assertTopologyMatches(kit.driver().topology(), "src/test/resources/golden/market-keyed.txt");
    }
}
