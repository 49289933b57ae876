package io.kaveri.streams.testkit;

import static io.kaveri.streams.testkit.TestTopologies.CLICKS;
import static io.kaveri.streams.testkit.TestTopologies.COUNTS;
import static io.kaveri.streams.testkit.TestTopologies.GRACE;
import static io.kaveri.streams.testkit.TestTopologies.LATEST;
import static io.kaveri.streams.testkit.TestTopologies.READINGS;
import static io.kaveri.streams.testkit.TestTopologies.SIZE;
import static io.kaveri.streams.testkit.TestTopologies.WINDOWS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
import org.apache.kafka.streams.kstream.Windowed;
import org.junit.jupiter.api.Test;

class BatchOracleTest {

    private static final String[] USERS = {"ana", "bo", "cy"};

    /** The batch definition of a windowed count: records each window accepts, counted. */
    private static Map<Windowed<String>, Long> countPerWindow(List<TimedRecord<String, String>> arrivals) {
        return Windowing.accepted(arrivals, WINDOWS).entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, e -> (long) e.getValue().size()));
    }

    /** The batch definition of "latest": per key the value with the largest event time (last arrival on ties). */
    private static Map<String, Long> latestPerKey(List<TimedRecord<String, Long>> arrivals) {
        Map<String, TimedRecord<String, Long>> latest = new java.util.HashMap<>();
        for (TimedRecord<String, Long> r : arrivals) {
            latest.merge(r.key(), r, (old, now) -> now.timestamp() >= old.timestamp() ? now : old);
        }
        return latest.values().stream().collect(Collectors.toMap(TimedRecord::key, TimedRecord::value));
    }

    private static List<TimedRecord<String, String>> clicks(long seed, int count) {
        Random random = new Random(seed);
        List<TimedRecord<String, String>> out = new ArrayList<>();
        long t = 1_000_000;
        for (int i = 0; i < count; i++) {
            t += random.nextInt(4_000);
            out.add(TimedRecord.of(USERS[random.nextInt(USERS.length)], "page-" + i, t));
        }
        return out;
    }

    @Test
    void windowedCountAgreesWithItsBatchDefinitionUnderEveryVariant() {
        BatchOracle.of(StreamsTestKit.of(() -> TestTopologies.windowedCount("click-counts-store")),
                        CLICKS, COUNTS, BatchOracleTest::countPerWindow)
                .variants(Variants.shuffledWithinGrace(GRACE), Variants.duplicated(0.3),
                        Variants.interleavedAcrossKeys(), Variants.lateBeyond(SIZE.plus(GRACE), 0.3))
                .seeds(8)
                .check(clicks(7, 40));
    }

    @Test
    void arrivalWindowCountIsCaughtWithATwoRecordCounterExample() {
        BatchOracle<String, String, Windowed<String>, Long> oracle =
                BatchOracle.of(StreamsTestKit.of(TestTopologies::arrivalWindowCount), CLICKS, COUNTS,
                        BatchOracleTest::countPerWindow).variants(Variants.shuffledWithinGrace(GRACE));
        List<TimedRecord<String, String>> input = clicks(11, 30);

        assertThatThrownBy(() -> oracle.check(input))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("arrival order from shuffledWithinGrace(PT5S), seed ")
                .hasMessageContaining("Smallest failing input: 2 of ")
                .hasMessageContaining("expected 1, topology has no value");
    }

    @Test
    void theCounterExampleIsTwoRecordsAcrossAWindowBoundaryNewerFirst() {
        BatchOracle<String, String, Windowed<String>, Long> oracle =
                BatchOracle.of(StreamsTestKit.of(TestTopologies::arrivalWindowCount), CLICKS, COUNTS,
                        BatchOracleTest::countPerWindow);
        // Event-time order passes; the newer record first does not.
        List<TimedRecord<String, String>> inOrder = List.of(TimedRecord.of("ana", "a", 9_000L),
                TimedRecord.of("ana", "b", 10_000L));
        oracle.assertMatches(inOrder);
        List<TimedRecord<String, String>> swapped = inOrder.stream()
                .sorted(Comparator.comparingLong(TimedRecord<String, String>::timestamp).reversed()).toList();

        assertThatThrownBy(() -> oracle.assertMatches(swapped))
                .hasMessageContaining("  ana=b @10000\n  ana=a @9000\n")
                .hasMessageContaining("[ana@0/10000]: expected 1, topology has no value")
                .hasMessageContaining("[ana@10000/20000]: expected 1, topology has 2");
    }

    @Test
    void latestByEventTimeAgreesAndLatestByArrivalIsCaught() {
        List<TimedRecord<String, Long>> readings = new ArrayList<>();
        Random random = new Random(3);
        for (int i = 0; i < 30; i++) {
            readings.add(TimedRecord.of("sensor-" + random.nextInt(4), (long) i, 5_000L + i * 700L));
        }
        InputVariant shuffled = Variants.shuffledWithinGrace(Duration.ofSeconds(3));

        BatchOracle.of(StreamsTestKit.of(TestTopologies::latestByEventTime), READINGS, LATEST,
                BatchOracleTest::latestPerKey).variants(shuffled).seeds(5).check(readings);

        assertThatThrownBy(() -> BatchOracle.of(StreamsTestKit.of(TestTopologies::latestByArrival), READINGS, LATEST,
                BatchOracleTest::latestPerKey).variants(shuffled).check(readings))
                .hasMessageContaining("Smallest failing input: 2 of 30 records")
                .hasMessageMatching("(?s).*sensor-\\d: expected \\d+, topology has \\d+.*");
    }

    @Test
    void aThrowingTopologyIsReportedAsAMismatchWithItsCause() {
        BatchOracle<String, Long, String, Long> oracle = BatchOracle.of(
                StreamsTestKit.of(TestTopologies::latestByEventTime), READINGS, LATEST, arrivals -> {
                    throw new IllegalStateException("batch definition is broken");
                });

        assertThatThrownBy(() -> oracle.check(List.of(TimedRecord.of("s", 1L, 1L))))
                .isInstanceOf(IllegalStateException.class).hasMessage("batch definition is broken");
    }

    @Test
    void oracleRejectsAnEmptySeedCount() {
        BatchOracle<String, Long, String, Long> oracle = BatchOracle.of(
                StreamsTestKit.of(TestTopologies::latestByEventTime), READINGS, LATEST, BatchOracleTest::latestPerKey);
        assertThatThrownBy(() -> oracle.seeds(0)).hasMessageContaining("seeds must be at least 1");
        assertThatThrownBy(() -> oracle.check(List.of()))
                .hasMessageContaining("the batch definition gives no result for these 0 records");
        assertThat(oracle.compare(List.of())).isEmpty();
    }
}
