package io.kaveri.streams.fraud;

import io.kaveri.schemas.payments.FraudAlert;
import io.kaveri.schemas.payments.FraudRule;
import io.kaveri.schemas.payments.Payment;
import io.kaveri.streams.runtime.LateRecords;
import io.kaveri.streams.runtime.StreamsAppConfig;
import io.kaveri.streams.testkit.GoldenTopology;
import io.kaveri.streams.testkit.StreamsTestKit;
import io.kaveri.streams.testkit.TestInput;
import io.kaveri.streams.testkit.TestOutput;
import io.kaveri.streams.timeline.AppKit;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.kaveri.streams.fraud.FraudFixtures.DLQ;
import static io.kaveri.streams.fraud.FraudFixtures.H;
import static io.kaveri.streams.fraud.FraudFixtures.M;
import static io.kaveri.streams.fraud.FraudFixtures.S;
import static io.kaveri.streams.fraud.FraudFixtures.T0;
import static io.kaveri.streams.fraud.FraudFixtures.ofRule;
import static io.kaveri.streams.fraud.FraudFixtures.payment;
import static io.kaveri.streams.testkit.KitAssertions.assertDeadLetter;
import static io.kaveri.streams.testkit.KitAssertions.assertHeaders;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** Defaults: tumbling 60 s velocity windows, limit 5, grace 30 s. */
class FraudTopologyTest {

    @RegisterExtension
    final StreamsTestKit kit = FraudFixtures.kit(Map.of(FraudConfig.EVICTION_INTERVAL_CONFIG, "60000",
            FraudConfig.CARD_IDLE_CONFIG, Long.toString(2 * H)));

    private TestInput<byte[], Payment> payments;
    private TestOutput<String, FraudAlert> alerts;
    private TestOutput<String, Payment> late;

    @BeforeEach
    void topics() {
        payments = FraudFixtures.payments(kit.driver());
        alerts = FraudFixtures.alerts(kit.driver());
        late = FraudFixtures.late(kit.driver());
    }

    private void pipe(Payment p) {
        FraudFixtures.pipe(payments, p);
    }

    private List<FraudAlert> read(FraudRule rule) {
        return ofRule(alerts.readAll().stream().map(r -> r.value()).toList(), rule);
    }

    /** Six payments of one card in the window [0, 60 s): one more than the limit. */
    private List<Payment> burst(String card) {
        return List.of(payment("p1", card, "10", "FR", 1 * S), payment("p2", card, "10", "FR", 9 * S),
                payment("p3", card, "10", "FR", 17 * S), payment("p4", card, "10", "FR", 25 * S),
                payment("p5", card, "10", "FR", 40 * S), payment("p6", card, "10", "FR", 58 * S));
    }

    @Test
    void moreThanTheLimitInOneWindowRaisesOneVelocityAlertOnceTheWindowClosesByStreamTime() {
        burst("card-1").forEach(this::pipe);
        for (int i = 1; i <= 5; i++) {
            pipe(payment("q" + i, "card-2", "10", "FR", i * 10 * S)); // at the limit: no alert
        }
        pipe(payment("tick-1", "card-3", "10", "FR", M + 29 * S)); // stream time 89 s: window [0, 60 s) in grace
        assertThat(read(FraudRule.VELOCITY)).isEmpty();

        pipe(payment("tick-2", "card-3", "10", "FR", M + 30 * S)); // 90 s = end + grace: the window closes
        List<TestRecord<String, FraudAlert>> out = alerts.readRecords();
        assertThat(out).singleElement().satisfies(r -> assertThat(r.key()).isEqualTo("card-1"));
        FraudAlert a = out.get(0).value();
        assertThat(a.getRule()).isEqualTo(FraudRule.VELOCITY);
        assertThat(a.getPaymentId()).isEqualTo("p6");
        assertThat(a.getRelatedPaymentIds()).containsExactly("p1", "p2", "p3", "p4", "p5");
        assertThat(a.getMeasures()).containsEntry("count", 6.0).containsEntry("limit", 5.0).containsEntry("windowMs", 60_000.0);
        assertThat(a.getExplanation()).contains("6 payments in 60 s").contains("limit 5");
        assertThat(a.getPaymentTs()).isEqualTo(T0.plusMillis(58 * S));
        assertThat(a.getDetectedAt()).isEqualTo(T0.plusMillis(90 * S));
        assertThat(a.getAlertId()).isEqualTo("velocity-p6");
    }

    @Test
    void outOfOrderPaymentsWithinGraceCountInTheirWindow() {
        List<Payment> b = burst("card-1");
        pipe(b.get(5));
        pipe(payment("next", "card-1", "10", "FR", M + 20 * S)); // stream time 80 s; window 0 open until 90 s
        for (int i = 4; i >= 0; i--) {
            pipe(b.get(i));
        }
        pipe(payment("tick", "card-3", "10", "FR", 3 * M));
        assertThat(read(FraudRule.VELOCITY)).singleElement().satisfies(a -> {
            assertThat(a.getPaymentId()).isEqualTo("p6");
            assertThat(a.getRelatedPaymentIds()).containsExactly("p1", "p2", "p3", "p4", "p5");
        });
        assertThat(late.readAll()).isEmpty();
    }

    @Test
    void aPaymentBeyondGraceGoesToTheLateTopicAndIsNotCountedButOtherRulesStillSeeIt() {
        List<Payment> b = burst("card-1");
        b.subList(0, 5).forEach(this::pipe);
        pipe(payment("tick", "card-3", "10", "FR", M + 40 * S)); // 100 s: window [0, 60 s) closed at 90 s
        pipe(b.get(5));                                          // sixth payment, 42 s too late

        List<TestRecord<String, Payment>> lateRecords = late.readRecords();
        assertThat(lateRecords).extracting(r -> r.value().getPaymentId()).containsExactly("p6");
        assertHeaders(lateRecords.get(0)).hasString(LateRecords.ROUTE_HEADER, FraudTopology.VELOCITY)
                .hasString(LateRecords.WINDOW_CLOSE_HEADER, Long.toString(T0.toEpochMilli() + 90 * S));
        pipe(payment("tick-2", "card-3", "10", "FR", 5 * M));
        assertThat(read(FraudRule.VELOCITY)).isEmpty();
        assertThat(metric("late-records-total", FraudTopology.VELOCITY)).isEqualTo(1.0);
        CardProfile profile = kit.driver().stores().get(FraudTopology.CARD_STORE, "card-1");
        assertThat(profile.amounts().count()).as("the late payment still feeds the amount profile").isEqualTo(6);
    }

    @Test
    void aRedeliveredPaymentCountsOnceForEveryRule() {
        List<Payment> b = burst("card-1");
        b.subList(0, 5).forEach(this::pipe);
        pipe(b.get(4)); // p5 again: six records, five payments
        pipe(payment("tick", "card-3", "10", "FR", 3 * M));

        assertThat(read(FraudRule.VELOCITY)).isEmpty();
        assertThat(metric("duplicates-total", FraudTopology.DEDUP_STORE)).isEqualTo(1.0);
        CardProfile profile = kit.driver().stores().get(FraudTopology.CARD_STORE, "card-1");
        assertThat(profile.amounts().count()).isEqualTo(5);
    }

    @Test
    void unreadableAndCardlessPaymentsGoToTheDeadLetterTopicAndProcessingContinues() {
        TestInput<byte[], byte[]> raw = kit.driver().input(FraudFixtures.PAYMENTS, Serdes.ByteArray(), Serdes.ByteArray());
        byte[] garbage = "not avro".getBytes(StandardCharsets.UTF_8);
        raw.pipe(null, garbage, T0.toEpochMilli());
        pipe(payment("no-card", "", "10", "FR", 2 * S));
        burst("card-1").forEach(this::pipe);
        pipe(payment("tick", "card-3", "10", "FR", 3 * M));

        List<TestRecord<byte[], byte[]>> dead = kit.driver().rawOutput(DLQ).readRecords();
        assertThat(dead).hasSize(2);
        assertDeadLetter(dead.get(0)).hasCause(SerializationException.class).hasMessageContaining("Unknown magic byte")
                .cameFrom(FraudFixtures.PAYMENTS).hasOriginalValue(garbage);
        assertDeadLetter(dead.get(1)).hasCause(IllegalArgumentException.class)
                .hasMessageContaining("payment no-card on topic payments has no cardId").cameFrom(FraudFixtures.PAYMENTS);
        assertThat(read(FraudRule.VELOCITY)).singleElement()
                .satisfies(a -> assertThat(a.getMeasures()).containsEntry("count", 6.0));
    }

    @Test
    void slidingWindowsCatchABurstAcrossATumblingBoundaryWithOneAlert() {
        List<Payment> straddling = List.of(payment("s1", "card-1", "10", "FR", 40 * S), payment("s2", "card-1", "10", "FR", 45 * S),
                payment("s3", "card-1", "10", "FR", 50 * S), payment("s4", "card-1", "10", "FR", 65 * S),
                payment("s5", "card-1", "10", "FR", 70 * S), payment("s6", "card-1", "10", "FR", 75 * S),
                payment("s7", "card-1", "10", "FR", 80 * S));
        straddling.forEach(this::pipe);
        pipe(payment("tick", "card-3", "10", "FR", 10 * M));
        assertThat(read(FraudRule.VELOCITY)).as("tumbling: 3 and 4 payments in two windows").isEmpty();

        try (var driver = FraudFixtures.kit(Map.of(FraudConfig.VELOCITY_WINDOW_TYPE_CONFIG, "sliding")).open()) {
            TestInput<byte[], Payment> in = FraudFixtures.payments(driver);
            straddling.forEach(p -> FraudFixtures.pipe(in, p));
            FraudFixtures.pipe(in, payment("tick", "card-3", "10", "FR", 10 * M));
            List<FraudAlert> sliding = ofRule(FraudFixtures.alerts(driver).readAll().stream().map(r -> r.value()).toList(),
                    FraudRule.VELOCITY);
            // Windows [15 s, 75 s], [20 s, 80 s] and [41 s, 101 s] all hold 6 or 7 payments: one burst, one alert.
            assertThat(sliding).singleElement().satisfies(a -> {
                assertThat(a.getPaymentId()).isEqualTo("s6");
                assertThat(a.getRelatedPaymentIds()).containsExactly("s1", "s2", "s3", "s4", "s5");
                assertThat(a.getExplanation()).contains("sliding window");
            });
        }
    }

    @Test
    void slidingWindowsKeepTheNeighboursOfAPaymentLongEnoughToCountThem() {
        // Found by VelocityPropertyTest: with a store retention of one window plus grace, the windows of the first
        // three payments expired before the fourth arrived, and its window counted 2 payments instead of 4.
        try (var driver = FraudFixtures.kit(Map.of(FraudConfig.VELOCITY_WINDOW_TYPE_CONFIG, "sliding",
                FraudConfig.VELOCITY_MAX_PAYMENTS_CONFIG, "3", FraudConfig.VELOCITY_GRACE_CONFIG, "20000")).open()) {
            TestInput<byte[], Payment> in = FraudFixtures.payments(driver);
            FraudFixtures.pipe(in, payment("c", "card-1", "10", "FR", 1_208));
            FraudFixtures.pipe(in, payment("a", "card-1", "10", "FR", 1));
            FraudFixtures.pipe(in, payment("b", "card-1", "10", "FR", 1));
            FraudFixtures.pipe(in, payment("x", "card-2", "10", "FR", 34_701));
            // Out of order: its window starting right after it (23.359 s) moves the store's clock, and a store
            // kept for one window plus grace drops every window starting before -56.641 s, card-1's among them.
            FraudFixtures.pipe(in, payment("y", "card-2", "10", "FR", 23_358));
            FraudFixtures.pipe(in, payment("d", "card-1", "10", "FR", 46_731));
            FraudFixtures.pipe(in, payment("tick", "card-3", "10", "FR", 10 * M));
            assertThat(ofRule(FraudFixtures.alerts(driver).readAll().stream().map(r -> r.value()).toList(), FraudRule.VELOCITY))
                    .singleElement().satisfies(a -> {
                        assertThat(a.getPaymentId()).isEqualTo("d");
                        assertThat(a.getRelatedPaymentIds()).containsExactly("a", "b", "c");
                    });
        }
    }

    @Test
    void anAmountFarAboveTheCardsHistoryRaisesAnAmountAnomalyOnlyAfterTheMinimumHistory() {
        String[] usual = {"20", "22", "18", "25", "19", "21", "23", "17", "20", "24"};
        pipe(payment("early", "card-9", "400", "FR", 0)); // first payment: no history, no alert
        for (int i = 0; i < usual.length; i++) {
            pipe(payment("u" + i, "card-1", usual[i], "FR", (i + 1) * H));
        }
        assertThat(read(FraudRule.AMOUNT_ANOMALY)).isEmpty();

        pipe(payment("big", "card-1", "400", "FR", 12 * H));
        FraudAlert a = read(FraudRule.AMOUNT_ANOMALY).get(0);
        assertThat(a.getPaymentId()).isEqualTo("big");
        // The ten usual amounts by hand: mean 209 / 10 = 20.9; squared deviations sum to 60.9, sample variance
        // 60.9 / 9 = 6.7667, deviation 2.6013.
        assertThat(a.getMeasures().get("mean")).isCloseTo(20.9, within(1e-9));
        assertThat(a.getMeasures().get("stddev")).isCloseTo(2.6013, within(1e-4));
        assertThat(a.getMeasures().get("zScore")).isCloseTo((400 - 20.9) / 2.6013, within(0.01));
        assertThat(a.getMeasures()).containsEntry("threshold", 4.0).containsEntry("history", 10.0);
        assertThat(a.getExplanation()).contains("400.0000 EUR").contains("threshold 4.0");
    }

    @Test
    void paymentsInFarCountriesCloserInTimeThanAPlaneAllowsRaiseImpossibleTravel() {
        pipe(payment("paris", "card-1", "30", "FR", 0));
        pipe(payment("tokyo", "card-1", "30", "JP", H));          // ~9,700 km in 1 h
        pipe(payment("brussels", "card-2", "30", "BE", 0));
        pipe(payment("utrecht", "card-2", "30", "NL", 10 * M));   // ~185 km between centroids: below 500 km
        pipe(payment("ny", "card-3", "30", "FR", 0));
        pipe(payment("nyc", "card-3", "30", "US", 12 * H));       // ~7,700 km in 12 h: a flight
        pipe(payment("lost", "card-4", "30", "XX", 0));           // unknown country: not judged

        List<FraudAlert> travel = read(FraudRule.IMPOSSIBLE_TRAVEL);
        assertThat(travel).singleElement().satisfies(a -> {
            assertThat(a.getPaymentId()).isEqualTo("tokyo");
            assertThat(a.getRelatedPaymentIds()).containsExactly("paris");
            assertThat(a.getMeasures().get("distanceKm")).isBetween(9_000.0, 10_500.0);
            assertThat(a.getMeasures().get("speedKmh")).isEqualTo(a.getMeasures().get("distanceKm"));
            assertThat(a.getMeasures()).containsEntry("maxSpeedKmh", 1000.0).containsEntry("exactPositions", 0.0);
            assertThat(a.getExplanation()).contains("FR and JP").contains("1000 km/h");
        });
    }

    @Test
    void aPaymentArrivingOutOfOrderIsComparedWithTheLaterOneToo() {
        pipe(payment("tokyo", "card-1", "30", "JP", 2 * H));
        pipe(payment("paris", "card-1", "30", "FR", H)); // arrives after, happened before
        assertThat(read(FraudRule.IMPOSSIBLE_TRAVEL)).singleElement()
                .satisfies(a -> assertThat(a.getRelatedPaymentIds()).containsExactly("tokyo"));
    }

    @Test
    void cardsIdleLongerThanTheTimeoutAreEvictedByTheWallClockPunctuation() {
        pipe(payment("old", "card-old", "30", "FR", 0));
        pipe(payment("new", "card-new", "30", "FR", 3 * H)); // stream time 3 h: card-old idle for 3 h > 2 h
        assertThat(kit.driver().stores().<String, CardProfile>keyValues(FraudTopology.CARD_STORE)).containsKeys("card-old", "card-new");

        kit.advanceWallClock(Duration.ofMinutes(1));
        assertThat(kit.driver().stores().<String, CardProfile>keyValues(FraudTopology.CARD_STORE)).containsOnlyKeys("card-new");
    }

    @Test
    void aDedupHorizonShorterThanWindowPlusGraceIsRefusedNamingTheKeys() {
        Map<String, Object> values = Map.of(StreamsAppConfig.SCHEMA_REGISTRY_URL_CONFIG, "mock://unused",
                FraudConfig.DEDUP_HORIZON_CONFIG, "60000");
        assertThatThrownBy(() -> new FraudApp().build(StreamsAppConfig.of(new FraudApp(), values)))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(FraudConfig.DEDUP_HORIZON_CONFIG).hasMessageContaining("90000");
    }

    @Test
    void topologyMatchesTheGoldenFile() {
        GoldenTopology.assertTopologyMatches(kit.driver().topology(), "src/test/resources/golden/fraud.txt");
    }

    @Test
    void slidingTopologyMatchesTheGoldenFile() {
        Map<String, Object> values = Map.of(StreamsAppConfig.SCHEMA_REGISTRY_URL_CONFIG, "mock://unused",
                FraudConfig.VELOCITY_WINDOW_TYPE_CONFIG, "sliding");
        GoldenTopology.assertTopologyMatches(new FraudApp().build(StreamsAppConfig.of(new FraudApp(), values)),
                "src/test/resources/golden/fraud-sliding.txt");
    }

    private double metric(String name, String tag) {
        return kit.driver().driver().metrics().entrySet().stream()
                .filter(e -> e.getKey().name().equals(name) && e.getKey().tags().containsValue(tag))
                .mapToDouble(e -> ((Number) e.getValue().metricValue()).doubleValue()).sum();
    }
}
