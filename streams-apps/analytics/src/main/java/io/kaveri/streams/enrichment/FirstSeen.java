package io.kaveri.streams.enrichment;

import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;

import java.util.function.ToLongFunction;

/**
 * Passes the first record of each key at each event time and drops repeats: a redelivered impression, or a
 * second click on one impression (click-through counts clicked impressions). The event time comes from the value
 * and becomes the record's timestamp, so that a click joined to an impression counts at the impression's time. The window store forgets keys
 * after its retention, which is longer than any record can be on time, so memory stays bounded.
 */
final class FirstSeen<V> implements FixedKeyProcessor<String, V, V> {

    private final String storeName;
    private final ToLongFunction<V> eventTime;
    private FixedKeyProcessorContext<String, V> context;
    private WindowStore<String, Long> seen;

    FirstSeen(String storeName, ToLongFunction<V> eventTime) {
        this.storeName = storeName;
        this.eventTime = eventTime;
    }

    @Override
    public void init(FixedKeyProcessorContext<String, V> context) {
        this.context = context;
        this.seen = context.getStateStore(storeName);
    }

    @Override
    public void process(FixedKeyRecord<String, V> record) {
        long t = eventTime.applyAsLong(record.value());
        try (WindowStoreIterator<Long> it = seen.fetch(record.key(), t, t)) {
            if (it.hasNext()) {
                return;
            }
        }
        seen.put(record.key(), t, t);
        context.forward(record.withTimestamp(t));
    }
}
