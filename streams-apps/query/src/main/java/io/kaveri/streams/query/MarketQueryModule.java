package io.kaveri.streams.query;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kaveri.streams.market.MarketQueries;
import io.kaveri.streams.runtime.StreamsAppConfig;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.query.QueryResult;
import org.apache.kafka.streams.query.StateQueryRequest;
import org.apache.kafka.streams.query.StateQueryResult;
import org.apache.kafka.streams.query.WindowKeyQuery;
import org.apache.kafka.streams.query.WindowRangeQuery;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ValueAndTimestamp;
import org.apache.kafka.streams.state.WindowStoreIterator;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The market app's queries, over its window stores with IQv2:
 * <ul>
 *   <li>{@code /api/market/candles/{symbol}?from=&to=}: the symbol's open 1-minute candle(s) and its 5-minute
 *       hopping aggregates in the store, window start in [from, to]; closed 1-minute candles have left the store
 *       for the candles topic, and reach the dashboard over the event stream;</li>
 *   <li>{@code /api/market/symbols}: every symbol with an open candle, from every instance (fan-out).</li>
 * </ul>
 * Both stores are changelogged, so a standby holds the same data and may answer within the caller's maxLagMs.
 */
final class MarketQueryModule implements QueryModule {

    @Override
    public String app() {
        return "market";
    }

    @Override
    public List<Endpoint> endpoints(KafkaStreams streams, StreamsAppConfig config) {
        Duration candle = MarketQueries.candleSize(config);
        return List.of(
                new Endpoint.Keyed("/candles/{symbol}", MarketQueries.CANDLES_STORE, List.of("from", "to"),
                        p -> p.pathValue("symbol"), true,
                        (params, symbol, partition, activeOnly) -> candles(streams, params, symbol, partition, activeOnly,
                                candle, config)),
                new Endpoint.Global("/symbols", MarketQueries.CANDLES_STORE, List.of(),
                        (params, partitions) -> symbols(streams, partitions, candle), Endpoint.Merger.unionSortedBy("symbol")));
    }

    @Override
    public List<Feed> feeds(StreamsAppConfig config) {
        return List.of(new Feed(MarketQueries.liveTopic(config), "candle"));
    }

    private static LocalRead candles(KafkaStreams streams, Params params, String symbol, int partition, boolean activeOnly,
                                     Duration candle, StreamsAppConfig config) {
        long from = params.time("from", 0);
        long to = params.time("to", Long.MAX_VALUE / 2);
        if (to < from) {
            throw new BadParameterException("to", "to (" + to + ") must not be before from (" + from + ")");
        }
        LocalRead open = window(streams, MarketQueries.CANDLES_STORE, symbol, partition, activeOnly, from, to, candle);
        if (!(open instanceof LocalRead.Found openFound)) {
            return open;
        }
        LocalRead hop = hopping(streams, symbol, partition, activeOnly, from, to, config);
        if (!(hop instanceof LocalRead.Found hopFound)) {
            return hop;
        }
        if (openFound.value().isEmpty() && hopFound.value().isEmpty()) {
            return new LocalRead.Absent("symbol " + symbol + " has no candle in the market stores with a window start "
                    + "between " + Instant.ofEpochMilli(from) + " and " + Instant.ofEpochMilli(to)
                    + " (closed 1-minute candles are on the candles topic)");
        }
        ObjectNode result = Reply.JSON.createObjectNode().put("symbol", symbol);
        result.set("candles", openFound.value());
        result.set("hopping", hopFound.value());
        ObjectNode position = Reply.JSON.createObjectNode();
        position.set(MarketQueries.CANDLES_STORE, openFound.position());
        position.set(MarketQueries.HOPPING_STORE, hopFound.position());
        return new LocalRead.Found(result, position);
    }

    private static LocalRead window(KafkaStreams streams, String store, String symbol, int partition, boolean activeOnly,
                                    long from, long to, Duration size) {
        StateQueryRequest<WindowStoreIterator<Object>> request = StateQueryRequest.inStore(store)
                .withQuery(WindowKeyQuery.<String, Object>withKeyAndWindowStartRange(symbol, Instant.ofEpochMilli(from),
                        Instant.ofEpochMilli(to)))
                .withPartitions(Set.of(partition));
        if (activeOnly) {
            request = request.requireActive();
        }
        return Iq.partition(streams, request, partition, it -> {
            ArrayNode candles = Reply.JSON.createArrayNode();
            try (WindowStoreIterator<Object> windows = it) {
                windows.forEachRemaining(kv -> candles.add(AvroJson.toJson(
                        MarketQueries.candle(symbol, kv.key, size, plain(kv.value)))));
            }
            return new LocalRead.Found(candles, null);
        });
    }

    /** The hopping store holds panes: the windows are merged from every pane from {@code from} on. */
    private static LocalRead hopping(KafkaStreams streams, String symbol, int partition, boolean activeOnly, long from, long to,
                                     StreamsAppConfig config) {
        StateQueryRequest<WindowStoreIterator<Object>> request = StateQueryRequest.inStore(MarketQueries.HOPPING_STORE)
                .withQuery(WindowKeyQuery.<String, Object>withKeyAndWindowStartRange(symbol, Instant.ofEpochMilli(from),
                        Instant.ofEpochMilli(Long.MAX_VALUE / 2)))
                .withPartitions(Set.of(partition));
        if (activeOnly) {
            request = request.requireActive();
        }
        return Iq.partition(streams, request, partition, it -> {
            List<KeyValue<Long, Object>> panes = new ArrayList<>();
            try (WindowStoreIterator<Object> windows = it) {
                windows.forEachRemaining(kv -> panes.add(KeyValue.pair(kv.key, plain(kv.value))));
            }
            ArrayNode candles = Reply.JSON.createArrayNode();
            MarketQueries.hoppingCandles(symbol, panes.iterator(), from, to, config).forEach(c -> candles.add(AvroJson.toJson(c)));
            return new LocalRead.Found(candles, null);
        });
    }

    /** A timestamped window store wraps its values with their timestamp; the market stores are plain today. */
    private static Object plain(Object value) {
        return value instanceof ValueAndTimestamp<?> timestamped ? timestamped.value() : value;
    }

    /** The latest open candle of every symbol of this instance's active partitions. */
    private static LocalRead symbols(KafkaStreams streams, Set<Integer> partitions, Duration candle) {
        StateQueryRequest<KeyValueIterator<Windowed<Object>, Object>> request = StateQueryRequest
                .inStore(MarketQueries.CANDLES_STORE)
                .withQuery(WindowRangeQuery.<Object, Object>withWindowStartRange(Instant.EPOCH,
                        Instant.ofEpochMilli(Long.MAX_VALUE / 2)))
                .withPartitions(partitions).requireActive();
        StateQueryResult<KeyValueIterator<Windowed<Object>, Object>> result = Iq.all(streams, request);
        if (!result.getPartitionResults().keySet().containsAll(partitions)) {
            return new LocalRead.NotReady("partitions " + partitions + " of store " + MarketQueries.CANDLES_STORE
                    + " are assigned here but only " + result.getPartitionResults().keySet() + " answered");
        }
        Map<String, KeyValue<Long, Object>> latest = new TreeMap<>();
        ObjectNode position = Reply.JSON.createObjectNode();
        for (Map.Entry<Integer, QueryResult<KeyValueIterator<Windowed<Object>, Object>>> e
                : result.getPartitionResults().entrySet()) {
            QueryResult<KeyValueIterator<Windowed<Object>, Object>> r = e.getValue();
            if (r.isFailure()) {
                return Iq.failure(MarketQueries.CANDLES_STORE, e.getKey(), r);
            }
            try (KeyValueIterator<Windowed<Object>, Object> it = r.getResult()) {
                it.forEachRemaining(kv -> latest.merge(kv.key.key().toString(),
                        KeyValue.pair(kv.key.window().start(), plain(kv.value)),
                        (a, b) -> a.key >= b.key ? a : b));
            }
            position.set(Integer.toString(e.getKey()), Iq.position(r.getPosition()));
        }
        ArrayNode symbols = Reply.JSON.createArrayNode();
        latest.forEach((symbol, kv) -> symbols.add(AvroJson.toJson(MarketQueries.candle(symbol, kv.key, candle, kv.value))));
        return new LocalRead.Found(symbols, position);
    }
}
