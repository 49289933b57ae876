package io.kaveri.streams.testkit;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/**
 * jqwik generators for property tests of topologies (jqwik is an optional dependency of the kit:
 * add {@code net.jqwik:jqwik} to use this class). Inputs shrink the jqwik way (fewer records,
 * smaller values); pass them to {@link BatchOracle#check}, which also shrinks arrival orders.
 */
public final class KitArbitraries {

    private KitArbitraries() {
    }

    /**
     * Lists of up to {@code maxSize} records in event-time order, with keys and values from the
     * given arbitraries and event times in {@code [start, start + span)}.
     */
    public static <K, V> Arbitrary<List<TimedRecord<K, V>>> records(Arbitrary<K> keys, Arbitrary<V> values,
                                                                   Instant start, Duration span, int maxSize) {
        Arbitrary<Long> times = Arbitraries.longs().between(0, Math.max(0, span.toMillis() - 1))
                .map(offset -> start.toEpochMilli() + offset);
        return Combinators.combine(keys, values, times).as(TimedRecord::of)
                .list().ofMaxSize(maxSize)
                .map(Variants::byEventTime);
    }

    /** Arrival orders of {@code records}: one of the variants with a random seed. */
    public static <K, V> Arbitrary<List<TimedRecord<K, V>>> arrivals(List<TimedRecord<K, V>> records,
                                                                    InputVariant... variants) {
        if (variants.length == 0) {
            throw new IllegalArgumentException("give at least one input variant");
        }
        return Combinators.combine(Arbitraries.of(variants), Arbitraries.longs())
                .as((variant, seed) -> variant.apply(records, seed));
    }
}
