package io.kaveri.streams.fraud;

import io.kaveri.schemas.payments.Payment;
import io.kaveri.streams.runtime.HashStores;
import io.kaveri.streams.runtime.StatefulProcessors;
import org.apache.kafka.common.serialization.Serdes;
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
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Tumbling velocity windows per card, final only: each payment updates the one open window of its card it falls
 * in, and a window is forwarded once, when stream time reaches its end plus grace, then removed from the store.
 * A DSL windowed aggregate followed by {@code suppress(untilWindowCloses)} writes every update twice (window store
 * and suppression buffer, each with its changelog) and restores both; here the store holds only open windows,
 * written once per update (the record cache folds the updates of a commit into one changelog write).
 *
 * <p>The output is the suppression's: windows in order of their end, then card, each with the record timestamp
 * of its newest payment. Payments arrive here on time (late ones went to the late topic before). Which windows
 * close when is kept in memory by window start, rebuilt from the store on start: a window still in the store was
 * not emitted, as its removal is written in the same transaction as its emission.
 */
final class TumblingVelocity implements Processor<String, Payment, Windowed<String>, VelocityWindow> {

    private final String storeName;
    private final long sizeMs;
    private final long graceMs;
    private ProcessorContext<Windowed<String>, VelocityWindow> context;
    private KeyValueStore<Windowed<String>, VelocityWindow> open;
    /** The cards with an open window, by window start; an index into the store, not state of its own. */
    private final TreeMap<Long, Set<String>> byStart = new TreeMap<>();

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
                        FraudSerdes.velocityWindow())
                .withCachingEnabled();
        return StatefulProcessors.withStore(store, () -> new TumblingVelocity(storeName, size, grace));
    }

    @Override
    public void init(ProcessorContext<Windowed<String>, VelocityWindow> context) {
        this.context = context;
        this.open = context.getStateStore(storeName);
        try (KeyValueIterator<Windowed<String>, VelocityWindow> it = open.all()) {
            while (it.hasNext()) {
                Windowed<String> key = it.next().key;
                byStart.computeIfAbsent(key.window().start(), s -> new HashSet<>()).add(key.key());
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
        VelocityWindow w = open.get(key);
        if (w == null) {
            w = VelocityWindow.empty();
            byStart.computeIfAbsent(start, s -> new HashSet<>()).add(record.key());
        }
        open.put(key, w.add(p.getPaymentId(), ts));
    }

    /** Forwards and removes every window whose end plus grace stream time has reached. */
    private void closeUpTo(long now) {
        while (!byStart.isEmpty() && byStart.firstKey() + sizeMs + graceMs <= now) {
            Map.Entry<Long, Set<String>> closing = byStart.pollFirstEntry();
            long start = closing.getKey();
            List<String> cards = new ArrayList<>(closing.getValue());
            cards.sort(null);
            for (String card : cards) {
                Windowed<String> key = new Windowed<>(card, new TimeWindow(start, start + sizeMs));
                VelocityWindow w = open.delete(key);
                if (w != null) {
                    context.forward(new Record<>(key, w, w.last().ts()));
                }
            }
        }
    }
}
