package io.kaveri.streams.runtime;

import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.processor.api.ProcessingContext;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Routes records that arrive after their window has closed to a late topic, where Kafka Streams' windowed
 * operations would drop them with nothing but a metric. Apply it right before the windowed operation, in the
 * same sub-topology (no repartition in between), so that it sees the stream time the window sees.
 *
 * <p>A record is late when stream time has reached the moment its last window closes: that window's end plus
 * the grace period, the same rule Kafka Streams applies. Late records are counted in the
 * {@code late-records-rate} and {@code late-records-total} metrics (scope {@code kaveri}, tagged with the route's name
 * and the task) and carry three headers: {@value #ROUTE_HEADER} (a record late for two windowed operations
 * reaches the late topic once per operation, told apart by it), {@value #STREAM_TIME_HEADER} and
 * {@value #WINDOW_CLOSE_HEADER}. Processors that decide lateness themselves use {@link #route} so that
 * their late records look the same.
 */
public final class LateRecords {

    public static final String STREAM_TIME_HEADER = "kaveri.late.stream.time.ms";
    public static final String WINDOW_CLOSE_HEADER = "kaveri.late.window.close.ms";
    public static final String ROUTE_HEADER = "kaveri.late.route";

    private LateRecords() {
    }

    /** When the last window holding a record with a given timestamp closes, in stream time. */
    @FunctionalInterface
    public interface WindowClose {
        long closesAt(long timestamp);
    }

    /** Tumbling windows of {@code size}: the record's only window closes at its end plus grace. */
    public static WindowClose tumbling(Duration size, Duration grace) {
        return hopping(size, size, grace);
    }

    /** Hopping windows: the record's last window is the one starting at the latest advance boundary at or before it. */
    public static WindowClose hopping(Duration size, Duration advance, Duration grace) {
        long sizeMs = size.toMillis();
        long advanceMs = advance.toMillis();
        long graceMs = grace.toMillis();
        if (sizeMs <= 0 || advanceMs <= 0 || advanceMs > sizeMs || graceMs < 0) {
            throw new IllegalArgumentException("windows need 0 < advance <= size and grace >= 0; got size=" + size
                    + " advance=" + advance + " grace=" + grace);
        }
        return t -> Math.floorDiv(t, advanceMs) * advanceMs + sizeMs + graceMs;
    }

    /** Session windows: a record can still join or start a session until inactivity gap plus grace has passed. */
    public static WindowClose session(Duration inactivityGap, Duration grace) {
        long closeAfter = inactivityGap.toMillis() + grace.toMillis();
        return t -> t + closeAfter + 1;
    }

    /**
     * Splits {@code stream}: late records go to {@code lateTopic}, the returned stream holds the others.
     *
     * @param name the base of the processor names ({@code <name>-on-time}, {@code <name>-late}, {@code <name>-late-sink})
     */
    public static <K, V> KStream<K, V> routeLate(KStream<K, V> stream, WindowClose close, String lateTopic,
                                                 Produced<K, V> produced, String name) {
        stream.processValues(() -> new Split<K, V>(close, true, name), Named.as(name + "-late"))
                .to(lateTopic, produced.withName(name + "-late-sink"));
        return stream.processValues(() -> new Split<K, V>(close, false, name), Named.as(name + "-on-time"));
    }

    /** The {@code late-records} rate and total sensor of {@code route} in the task of {@code context}. */
    private static Sensor lateSensor(ProcessingContext context, String route) {
        return context.metrics().addRateTotalSensor("kaveri", route, "late-records", Sensor.RecordingLevel.INFO,
                "task-id", context.taskId().toString());
    }

    /** Sets the late headers, replacing any from an earlier route. */
    private static void markLate(Headers headers, String route, long streamTime, long closesAt) {
        headers.remove(ROUTE_HEADER).remove(STREAM_TIME_HEADER).remove(WINDOW_CLOSE_HEADER)
                .add(ROUTE_HEADER, route.getBytes(StandardCharsets.UTF_8))
                .add(STREAM_TIME_HEADER, Long.toString(streamTime).getBytes(StandardCharsets.UTF_8))
                .add(WINDOW_CLOSE_HEADER, Long.toString(closesAt).getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The late route of a processor that decides lateness itself (created in its {@code init}): its records are
     * counted, marked and routed as those of {@link #routeLate}.
     */
    public static <K, V> Route<K, V> route(ProcessorContext<K, V> context, String route, String lateSink) {
        return new Route<>(context, lateSensor(context, route), route, lateSink);
    }

    /** See {@link #route}. */
    public static final class Route<K, V> {
        private final ProcessorContext<K, V> context;
        private final Sensor sensor;
        private final String route;
        private final String sink;

        private Route(ProcessorContext<K, V> context, Sensor sensor, String route, String sink) {
            this.context = context;
            this.sensor = sensor;
            this.route = route;
            this.sink = sink;
        }

        /** Counts the record, sets its late headers and forwards it to the late sink. */
        public void send(Record<K, ? extends V> record, long streamTime, long closesAt) {
            sensor.record();
            markLate(record.headers(), route, streamTime, closesAt);
            context.forward(record.<V>withValue(record.value()), sink);
        }
    }

    /**
     * Forwards either the late or the on-time records. Two instances see the same stream time for the same
     * record (it is the task's), so every record goes exactly one way.
     */
    private static final class Split<K, V> implements FixedKeyProcessor<K, V, V> {
        private final WindowClose close;
        private final boolean forwardLate;
        private final String name;
        private FixedKeyProcessorContext<K, V> context;
        private Sensor lateSensor;

        Split(WindowClose close, boolean forwardLate, String name) {
            this.close = close;
            this.forwardLate = forwardLate;
            this.name = name;
        }

        @Override
        public void init(FixedKeyProcessorContext<K, V> context) {
            this.context = context;
            if (forwardLate) {
                lateSensor = lateSensor(context, name);
            }
        }

        @Override
        public void process(FixedKeyRecord<K, V> record) {
            long streamTime = context.currentStreamTimeMs();
            long closesAt = close.closesAt(record.timestamp());
            boolean late = streamTime >= closesAt;
            if (late != forwardLate) {
                return;
            }
            if (late) {
                lateSensor.record();
                markLate(record.headers(), name, streamTime, closesAt);
            }
            context.forward(record);
        }
    }
}
