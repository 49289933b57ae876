package io.kaveri.streams.fraud;

import io.kaveri.schemas.payments.FraudAlert;
import io.kaveri.schemas.payments.FraudRule;
import io.kaveri.schemas.payments.Payment;
import io.kaveri.streams.testkit.KitDriver;
import io.kaveri.streams.testkit.StreamsTestKit;
import io.kaveri.streams.testkit.TestInput;
import io.kaveri.streams.testkit.TestOutput;
import io.kaveri.streams.timeline.AppKit;
import org.apache.kafka.common.serialization.Serdes;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** The fraud app in a test kit with the runtime's error handling, and payments to feed it. */
final class FraudFixtures {

    static final Instant T0 = StreamsTestKit.DEFAULT_START;
    static final String PAYMENTS = "payments";
    static final String ALERTS = "fraud-alerts";
    static final String LATE = "kaveri-fraud-late";
    static final String DLQ = "kaveri-fraud-dlq";
    static final long S = 1_000;
    static final long M = 60_000;
    static final long H = 3_600_000;

    private FraudFixtures() {
    }

    static StreamsTestKit kit(Map<String, String> settings) {
        return AppKit.of(new FraudApp(), settings);
    }

    static TestInput<byte[], Payment> payments(KitDriver driver) {
        return driver.input(PAYMENTS, Serdes.ByteArray(), AppKit.<Payment>specific(driver, false));
    }

    static TestOutput<String, FraudAlert> alerts(KitDriver driver) {
        return driver.output(ALERTS, Serdes.String(), AppKit.<FraudAlert>specific(driver, false));
    }

    static TestOutput<String, Payment> late(KitDriver driver) {
        return driver.output(LATE, Serdes.String(), AppKit.<Payment>specific(driver, false));
    }

    /** A payment of {@code amount} EUR in {@code country} at {@code T0 + offsetMs}. */
    static Payment payment(String id, String card, String amount, String country, long offsetMs) {
        return payment(id, card, amount, country, T0.plusMillis(offsetMs));
    }

    static Payment payment(String id, String card, String amount, String country, Instant ts) {
        return Payment.newBuilder().setPaymentId(id).setCardId(card).setMerchantId("m-1")
                .setAmount(new BigDecimal(amount).setScale(4)).setCurrency("EUR").setCountry(country).setTs(ts).build();
    }

    static void pipe(TestInput<byte[], Payment> input, Payment p) {
        input.pipe(null, p, p.getTs().toEpochMilli());
    }

    static List<FraudAlert> ofRule(List<FraudAlert> alerts, FraudRule rule) {
        return alerts.stream().filter(a -> a.getRule() == rule).toList();
    }
}
