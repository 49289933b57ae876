package io.kaveri.streams.enrichment;

import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;

import java.util.function.Function;
import java.util.function.ToLongFunction;

/**
 * Passes the first record of each id at each event time and drops repeats: a redelivered impression, view, click
 * or purchase, or a second click on one impression (click-through counts clicked impressions). The event time comes from the value
 * and becomes the record's timestamp, so that a click joined to an impression counts at the impression's time. The window store forgets keys
 * after its retention, which is longer than any record can be on time, so memory stays bounded.
 */
final class FirstSeen<V> implements FixedKeyProcessor<String, V, V> {

    private final String storeName;
    private final ToLongFunction<V> eventTime;
    private final Function<V, String> id;
    private FixedKeyProcessorContext<String, V> context;
    private WindowStore<String, Long> seen;

    /** Deduplicates by {@code id} of the value: the stream may be keyed by something else (the user). */
    FirstSeen(String storeName, ToLongFunction<V> eventTime, Function<V, String> id) {
        this.storeName = storeName;
        this.eventTime = eventTime;
        this.id = id;
    }

    @Override
    public void init(FixedKeyProcessorContext<String, V> context) {
        this.context = context;
        this.seen = context.getStateStore(storeName);
    }

    @Override
    public void process(FixedKeyRecord<String, V> record) {
        long t = eventTime.applyAsLong(record.value());
        String key = id.apply(record.value());
        try (WindowStoreIterator<Long> it = seen.fetch(key, t, t)) {
            if (it.hasNext()) {
                return;
            }
        }
        seen.put(key, t, t);
        context.forward(record.withTimestamp(t));
    }
}
