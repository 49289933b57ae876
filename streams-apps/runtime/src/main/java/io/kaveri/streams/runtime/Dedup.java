package io.kaveri.streams.runtime;

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
import java.util.function.Function;

/**
 * Forwards the first record of each identity seen within a horizon of event time and drops the copies that
 * at-least-once producers and redelivering sources send. Memory is bounded: ids live in an in-memory window
 * store (with a changelog) whose retention is the horizon, so an id is forgotten once stream time has moved
 * that far past it. Apply it after the stream is keyed so that every copy of a record lands in one task.
 * Drops are counted in {@code duplicates-total} (scope {@code kaveri}, tagged with the store's name).
 */
public final class Dedup<K, V> implements FixedKeyProcessor<K, V, V> {

    private static final Logger log = LoggerFactory.getLogger(Dedup.class);

    private final String storeName;
    private final long horizonMs;
    private final Function<V, String> identity;
    private FixedKeyProcessorContext<K, V> context;
    private WindowStore<String, Long> seen;
    private Sensor duplicates;

    private Dedup(String storeName, Duration horizon, Function<V, String> identity) {
        this.storeName = storeName;
        this.horizonMs = horizon.toMillis();
        this.identity = identity;
    }

    /**
     * @param horizon  how long after a record a copy still counts as one: at least as long as the longest time
     *                 the record can still change a result (window plus grace)
     * @param identity what makes two records the same event, e.g. a payment id
     */
    public static <K, V> FixedKeyProcessorSupplier<K, V, V> supplier(String storeName, Duration horizon,
                                                                     Function<V, String> identity) {
        StoreBuilder<WindowStore<String, Long>> store = Stores.windowStoreBuilder(
                // The window size is unused (ids are looked up by time range) but must not exceed the retention.
                Stores.inMemoryWindowStore(storeName, horizon, Duration.ofMillis(1), false),
                Serdes.String(), Serdes.Long());
        return StatefulProcessors.fixedKeyWithStore(store, () -> new Dedup<>(storeName, horizon, identity));
    }

    @Override
    public void init(FixedKeyProcessorContext<K, V> context) {
        this.context = context;
        this.seen = context.getStateStore(storeName);
        this.duplicates = context.metrics().addRateTotalSensor("kaveri", storeName, "duplicates",
                Sensor.RecordingLevel.INFO, "task-id", context.taskId().toString());
    }

    @Override
    public void process(FixedKeyRecord<K, V> record) {
        String id = identity.apply(record.value());
        long ts = record.timestamp();
        boolean duplicate;
        try (WindowStoreIterator<Long> earlier = seen.fetch(id, Instant.ofEpochMilli(ts - horizonMs),
                Instant.ofEpochMilli(ts + horizonMs))) {
            duplicate = earlier.hasNext();
        }
        if (duplicate) {
            duplicates.record();
            log.debug("duplicate dropped store={} id={} key={}", storeName, id, record.key());
            return;
        }
        seen.put(id, ts, ts);
        context.forward(record);
    }
}
