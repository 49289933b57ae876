package io.kaveri.streams.fraud;

import io.kaveri.streams.runtime.KeyedInput;
import io.kaveri.streams.runtime.StreamsAppConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.Width;

import java.time.Duration;
import java.util.Locale;

/** The fraud app's keys, and a typed, validated view of them ({@link Settings}). */
final class FraudConfig {

    static final String PAYMENTS_TOPIC_CONFIG = "fraud.payments.topic";
    private static final String PAYMENTS_TOPIC_DOC = "Topic of io.kaveri.schemas.payments.Payment values; keys are "
            + "ignored (payments are re-keyed by card, so any producer partitioning works) unless "
            + "fraud.payments.keyed.by.card is set.";

    static final String PAYMENTS_KEYED_BY_CARD_CONFIG = "fraud.payments.keyed.by.card";
    private static final String PAYMENTS_KEYED_BY_CARD_DOC = KeyedInput.settingDoc("payments", "cardId");

    static final String ALERTS_TOPIC_CONFIG = "fraud.alerts.topic";
    private static final String ALERTS_TOPIC_DOC = "Topic of io.kaveri.schemas.payments.FraudAlert values, keyed by "
            + "card: one record per rule firing, naming the rule, its threshold, the observed values and the payments.";

    static final String VELOCITY_WINDOW_TYPE_CONFIG = "fraud.velocity.window.type";
    private static final String VELOCITY_WINDOW_TYPE_DOC = "tumbling: fixed windows aligned to the epoch (cheap; a "
            + "burst that straddles two windows may go unseen). sliding: every span of the window's size that holds "
            + "a payment (a burst is always seen; more windows to keep). Overlapping sliding windows of one burst "
            + "raise one alert: a window alerts only if all its payments are newer than the last alerted one.";

    static final String VELOCITY_WINDOW_CONFIG = "fraud.velocity.window.ms";
    private static final String VELOCITY_WINDOW_DOC = "Length of the velocity window.";

    static final String VELOCITY_MAX_PAYMENTS_CONFIG = "fraud.velocity.max.payments";
    private static final String VELOCITY_MAX_PAYMENTS_DOC = "A card with more payments than this in one window "
            + "raises a VELOCITY alert.";

    static final String VELOCITY_GRACE_CONFIG = "fraud.velocity.grace.ms";
    private static final String VELOCITY_GRACE_DOC = "How long after a window's end a payment still counts in it. "
            + "Payments reach Kafka seconds after authorisation (retries of a card network take up to ~30 s), so 30 s "
            + "absorbs them; alerts wait for window end plus grace, so a longer grace delays every velocity alert. "
            + "Later payments go to the late topic (the other rules still see them).";

    static final String AMOUNT_Z_THRESHOLD_CONFIG = "fraud.amount.zscore.threshold";
    private static final String AMOUNT_Z_THRESHOLD_DOC = "An amount more than this many standard deviations above "
            + "the card's rolling mean raises an AMOUNT_ANOMALY alert. Small amounts never alert: fraud is spending.";

    static final String AMOUNT_MIN_HISTORY_CONFIG = "fraud.amount.min.history";
    private static final String AMOUNT_MIN_HISTORY_DOC = "Payments of a card needed before its amounts are judged: "
            + "with fewer, mean and deviation are too noisy and every new card would alert.";

    static final String AMOUNT_HISTORY_WEIGHT_CONFIG = "fraud.amount.history.weight";
    private static final String AMOUNT_HISTORY_WEIGHT_DOC = "The rolling statistics weigh each of the first N "
            + "payments equally (Welford), then each new one by 1/N (exponential decay), so that a card's baseline "
            + "follows its holder's habits over roughly the last N payments.";

    static final String TRAVEL_MAX_SPEED_CONFIG = "fraud.travel.max.speed.kmh";
    private static final String TRAVEL_MAX_SPEED_DOC = "Two payments of a card further apart than this speed allows "
            + "(great-circle distance over their time gap) raise an IMPOSSIBLE_TRAVEL alert. Airliners cruise at "
            + "800-950 km/h; 1000 leaves a margin.";

    static final String TRAVEL_MIN_DISTANCE_CONFIG = "fraud.travel.min.distance.km";
    private static final String TRAVEL_MIN_DISTANCE_DOC = "Pairs closer than this never alert. Positions are often "
            + "country centroids (see CountryCentroids), hundreds of km from the real point of sale, so two payments "
            + "either side of a border must not look like a flight.";

    static final String TRAVEL_HORIZON_CONFIG = "fraud.travel.horizon.ms";
    private static final String TRAVEL_HORIZON_DOC = "How far back a payment is compared with the card's earlier "
            + "ones. 24 h: any two places on Earth are reachable by plane in that time, so older pairs cannot fire.";

    static final String TRAVEL_MAX_PAYMENTS_CONFIG = "fraud.travel.max.payments";
    private static final String TRAVEL_MAX_PAYMENTS_DOC = "At most this many recent payments per card are kept for "
            + "the comparison (the newest win); bounds memory for a card used hundreds of times a day.";

    static final String DEDUP_HORIZON_CONFIG = "fraud.dedup.horizon.ms";
    private static final String DEDUP_HORIZON_DOC = "A payment id seen again within this time of event time is a "
            + "redelivery and counts once for every rule. Must cover the velocity window plus grace, or a copy could "
            + "count twice in one window; later copies count again.";

    static final String CARD_IDLE_CONFIG = "fraud.card.idle.ms";
    private static final String CARD_IDLE_DOC = "A card with no payment for this long (event time) has its amount "
            + "profile and travel history evicted, which bounds memory to the active cards. Its next payment starts "
            + "a new history (and is not judged until fraud.amount.min.history again).";

    static final String EVICTION_INTERVAL_CONFIG = "fraud.eviction.interval.ms";
    private static final String EVICTION_INTERVAL_DOC = "How often (wall clock) idle cards are looked for. A "
            + "wall-clock schedule spreads the scans evenly whatever the traffic does.";

    private FraudConfig() {
    }

    enum WindowType { TUMBLING, SLIDING }

    static ConfigDef configDef() {
        String topics = "Fraud topics";
        String rules = "Fraud rules";
        String state = "Fraud state";
        int t = 0;
        int r = 0;
        int s = 0;
        return new ConfigDef()
                .define(PAYMENTS_TOPIC_CONFIG, Type.STRING, "payments", new ConfigDef.NonEmptyString(), Importance.HIGH,
                        PAYMENTS_TOPIC_DOC, topics, ++t, Width.MEDIUM, "Payments topic")
                .define(PAYMENTS_KEYED_BY_CARD_CONFIG, Type.BOOLEAN, false, Importance.MEDIUM,
                        PAYMENTS_KEYED_BY_CARD_DOC, topics, ++t, Width.SHORT, "Payments keyed by card")
                .define(ALERTS_TOPIC_CONFIG, Type.STRING, "fraud-alerts", new ConfigDef.NonEmptyString(), Importance.HIGH,
                        ALERTS_TOPIC_DOC, topics, ++t, Width.MEDIUM, "Alerts topic")
                .define(VELOCITY_WINDOW_TYPE_CONFIG, Type.STRING, "tumbling", ConfigDef.CaseInsensitiveValidString.in("tumbling", "sliding"),
                        Importance.MEDIUM, VELOCITY_WINDOW_TYPE_DOC, rules, ++r, Width.SHORT, "Velocity window type")
                .define(VELOCITY_WINDOW_CONFIG, Type.LONG, 60_000L, Range.atLeast(1), Importance.MEDIUM,
                        VELOCITY_WINDOW_DOC, rules, ++r, Width.SHORT, "Velocity window (ms)")
                .define(VELOCITY_MAX_PAYMENTS_CONFIG, Type.INT, 5, Range.atLeast(1), Importance.HIGH,
                        VELOCITY_MAX_PAYMENTS_DOC, rules, ++r, Width.SHORT, "Velocity limit")
                .define(VELOCITY_GRACE_CONFIG, Type.LONG, 30_000L, Range.atLeast(0), Importance.MEDIUM,
                        VELOCITY_GRACE_DOC, rules, ++r, Width.SHORT, "Velocity grace (ms)")
                .define(AMOUNT_Z_THRESHOLD_CONFIG, Type.DOUBLE, 4.0, Range.atLeast(0), Importance.HIGH,
                        AMOUNT_Z_THRESHOLD_DOC, rules, ++r, Width.SHORT, "Amount z-score threshold")
                .define(AMOUNT_MIN_HISTORY_CONFIG, Type.INT, 10, Range.atLeast(2), Importance.MEDIUM,
                        AMOUNT_MIN_HISTORY_DOC, rules, ++r, Width.SHORT, "Amount minimum history")
                .define(AMOUNT_HISTORY_WEIGHT_CONFIG, Type.INT, 200, Range.atLeast(2), Importance.LOW,
                        AMOUNT_HISTORY_WEIGHT_DOC, rules, ++r, Width.SHORT, "Amount history weight")
                .define(TRAVEL_MAX_SPEED_CONFIG, Type.DOUBLE, 1000.0, Range.atLeast(1), Importance.HIGH,
                        TRAVEL_MAX_SPEED_DOC, rules, ++r, Width.SHORT, "Travel max speed (km/h)")
                .define(TRAVEL_MIN_DISTANCE_CONFIG, Type.DOUBLE, 500.0, Range.atLeast(0), Importance.MEDIUM,
                        TRAVEL_MIN_DISTANCE_DOC, rules, ++r, Width.SHORT, "Travel min distance (km)")
                .define(TRAVEL_HORIZON_CONFIG, Type.LONG, Duration.ofHours(24).toMillis(), Range.atLeast(1),
                        Importance.LOW, TRAVEL_HORIZON_DOC, rules, ++r, Width.SHORT, "Travel horizon (ms)")
                .define(TRAVEL_MAX_PAYMENTS_CONFIG, Type.INT, 32, Range.atLeast(1), Importance.LOW,
                        TRAVEL_MAX_PAYMENTS_DOC, rules, ++r, Width.SHORT, "Travel history size")
                .define(DEDUP_HORIZON_CONFIG, Type.LONG, Duration.ofHours(1).toMillis(), Range.atLeast(1),
                        Importance.LOW, DEDUP_HORIZON_DOC, state, ++s, Width.SHORT, "Dedup horizon (ms)")
                .define(CARD_IDLE_CONFIG, Type.LONG, Duration.ofDays(30).toMillis(), Range.atLeast(1),
                        Importance.LOW, CARD_IDLE_DOC, state, ++s, Width.SHORT, "Card idle eviction (ms)")
                .define(EVICTION_INTERVAL_CONFIG, Type.LONG, Duration.ofMinutes(1).toMillis(), Range.atLeast(1),
                        Importance.LOW, EVICTION_INTERVAL_DOC, state, ++s, Width.SHORT, "Eviction interval (ms)");
    }

    /** One configuration, read once. */
    record Settings(String paymentsTopic, boolean paymentsKeyedByCard, String alertsTopic, WindowType windowType, Duration window, int maxPayments,
                    Duration grace, double zThreshold, int minHistory, int historyWeight, double maxSpeedKmh,
                    double minDistanceKm, Duration travelHorizon, int travelMaxPayments, Duration dedupHorizon,
                    Duration cardIdle, Duration evictionInterval) {

        static Settings of(StreamsAppConfig c) {
            Settings s = new Settings(c.getString(PAYMENTS_TOPIC_CONFIG), c.getBoolean(PAYMENTS_KEYED_BY_CARD_CONFIG),
                    c.getString(ALERTS_TOPIC_CONFIG),
                    WindowType.valueOf(c.getString(VELOCITY_WINDOW_TYPE_CONFIG).toUpperCase(Locale.ROOT)),
                    ms(c, VELOCITY_WINDOW_CONFIG), c.getInt(VELOCITY_MAX_PAYMENTS_CONFIG), ms(c, VELOCITY_GRACE_CONFIG),
                    c.getDouble(AMOUNT_Z_THRESHOLD_CONFIG), c.getInt(AMOUNT_MIN_HISTORY_CONFIG),
                    c.getInt(AMOUNT_HISTORY_WEIGHT_CONFIG), c.getDouble(TRAVEL_MAX_SPEED_CONFIG),
                    c.getDouble(TRAVEL_MIN_DISTANCE_CONFIG), ms(c, TRAVEL_HORIZON_CONFIG),
                    c.getInt(TRAVEL_MAX_PAYMENTS_CONFIG), ms(c, DEDUP_HORIZON_CONFIG), ms(c, CARD_IDLE_CONFIG),
                    ms(c, EVICTION_INTERVAL_CONFIG));
            if (s.dedupHorizon.compareTo(s.window.plus(s.grace)) < 0) {
                throw new org.apache.kafka.common.config.ConfigException(DEDUP_HORIZON_CONFIG, s.dedupHorizon.toMillis(),
                        "must be at least " + VELOCITY_WINDOW_CONFIG + " + " + VELOCITY_GRACE_CONFIG + " = "
                                + s.window.plus(s.grace).toMillis() + " ms, or a redelivered payment could count twice in one window");
            }
            return s;
        }

        private static Duration ms(StreamsAppConfig c, String key) {
            return Duration.ofMillis(c.getLong(key));
        }
    }
}
