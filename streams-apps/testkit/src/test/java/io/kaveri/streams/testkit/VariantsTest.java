package io.kaveri.streams.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.apache.kafka.streams.kstream.Windowed;
import org.junit.jupiter.api.Test;

class VariantsTest {

    private static final Duration GRACE = Duration.ofSeconds(5);

    @Provide
    Arbitrary<List<TimedRecord<String, Integer>>> records() {
        return KitArbitraries.records(Arbitraries.of("a", "b", "c"), Arbitraries.integers().between(0, 9),
                Instant.ofEpochSecond(1_000), Duration.ofMinutes(2), 40);
    }

    // Records are compared by identity: equal records at equal times are still distinct arrivals.
    private static <T> Map<T, Integer> copies(List<T> list) {
        Map<T, Integer> counts = new IdentityHashMap<>();
        list.forEach(item -> counts.merge(item, 1, Integer::sum));
        return counts;
    }

    private static boolean isPermutation(List<?> original, List<?> arrivals) {
        return arrivals.size() == original.size() && copies(arrivals).equals(copies(original));
    }

    @Property(tries = 200)
    void shuffledWithinGraceNeverDeliversALateRecord(@ForAll("records") List<TimedRecord<String, Integer>> records,
                                                    @ForAll long seed) {
        List<TimedRecord<String, Integer>> arrivals = Variants.shuffledWithinGrace(GRACE).apply(records, seed);

        assertThat(isPermutation(records, arrivals)).isTrue();
        long streamTime = Long.MIN_VALUE;
        for (TimedRecord<String, Integer> record : arrivals) {
            assertThat(streamTime).isLessThanOrEqualTo(record.timestamp() + GRACE.toMillis());
            streamTime = Math.max(streamTime, record.timestamp());
        }
    }

    @Property(tries = 200)
    void lateBeyondDelaysChosenRecordsPastTheHorizonAndNothingElse(
            @ForAll("records") List<TimedRecord<String, Integer>> records, @ForAll long seed) {
        Duration horizon = Duration.ofSeconds(15);
        List<TimedRecord<String, Integer>> all = Variants.lateBeyond(horizon, 1.0).apply(records, seed);
        List<TimedRecord<String, Integer>> none = Variants.lateBeyond(horizon, 0.0).apply(records, seed);

        assertThat(none).isEqualTo(Variants.byEventTime(records));
        assertThat(isPermutation(records, all)).isTrue();
        long newest = records.stream().mapToLong(TimedRecord::timestamp).max().orElse(0);
        long streamTime = Long.MIN_VALUE;
        for (TimedRecord<String, Integer> record : all) {
            boolean canBeLate = record.timestamp() + horizon.toMillis() <= newest;
            boolean isLate = streamTime >= record.timestamp() + horizon.toMillis();
            assertThat(isLate).as("%s late (stream time %s)", record, streamTime).isEqualTo(canBeLate);
            streamTime = Math.max(streamTime, record.timestamp());
        }
    }

    @Property(tries = 200)
    void duplicatedRedeliversSoonAfterTheFirstCopy(@ForAll("records") List<TimedRecord<String, Integer>> records,
                                                   @ForAll long seed) {
        List<TimedRecord<String, Integer>> arrivals = Variants.duplicated(0.5).apply(records, seed);

        Map<TimedRecord<String, Integer>, Integer> copies = copies(arrivals);
        assertThat(copies.keySet()).hasSameSizeAs(records);
        assertThat(copies.values()).allMatch(n -> n == 1 || n == 2);
        // A copy lands up to 4 places after its original; other copies may land in between.
        int duplicates = arrivals.size() - records.size();
        for (TimedRecord<String, Integer> record : copies.keySet()) {
            int first = indexOfIdentical(arrivals, record, 0);
            int second = indexOfIdentical(arrivals, record, first + 1);
            assertThat(second == -1 || second - first <= 4 + duplicates).as("copies of %s at %d and %d",
                    record, first, second).isTrue();
        }
        assertThat(Variants.duplicated(0.0).apply(records, seed)).isEqualTo(Variants.byEventTime(records));
    }

    @Property(tries = 200)
    void interleavedAcrossKeysKeepsEachKeysOrder(@ForAll("records") List<TimedRecord<String, Integer>> records,
                                                 @ForAll long seed) {
        List<TimedRecord<String, Integer>> arrivals = Variants.interleavedAcrossKeys().apply(records, seed);

        assertThat(isPermutation(records, arrivals)).isTrue();
        Map<String, List<TimedRecord<String, Integer>>> before = perKey(Variants.byEventTime(records));
        assertThat(perKey(arrivals)).isEqualTo(before);
    }

    @Test
    void sameSeedSameOrderAndSeedsDiffer() {
        List<TimedRecord<String, Integer>> records = records().sampleStream()
                .filter(list -> list.size() > 20).findFirst().orElseThrow();
        InputVariant variant = Variants.interleavedAcrossKeys();

        assertThat(variant.apply(records, 42)).isEqualTo(variant.apply(records, 42));
        Set<List<TimedRecord<String, Integer>>> orders = new HashSet<>();
        for (long seed = 0; seed < 10; seed++) {
            orders.add(variant.apply(records, seed));
        }
        assertThat(orders).hasSizeGreaterThan(1);
        assertThat(variant.name()).isEqualTo("interleavedAcrossKeys");
    }

    @Test
    void badParametersAreRefused() {
        assertThatThrownBy(() -> Variants.shuffledWithinGrace(Duration.ofSeconds(-1)))
                .hasMessage("grace must not be negative: PT-1S");
        assertThatThrownBy(() -> Variants.lateBeyond(Duration.ZERO, 0.5)).hasMessageContaining("horizon must be positive");
        assertThatThrownBy(() -> Variants.duplicated(1.5)).hasMessage("fraction must be in [0, 1]: 1.5");
        assertThatThrownBy(() -> KitArbitraries.arrivals(List.of())).hasMessageContaining("at least one input variant");
    }

    @Provide
    Arbitrary<List<TimedRecord<String, String>>> clickArrivals() {
        return records()
                .map(list -> list.stream().map(r -> TimedRecord.of(r.key(), "page-" + r.value(), r.timestamp())).toList())
                .flatMap(clicks -> KitArbitraries.arrivals(clicks,
                        Variants.shuffledWithinGrace(GRACE), Variants.interleavedAcrossKeys()));
    }

    /** jqwik drives the oracle: generated inputs in generated arrival orders, shrunk by the oracle on failure. */
    @Property(tries = 15)
    void windowedCountHoldsForGeneratedArrivals(@ForAll("clickArrivals") List<TimedRecord<String, String>> arrivals) {
        BatchOracle.of(StreamsTestKit.of(() -> TestTopologies.windowedCount("counts-store")),
                TestTopologies.CLICKS, TestTopologies.COUNTS, VariantsTest::countPerWindow).assertMatches(arrivals);
    }

    private static Map<Windowed<String>, Long> countPerWindow(List<TimedRecord<String, String>> arrivals) {
        return Windowing.accepted(arrivals, TestTopologies.WINDOWS).entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, e -> (long) e.getValue().size()));
    }

    private static Map<String, List<TimedRecord<String, Integer>>> perKey(List<TimedRecord<String, Integer>> list) {
        Map<String, List<TimedRecord<String, Integer>>> out = new HashMap<>();
        list.forEach(r -> out.computeIfAbsent(r.key(), k -> new java.util.ArrayList<>()).add(r));
        return out;
    }

    private static int indexOfIdentical(List<?> list, Object item, int from) {
        for (int i = from; i < list.size(); i++) {
            if (list.get(i) == item) {
                return i;
            }
        }
        return -1;
    }
}
