package io.kaveri.streams.market;

import io.kaveri.schemas.market.Trade;
import io.kaveri.streams.runtime.LateRecords;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.WindowStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Tumbling candles per symbol with the Processor API, because the DSL's emit-final closes windows only when stream
 * time moves, and stream time only moves when a trade arrives: an idle market would leave its last candle open.
 *
 * <p>Time here is a watermark, never decreasing: the larger of stream time and, when idle closing is on, an
 * estimate of it while idle, {@code stream time + (wall clock now - wall clock when stream time last advanced)}.
 * A window closes once the watermark reaches its end plus grace. It is then emitted once to the final and live
 * topics and deleted from the store; a trade for a window at or behind the watermark is late and goes to the late
 * topic, so a deleted window is never re-opened and no window is emitted twice. The estimate runs from the last
 * trade rather than from the wall clock itself, so a replay of old trades (event time far behind the wall clock)
 * is not declared late wholesale, and a feed lagging behind real time still gets its grace. The watermark is kept
 * in a changelogged store: after a restart or rebalance a trade for a window closed while idle stays late.
 *
 * <p>The live view is emit-on-update at the pace of the record cache, as the DSL's emit-on-update aggregates are: the
 * open candle of a window goes to the live topic when the cache writes the window through, i.e. once per window and
 * commit (every 100 ms under exactly-once; the idle clock asks for a commit when trades came in, so at most its
 * interval late under at-least-once) rather than after every trade, whose send cost as much as the rest of the
 * candle. A closed window's final candle goes out at once and deletes the window, so no open update follows it.
 */
final class CandleProcessor implements Processor<String, Trade, String, SpecificRecord> {

    private static final Logger log = LoggerFactory.getLogger(CandleProcessor.class);
    private static final String WATERMARK_KEY = "watermark";

    /**
     * The route (its name in late headers and metrics), the three sinks this processor forwards to and its two
     * stores.
     */
    record Names(String route, String finalSink, String liveSink, String lateSink, String windowStore, String watermarkStore) {
    }

    private final Names names;
    private final long sizeMs;
    private final long graceMs;
    private final Duration idleCloseInterval;
    private ProcessorContext<String, SpecificRecord> context;
    private WindowStore<String, CandleState> windows;
    private OpenWindows open;
    private KeyValueStore<String, Long> watermarkStore;
    private LateRecords.Route<String, SpecificRecord> late;
    private long watermark = Long.MIN_VALUE;
    private long streamTime = Long.MIN_VALUE;
    private long wallClockAtAdvance;
    /** Whether live updates leave when the record cache writes a window through, rather than after every trade. */
    private boolean liveOnFlush;
    private boolean tradedSinceTick;

    private CandleProcessor(Names names, Duration size, Duration grace, Duration idleCloseInterval) {
        this.names = names;
        this.sizeMs = size.toMillis();
        this.graceMs = grace.toMillis();
        this.idleCloseInterval = idleCloseInterval;
    }

    /** @param idleCloseInterval null to close windows by stream time only */
    static ProcessorSupplier<String, Trade, String, SpecificRecord> supplier(Names names, Duration size, Duration grace,
                                                                             Duration idleCloseInterval) {
        StoreBuilder<WindowStore<String, CandleState>> windowStore = Stores.windowStoreBuilder(
                // Open windows only: a closed one is deleted as it is emitted, before the newest trade's put lets the
                // store expire what is older than the retention. Size plus grace would do; twice that is a margin.
                Stores.inMemoryWindowStore(names.windowStore(), Duration.ofMillis(2 * (size.toMillis() + grace.toMillis())),
                        size, false),
                Serdes.String(), new CandleStateSerde())
                // The record cache holds a symbol's state between commits: the changelog gets one write per symbol
                // and commit instead of one per trade.
                .withCachingEnabled();
        StoreBuilder<KeyValueStore<String, Long>> watermarkStore = Stores.keyValueStoreBuilder(
                Stores.inMemoryKeyValueStore(names.watermarkStore()), Serdes.String(), Serdes.Long());
        return new ProcessorSupplier<>() {
            @Override
            public Processor<String, Trade, String, SpecificRecord> get() {
                return new CandleProcessor(names, size, grace, idleCloseInterval);
            }

            @Override
            public Set<StoreBuilder<?>> stores() {
                return Set.of(windowStore, watermarkStore);
            }
        };
    }

    @Override
    public void init(ProcessorContext<String, SpecificRecord> context) {
        this.context = context;
        this.windows = context.getStateStore(names.windowStore());
        this.open = new OpenWindows(windows);
        this.watermarkStore = context.getStateStore(names.watermarkStore());
        Long restored = watermarkStore.get(WATERMARK_KEY);
        if (restored != null) {
            watermark = restored;
        }
        this.late = LateRecords.route(context, names.route(), names.lateSink());
        this.liveOnFlush = CommitFlush.forwardOnFlush(windows, context, (window, state) -> context.forward(
                live(window.key(), state, window.window().start()), names.liveSink()));
        if (idleCloseInterval != null) {
            context.schedule(idleCloseInterval, PunctuationType.WALL_CLOCK_TIME, this::closeIdle);
        }
    }

    @Override
    public void process(Record<String, Trade> record) {
        long now = context.currentStreamTimeMs();
        if (now > streamTime) {
            streamTime = now;
            wallClockAtAdvance = context.currentSystemTimeMs();
        }
        // Close first: the put below lets the store expire old segments, which must hold no unemitted window.
        advanceTo(streamTime);
        long windowStart = Math.floorDiv(record.timestamp(), sizeMs) * sizeMs;
        long closesAt = windowStart + sizeMs + graceMs;
        long time = Math.max(streamTime, watermark);
        if (closesAt <= time) {
            late.send(record, time, closesAt);
        } else {
            CandleState state = open.get(record.key(), windowStart).add(record.value());
            open.put(record.key(), windowStart, state);
            tradedSinceTick = true;
            if (!liveOnFlush) {
                context.forward(live(record.key(), state, windowStart), names.liveSink());
            }
        }
    }

    private Record<String, SpecificRecord> live(String symbol, CandleState state, long windowStart) {
        return new Record<>(symbol, state.toCandle(symbol, windowStart, windowStart + sizeMs, false), windowStart);
    }

    private void closeIdle(long wallClock) {
        if (liveOnFlush && tradedSinceTick) {
            // Live updates leave at the next commit: at most this interval late even where commits are rare
            // (at-least-once commits every 30 s by default).
            context.commit();
        }
        tradedSinceTick = false;
        if (streamTime == Long.MIN_VALUE) {
            return; // no trade since start: nothing to estimate from, and the store holds no window of this run
        }
        advanceTo(streamTime + Math.max(0, wallClock - wallClockAtAdvance));
    }

    /** Moves the watermark to {@code time} and emits every window that closes on the way. */
    private void advanceTo(long time) {
        if (time <= watermark) {
            return;
        }
        long previous = watermark;
        watermark = time;
        // Windows starting in (previous - size - grace, time - size - grace] close now; the ones before are gone.
        long lastStart = time - sizeMs - graceMs;
        long firstStart = previous == Long.MIN_VALUE ? 0 : Math.max(0, previous - sizeMs - graceMs + 1);
        if (lastStart < firstStart
                || (previous != Long.MIN_VALUE && Math.floorDiv(lastStart, sizeMs) == Math.floorDiv(firstStart - 1, sizeMs))) {
            return; // no window boundary crossed (event times are not negative): nothing can close
        }
        List<KeyValue<Windowed<String>, CandleState>> closing = new ArrayList<>();
        try (KeyValueIterator<Windowed<String>, CandleState> it =
                     windows.fetchAll(Instant.ofEpochMilli(firstStart), Instant.ofEpochMilli(lastStart))) {
            it.forEachRemaining(closing::add);
        }
        for (KeyValue<Windowed<String>, CandleState> entry : closing) {
            String symbol = entry.key.key();
            long start = entry.key.window().start();
            Record<String, SpecificRecord> candle = new Record<>(symbol,
                    entry.value.toCandle(symbol, start, start + sizeMs, true), start);
            context.forward(candle, names.finalSink());
            context.forward(candle, names.liveSink());
            open.delete(symbol, start);
        }
        if (!closing.isEmpty()) {
            watermarkStore.put(WATERMARK_KEY, watermark);
            log.debug("candles closed count={} watermark={} streamTime={}", closing.size(), watermark, streamTime);
        }
    }
}
