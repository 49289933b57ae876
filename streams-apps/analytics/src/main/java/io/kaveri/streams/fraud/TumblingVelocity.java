package io.kaveri.streams.fraud;

import io.kaveri.schemas.payments.Payment;
import io.kaveri.streams.runtime.HashStores;
import io.kaveri.streams.runtime.StatefulProcessors;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.kstream.WindowedSerdes;
import org.apache.kafka.streams.kstream.internals.TimeWindow;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Tumbling velocity windows per card, final only: each payment updates the one open window of its card it falls
 * in, and a window is forwarded once, when stream time reaches its end plus grace, then removed from the store.
 * A DSL windowed aggregate followed by {@code suppress(untilWindowCloses)} writes every update twice (window store
 * and suppression buffer, each with its changelog) and restores both; here the store holds only open windows,
 * written once per update and never read back while the task runs.
 *
 * <p>The output is the suppression's: windows in order of their end, then card, each with the record timestamp
 * of its newest payment. Payments arrive here on time (late ones went to the late topic before). The open
 * windows are also kept decoded in memory by window start, rebuilt from the store on start: a window still in the store was
 * not emitted, as its removal is written in the same transaction as its emission. The decoded copy costs the
 * memory of the open windows once more (one window plus grace of payments per card, at most
 * {@value VelocityWindow#MAX_LISTED} listed each).
 */
final class TumblingVelocity implements Processor<String, Payment, Windowed<String>, VelocityWindow> {

    private final String storeName;
    private final long sizeMs;
    private final long graceMs;
    private ProcessorContext<Windowed<String>, VelocityWindow> context;
    private KeyValueStore<Windowed<String>, VelocityWindow> open;
    /**
     * The open windows, decoded, by window start then card: a copy of the store (rebuilt from it on start, written
     * through), so that a payment reads no bytes and closing finds the due windows without a scan.
     */
    private final TreeMap<Long, Map<String, VelocityWindow>> byStart = new TreeMap<>();

    private TumblingVelocity(String storeName, Duration size, Duration grace) {
        this.storeName = storeName;
        this.sizeMs = size.toMillis();
        this.graceMs = grace.toMillis();
    }

    static ProcessorSupplier<String, Payment, Windowed<String>, VelocityWindow> supplier(String storeName, Duration size,
                                                                                       Duration grace) {
        StoreBuilder<KeyValueStore<Windowed<String>, VelocityWindow>> store = Stores.keyValueStoreBuilder(
                        // Looked up by card and window only; the one scan is the index rebuild on start.
                        HashStores.inMemory(storeName),
                        new WindowedSerdes.TimeWindowedSerde<>(Serdes.String(), size.toMillis()),
                        FraudSerdes.velocityWindow());
        // No record cache: it folds the updates of one window within one commit interval (100 ms under exactly-once)
        // into one changelog write, but a card pays a few times a minute, so there is almost never a second update to
        // fold, and the cache's sorted map of byte-array keys cost a fifth of the stream thread for nothing.
        return StatefulProcessors.withStore(store, () -> new TumblingVelocity(storeName, size, grace));
    }

    @Override
    public void init(ProcessorContext<Windowed<String>, VelocityWindow> context) {
        this.context = context;
        this.open = context.getStateStore(storeName);
        try (KeyValueIterator<Windowed<String>, VelocityWindow> it = open.all()) {
            while (it.hasNext()) {
                KeyValue<Windowed<String>, VelocityWindow> kv = it.next();
                byStart.computeIfAbsent(kv.key.window().start(), s -> new HashMap<>()).put(kv.key.key(), kv.value);
            }
        }
    }

    @Override
    public void process(Record<String, Payment> record) {
        closeUpTo(context.currentStreamTimeMs());
        Payment p = record.value();
        long ts = p.getTs().toEpochMilli();
        long start = Math.floorDiv(ts, sizeMs) * sizeMs;
        Windowed<String> key = new Windowed<>(record.key(), new TimeWindow(start, start + sizeMs));
        Map<String, VelocityWindow> cards = byStart.computeIfAbsent(start, s -> new HashMap<>());
        VelocityWindow w = cards.compute(record.key(), (card, before) ->
                (before == null ? VelocityWindow.empty() : before).add(p.getPaymentId(), ts));
        open.put(key, w);
    }

    /** Forwards and removes every window whose end plus grace stream time has reached. */
    private void closeUpTo(long now) {
        while (!byStart.isEmpty() && byStart.firstKey() + sizeMs + graceMs <= now) {
            Map.Entry<Long, Map<String, VelocityWindow>> closing = byStart.pollFirstEntry();
            long start = closing.getKey();
            for (Map.Entry<String, VelocityWindow> e : new TreeMap<>(closing.getValue()).entrySet()) {
                Windowed<String> key = new Windowed<>(e.getKey(), new TimeWindow(start, start + sizeMs));
                // A put of null, not delete(), which would read and decode the value it removes.
                open.put(key, null);
                VelocityWindow w = e.getValue();
                context.forward(new Record<>(key, w, w.last().ts()));
            }
        }
    }
}
