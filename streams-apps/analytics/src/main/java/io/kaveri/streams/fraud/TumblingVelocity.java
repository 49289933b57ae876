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

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
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
 * its newest payment. The windows are read from the profile the card rules read anyway, and a payment changes the
 * bytes of its own window only (no id decoded, the other windows copied as they are); closing a window reads its
 * card's profile. Beside the store, only the cards of each open window start are kept in memory, for closing.
 */
final class TumblingVelocity {

    private static final String EMITTED_BEFORE = "emitted-before";

    private final long sizeMs;
    private final LateRecords.WindowClose close;
    private final CardRules.Velocity names;
    private ProcessorContext<Object, Object> context;
    private KeyValueStore<String, CardProfile> profiles;
    private String profilesName;
    private KeyValueStore<String, Long> emitted;
    private LateRecords.Route<Object, Object> late;
    /** Windows starting before this were emitted (a profile may still list one until its card pays again). */
    private long emittedBefore;
    /** The cards with an open window, by window start: what closing a window start walks. */
    private final TreeMap<Long, List<String>> cardsByStart = new TreeMap<>();

    TumblingVelocity(Duration size, Duration grace, CardRules.Velocity names) {
        this.sizeMs = size.toMillis();
        this.close = LateRecords.tumbling(size, grace);
        this.names = names;
    }

    /** The one-entry store of the emitted mark. */
    static StoreBuilder<KeyValueStore<String, Long>> emittedStore(String name) {
        return Stores.keyValueStoreBuilder(HashStores.inMemory(name), Serdes.String(), Serdes.Long());
    }

    /** Finds the open windows in the (possibly restored) profiles. */
    void init(ProcessorContext<Object, Object> context, KeyValueStore<String, CardProfile> profiles, String profilesName) {
        this.context = context;
        this.profiles = profiles;
        this.profilesName = profilesName;
        this.emitted = context.getStateStore(names.emittedStore());
        this.late = LateRecords.route(context, names.route(), names.lateSink());
        Long mark = emitted.get(EMITTED_BEFORE);
        this.emittedBefore = mark == null ? Long.MIN_VALUE : mark;
        cardsByStart.clear();
        try (KeyValueIterator<String, CardProfile> it = profiles.all()) {
            while (it.hasNext()) {
                KeyValue<String, CardProfile> kv = it.next();
                FraudSerdes.WindowSlices open = FraudSerdes.slices(profilesName, kv.value.windows());
                for (int i = 0; i < open.size(); i++) {
                    if (open.starts()[i] >= emittedBefore) {
                        cardsByStart.computeIfAbsent(open.starts()[i], s -> new ArrayList<>()).add(kv.key);
                    }
                }
            }
        }
    }

    /**
     * Counts an on-time payment in its card's window and returns the card's open windows, {@code current} being
     * those its profile held; a payment whose window has closed goes to the late topic instead.
     */
    CardProfile.EncodedWindows add(Record<String, Payment> record, long streamTime, CardProfile.EncodedWindows current) {
        Payment p = record.value();
        long ts = p.getTs().toEpochMilli();
        long closesAt = close.closesAt(record.timestamp());
        boolean isLate = streamTime >= closesAt;
        if (isLate) {
            late.send(untyped(record), streamTime, closesAt);
        }
        FraudSerdes.WindowSlices open = FraudSerdes.slices(profilesName, current);
        int capacity = open.size() + 1;
        long[] starts = new long[capacity];
        byte[][] bytes = new byte[capacity][];
        int[] from = new int[capacity];
        int[] to = new int[capacity];
        int n = 0;
        long start = Math.floorDiv(ts, sizeMs) * sizeMs;
        boolean placed = isLate;
        for (int i = 0; i < open.size(); i++) {
            long s = open.starts()[i];
            if (s < emittedBefore) {
                continue; // emitted already
            }
            if (!placed && start < s) {
                n = first(record, ts, start, starts, bytes, from, to, n);
                placed = true;
            }
            starts[n] = s;
            if (!placed && start == s) {
                byte[] id = p.getPaymentId().getBytes(StandardCharsets.UTF_8);
                bytes[n] = FraudSerdes.added(open.bytes(), open.from()[i], open.to()[i], ts, p.getPaymentId(), id);
                from[n] = 0;
                to[n] = bytes[n].length;
                placed = true;
            } else {
                bytes[n] = open.bytes();
                from[n] = open.from()[i];
                to[n] = open.to()[i];
            }
            n++;
        }
        if (!placed) {
            n = first(record, ts, start, starts, bytes, from, to, n);
        }
        return FraudSerdes.windows(starts, bytes, from, to, n);
    }

    /** Opens the card's window at {@code start} with its first payment, at index {@code n}; returns the next index. */
    private int first(Record<String, Payment> record, long ts, long start, long[] starts, byte[][] bytes, int[] from,
                      int[] to, int n) {
        byte[] body = FraudSerdes.firstBody(ts, record.value().getPaymentId().getBytes(StandardCharsets.UTF_8));
        starts[n] = start;
        bytes[n] = body;
        from[n] = 0;
        to[n] = body.length;
        cardsByStart.computeIfAbsent(start, s -> new ArrayList<>()).add(record.key());
        return n + 1;
    }

    @SuppressWarnings("unchecked")
    private static Record<Object, Object> untyped(Record<?, ?> record) {
        return (Record<Object, Object>) record;
    }

    /**
     * Forwards every window whose end plus grace stream time has reached, and records that they were. Call it
     * before the current payment's profile is written: it reads the profiles of the cards whose windows close.
     */
    void closeUpTo(long now) {
        long next = emittedBefore;
        while (!cardsByStart.isEmpty() && close.closesAt(cardsByStart.firstKey()) <= now) {
            Map.Entry<Long, List<String>> closing = cardsByStart.pollFirstEntry();
            long start = closing.getKey();
            List<String> cards = closing.getValue();
            Collections.sort(cards);
            for (String card : cards) {
                CardProfile profile = profiles.get(card);
                if (profile == null) {
                    continue; // evicted as idle: an idle timeout shorter than a window leaves nothing to count
                }
                FraudSerdes.WindowSlices open = FraudSerdes.slices(profilesName, profile.windows());
                for (int i = 0; i < open.size(); i++) {
                    if (open.starts()[i] == start) {
                        VelocityWindow w = FraudSerdes.window(profilesName, open.bytes(), open.from()[i], open.to()[i]);
                        Windowed<String> key = new Windowed<>(card, new TimeWindow(start, start + sizeMs));
                        context.forward(new Record<>(key, w, w.last().ts()), names.windowsChild());
                    }
                }
            }
            next = start + sizeMs;
        }
        if (next != emittedBefore) {
            emittedBefore = next;
            emitted.put(EMITTED_BEFORE, next);
        }
    }
}
