package io.kaveri.streams.fraud;

import io.kaveri.schemas.payments.FraudAlert;
import io.kaveri.schemas.payments.FraudRule;
import io.kaveri.schemas.payments.Payment;
import io.kaveri.streams.runtime.KeyedInput;
import io.kaveri.streams.runtime.StreamsAppConfig;
import io.kaveri.streams.testkit.GoldenTopology;
import io.kaveri.streams.testkit.StreamsTestKit;
import io.kaveri.streams.testkit.TestInput;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static io.kaveri.streams.fraud.FraudFixtures.DLQ;
import static io.kaveri.streams.fraud.FraudFixtures.M;
import static io.kaveri.streams.fraud.FraudFixtures.S;
import static io.kaveri.streams.fraud.FraudFixtures.ofRule;
import static io.kaveri.streams.fraud.FraudFixtures.payment;
import static io.kaveri.streams.testkit.KitAssertions.assertDeadLetter;
import static org.assertj.core.api.Assertions.assertThat;

/** Payments on a topic keyed by card ({@code fraud.payments.keyed.by.card=true}): no repartition, every key checked. */
class FraudKeyedInputTest {

    @RegisterExtension
    final StreamsTestKit kit = FraudFixtures.kit(Map.of(FraudConfig.PAYMENTS_KEYED_BY_CARD_CONFIG, "true"));

    private TestInput<byte[], Payment> payments;

    @BeforeEach
    void topics() {
        payments = FraudFixtures.payments(kit.driver());
    }

    private void pipe(String key, Payment p) {
        payments.pipe(key == null ? null : key.getBytes(StandardCharsets.UTF_8), p, p.getTs().toEpochMilli());
    }

    private List<FraudAlert> alerts() {
        return FraudFixtures.alerts(kit.driver()).readAll().stream().map(r -> r.value()).toList();
    }

    @Test
    void paymentsKeyedByTheirCardAreJudgedAsWithTheRepartition() {
        String[] seconds = {"1", "9", "17", "25", "40", "58"};
        for (int i = 0; i < seconds.length; i++) {
            pipe("card-1", payment("p" + (i + 1), "card-1", "10", "FR", Long.parseLong(seconds[i]) * S));
        }
        pipe("card-1", payment("tokyo", "card-1", "10", "JP", 59 * S)); // FR -> JP in a second: impossible travel
        pipe("card-3", payment("tick", "card-3", "10", "FR", 3 * M));

        List<FraudAlert> out = alerts();
        assertThat(ofRule(out, FraudRule.VELOCITY)).singleElement().satisfies(a -> {
            assertThat(a.getPaymentId()).isEqualTo("tokyo");
            assertThat(a.getCardId()).isEqualTo("card-1");
            assertThat(a.getMeasures()).containsEntry("count", 7.0);
        });
        // Every French payment is less than TravelRule.MIN_GAP_MS before Tokyo: equal speeds, the oldest is named.
        assertThat(ofRule(out, FraudRule.IMPOSSIBLE_TRAVEL)).singleElement()
                .satisfies(a -> assertThat(a.getRelatedPaymentIds()).containsExactly("p1"));
        assertThat(kit.driver().rawOutput(DLQ).readRecords()).isEmpty();
    }

    @Test
    void aPaymentKeyedByAnotherCardOrByNothingGoesToTheDeadLetterTopicNamingTheSettingAndProcessingContinues() {
        pipe("card-2", payment("wrong", "card-1", "10", "FR", S));
        pipe(null, payment("unkeyed", "card-1", "10", "FR", 2 * S));
        pipe("card-1", payment("right", "card-1", "10", "FR", 3 * S));

        List<TestRecord<byte[], byte[]>> dead = kit.driver().rawOutput(DLQ).readRecords();
        assertThat(dead).hasSize(2);
        assertDeadLetter(dead.get(0)).hasCause(KeyedInput.KeyMismatchException.class)
                .hasMessageContaining("keyed 'card-2'").hasMessageContaining("'card-1'")
                .hasMessageContaining(FraudConfig.PAYMENTS_KEYED_BY_CARD_CONFIG).cameFrom(FraudFixtures.PAYMENTS);
        assertDeadLetter(dead.get(1)).hasCause(KeyedInput.KeyMismatchException.class).hasMessageContaining("keyed null");
        CardProfile profile = kit.driver().stores().get(FraudTopology.CARD_STORE, "card-1");
        assertThat(profile.amounts().count()).as("only the rightly keyed payment is judged").isEqualTo(1);
    }

    @Test
    void keyedTopologyMatchesTheGoldenFile() {
        Map<String, Object> values = Map.of(StreamsAppConfig.SCHEMA_REGISTRY_URL_CONFIG, "mock://unused",
                FraudConfig.PAYMENTS_KEYED_BY_CARD_CONFIG, "true");
        GoldenTopology.assertTopologyMatches(new FraudApp().build(StreamsAppConfig.of(new FraudApp(), values)),
                "src/test/resources/golden/fraud-keyed.txt");
    }
}
