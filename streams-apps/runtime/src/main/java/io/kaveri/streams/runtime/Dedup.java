package io.kaveri.streams.runtime;

import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorSupplier;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;

/**
 * Forwards the first record of each identity seen within a horizon of event time and drops the copies that
 * at-least-once producers and redelivering sources send. Memory is bounded: ids live in an in-memory hash store
 * ({@link HashStores}, with a changelog), id to event time, and a stream-time punctuation forgets, each tenth of
 * the horizon, the ids more than the horizon behind stream time; an id is so remembered for at least one horizon,
 * and about 1.1 when records arrive in event-time order. The processor keeps the ids in arrival order beside the
 * store, so forgetting visits only the ids it forgets, not the whole store. (An in-memory window store would expire
 * ids by itself, but its range lookup visits every distinct timestamp in the range: with a thousand records a
 * second and a horizon of minutes, that is a scan of the whole store per record.) Apply it after the stream is
 * keyed so that every copy of a record lands in one task.
 * Drops are counted in {@code duplicates-total} (scope {@code kaveri}, tagged with the store's name).
 */
public final class Dedup<K, V> implements FixedKeyProcessor<K, V, V> {

    private static final Logger log = LoggerFactory.getLogger(Dedup.class);

    private final String storeName;
    private final long horizonMs;
    private final Function<V, String> identity;
    private FixedKeyProcessorContext<K, V> context;
    private KeyValueStore<String, Long> seen;
    private Sensor duplicates;
    /** The ids in the store, in the order they arrived: what {@link #forget} walks from the oldest. */
    private final ArrayDeque<Seen> arrivals = new ArrayDeque<>();

    private record Seen(String id, long timestamp) {
    }

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
        StoreBuilder<KeyValueStore<String, Long>> store = Stores.keyValueStoreBuilder(
                HashStores.inMemory(storeName), Serdes.String(), Serdes.Long());
        return StatefulProcessors.fixedKeyWithStore(store, () -> new Dedup<>(storeName, horizon, identity));
    }

    @Override
    public void init(FixedKeyProcessorContext<K, V> context) {
        this.context = context;
        this.seen = context.getStateStore(storeName);
        // After a restore the store holds ids this instance has not seen arrive: order them by event time.
        List<Seen> restored = new ArrayList<>();
        try (KeyValueIterator<String, Long> all = seen.all()) {
            all.forEachRemaining(entry -> restored.add(new Seen(entry.key, entry.value)));
        }
        restored.sort(Comparator.comparingLong(Seen::timestamp));
        arrivals.addAll(restored);
        context.schedule(Duration.ofMillis(Math.max(1, horizonMs / 10)), PunctuationType.STREAM_TIME, this::forget);
        this.duplicates = context.metrics().addRateTotalSensor("kaveri", storeName, "duplicates",
                Sensor.RecordingLevel.INFO, "task-id", context.taskId().toString());
    }

    @Override
    public void process(FixedKeyRecord<K, V> record) {
        String id = identity.apply(record.value());
        long ts = record.timestamp();
        // One lookup: the store writes the id (and its changelog record) only when it was absent.
        if (seen.putIfAbsent(id, ts) != null) {
            duplicates.record();
            log.debug("duplicate dropped store={} id={} key={}", storeName, id, record.key());
            return;
        }
        arrivals.addLast(new Seen(id, ts));
        context.forward(record);
    }

    /**
     * Forgets from the oldest arrival until one is within the horizon. A record that arrived out of order, older
     * than one before it, waits for that one: it is remembered longer, never shorter.
     */
    private void forget(long streamTime) {
        long before = streamTime - horizonMs;
        while (!arrivals.isEmpty() && arrivals.peekFirst().timestamp() < before) {
            seen.delete(arrivals.pollFirst().id());
        }
    }
}
