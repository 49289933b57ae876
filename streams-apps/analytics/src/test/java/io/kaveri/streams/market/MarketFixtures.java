package io.kaveri.streams.market;

import io.kaveri.schemas.market.Candle;
import io.kaveri.schemas.market.Side;
import io.kaveri.schemas.market.Trade;
import io.kaveri.schemas.serde.SpecificAvroSerde;
import io.kaveri.streams.runtime.StreamsAppConfig;
import io.kaveri.streams.testkit.KitContext;
import io.kaveri.streams.testkit.KitDriver;
import io.kaveri.streams.testkit.StreamsTestKit;
import io.kaveri.streams.testkit.Topic;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/** The market app in a test kit, configured as the launcher would, and trades to feed it. */
final class MarketFixtures {

    static final Instant T0 = StreamsTestKit.DEFAULT_START;
    static final String TRADES = "market-trades";
    static final String CANDLES = "market-candles-1m";
    static final String LIVE = "market-candles-live";
    static final String HOPPING = "market-candles-5m";
    static final String LATE = "kaveri-market-late";
    static final String DLQ = "kaveri-market-dlq";
    private static final Set<String> DRIVER_OWNED = Set.of(StreamsAppConfig.BOOTSTRAP_SERVERS_CONFIG,
            StreamsAppConfig.APPLICATION_ID_CONFIG, StreamsAppConfig.STATE_DIR_CONFIG, StreamsAppConfig.SCHEMA_REGISTRY_URL_CONFIG);

    private MarketFixtures() {
    }

    /** A kit running the topology with the runtime's Streams defaults (dead-letter queue and handlers included). */
    static StreamsTestKit kit(Map<String, Object> appConfig) {
        StreamsTestKit kit = StreamsTestKit.of(context -> MarketTopology.build(config(context, appConfig)));
        Map<String, Object> probe = new HashMap<>(appConfig);
        probe.put(StreamsAppConfig.SCHEMA_REGISTRY_URL_CONFIG, "mock://unused");
        for (Map.Entry<Object, Object> e : StreamsAppConfig.of(new MarketApp(), probe).streamsProperties().entrySet()) {
            if (!DRIVER_OWNED.contains((String) e.getKey())) {
                kit = kit.withConfig((String) e.getKey(), e.getValue());
            }
        }
        return kit;
    }

    static StreamsAppConfig config(KitContext context, Map<String, Object> appConfig) {
        Map<String, Object> values = new HashMap<>(appConfig);
        values.put(StreamsAppConfig.SCHEMA_REGISTRY_URL_CONFIG, context.registryUrl());
        return StreamsAppConfig.of(new MarketApp(), values);
    }

    static <T extends SpecificRecord> Serde<T> avro(KitDriver driver) {
        SpecificAvroSerde<T> serde = new SpecificAvroSerde<>();
        serde.configure(Map.of(StreamsAppConfig.SCHEMA_REGISTRY_URL_CONFIG, driver.context().registryUrl()), false);
        return serde;
    }

    static Topic<byte[], Trade> trades(KitDriver driver) {
        return Topic.of(TRADES, Serdes.ByteArray(), avro(driver));
    }

    static Topic<String, Candle> candles(KitDriver driver, String topic) {
        return Topic.of(topic, Serdes.String(), avro(driver));
    }

    static Topic<String, Trade> late(KitDriver driver) {
        return Topic.of(LATE, Serdes.String(), avro(driver));
    }

    /** A trade at {@code T0 + offsetMs}; prices and quantities as decimal strings with up to 8 decimals. */
    static Trade trade(String id, String symbol, String price, String quantity, long offsetMs) {
        return Trade.newBuilder().setTradeId(id).setSymbol(symbol).setPrice(dec(price)).setQuantity(dec(quantity))
                .setSide(Side.BUY).setTs(T0.plusMillis(offsetMs)).setVenue("XNAS").build();
    }

    static BigDecimal dec(String value) {
        return new BigDecimal(value).setScale(8);
    }
}
