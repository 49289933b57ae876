package io.kaveri.streams.testkit;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.kstream.Window;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.kstream.Windows;

/**
 * The batch side of a windowed aggregation: which records each window accepts. A batch
 * definition that groups with this helper agrees with Kafka Streams on late records, so the
 * oracle can compare them under any arrival order.
 */
public final class Windowing {

    private Windowing() {
    }

    /**
     * Groups records (in arrival order) by key and window, keeping only those a Kafka Streams
     * window aggregation accepts: a record joins a window unless, when it arrives, stream time
     * (the largest timestamp seen so far, its own included) minus the grace period has reached
     * the window's end. This models one input partition feeding the aggregation.
     */
    public static <K, V, W extends Window> Map<Windowed<K>, List<V>> accepted(
            List<TimedRecord<K, V>> arrivals, Windows<W> windows) {
        Map<Windowed<K>, List<V>> out = new LinkedHashMap<>();
        long streamTime = Long.MIN_VALUE;
        for (TimedRecord<K, V> record : arrivals) {
            streamTime = Math.max(streamTime, record.timestamp());
            long closeTime = streamTime - windows.gracePeriodMs();
            for (W window : windows.windowsFor(record.timestamp()).values()) {
                if (window.end() > closeTime) {
                    out.computeIfAbsent(new Windowed<>(record.key(), window), w -> new ArrayList<>())
                            .add(record.value());
                }
            }
        }
        return out;
    }
}
