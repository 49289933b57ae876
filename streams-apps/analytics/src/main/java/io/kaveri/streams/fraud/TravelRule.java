package io.kaveri.streams.fraud;

import io.kaveri.schemas.payments.FraudAlert;
import io.kaveri.schemas.payments.FraudRule;
import io.kaveri.schemas.payments.Payment;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Impossible travel: a payment compared with each of the card's recent located payments (either side of it in
 * event time, so a payment arriving out of order is judged too); the pair needing the highest speed fires if that
 * speed exceeds what a plane can do and the two points are far enough apart to trust (see
 * {@link FraudConfig#TRAVEL_MIN_DISTANCE_CONFIG}). One alert per payment at most, naming the other payment.
 */
final class TravelRule {

    /** Gaps shorter than this count as this long: two payments in the same second would divide by zero. */
    static final long MIN_GAP_MS = 60_000;

    private final double maxSpeedKmh;
    private final double minDistanceKm;
    private final long horizonMs;
    private final CountryCentroids centroids;

    TravelRule(double maxSpeedKmh, double minDistanceKm, long horizonMs, CountryCentroids centroids) {
        this.maxSpeedKmh = maxSpeedKmh;
        this.minDistanceKm = minDistanceKm;
        this.horizonMs = horizonMs;
        this.centroids = centroids;
    }

    /** Where the payment was made: its own coordinates, else its country's centroid, else unknown. */
    Optional<CardProfile.Visit> locate(Payment p) {
        long ts = p.getTs().toEpochMilli();
        if (p.getLatitude() != null && p.getLongitude() != null) {
            return Optional.of(new CardProfile.Visit(p.getPaymentId(), ts, p.getCountry(), p.getLatitude(), p.getLongitude(), true));
        }
        return centroids.of(p.getCountry()).map(c -> new CardProfile.Visit(p.getPaymentId(), ts, p.getCountry(),
                c.latitude(), c.longitude(), false));
    }

    Optional<FraudAlert> judge(Visits history, CardProfile.Visit here, Payment payment, long streamTime) {
        int worstAt = -1;
        double worstSpeed = 0;
        double worstKm = 0;
        byte[] hereId = null;
        for (int i = 0; i < history.size(); i++) {
            long gap = Math.abs(here.ts() - history.ts(i));
            if (gap > horizonMs) {
                continue;
            }
            if (history.latitude(i) == here.latitude() && history.longitude(i) == here.longitude()) {
                // No distance, no speed (most payments of a card are made where its last one was): this pair can
                // never be the fastest, so skip the trigonometry.
                continue;
            }
            if (hereId == null) {
                hereId = here.paymentId().getBytes(StandardCharsets.UTF_8);
            }
            if (history.isPayment(i, hereId)) {
                continue;
            }
            double km = here.position().kmTo(new CountryCentroids.Position(history.latitude(i), history.longitude(i)));
            double speed = km / (Math.max(gap, MIN_GAP_MS) / 3_600_000.0);
            if (km >= minDistanceKm && speed > worstSpeed) {
                worstAt = i;
                worstSpeed = speed;
                worstKm = km;
            }
        }
        CardProfile.Visit worst = worstAt < 0 ? null : history.get(worstAt);
        if (worst == null || worstSpeed <= maxSpeedKmh) {
            return Optional.empty();
        }
        double minutes = Math.abs(here.ts() - worst.ts()) / 60_000.0;
        String explanation = String.format(Locale.ROOT,
                "payments in %s and %s %.0f km apart within %.0f min need %.0f km/h; a plane does at most %.0f km/h",
                worst.country(), here.country(), worstKm, minutes, worstSpeed, maxSpeedKmh);
        return Optional.of(FraudAlert.newBuilder()
                .setAlertId("travel-" + payment.getPaymentId())
                .setPaymentId(payment.getPaymentId())
                .setCardId(payment.getCardId())
                .setRule(FraudRule.IMPOSSIBLE_TRAVEL)
                .setExplanation(explanation)
                .setMeasures(Map.of("speedKmh", worstSpeed, "maxSpeedKmh", maxSpeedKmh, "distanceKm", worstKm,
                        "gapMinutes", minutes, "minDistanceKm", minDistanceKm,
                        "exactPositions", here.exact() && worst.exact() ? 1.0 : 0.0))
                .setRelatedPaymentIds(List.of(worst.paymentId()))
                .setPaymentTs(payment.getTs())
                .setDetectedAt(Instant.ofEpochMilli(streamTime))
                .build());
    }
}
