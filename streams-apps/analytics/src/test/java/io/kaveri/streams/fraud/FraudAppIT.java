package io.kaveri.streams.fraud;

import io.kaveri.schemas.payments.FraudAlert;
import io.kaveri.schemas.payments.FraudRule;
import io.kaveri.schemas.payments.Payment;
import io.kaveri.stack.LocalStack;
import io.kaveri.stack.LocalStack.Part;
import io.kaveri.streams.RunningApp;
import io.kaveri.test.KaveriStack;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The fraud app on the real broker and registry, run by the runtime as the launcher runs it (exactly-once). */
@KaveriStack({Part.KAFKA, Part.REGISTRY})
class FraudAppIT {

    @Test
    void velocityAndImpossibleTravelAlertsReachTheAlertTopic(LocalStack stack) throws Exception {
        try (RunningApp app = RunningApp.start(stack, new FraudApp(), Map.of(FraudConfig.VELOCITY_GRACE_CONFIG, "5000"))) {
            String payments = app.topic(FraudConfig.PAYMENTS_TOPIC_CONFIG);
            Instant t0 = Instant.now().truncatedTo(ChronoUnit.MINUTES).minus(Duration.ofHours(1));
            for (int i = 0; i < 6; i++) {
                send(app, payments, FraudFixtures.payment("v" + i, "card-fast", "10", "FR", t0.plusSeconds(5L * i)));
            }
            send(app, payments, FraudFixtures.payment("paris", "card-far", "30", "FR", t0));
            send(app, payments, FraudFixtures.payment("tokyo", "card-far", "30", "JP", t0.plusSeconds(3600)));

            List<FraudAlert> alerts = new ArrayList<>();
            try (KafkaConsumer<String, FraudAlert> reader = app.reader(app.topic(FraudConfig.ALERTS_TOPIC_CONFIG))) {
                await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(RunningApp.poll(reader, alerts))
                        .extracting(FraudAlert::getRule, FraudAlert::getPaymentId)
                        .contains(org.assertj.core.api.Assertions.tuple(FraudRule.VELOCITY, "v5"),
                                org.assertj.core.api.Assertions.tuple(FraudRule.IMPOSSIBLE_TRAVEL, "tokyo")));
            }
            FraudAlert velocity = alerts.stream().filter(a -> a.getRule() == FraudRule.VELOCITY).findFirst().orElseThrow();
            assertThat(velocity.getRelatedPaymentIds()).containsExactly("v0", "v1", "v2", "v3", "v4");
        }
    }

    private static void send(RunningApp app, String topic, Payment p) throws Exception {
        app.send(topic, p, p.getTs());
    }
}
