package io.kaveri.streams.market;

import io.kaveri.schemas.market.Candle;
import io.kaveri.streams.runtime.StreamsAppConfig;

import java.time.Duration;

/**
 * What the interactive-query layer reads from the market app: the 1-minute candle store holds the open candle of
 * each symbol (a candle leaves it when it closes and is written to the candles topic), the hopping store the
 * 5-minute aggregates within their retention. Both are window stores keyed by symbol, partitioned by symbol.
 */
public final class MarketQueries {

    /** Window store of the open 1-minute candles. */
    public static final String CANDLES_STORE = MarketTopology.CANDLES + "-store";

    /** Window store of the hopping candles' running aggregates. */
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
