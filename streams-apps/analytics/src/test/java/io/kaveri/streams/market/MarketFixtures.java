package io.kaveri.streams.market;

import io.kaveri.schemas.market.Candle;
import io.kaveri.schemas.market.Side;
import io.kaveri.schemas.market.Trade;
import io.kaveri.schemas.serde.SpecificAvroSerde;
import io.kaveri.streams.runtime.StreamsAppConfig;
import io.kaveri.streams.testkit.KitDriver;
import io.kaveri.streams.testkit.StreamsTestKit;
import io.kaveri.streams.testkit.Topic;
import io.kaveri.streams.timeline.AppKit;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The market app in a test kit, configured as the launcher would, and trades to feed it. */
final class MarketFixtures {

    static final Instant T0 = StreamsTestKit.DEFAULT_START;
    static final String TRADES = "market-trades";
    static final String CANDLES = "market-candles-1m";
    static final String LIVE = "market-candles-live";
    static final String HOPPING = "market-candles-5m";
    static final String LATE = "kaveri-market-late";
    static final String DLQ = "kaveri-market-dlq";

    private MarketFixtures() {
    }

    /** A kit running the app with the runtime's dead-letter topic and exception handlers. */
    static StreamsTestKit kit(Map<String, String> settings) {
        return AppKit.of(new MarketApp(), settings);
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
        return trade(id, symbol, price, quantity, T0.plusMillis(offsetMs));
    }

    static Trade trade(String id, String symbol, String price, String quantity, Instant ts) {
        return Trade.newBuilder().setTradeId(id).setSymbol(symbol).setPrice(dec(price)).setQuantity(dec(quantity))
                .setSide(Side.BUY).setTs(ts).setVenue("XNAS").build();
    }

    static BigDecimal dec(String value) {
        return new BigDecimal(value).setScale(8);
    }

    /**
     * The definition of final candles, as one batch computation over all trades: group by symbol and window of
     * {@code size} ms; open/close by (time, id); VWAP rounded half-even once. */
    static List<String> batchCandles(List<Trade> trades, long size) {
        return batchCandles(trades, size, size);
    }

    /** The same for hopping windows of {@code size} every {@code advance} ms: a trade is in every window covering it. */
    static List<String> batchCandles(List<Trade> trades, long size, long advance) {
        Map<String, List<Trade>> groups = new TreeMap<>();
        Map<String, Long> starts = new TreeMap<>();
        for (Trade t : trades) {
            long ts = t.getTs().toEpochMilli();
            for (long start = Math.floorDiv(ts, advance) * advance; start > ts - size; start -= advance) {
                String group = t.getSymbol() + "@" + start;
                groups.computeIfAbsent(group, k -> new ArrayList<>()).add(t);
                starts.put(group, start);
            }
        }
        List<String> out = new ArrayList<>();
        Comparator<Trade> byTime = Comparator.comparing((Trade t) -> t.getTs()).thenComparing(Trade::getTradeId);
        for (Map.Entry<String, List<Trade>> group : groups.entrySet()) {
            List<Trade> g = group.getValue();
            g.sort(byTime);
            BigDecimal volume = BigDecimal.ZERO;
            BigDecimal notional = BigDecimal.ZERO;
            for (Trade t : g) {
                volume = volume.add(t.getQuantity());
                notional = notional.add(t.getPrice().multiply(t.getQuantity()));
            }
            long start = starts.get(group.getKey());
            out.add(String.join(" ", g.get(0).getSymbol(), Long.toString(start), g.get(0).getPrice().toPlainString(),
                    g.stream().map(Trade::getPrice).max(BigDecimal::compareTo).orElseThrow().toPlainString(),
                    g.stream().map(Trade::getPrice).min(BigDecimal::compareTo).orElseThrow().toPlainString(),
                    g.get(g.size() - 1).getPrice().toPlainString(), volume.setScale(8).toPlainString(),
                    notional.divide(volume, 8, RoundingMode.HALF_EVEN).toPlainString(), Integer.toString(g.size())));
        }
        return out.stream().sorted().toList();
    }

    /** A candle as the batch computation describes it. */
    static String describe(Candle c) {
        return String.join(" ", c.getSymbol(), Long.toString(c.getWindowStart().toEpochMilli()),
                c.getOpen().toPlainString(), c.getHigh().toPlainString(), c.getLow().toPlainString(),
                c.getClose().toPlainString(), c.getVolume().toPlainString(), c.getVwap().toPlainString(),
                Long.toString(c.getTradeCount()));
    }
}
