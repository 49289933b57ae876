package io.kaveri.streams.fraud;

import io.kaveri.schemas.payments.Payment;
import io.kaveri.streams.runtime.HashStores;
import io.kaveri.streams.runtime.LateRecords;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.kstream.internals.TimeWindow;
import org.apache.kafka.streams.processor.api.ProcessorContext;
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
 * Tumbling velocity windows per card, final only, for {@link CardRules}: each on-time payment updates the one open
 * window of its card it falls in, and a window is forwarded once, when stream time reaches its end plus grace.
 *
 * <p>A DSL windowed aggregate followed by {@code suppress(untilWindowCloses)} writes every update twice (window store
 * and suppression buffer, each with its changelog); a store of open windows beside the card profiles still writes
 * each payment twice (window, profile) and each closed window once more (its removal). Here a card's open windows
 * ride in its profile's changelog record ({@link CardProfile#windows()}), so a payment writes one record for both,
 * and closing writes none per window: a one-entry store remembers the start before which every window was emitted,
 * written in the same transaction as the emissions, once per window length. A restore rebuilds the open windows from
 * the profiles and skips those before that mark, even if a card's profile still lists one (it is dropped at the
 * card's next payment).
 *
 * <p>The output is the suppression's: windows in order of their end, then card, each with the record timestamp of
 * its newest payment. The open windows are kept decoded in memory by window start (one window plus grace of
 * payments per card, at most {@value VelocityWindow#MAX_LISTED} listed each), so that a payment reads no window
 * bytes and closing finds the due windows without a scan.
 */
final class TumblingVelocity {

    private static final String EMITTED_BEFORE = "emitted-before";

    private final long sizeMs;
    private final LateRecords.WindowClose close;
    private final String emittedStoreName;
    private final String windowsChild;
    private ProcessorContext<Object, Object> context;
    private KeyValueStore<String, Long> emitted;
    private LateRecords.Route<Object, Object> late;
    /** Windows starting before this were emitted (and are not in {@link #byStart}). */
    private long emittedBefore;
    /** The open windows, decoded, by window start then card. */
    private final TreeMap<Long, Map<String, VelocityWindow>> byStart = new TreeMap<>();

    TumblingVelocity(Duration size, Duration grace, String emittedStoreName, String windowsChild) {
        this.sizeMs = size.toMillis();
        this.close = LateRecords.tumbling(size, grace);
        this.emittedStoreName = emittedStoreName;
        this.windowsChild = windowsChild;
    }

    /** The one-entry store of the emitted mark. */
    static StoreBuilder<KeyValueStore<String, Long>> emittedStore(String name) {
        return Stores.keyValueStoreBuilder(HashStores.inMemory(name), Serdes.String(), Serdes.Long());
    }

    /** Rebuilds the open windows from the (possibly restored) profiles. */
    void init(ProcessorContext<Object, Object> context, KeyValueStore<String, CardProfile> profiles, String route,
              String lateSink, String changelogName) {
        this.context = context;
        this.emitted = context.getStateStore(emittedStoreName);
        this.late = LateRecords.route(context, route, lateSink);
        Long mark = emitted.get(EMITTED_BEFORE);
        this.emittedBefore = mark == null ? Long.MIN_VALUE : mark;
        byStart.clear();
        try (KeyValueIterator<String, CardProfile> it = profiles.all()) {
            while (it.hasNext()) {
                KeyValue<String, CardProfile> kv = it.next();
                FraudSerdes.readWindows(changelogName, kv.value.windows(), (start, w) -> {
                    if (start >= emittedBefore) {
                        byStart.computeIfAbsent(start, s -> new HashMap<>()).put(kv.key, w);
                    }
                });
            }
        }
    }

    /**
     * Counts an on-time payment in its card's window and returns the card's open windows to store with its profile;
     * a payment whose window has closed goes to the late topic instead, and the card's windows are returned as
     * they are.
     */
    CardProfile.EncodedWindows add(Record<String, Payment> record, long streamTime) {
        Payment p = record.value();
        long ts = p.getTs().toEpochMilli();
        long closesAt = close.closesAt(record.timestamp());
        if (streamTime >= closesAt) {
            late.send(untyped(record), streamTime, closesAt);
        } else {
            long start = Math.floorDiv(ts, sizeMs) * sizeMs;
            byStart.computeIfAbsent(start, s -> new HashMap<>()).merge(record.key(),
                    VelocityWindow.empty().add(p.getPaymentId(), ts), (before, first) -> before.add(p.getPaymentId(), ts));
        }
        return encodedFor(record.key());
    }

    @SuppressWarnings("unchecked")
    private static Record<Object, Object> untyped(Record<?, ?> record) {
        return (Record<Object, Object>) record;
    }

    private CardProfile.EncodedWindows encodedFor(String card) {
        // As many open starts as window plus grace spans: two or three.
        long[] starts = new long[byStart.size()];
        VelocityWindow[] windows = new VelocityWindow[byStart.size()];
        int n = 0;
        for (Map.Entry<Long, Map<String, VelocityWindow>> open : byStart.entrySet()) {
            VelocityWindow w = open.getValue().get(card);
            if (w != null) {
                starts[n] = open.getKey();
                windows[n++] = w;
            }
        }
        return FraudSerdes.windows(starts, windows, n);
    }

    /** Forwards every window whose end plus grace stream time has reached, and records that they were. */
    void closeUpTo(long now) {
        long next = emittedBefore;
        while (!byStart.isEmpty() && close.closesAt(byStart.firstKey()) <= now) {
            Map.Entry<Long, Map<String, VelocityWindow>> closing = byStart.pollFirstEntry();
            long start = closing.getKey();
            for (Map.Entry<String, VelocityWindow> e : new TreeMap<>(closing.getValue()).entrySet()) {
                VelocityWindow w = e.getValue();
                Windowed<String> key = new Windowed<>(e.getKey(), new TimeWindow(start, start + sizeMs));
                context.forward(new Record<>(key, w, w.last().ts()), windowsChild);
            }
            next = start + sizeMs;
        }
        if (next != emittedBefore) {
            emittedBefore = next;
            emitted.put(EMITTED_BEFORE, next);
        }
    }
}
