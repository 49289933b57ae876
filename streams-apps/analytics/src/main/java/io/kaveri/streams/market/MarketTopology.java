package io.kaveri.streams.market;

import io.kaveri.schemas.market.Trade;
import io.kaveri.schemas.serde.SpecificAvroSerde;
import io.kaveri.streams.runtime.Dedup;
import io.kaveri.streams.runtime.KeyedInput;
import io.kaveri.streams.runtime.StreamsAppConfig;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;

import java.time.Duration;


/**
 * Trades to candles. Trades are re-keyed by symbol (one repartition, so any producer keying works; none when
 * {@code market.trades.keyed.by.symbol} says the topic is keyed by symbol already), de-duplicated by trade id, then
 * feed two windowed aggregations side by side:
 * <ul>
 *   <li>1-minute candles ({@link CandleProcessor}): every trade updates the live topic, and each window is emitted
 *       once, final, when stream time or the idle clock closes it;</li>
 *   <li>hopping candles (5 minutes every minute, {@link HoppingCandles}): final only, closed by stream time alone,
 *       which is enough for a trend view refreshed every minute; kept as 1-minute panes, merged when a window
 *       closes, so that a trade costs one state update instead of one per window it belongs to.</li>
 * </ul>
 * Trades beyond grace go to the late topic from each aggregation that missed them (header {@code kaveri.late.route}
 * names which); trades that cannot be read or are invalid go to the dead-letter topic through Kafka Streams'
 * exception handlers, and processing continues.
 */
public final class MarketTopology {

    static final String BY_SYMBOL = "market-trades-by-symbol";
    static final String DEDUP_STORE = "market-trade-ids";
    static final String CANDLES = "market-candles-1m";
    static final String HOPPING = "market-candles-5m";

    private MarketTopology() {
    }

    public static Topology build(StreamsAppConfig config) {
        MarketConfig.Windows w = MarketConfig.Windows.of(config);
        String tradesTopic = config.getString(MarketConfig.TRADES_TOPIC_CONFIG);
        String lateTopic = config.lateTopic();
        Serde<Trade> trades = avro(config);
        Serde<SpecificRecord> records = avro(config);

        StreamsBuilder builder = new StreamsBuilder();
        KStream<String, Trade> bySymbol = KeyedInput.by(builder.stream(tradesTopic, Consumed.with(Serdes.ByteArray(), trades)
                        .withTimestampExtractor(new Trades.EventTime()).withName("market-trades-source")),
                trade -> Trades.symbolOf(trade, tradesTopic), tradesTopic, MarketConfig.TRADES_KEYED_CONFIG,
                config.getBoolean(MarketConfig.TRADES_KEYED_CONFIG), trades, "market-trades-validate", BY_SYMBOL);

        // A copy can arrive as long as the longest window it belongs to is open.
        Duration horizon = max(w.candle(), w.hoppingSize()).plus(w.grace());
        KStream<String, Trade> unique = bySymbol.processValues(Dedup.supplier(DEDUP_STORE, horizon, Trades::identity),
                Named.as("market-trades-dedup"));

        CandleProcessor.Names names = new CandleProcessor.Names(CANDLES, CANDLES + "-sink", CANDLES + "-live-sink",
                CANDLES + "-late-sink", CANDLES + "-store", CANDLES + "-watermark");
        KStream<String, SpecificRecord> candleOutput = unique.process(CandleProcessor.supplier(names, w.candle(), w.grace(),
                w.idleClose() ? w.idleCloseInterval() : null), Named.as(CANDLES));
        candleOutput.to(config.getString(MarketConfig.CANDLES_TOPIC_CONFIG),
                Produced.with(Serdes.String(), records).withName(names.finalSink()));
        candleOutput.to(config.getString(MarketConfig.LIVE_TOPIC_CONFIG),
                Produced.with(Serdes.String(), records).withName(names.liveSink()));
        candleOutput.to(lateTopic, Produced.with(Serdes.String(), records).withName(names.lateSink()));

        HoppingCandles.Names hoppingNames = new HoppingCandles.Names(HOPPING, HOPPING + "-sink", HOPPING + "-late-sink",
                HOPPING + "-store");
        KStream<String, SpecificRecord> hoppingOutput = unique.process(HoppingCandles.supplier(hoppingNames, w.hoppingSize(),
                w.hoppingAdvance(), w.grace()), Named.as(HOPPING));
        hoppingOutput.to(config.getString(MarketConfig.HOPPING_TOPIC_CONFIG),
                Produced.with(Serdes.String(), records).withName(hoppingNames.finalSink()));
        hoppingOutput.to(lateTopic, Produced.with(Serdes.String(), records).withName(hoppingNames.lateSink()));
        return builder.build();
    }

    private static <T extends SpecificRecord> Serde<T> avro(StreamsAppConfig config) {
        SpecificAvroSerde<T> serde = new SpecificAvroSerde<>();
        serde.configure(config.serdeConfigs(), false);
        return serde;
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }
}
