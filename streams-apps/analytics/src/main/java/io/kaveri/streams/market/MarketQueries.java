package io.kaveri.streams.market;

import io.kaveri.schemas.market.Candle;
import io.kaveri.streams.runtime.StreamsAppConfig;
import org.apache.kafka.streams.KeyValue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.TreeMap;

/**
 * What the interactive-query layer reads from the market app: the 1-minute candle store holds the open candle of
 * each symbol (a candle leaves it when it closes and is written to the candles topic), the hopping store the panes
 * (one per hopping advance) that the hopping windows are merged from, within their retention
 * ({@link #hoppingCandles}). Both are window stores keyed by symbol, partitioned by symbol.
 */
public final class MarketQueries {

    /** Window store of the open 1-minute candles. */
    public static final String CANDLES_STORE = MarketTopology.CANDLES + "-store";

    /** Window store of the panes of the hopping candles: read it with {@link #hoppingCandles}. */
    public static final String HOPPING_STORE = MarketTopology.HOPPING + "-store";

    private MarketQueries() {
    }

    /** The live topic: every update of an open candle, and its final value. */
    public static String liveTopic(StreamsAppConfig config) {
        return config.getString(MarketConfig.LIVE_TOPIC_CONFIG);
    }

    public static Duration candleSize(StreamsAppConfig config) {
        return Duration.ofMillis(config.getLong(MarketConfig.CANDLE_SIZE_CONFIG));
    }

    public static Duration hoppingSize(StreamsAppConfig config) {
        return Duration.ofMillis(config.getLong(MarketConfig.HOPPING_SIZE_CONFIG));
    }

    /**
     * The running hopping candles of {@code symbol} starting in {@code [from, to]}, merged from its panes as read
     * from {@link #HOPPING_STORE} (pane start to store value) over at least {@code [from, ∞)}. A window is listed
     * when it holds at least one trade and is still open by the symbol's newest pane; for a symbol that has stopped
     * trading, a window closed in the last advance may still be listed, without its earliest pane once that expired.
     *
     * @throws IllegalArgumentException when a value is not a value of the hopping store
     */
    public static List<Candle> hoppingCandles(String symbol, Iterator<KeyValue<Long, Object>> panes, long from, long to,
                                              StreamsAppConfig config) {
        MarketConfig.Windows w = MarketConfig.Windows.of(config);
        long size = w.hoppingSize().toMillis();
        long advance = w.hoppingAdvance().toMillis();
        long grace = w.grace().toMillis();
        TreeMap<Long, CandleState> byStart = new TreeMap<>();
        panes.forEachRemaining(kv -> {
            if (!(kv.value instanceof CandleState state) || state.isEmpty()) {
                throw new IllegalArgumentException("not a pane of the hopping store for symbol " + symbol + ": " + kv.value);
            }
            byStart.put(kv.key, state);
        });
        List<Candle> candles = new ArrayList<>();
        if (byStart.isEmpty()) {
            return candles;
        }
        long newest = byStart.lastKey();
        long start = Math.max(Math.floorDiv(from + advance - 1, advance) * advance,
                Math.floorDiv(byStart.firstKey() - size, advance) * advance + advance);
        for (; start <= to && start <= newest; start += advance) {
            if (start + size + grace <= newest) {
                continue; // closed: on the hopping topic, and its earliest panes may have expired
            }
            CandleState window = CandleState.empty();
            byStart.subMap(start, true, start + size, false).values().forEach(window::merge);
            if (!window.isEmpty()) {
                candles.add(window.toCandle(symbol, start, start + size, false));
            }
        }
        return candles;
    }

    /**
     * The candle of a value read from either store (the stores' value type is internal to the app).
     *
     * @throws IllegalArgumentException when {@code storeValue} is not a value of the market stores
     */
    public static Candle candle(String symbol, long windowStart, Duration windowSize, Object storeValue) {
        if (!(storeValue instanceof CandleState state) || state.isEmpty()) {
            throw new IllegalArgumentException("not a candle of a market store for symbol " + symbol + ": " + storeValue);
        }
        return state.toCandle(symbol, windowStart, windowStart + windowSize.toMillis(), false);
    }
}
