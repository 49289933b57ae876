package io.kaveri.streams.testkit.example;

import io.kaveri.schemas.serde.SpecificAvroSerde;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.KGroupedStream;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Suppressed;
import org.apache.kafka.streams.kstream.TimeWindows;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.kstream.WindowedSerdes;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.WindowStore;

/**
 * A user's topology, as a team would write it outside Kaveri: Avro orders keyed by order id in,
 * the running spend per customer and the final spend per customer and hour out.
 */
final class OrderTotals {

    static final String ORDERS = "orders";
    static final String CUSTOMER_TOTALS = "customer-totals";
    static final String HOURLY_SPEND = "hourly-spend";
    static final Duration HOUR = Duration.ofHours(1);
    // Shop terminals buffer orders for a few minutes when offline: late by up to five is normal.
    static final Duration GRACE = Duration.ofMinutes(5);
    static final TimeWindows HOURS = TimeWindows.ofSizeAndGrace(HOUR, GRACE);
    static final Serde<Windowed<String>> HOUR_KEYS = WindowedSerdes.timeWindowedSerdeFrom(String.class, HOUR.toMillis());

    private OrderTotals() {
    }

    /** {@code config} carries the serde settings, {@code schema.registry.url} first of all. */
    static Topology build(Map<String, ?> config) {
        SpecificAvroSerde<Order> orders = new SpecificAvroSerde<>();
        orders.configure(config, false);
        StreamsBuilder builder = new StreamsBuilder();
        KGroupedStream<String, Order> byCustomer = builder
                .stream(ORDERS, Consumed.with(Serdes.String(), orders).withName("orders-source"))
                .selectKey((id, order) -> order.getCustomer(), Named.as("key-by-customer"))
                .groupByKey(Grouped.with("orders-by-customer", Serdes.String(), orders));

        byCustomer.aggregate(() -> 0L, (customer, order, total) -> total + order.getAmountCents(),
                        Named.as("sum-per-customer"),
                        Materialized.<String, Long, KeyValueStore<Bytes, byte[]>>as("customer-totals-store")
                                .withKeySerde(Serdes.String()).withValueSerde(Serdes.Long()))
                .toStream(Named.as("customer-totals-to-stream"))
                .to(CUSTOMER_TOTALS, Produced.with(Serdes.String(), Serdes.Long()).withName("customer-totals-sink"));

        byCustomer.windowedBy(HOURS)
                .aggregate(() -> 0L, (customer, order, total) -> total + order.getAmountCents(),
                        Named.as("sum-per-hour"),
                        Materialized.<String, Long, WindowStore<Bytes, byte[]>>as("hourly-spend-store")
                                .withKeySerde(Serdes.String()).withValueSerde(Serdes.Long()))
                .suppress(Suppressed.<Windowed<String>>untilWindowCloses(Suppressed.BufferConfig.unbounded())
                        .withName("hourly-spend-final"))
                .toStream(Named.as("hourly-spend-to-stream"))
                .to(HOURLY_SPEND, Produced.with(HOUR_KEYS, Serdes.Long()).withName("hourly-spend-sink"));
        return builder.build();
    }
}
