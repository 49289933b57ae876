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
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
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
 * its newest payment. The open windows are kept decoded in memory by card, with the cards of each window start beside
 * them (one window plus grace of payments per card, at most {@value VelocityWindow#MAX_LISTED} listed each), so that
 * a payment reads no window bytes and looks up its card once, re-encodes only the window it changed, and closing
 * finds the due windows without a scan.
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
    /** Windows starting before this were emitted (and are no longer open). */
    private long emittedBefore;
    /** The open windows, decoded, by card: one lookup per payment. */
    private final Map<String, Open> byCard = new HashMap<>();
    /** The cards with an open window, by window start: what closing a window start walks. */
    private final TreeMap<Long, List<String>> cardsByStart = new TreeMap<>();

    /** One card's open windows, oldest first, each with its encoded body once it has been encoded. */
    private static final class Open {
        private long[] starts = new long[2];
        private VelocityWindow[] windows = new VelocityWindow[2];
        private byte[][] bodies = new byte[2][];
        private int n;

        /** Index of the window starting at {@code start}, or where it goes, as -(index + 1). */
        int find(long start) {
            for (int i = n - 1; i >= 0; i--) {
                if (starts[i] == start) {
                    return i;
                }
                if (starts[i] < start) {
                    return -(i + 2);
                }
            }
            return -1;
        }

        void set(int i, VelocityWindow w) {
            windows[i] = w;
            bodies[i] = null;
        }

        void insert(int at, long start, VelocityWindow w) {
            if (n == starts.length) {
                starts = Arrays.copyOf(starts, 2 * n);
                windows = Arrays.copyOf(windows, 2 * n);
                bodies = Arrays.copyOf(bodies, 2 * n);
            }
            System.arraycopy(starts, at, starts, at + 1, n - at);
            System.arraycopy(windows, at, windows, at + 1, n - at);
            System.arraycopy(bodies, at, bodies, at + 1, n - at);
            starts[at] = start;
            windows[at] = w;
            bodies[at] = null;
            n++;
        }

        void remove(int i) {
            System.arraycopy(starts, i + 1, starts, i, n - i - 1);
            System.arraycopy(windows, i + 1, windows, i, n - i - 1);
            System.arraycopy(bodies, i + 1, bodies, i, n - i - 1);
            n--;
            windows[n] = null;
            bodies[n] = null;
        }

        CardProfile.EncodedWindows encoded() {
            for (int i = 0; i < n; i++) {
                if (bodies[i] == null) {
                    bodies[i] = FraudSerdes.windowBody(windows[i]);
                }
            }
            return FraudSerdes.windows(starts, bodies, n);
        }
    }

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
        byCard.clear();
        cardsByStart.clear();
        try (KeyValueIterator<String, CardProfile> it = profiles.all()) {
            while (it.hasNext()) {
                KeyValue<String, CardProfile> kv = it.next();
                FraudSerdes.readWindows(changelogName, kv.value.windows(), (start, w) -> {
                    if (start >= emittedBefore) {
                        open(kv.key, start, w);
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
        Open open = byCard.get(record.key());
        if (streamTime >= closesAt) {
            late.send(untyped(record), streamTime, closesAt);
        } else {
            long start = Math.floorDiv(ts, sizeMs) * sizeMs;
            int at = open == null ? -1 : open.find(start);
            if (at >= 0) {
                open.set(at, open.windows[at].add(p.getPaymentId(), ts));
            } else {
                open = open(record.key(), start, VelocityWindow.empty().add(p.getPaymentId(), ts));
            }
        }
        return open == null ? CardProfile.EncodedWindows.NONE : open.encoded();
    }

    /** Opens {@code card}'s window at {@code start} with {@code w} in it. */
    private Open open(String card, long start, VelocityWindow w) {
        Open open = byCard.computeIfAbsent(card, c -> new Open());
        open.insert(-open.find(start) - 1, start, w);
        cardsByStart.computeIfAbsent(start, s -> new ArrayList<>()).add(card);
        return open;
    }

    @SuppressWarnings("unchecked")
    private static Record<Object, Object> untyped(Record<?, ?> record) {
        return (Record<Object, Object>) record;
    }

    /** Forwards every window whose end plus grace stream time has reached, and records that they were. */
    void closeUpTo(long now) {
        long next = emittedBefore;
        while (!cardsByStart.isEmpty() && close.closesAt(cardsByStart.firstKey()) <= now) {
            Map.Entry<Long, List<String>> closing = cardsByStart.pollFirstEntry();
            long start = closing.getKey();
            List<String> cards = closing.getValue();
            Collections.sort(cards);
            for (String card : cards) {
                Open open = byCard.get(card);
                int at = open.find(start);
                VelocityWindow w = open.windows[at];
                open.remove(at);
                if (open.n == 0) {
                    byCard.remove(card);
                }
                Windowed<String> key = new Windowed<>(card, new TimeWindow(start, start + sizeMs));
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
