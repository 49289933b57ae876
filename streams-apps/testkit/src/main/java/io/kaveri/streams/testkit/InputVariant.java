package io.kaveri.streams.testkit;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A way records can arrive other than in event-time order: shuffled within the grace period,
 * late, duplicated, interleaved across keys. A variant only chooses an arrival order (indices into
 * the input, repeats allowed), so one variant serves records of any type. Same seed, same order.
 * {@link Variants} has the common ones.
 */
public interface InputVariant {

    /** A short name that, with the seed, identifies the arrival order in a failure message. */
    String name();

    /**
     * Indices into {@code records} (sorted by event time) in the order they arrive. An index may
     * repeat (a redelivery); every index must appear at least once.
     */
    List<Integer> arrivalOrder(List<? extends TimedRecord<?, ?>> records, Random random);

    /** Sorts {@code records} by event time (stable) and returns them in this variant's arrival order. */
    default <K, V> List<TimedRecord<K, V>> apply(List<TimedRecord<K, V>> records, long seed) {
        List<TimedRecord<K, V>> sorted = Variants.byEventTime(records);
        List<TimedRecord<K, V>> arrivals = new ArrayList<>();
        for (int index : arrivalOrder(sorted, new Random(seed))) {
            arrivals.add(sorted.get(index));
        }
        return arrivals;
    }
}
