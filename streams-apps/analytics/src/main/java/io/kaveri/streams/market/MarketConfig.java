package io.kaveri.streams.market;

import io.kaveri.streams.runtime.KeyedInput;
import io.kaveri.streams.runtime.StreamsAppConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.Width;
import org.apache.kafka.common.config.ConfigException;

import java.time.Duration;

/** The market app's keys, and typed reads of them from a validated {@link StreamsAppConfig}. */
final class MarketConfig {

    static final String TRADES_TOPIC_CONFIG = "market.trades.topic";
    private static final String TRADES_TOPIC_DOC = "Topic of io.kaveri.schemas.market.Trade values; keys are ignored "
            + "(trades are re-keyed by symbol, so any producer partitioning works) unless "
            + "market.trades.keyed.by.symbol is true.";

    static final String TRADES_KEYED_CONFIG = "market.trades.keyed.by.symbol";
    private static final String TRADES_KEYED_DOC = KeyedInput.settingDoc("trades", "symbol");

    static final String CANDLES_TOPIC_CONFIG = "market.candles.topic";
    private static final String CANDLES_TOPIC_DOC = "Final 1-minute candles, exactly one per symbol and window, "
            + "keyed by symbol, written once the window closes by stream time or by the idle clock.";

    static final String LIVE_TOPIC_CONFIG = "market.candles.live.topic";
    private static final String LIVE_TOPIC_DOC = "Live view: the open 1-minute candle of a symbol as trades "
            + "change it (closed=false), at most once per window and commit (commit.interval.ms, and at most "
            + "market.idle.close.interval.ms late when idle closing is on), and its final value (closed=true) as soon "
            + "as it closes, keyed by symbol; compacted.";

    static final String HOPPING_TOPIC_CONFIG = "market.candles.hopping.topic";
    private static final String HOPPING_TOPIC_DOC = "Final candles of the hopping windows (default 5 minutes, every "
            + "minute), keyed by symbol.";

    static final String CANDLE_SIZE_CONFIG = "market.candle.size.ms";
    private static final String CANDLE_SIZE_DOC = "Size of the tumbling candle windows.";

    static final String HOPPING_SIZE_CONFIG = "market.hopping.size.ms";
    private static final String HOPPING_SIZE_DOC = "Size of the hopping aggregate windows.";

    static final String HOPPING_ADVANCE_CONFIG = "market.hopping.advance.ms";
    private static final String HOPPING_ADVANCE_DOC = "Advance of the hopping aggregate windows; at most their size.";

    static final String GRACE_CONFIG = "market.grace.ms";
    private static final String GRACE_DOC = "How long after a window's end a trade still counts in it. Trade feeds "
            + "reach Kafka within seconds of execution; 10 s keeps a candle's delay short while absorbing that. Later "
            + "trades go to the late topic.";

    static final String IDLE_CLOSE_CONFIG = "market.idle.close.enabled";
    private static final String IDLE_CLOSE_DOC = "Close 1-minute candles of idle partitions by the wall clock: when no "
            + "trade has advanced stream time, time is taken to pass as the wall clock does since the last advance, "
            + "so a dashboard never waits for the next trade. Off: candles close only when a later trade arrives.";

    static final String IDLE_CLOSE_INTERVAL_CONFIG = "market.idle.close.interval.ms";
    private static final String IDLE_CLOSE_INTERVAL_DOC = "How often the wall-clock punctuation looks for candles to "
            + "close; the largest extra delay of an idle candle, and of a live update where commits are rarer.";

    private static final PositiveMillis POSITIVE = new PositiveMillis();

    private MarketConfig() {
    }

    static ConfigDef configDef() {
        String topics = "Market topics";
        String windows = "Market windows";
        int t = 0;
        int w = 0;
        return new ConfigDef()
                .define(TRADES_TOPIC_CONFIG, Type.STRING, "market-trades", new ConfigDef.NonEmptyString(), Importance.HIGH,
                        TRADES_TOPIC_DOC, topics, ++t, Width.MEDIUM, "Trades topic")
                .define(TRADES_KEYED_CONFIG, Type.BOOLEAN, false, Importance.MEDIUM, TRADES_KEYED_DOC, topics, ++t,
                        Width.SHORT, "Trades keyed by symbol")
                .define(CANDLES_TOPIC_CONFIG, Type.STRING, "market-candles-1m", new ConfigDef.NonEmptyString(),
                        Importance.HIGH, CANDLES_TOPIC_DOC, topics, ++t, Width.MEDIUM, "Candles topic")
                .define(LIVE_TOPIC_CONFIG, Type.STRING, "market-candles-live", new ConfigDef.NonEmptyString(),
                        Importance.MEDIUM, LIVE_TOPIC_DOC, topics, ++t, Width.MEDIUM, "Live candles topic")
                .define(HOPPING_TOPIC_CONFIG, Type.STRING, "market-candles-5m", new ConfigDef.NonEmptyString(),
                        Importance.MEDIUM, HOPPING_TOPIC_DOC, topics, ++t, Width.MEDIUM, "Hopping candles topic")
                .define(CANDLE_SIZE_CONFIG, Type.LONG, 60_000L, POSITIVE, Importance.MEDIUM, CANDLE_SIZE_DOC,
                        windows, ++w, Width.SHORT, "Candle size (ms)")
                .define(HOPPING_SIZE_CONFIG, Type.LONG, 300_000L, POSITIVE, Importance.MEDIUM, HOPPING_SIZE_DOC,
                        windows, ++w, Width.SHORT, "Hopping size (ms)")
                .define(HOPPING_ADVANCE_CONFIG, Type.LONG, 60_000L, POSITIVE, Importance.MEDIUM, HOPPING_ADVANCE_DOC,
                        windows, ++w, Width.SHORT, "Hopping advance (ms)")
                .define(GRACE_CONFIG, Type.LONG, 10_000L, ConfigDef.Range.atLeast(0), Importance.MEDIUM, GRACE_DOC,
                        windows, ++w, Width.SHORT, "Grace (ms)")
                .define(IDLE_CLOSE_CONFIG, Type.BOOLEAN, true, Importance.MEDIUM, IDLE_CLOSE_DOC,
                        windows, ++w, Width.SHORT, "Close idle candles")
                .define(IDLE_CLOSE_INTERVAL_CONFIG, Type.LONG, 1_000L, POSITIVE, Importance.LOW, IDLE_CLOSE_INTERVAL_DOC,
                        windows, ++w, Width.SHORT, "Idle close interval (ms)");
    }

    /** The windows of one configuration, checked together (a hopping advance beyond its size is refused here). */
    record Windows(Duration candle, Duration hoppingSize, Duration hoppingAdvance, Duration grace,
                   boolean idleClose, Duration idleCloseInterval) {

        static Windows of(StreamsAppConfig config) {
            Windows w = new Windows(ms(config, CANDLE_SIZE_CONFIG), ms(config, HOPPING_SIZE_CONFIG),
                    ms(config, HOPPING_ADVANCE_CONFIG), ms(config, GRACE_CONFIG), config.getBoolean(IDLE_CLOSE_CONFIG),
                    ms(config, IDLE_CLOSE_INTERVAL_CONFIG));
            if (w.hoppingAdvance.compareTo(w.hoppingSize) > 0) {
                throw new ConfigException(HOPPING_ADVANCE_CONFIG, w.hoppingAdvance.toMillis(),
                        "must not exceed " + HOPPING_SIZE_CONFIG + "=" + w.hoppingSize.toMillis());
            }
            return w;
        }

        private static Duration ms(StreamsAppConfig config, String key) {
            return Duration.ofMillis(config.getLong(key));
        }
    }

    /** Durations and intervals: zero would make windows or punctuation meaningless. */
    private static final class PositiveMillis implements ConfigDef.Validator {
        @Override
        public void ensureValid(String name, Object value) {
            if (value == null || ((Number) value).longValue() <= 0) {
                throw new ConfigException(name, value, "must be a positive number of milliseconds");
            }
        }

        @Override
        public String toString() {
            return "> 0";
        }
    }
}
