package io.kaveri.streams.market;

import io.kaveri.schemas.market.Trade;
import io.kaveri.streams.runtime.LateRecords;
import io.kaveri.streams.runtime.StatefulProcessors;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.WindowStore;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/**
 * Hopping candles (e.g. 5 minutes every minute), final only, from panes: each trade updates the one pane it falls
 * in (a stretch of {@link #paneSize} — the advance, or the largest duration dividing both size and advance), and a
 * window is the merge of its panes when it closes. A DSL hopping aggregate reads and writes every window a trade
 * belongs to (five here) and buffers each update again for the suppression; a pane is one read and one write.
 *
 * <p>The output is the DSL's {@code suppress(untilWindowCloses)}: a window is emitted once, when stream time
 * reaches its end plus grace, with every trade on time for it; a trade whose last window has closed goes to the
 * late topic; a trade still on time for some of its windows counts only in those. The last emitted window is not
 * stored: after a restart, stream time resumes from the committed offsets, and every window closed by then was
 * emitted in the same transaction.
 */
final class HoppingCandles implements Processor<String, Trade, String, SpecificRecord> {

    /** The route (its name in late headers and metrics), the two sinks and the pane store. */
    record Names(String route, String finalSink, String lateSink, String paneStore) {
    }

    private final Names names;
    private final long sizeMs;
    private final long advanceMs;
    private final long paneMs;
    private final long graceMs;
    private ProcessorContext<String, SpecificRecord> context;
    private WindowStore<String, CandleState> panes;
    private OpenWindows open;
    private LateRecords.Route<String, SpecificRecord> late;
    /** Start of the last window known closed (emitted now or before a restart); MIN_VALUE before the first trade. */
    private long closedThrough = Long.MIN_VALUE;

    private HoppingCandles(Names names, Duration size, Duration advance, Duration grace) {
        this.names = names;
        this.sizeMs = size.toMillis();
        this.advanceMs = advance.toMillis();
        this.paneMs = paneSize(size, advance).toMillis();
        this.graceMs = grace.toMillis();
    }

    static Duration paneSize(Duration size, Duration advance) {
        long a = size.toMillis();
        long b = advance.toMillis();
        while (b != 0) {
            long r = a % b;
            a = b;
            b = r;
        }
        return Duration.ofMillis(a);
    }

    static ProcessorSupplier<String, Trade, String, SpecificRecord> supplier(Names names, Duration size, Duration advance,
                                                                             Duration grace) {
        Duration pane = paneSize(size, advance);
        StoreBuilder<WindowStore<String, CandleState>> store = Stores.windowStoreBuilder(
                // A pane is needed until the last window holding it closes (its start plus size plus grace); one more
                // pane of margin, so that a window closing is never merged from a pane the store has just expired.
                Stores.inMemoryWindowStore(names.paneStore(), size.plus(grace).plus(pane), pane, false),
                Serdes.String(), new CandleStateSerde())
                // The record cache holds a symbol's state between commits: the changelog gets one write per symbol
                // and commit instead of one per trade.
                .withCachingEnabled();
        return StatefulProcessors.withStore(store, () -> new HoppingCandles(names, size, advance, grace));
    }

    @Override
    public void init(ProcessorContext<String, SpecificRecord> context) {
        this.context = context;
        this.panes = context.getStateStore(names.paneStore());
        this.open = new OpenWindows(panes);
        this.late = LateRecords.route(context, names.route(), names.lateSink());
    }

    @Override
    public void process(Record<String, Trade> record) {
        long now = context.currentStreamTimeMs();
        // Close first, so that the put below cannot let the store expire a pane of a window not yet emitted.
        closeUpTo(now);
        long t = record.timestamp();
        long closesAt = Math.floorDiv(t, advanceMs) * advanceMs + sizeMs + graceMs;
        if (now >= closesAt) {
            late.send(record, now, closesAt);
            return;
        }
        long paneStart = Math.floorDiv(t, paneMs) * paneMs;
        open.put(record.key(), paneStart, open.get(record.key(), paneStart).add(record.value()));
    }

    /** Emits every window that has closed at stream time {@code now} and was not emitted yet. */
    private void closeUpTo(long now) {
        long lastClosing = Math.floorDiv(now - sizeMs - graceMs, advanceMs) * advanceMs;
        if (closedThrough == Long.MIN_VALUE) {
            closedThrough = lastClosing; // the first trade (of this run): what closed before it was emitted before
            return;
        }
        if (lastClosing <= closedThrough) {
            return;
        }
        long first = closedThrough + advanceMs;
        closedThrough = lastClosing;
        // A trade is late once the last window holding it has closed: panes before the next window to close can take
        // no more trades (a pane lies within one advance), and their windows are merged from the store below.
        open.forgetBefore(lastClosing + advanceMs);
        // Every pane of the closing windows, by start then symbol.
        TreeMap<Long, Map<String, CandleState>> byPane = new TreeMap<>();
        try (KeyValueIterator<Windowed<String>, CandleState> it = panes.fetchAll(Instant.ofEpochMilli(first),
                Instant.ofEpochMilli(lastClosing + sizeMs - paneMs))) {
            while (it.hasNext()) {
                KeyValue<Windowed<String>, CandleState> kv = it.next();
                byPane.computeIfAbsent(kv.key.window().start(), s -> new TreeMap<>()).put(kv.key.key(), kv.value);
            }
        }
        if (byPane.isEmpty()) {
            return;
        }
        // Windows without a pane emit nothing: start from the first window that can hold the first pane.
        long start = Math.max(first, Math.floorDiv(byPane.firstKey() - sizeMs, advanceMs) * advanceMs + advanceMs);
        for (; start <= lastClosing && start <= byPane.lastKey(); start += advanceMs) {
            Map<String, CandleState> window = new TreeMap<>();
            for (Map<String, CandleState> pane : byPane.subMap(start, true, start + sizeMs, false).values()) {
                pane.forEach((symbol, state) -> window.computeIfAbsent(symbol, s -> CandleState.empty()).merge(state));
            }
            long end = start + sizeMs;
            for (Map.Entry<String, CandleState> e : window.entrySet()) {
                CandleState state = e.getValue();
                context.forward(new Record<String, SpecificRecord>(e.getKey(), state.toCandle(e.getKey(), start, end, true),
                        state.closeTs), names.finalSink());
            }
        }
    }
}
