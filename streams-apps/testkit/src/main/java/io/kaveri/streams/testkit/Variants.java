package io.kaveri.streams.testkit;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.function.BiFunction;

/**
 * The input generators: arrival orders that real topics produce and that event-time logic must
 * survive. All are reproducible by seed.
 */
public final class Variants {

    private static final InputVariant IN_ORDER = named("inOrder", (records, random) -> range(records.size()));

    private Variants() {
    }

    /** Records sorted by event time; records with equal times keep their relative order. */
    public static <K, V> List<TimedRecord<K, V>> byEventTime(List<TimedRecord<K, V>> records) {
        List<TimedRecord<K, V>> sorted = new ArrayList<>(records);
        sorted.sort(Comparator.comparingLong(TimedRecord::timestamp));
        return sorted;
    }

    /** Event-time order: the baseline every other variant must agree with. */
    public static InputVariant inOrder() {
        return IN_ORDER;
    }

    /**
     * Out of order, but never late: when a record arrives, no record seen before it is more than
     * {@code grace} newer. Each record is delayed by a random amount up to {@code grace} and the
     * records arrive in order of their delayed times, so two records swap only if their times are
     * at most {@code grace} apart.
     */
    public static InputVariant shuffledWithinGrace(Duration grace) {
        long graceMs = nonNegative(grace, "grace");
        return named("shuffledWithinGrace(" + grace + ")", (records, random) -> {
            long[] arrival = new long[records.size()];
            for (int i = 0; i < arrival.length; i++) {
                arrival[i] = records.get(i).timestamp() + (graceMs == 0 ? 0 : random.nextLong(graceMs + 1));
            }
            List<Integer> order = range(records.size());
            order.sort(Comparator.comparingLong(i -> arrival[i]));
            return order;
        });
    }

    /**
     * Some records arrive late: each chosen record (with probability {@code fraction}) arrives
     * after a record at least {@code horizon} newer than itself, so a window operator whose size
     * plus grace is at most {@code horizon} drops it. Records for which the input has no such
     * newer record stay in place.
     */
    public static InputVariant lateBeyond(Duration horizon, double fraction) {
        long horizonMs = nonNegative(horizon, "horizon");
        if (horizonMs == 0) {
            throw new IllegalArgumentException("horizon must be positive: a record cannot be late by zero");
        }
        checkFraction(fraction);
        return named("lateBeyond(" + horizon + ", " + fraction + ")", (records, random) -> {
            List<Integer> order = range(records.size());
            for (int i = records.size() - 1; i >= 0; i--) {
                int firstNewer = firstAtOrAfter(records, records.get(i).timestamp() + horizonMs);
                if (firstNewer < 0 || random.nextDouble() >= fraction) {
                    continue;
                }
                order.remove(Integer.valueOf(i));
                int after = order.indexOf(firstNewer);
                order.add(after + 1 + random.nextInt(order.size() - after), i);
            }
            return order;
        });
    }

    /**
     * At-least-once redelivery: each chosen record (with probability {@code fraction}) arrives
     * a second time, up to three records after the first.
     */
    public static InputVariant duplicated(double fraction) {
        checkFraction(fraction);
        return named("duplicated(" + fraction + ")", (records, random) -> {
            List<Integer> order = range(records.size());
            for (int i = records.size() - 1; i >= 0; i--) {
                if (random.nextDouble() < fraction) {
                    int at = Math.min(order.size(), order.indexOf(i) + 1 + random.nextInt(4));
                    order.add(at, i);
                }
            }
            return order;
        });
    }

    /**
     * Each key's records keep their event-time order, but keys interleave at random, as
     * partitions of one topic do when read together: one key can run far ahead of another.
     */
    public static InputVariant interleavedAcrossKeys() {
        return named("interleavedAcrossKeys", (records, random) -> {
            Map<Object, Deque<Integer>> perKey = new LinkedHashMap<>();
            for (int i = 0; i < records.size(); i++) {
                perKey.computeIfAbsent(records.get(i).key(), k -> new ArrayDeque<>()).add(i);
            }
            List<Deque<Integer>> queues = new ArrayList<>(perKey.values());
            List<Integer> order = new ArrayList<>();
            int remaining = records.size();
            while (remaining > 0) {
                // Picking a queue weighted by its length makes every interleaving equally likely.
                int pick = random.nextInt(remaining);
                for (Deque<Integer> queue : queues) {
                    if (pick < queue.size()) {
                        order.add(queue.poll());
                        break;
                    }
                    pick -= queue.size();
                }
                remaining--;
            }
            return order;
        });
    }

    private static InputVariant named(String name,
                                      BiFunction<List<? extends TimedRecord<?, ?>>, Random, List<Integer>> order) {
        return new InputVariant() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public List<Integer> arrivalOrder(List<? extends TimedRecord<?, ?>> records, Random random) {
                return order.apply(records, random);
            }

            @Override
            public String toString() {
                return name;
            }
        };
    }

    private static List<Integer> range(int size) {
        List<Integer> order = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            order.add(i);
        }
        return order;
    }

    private static int firstAtOrAfter(List<? extends TimedRecord<?, ?>> records, long timestamp) {
        for (int i = 0; i < records.size(); i++) {
            if (records.get(i).timestamp() >= timestamp) {
                return i;
            }
        }
        return -1;
    }

    private static long nonNegative(Duration duration, String what) {
        Objects.requireNonNull(duration, what);
        if (duration.isNegative()) {
            throw new IllegalArgumentException(what + " must not be negative: " + duration);
        }
        return duration.toMillis();
    }

    private static void checkFraction(double fraction) {
        if (!(fraction >= 0.0 && fraction <= 1.0)) {
            throw new IllegalArgumentException("fraction must be in [0, 1]: " + fraction);
        }
    }
}
