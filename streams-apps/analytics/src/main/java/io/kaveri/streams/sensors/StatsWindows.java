package io.kaveri.streams.sensors;

import io.kaveri.schemas.sensors.SensorReading;
import io.kaveri.streams.runtime.LateRecords;
import io.kaveri.streams.runtime.StatefulProcessors;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.metrics.Sensor;
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
import org.apache.kafka.streams.state.TimestampedWindowStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/**
 * Tumbling-window statistics of each device metric, final only: what a DSL {@code aggregate} followed by
 * {@code suppress(untilWindowCloses)} emits, at one state update per reading instead of an aggregate update plus a
 * suppression-buffer update (each with its changelog write).
 *
 * <p>A window is emitted once, when stream time reaches its end plus grace, with the timestamp of its latest
 * reading, windows in order of start and then of key; a reading whose window has closed goes to the late topic
 * instead. An emitted window is deleted from the store, so the store holds only windows not emitted yet: after a
 * restart, a window that closed while the app was down is emitted with the first reading that follows. The store is
 * the DSL's (same name, layout and changelog), so an app upgraded from the DSL topology keeps its open windows;
 * windows it had already emitted within the last grace period are emitted once more.
 */
final class StatsWindows implements Processor<String, SensorReading, String, SpecificRecord> {

    /** The route (its name in late headers and metrics), the two sinks and the store. */
    record Names(String route, String statsSink, String lateSink, String store) {
    }

    private final Names names;
    private final long sizeMs;
    private final long graceMs;
    private ProcessorContext<String, SpecificRecord> context;
    private TimestampedWindowStore<String, WindowStats> windows;
    private LateRecords.Route<String, SpecificRecord> late;
    /** Start of the last window known emitted in this run; MIN_VALUE until the first reading. */
    private long closedThrough = Long.MIN_VALUE;

    private StatsWindows(Names names, Duration size, Duration grace) {
        this.names = names;
        this.sizeMs = size.toMillis();
        this.graceMs = grace.toMillis();
    }

    static ProcessorSupplier<String, SensorReading, String, SpecificRecord> supplier(Names names, Duration size, Duration grace) {
        StoreBuilder<TimestampedWindowStore<String, WindowStats>> store = Stores.timestampedWindowStoreBuilder(
                        // Retention of window plus grace: a window takes no reading after it closes, and is emitted
                        // (closing runs before the put that could expire it).
                        Stores.inMemoryWindowStore(names.store(), size.plus(grace), size, false),
                        Serdes.String(), WindowStats.serde())
                // The record cache holds a window between commits: the changelog gets one write per device metric
                // and commit instead of one per reading.
                .withCachingEnabled();
        return StatefulProcessors.withStore(store, () -> new StatsWindows(names, size, grace));
    }

    @Override
    public void init(ProcessorContext<String, SpecificRecord> context) {
        this.context = context;
        this.windows = context.getStateStore(names.store());
        this.late = LateRecords.route(context, names.route(), names.lateSink());
    }

    @Override
    public void process(Record<String, SensorReading> record) {
        long now = context.currentStreamTimeMs();
        closeUpTo(now);
        long t = record.timestamp();
        long start = Math.floorDiv(t, sizeMs) * sizeMs;
        long closesAt = start + sizeMs + graceMs;
        if (now >= closesAt) {
            late.send(record, now, closesAt);
            return;
        }
        ValueAndTimestamp<WindowStats> window = windows.fetch(record.key(), start);
        WindowStats stats = window == null ? WindowStats.empty() : window.value();
        long latest = window == null ? t : Math.max(window.timestamp(), t);
        windows.put(record.key(), ValueAndTimestamp.make(stats.add(record.value()), latest), start);
    }

    /** Emits and deletes every window that has closed at stream time {@code now}. */
    private void closeUpTo(long now) {
        long lastClosing = Math.floorDiv(now - sizeMs - graceMs, sizeMs) * sizeMs;
        if (lastClosing <= closedThrough) {
            return;
        }
        // The first scan of a run starts at the epoch: windows left from before a restart were not emitted.
        long first = closedThrough == Long.MIN_VALUE ? 0 : closedThrough + sizeMs;
        closedThrough = lastClosing;
        if (lastClosing < first) {
            return;
        }
        TreeMap<Long, Map<String, ValueAndTimestamp<WindowStats>>> closing = new TreeMap<>();
        try (KeyValueIterator<Windowed<String>, ValueAndTimestamp<WindowStats>> it = windows.fetchAll(
                Instant.ofEpochMilli(first), Instant.ofEpochMilli(lastClosing))) {
            while (it.hasNext()) {
                KeyValue<Windowed<String>, ValueAndTimestamp<WindowStats>> kv = it.next();
                closing.computeIfAbsent(kv.key.window().start(), s -> new TreeMap<>()).put(kv.key.key(), kv.value);
            }
        }
        closing.forEach((start, byKey) -> byKey.forEach((key, window) -> {
            WindowStats stats = window.value();
            context.forward(new Record<String, SpecificRecord>(stats.deviceId(), stats.toAvro(start, start + sizeMs),
                    window.timestamp()), names.statsSink());
            windows.put(key, null, start);
        }));
    }
}
