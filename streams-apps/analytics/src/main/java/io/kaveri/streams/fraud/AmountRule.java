package io.kaveri.streams.fraud;

import io.kaveri.schemas.payments.FraudAlert;
import io.kaveri.schemas.payments.FraudRule;
import io.kaveri.schemas.payments.Payment;
import io.kaveri.streams.runtime.RunningStats;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Amount anomaly: a payment whose amount lies more than a threshold of standard deviations above the card's
 * rolling mean, judged against the history before it and only once the card has enough history. Every payment,
 * alerting or not, then joins the history: a holder whose habits change stops alerting after a while, as a
 * human analyst would expect. Only amounts above the mean alert; unusually small payments are not fraud.
 *
 * <p>Amounts are compared as numbers whatever their currency: a card pays almost always in one currency, and a
 * payment abroad in a currency of another magnitude (JPY after EUR) is itself worth a look; the explanation names
 * the currency so that an analyst sees why.
 */
final class AmountRule {

    /**
     * The deviation used is at least this fraction of the mean: a card that always pays the same subscription has
     * no spread at all, and a jump from it must still count as a jump.
     */
    static final double MIN_RELATIVE_STDDEV = 0.05;

    private final double threshold;
    private final int minHistory;
    private final int historyWeight;

    AmountRule(double threshold, int minHistory, int historyWeight) {
        this.threshold = threshold;
        this.minHistory = minHistory;
        this.historyWeight = historyWeight;
    }

    Optional<FraudAlert> judge(RunningStats history, Payment payment, double amount, long streamTime) {
        if (history.count() < minHistory) {
            return Optional.empty();
        }
        double z = history.zScore(amount, Math.abs(history.mean()) * MIN_RELATIVE_STDDEV);
        if (Double.isNaN(z) || z <= threshold) {
            return Optional.empty();
        }
        String explanation = String.format(Locale.ROOT,
                "amount %s %s is %.1f standard deviations above the card's mean %.2f (deviation %.2f over %d payments); threshold %.1f",
                payment.getAmount().toPlainString(), payment.getCurrency(), z, history.mean(), history.sampleStddev(),
                history.count(), threshold);
        return Optional.of(FraudAlert.newBuilder()
                .setAlertId("amount-" + payment.getPaymentId())
                .setPaymentId(payment.getPaymentId())
                .setCardId(payment.getCardId())
                .setRule(FraudRule.AMOUNT_ANOMALY)
                .setExplanation(explanation)
                .setMeasures(Map.of("amount", amount, "zScore", z, "threshold", threshold, "mean", history.mean(),
                        "stddev", history.sampleStddev(), "history", (double) history.count()))
                .setRelatedPaymentIds(List.of())
                .setPaymentTs(payment.getTs())
                .setDetectedAt(Instant.ofEpochMilli(streamTime))
                .build());
    }

    RunningStats learn(RunningStats history, double amount) {
        return history.add(amount, historyWeight);
    }
}
