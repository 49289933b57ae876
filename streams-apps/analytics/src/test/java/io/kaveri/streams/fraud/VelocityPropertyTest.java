package io.kaveri.streams.fraud;

import io.kaveri.schemas.payments.FraudAlert;
import io.kaveri.schemas.payments.FraudRule;
import io.kaveri.schemas.payments.Payment;
import io.kaveri.streams.testkit.KitDriver;
import io.kaveri.streams.testkit.StreamsTestKit;
import io.kaveri.streams.testkit.TestInput;
import io.kaveri.streams.testkit.TimedRecord;
import io.kaveri.streams.testkit.Variants;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.Tuple;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

import static io.kaveri.streams.fraud.FraudFixtures.T0;
import static io.kaveri.streams.fraud.FraudFixtures.payment;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Velocity alerts do not depend on arrival order: any shuffle within grace gives the alerts a batch computation
 * over the whole input gives. Tumbling: per card, per window of 60 s, more than 3 payments make one alert naming
 * the newest payment and listing the others oldest first. Sliding: every 60 s span that starts or ends at a
 * payment, in time order, alerts when it holds more than 3 payments all newer than the last alerted one.
 */
class VelocityPropertyTest {

    private static final long WINDOW = 60_000;
    private static final long GRACE = 20_000;
    private static final int LIMIT = 3;

    /** What an analyst would read from an alert, without the stream time it was raised at. */
    record Seen(String card, String payment, List<String> related, double count) {
    }

    @Property(tries = 40)
    void tumblingShuffledWithinGraceGivesTheBatchAlerts(@ForAll("payments") List<Payment> input, @ForAll long seed) {
        check(input, seed, "tumbling", tumblingBatch(input));
    }

    @Property(tries = 40)
    void slidingShuffledWithinGraceGivesTheBatchAlerts(@ForAll("payments") List<Payment> input, @ForAll long seed) {
        check(input, seed, "sliding", slidingBatch(input));
    }

    private static void check(List<Payment> input, long seed, String windowType, Set<Seen> expected) {
        // Both outcomes must be common, or the property would hold vacuously.
        Statistics.label("alerts").collect(expected.isEmpty() ? "none" : "some");
        Statistics.label("alerts").coverage(c -> c.check("some").percentage(p -> p > 20));
        assertThat(run(input, seed, windowType)).isEqualTo(expected);
    }

    private static Set<Seen> run(List<Payment> input, long seed, String windowType) {
        List<TimedRecord<byte[], Payment>> records = input.stream()
                .map(p -> TimedRecord.<byte[], Payment>of(null, p, p.getTs())).toList();
        List<TimedRecord<byte[], Payment>> arrivals = Variants.shuffledWithinGrace(Duration.ofMillis(GRACE)).apply(records, seed);

        StreamsTestKit kit = FraudFixtures.kit(Map.of(FraudConfig.VELOCITY_WINDOW_CONFIG, Long.toString(WINDOW),
                FraudConfig.VELOCITY_GRACE_CONFIG, Long.toString(GRACE), FraudConfig.VELOCITY_MAX_PAYMENTS_CONFIG,
                Integer.toString(LIMIT), FraudConfig.VELOCITY_WINDOW_TYPE_CONFIG, windowType));
        try (KitDriver driver = kit.open()) {
            TestInput<byte[], Payment> in = FraudFixtures.payments(driver);
            arrivals.forEach(in::pipe);
            long last = input.stream().mapToLong(p -> p.getTs().toEpochMilli()).max().orElse(T0.toEpochMilli());
            // A payment of an unrelated card far enough ahead closes every window of the input.
            FraudFixtures.pipe(in, payment("tick", "tick-card", "1", "FR", last - T0.toEpochMilli() + WINDOW + GRACE));
            return FraudFixtures.alerts(driver).readAll().stream().map(r -> r.value())
                    .filter(a -> a.getRule() == FraudRule.VELOCITY).map(VelocityPropertyTest::seen).collect(Collectors.toSet());
        }
    }

    private static Seen seen(FraudAlert a) {
        return new Seen(a.getCardId(), a.getPaymentId(), List.copyOf(a.getRelatedPaymentIds()), a.getMeasures().get("count"));
    }

    /** Tumbling: group by card and window, keep the windows over the limit. */
    static Set<Seen> tumblingBatch(List<Payment> payments) {
        Map<String, List<Payment>> byCardAndWindow = new TreeMap<>();
        for (Payment p : payments) {
            long window = Math.floorDiv(p.getTs().toEpochMilli(), WINDOW);
            byCardAndWindow.computeIfAbsent(p.getCardId() + "@" + window, k -> new ArrayList<>()).add(p);
        }
        return byCardAndWindow.values().stream().filter(ps -> ps.size() > LIMIT).map(ps -> {
            return alert(ps);
        }).collect(Collectors.toSet());
    }

    /**
     * Sliding: the spans [t - 60 s, t] and [t + 1, t + 61 s] of each payment t of a card (bounds inclusive), by
     * start; a span over the limit alerts unless it holds a payment of the previous alert.
     */
    static Set<Seen> slidingBatch(List<Payment> payments) {
        Set<Seen> alerts = new java.util.HashSet<>();
        Map<String, List<Payment>> byCard = payments.stream().collect(Collectors.groupingBy(Payment::getCardId));
        for (List<Payment> card : byCard.values()) {
            java.util.TreeSet<Long> starts = new java.util.TreeSet<>();
            for (Payment p : card) {
                starts.add(p.getTs().toEpochMilli() - WINDOW);
                starts.add(p.getTs().toEpochMilli() + 1);
            }
            long lastAlerted = Long.MIN_VALUE;
            for (long start : starts) {
                List<Payment> in = card.stream().filter(p -> p.getTs().toEpochMilli() >= start
                        && p.getTs().toEpochMilli() <= start + WINDOW).toList();
                long oldest = in.stream().mapToLong(p -> p.getTs().toEpochMilli()).min().orElse(Long.MAX_VALUE);
                if (in.size() > LIMIT && oldest > lastAlerted) {
                    Seen alert = alert(in);
                    alerts.add(alert);
                    lastAlerted = in.stream().mapToLong(p -> p.getTs().toEpochMilli()).max().orElseThrow();
                }
            }
        }
        return alerts;
    }

    private static Seen alert(List<Payment> ps) {
        List<Payment> sorted = ps.stream().sorted(Comparator.comparing(Payment::getTs).thenComparing(Payment::getPaymentId)).toList();
        Payment newest = sorted.get(sorted.size() - 1);
        List<String> others = sorted.subList(0, sorted.size() - 1).stream().map(Payment::getPaymentId).toList();
        return new Seen(newest.getCardId(), newest.getPaymentId(), others, ps.size());
    }

    @Provide
    Arbitrary<List<Payment>> payments() {
        // Few cards over a few minutes: windows over the limit are common, not rare.
        Arbitrary<Tuple.Tuple2<String, Long>> one = Combinators.combine(
                Arbitraries.of("card-a", "card-b", "card-c"), Arbitraries.longs().between(0, 2 * WINDOW)).as(Tuple::of);
        return one.list().ofMinSize(10).ofMaxSize(40).map(list -> {
            List<Payment> out = new ArrayList<>();
            for (int i = 0; i < list.size(); i++) {
                out.add(payment("p" + i, list.get(i).get1(), "10", "FR", list.get(i).get2()));
            }
            return out;
        });
    }
}
