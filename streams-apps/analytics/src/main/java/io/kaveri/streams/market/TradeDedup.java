package io.kaveri.streams.market;

import io.kaveri.schemas.market.Trade;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorSupplier;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.Set;

/**
 * Drops redelivered trades: a trade whose (symbol, venue, trade id) was seen within the horizon counts once. Feeds
 * redeliver on reconnect and producers retry, and a candle that counts a trade twice has a wrong volume and VWAP.
 * The horizon is the longest time a trade can still change an open window; a copy arriving after it would be
 * late for every window anyway and goes to the late topic. Drops are counted in {@code duplicate-trades-total}.
 */
final class TradeDedup implements FixedKeyProcessor<String, Trade, Trade> {

    private static final Logger log = LoggerFactory.getLogger(TradeDedup.class);

    private final String storeName;
    private final long horizonMs;
    private FixedKeyProcessorContext<String, Trade> context;
    private WindowStore<String, Long> seen;
    private Sensor duplicates;

    private TradeDedup(String storeName, Duration horizon) {
        this.storeName = storeName;
        this.horizonMs = horizon.toMillis();
    }

    static FixedKeyProcessorSupplier<String, Trade, Trade> supplier(String storeName, Duration horizon) {
        StoreBuilder<WindowStore<String, Long>> store = Stores.windowStoreBuilder(
                // Retention is the horizon: ids older than every open window are of no use. The window size is
                // not used (ids are looked up by time range) but must not exceed the retention.
                Stores.inMemoryWindowStore(storeName, horizon, Duration.ofMillis(1), false),
                Serdes.String(), Serdes.Long());
        return new FixedKeyProcessorSupplier<>() {
            @Override
            public FixedKeyProcessor<String, Trade, Trade> get() {
                return new TradeDedup(storeName, horizon);
            }

            @Override
            public Set<StoreBuilder<?>> stores() {
                return Set.of(store);
            }
        };
    }

    @Override
    public void init(FixedKeyProcessorContext<String, Trade> context) {
        this.context = context;
        this.seen = context.getStateStore(storeName);
        this.duplicates = context.metrics().addRateTotalSensor("kaveri", storeName, "duplicate-trades",
                Sensor.RecordingLevel.INFO, "task-id", context.taskId().toString());
    }

    @Override
    public void process(FixedKeyRecord<String, Trade> record) {
        String id = Trades.identity(record.value());
        long ts = record.timestamp();
        boolean duplicate;
        try (WindowStoreIterator<Long> earlier = seen.fetch(id, Instant.ofEpochMilli(ts - horizonMs),
                Instant.ofEpochMilli(ts + horizonMs))) {
            duplicate = earlier.hasNext();
        }
        if (duplicate) {
            duplicates.record();
            log.debug("duplicate trade dropped trade={} symbol={}", record.value().getTradeId(), record.key());
            return;
        }
        seen.put(id, ts, ts);
        context.forward(record);
    }
}
