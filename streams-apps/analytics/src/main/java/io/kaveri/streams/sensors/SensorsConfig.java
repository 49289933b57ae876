package io.kaveri.streams.sensors;

import io.kaveri.streams.runtime.StreamsAppConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.Width;
import org.apache.kafka.common.config.ConfigException;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The sensors app's keys, and a typed, validated view of them ({@link Settings}). */
final class SensorsConfig {

    static final String READINGS_TOPIC_CONFIG = "sensors.readings.topic";
    private static final String READINGS_TOPIC_DOC = "Topic of io.kaveri.schemas.sensors.SensorReading values; keys "
            + "are ignored (readings are re-keyed by device and metric, so any producer partitioning works).";

    static final String STATS_TOPIC_CONFIG = "sensors.stats.topic";
    private static final String STATS_TOPIC_DOC = "Topic of io.kaveri.schemas.sensors.SensorStats values keyed by "
            + "device: one record per device, metric and window, written once the window closes.";

    static final String ALERTS_TOPIC_CONFIG = "sensors.alerts.topic";
    private static final String ALERTS_TOPIC_DOC = "Topic of io.kaveri.schemas.sensors.SensorAlert values keyed by "
            + "device: RAISED when a fault starts, ONGOING at most once per suppression interval while it lasts "
            + "(with the count of readings not alerted), CLEARED when the metric is back to normal.";

    static final String STATS_WINDOW_CONFIG = "sensors.stats.window.ms";
    private static final String STATS_WINDOW_DOC = "Size of the tumbling windows of the rolling statistics.";

    static final String STATS_GRACE_CONFIG = "sensors.stats.grace.ms";
    private static final String STATS_GRACE_DOC = "How long after a window's end a reading still counts in it. "
            + "Devices on cellular or LoRa links buffer and resend readings tens of seconds late; 30 s absorbs that "
            + "while keeping statistics timely. Later readings go to the late topic (alerting still sees them).";

    static final String THRESHOLDS_CONFIG = "sensors.thresholds";
    private static final String THRESHOLDS_DOC = "Fixed limits per metric, as metric:low:high (either bound may be "
            + "empty), e.g. temperature:-20:60,humidity::95. A reading below low raises BELOW_THRESHOLD, above high "
            + "ABOVE_THRESHOLD. Metrics not listed are judged by z-score only.";

    static final String Z_THRESHOLD_CONFIG = "sensors.zscore.threshold";
    private static final String Z_THRESHOLD_DOC = "A reading more than this many standard deviations from the "
            + "device's rolling mean of that metric (either side) raises a Z_SCORE alert.";

    static final String Z_MIN_HISTORY_CONFIG = "sensors.zscore.min.history";
    private static final String Z_MIN_HISTORY_DOC = "Readings of a device's metric needed before z-scores are "
            + "judged; fewer give a mean and deviation too noisy to trust.";

    static final String Z_HISTORY_WEIGHT_CONFIG = "sensors.zscore.history.weight";
    private static final String Z_HISTORY_WEIGHT_DOC = "The rolling baseline weighs each of the first N readings "
            + "equally (Welford), then each new one by 1/N (exponential decay), so it follows slow drift (seasons, "
            + "ageing sensors) over roughly the last N readings.";

    static final String SUPPRESSION_INTERVAL_CONFIG = "sensors.suppression.interval.ms";
    private static final String SUPPRESSION_INTERVAL_DOC = "While a fault lasts, at most one alert per device, "
            + "metric and rule per interval (event time); the readings in between are counted in the next alert's "
            + "suppressedCount instead of flooding the alert topic.";

    static final String CLEAR_AFTER_CONFIG = "sensors.clear.after.readings";
    private static final String CLEAR_AFTER_DOC = "Consecutive normal readings that end a fault with a CLEARED "
            + "alert. More than one keeps a value hovering at the threshold from raising and clearing in turn.";

    static final String DEDUP_HORIZON_CONFIG = "sensors.dedup.horizon.ms";
    private static final String DEDUP_HORIZON_DOC = "A reading with the device, metric and event time of one seen "
            + "within this time is a resend and counts once. Must cover the statistics window plus grace.";

    static final String DEVICE_IDLE_CONFIG = "sensors.device.idle.ms";
    private static final String DEVICE_IDLE_DOC = "A device metric with no reading for this long (event time) has "
            + "its baseline and fault state evicted, which bounds memory to the active devices; its next reading "
            + "starts a new baseline. An open fault of an evicted device ends without a CLEARED alert.";

    static final String EVICTION_INTERVAL_CONFIG = "sensors.eviction.interval.ms";
    private static final String EVICTION_INTERVAL_DOC = "How often (wall clock) idle devices are looked for. A "
            + "wall-clock schedule spreads the scans evenly whatever the traffic does.";

    private static final ConfigDef.Validator THRESHOLDS = new ThresholdsValidator();

    private SensorsConfig() {
    }

    static ConfigDef configDef() {
        String topics = "Sensors topics";
        String rules = "Sensors rules";
        String state = "Sensors state";
        int t = 0;
        int r = 0;
        int s = 0;
        return new ConfigDef()
                .define(READINGS_TOPIC_CONFIG, Type.STRING, "sensor-readings", new ConfigDef.NonEmptyString(),
                        Importance.HIGH, READINGS_TOPIC_DOC, topics, ++t, Width.MEDIUM, "Readings topic")
                .define(STATS_TOPIC_CONFIG, Type.STRING, "sensor-stats", new ConfigDef.NonEmptyString(),
                        Importance.HIGH, STATS_TOPIC_DOC, topics, ++t, Width.MEDIUM, "Statistics topic")
                .define(ALERTS_TOPIC_CONFIG, Type.STRING, "sensor-alerts", new ConfigDef.NonEmptyString(),
                        Importance.HIGH, ALERTS_TOPIC_DOC, topics, ++t, Width.MEDIUM, "Alerts topic")
                .define(STATS_WINDOW_CONFIG, Type.LONG, 60_000L, Range.atLeast(1), Importance.MEDIUM, STATS_WINDOW_DOC,
                        rules, ++r, Width.SHORT, "Statistics window (ms)")
                .define(STATS_GRACE_CONFIG, Type.LONG, 30_000L, Range.atLeast(0), Importance.MEDIUM, STATS_GRACE_DOC,
                        rules, ++r, Width.SHORT, "Statistics grace (ms)")
                .define(THRESHOLDS_CONFIG, Type.LIST, "", THRESHOLDS, Importance.HIGH, THRESHOLDS_DOC,
                        rules, ++r, Width.LONG, "Thresholds")
                .define(Z_THRESHOLD_CONFIG, Type.DOUBLE, 4.0, Range.atLeast(0), Importance.HIGH, Z_THRESHOLD_DOC,
                        rules, ++r, Width.SHORT, "Z-score threshold")
                .define(Z_MIN_HISTORY_CONFIG, Type.INT, 20, Range.atLeast(2), Importance.MEDIUM, Z_MIN_HISTORY_DOC,
                        rules, ++r, Width.SHORT, "Z-score minimum history")
                .define(Z_HISTORY_WEIGHT_CONFIG, Type.INT, 500, Range.atLeast(2), Importance.LOW, Z_HISTORY_WEIGHT_DOC,
                        rules, ++r, Width.SHORT, "Z-score history weight")
                .define(SUPPRESSION_INTERVAL_CONFIG, Type.LONG, Duration.ofMinutes(5).toMillis(), Range.atLeast(0),
                        Importance.MEDIUM, SUPPRESSION_INTERVAL_DOC, rules, ++r, Width.SHORT, "Suppression interval (ms)")
                .define(CLEAR_AFTER_CONFIG, Type.INT, 3, Range.atLeast(1), Importance.MEDIUM, CLEAR_AFTER_DOC,
                        rules, ++r, Width.SHORT, "Clear after (readings)")
                .define(DEDUP_HORIZON_CONFIG, Type.LONG, Duration.ofMinutes(10).toMillis(), Range.atLeast(1),
                        Importance.LOW, DEDUP_HORIZON_DOC, state, ++s, Width.SHORT, "Dedup horizon (ms)")
                .define(DEVICE_IDLE_CONFIG, Type.LONG, Duration.ofDays(1).toMillis(), Range.atLeast(1),
                        Importance.LOW, DEVICE_IDLE_DOC, state, ++s, Width.SHORT, "Device idle eviction (ms)")
                .define(EVICTION_INTERVAL_CONFIG, Type.LONG, Duration.ofMinutes(1).toMillis(), Range.atLeast(1),
                        Importance.LOW, EVICTION_INTERVAL_DOC, state, ++s, Width.SHORT, "Eviction interval (ms)");
    }

    /** Limits of one metric; a null bound is not checked. */
    record Bounds(Double low, Double high) {
    }

    /** One configuration, read once. */
    record Settings(String readingsTopic, String statsTopic, String alertsTopic, Duration window, Duration grace,
                    Map<String, Bounds> thresholds, double zThreshold, int minHistory, int historyWeight,
                    Duration suppression, int clearAfter, Duration dedupHorizon, Duration deviceIdle,
                    Duration evictionInterval) {

        static Settings of(StreamsAppConfig c) {
            Settings s = new Settings(c.getString(READINGS_TOPIC_CONFIG), c.getString(STATS_TOPIC_CONFIG),
                    c.getString(ALERTS_TOPIC_CONFIG), ms(c, STATS_WINDOW_CONFIG), ms(c, STATS_GRACE_CONFIG),
                    parseThresholds(c.getList(THRESHOLDS_CONFIG)), c.getDouble(Z_THRESHOLD_CONFIG),
                    c.getInt(Z_MIN_HISTORY_CONFIG), c.getInt(Z_HISTORY_WEIGHT_CONFIG), ms(c, SUPPRESSION_INTERVAL_CONFIG),
                    c.getInt(CLEAR_AFTER_CONFIG), ms(c, DEDUP_HORIZON_CONFIG), ms(c, DEVICE_IDLE_CONFIG),
                    ms(c, EVICTION_INTERVAL_CONFIG));
            if (s.dedupHorizon.compareTo(s.window.plus(s.grace)) < 0) {
                throw new ConfigException(DEDUP_HORIZON_CONFIG, s.dedupHorizon.toMillis(), "must be at least "
                        + STATS_WINDOW_CONFIG + " + " + STATS_GRACE_CONFIG + " = " + s.window.plus(s.grace).toMillis()
                        + " ms, or a resent reading could count twice in one window");
            }
            return s;
        }

        private static Duration ms(StreamsAppConfig c, String key) {
            return Duration.ofMillis(c.getLong(key));
        }
    }

    static Map<String, Bounds> parseThresholds(List<String> entries) {
        Map<String, Bounds> bounds = new HashMap<>();
        for (String entry : entries) {
            String[] f = entry.trim().split(":", -1);
            if (f.length != 3 || f[0].isBlank()) {
                throw new ConfigException(THRESHOLDS_CONFIG, entry, "expected metric:low:high, either bound may be empty");
            }
            Double low = bound(f[1], entry);
            Double high = bound(f[2], entry);
            if (low == null && high == null) {
                throw new ConfigException(THRESHOLDS_CONFIG, entry, "gives neither a low nor a high bound");
            }
            if (low != null && high != null && low > high) {
                throw new ConfigException(THRESHOLDS_CONFIG, entry, "low bound above high bound");
            }
            if (bounds.put(f[0].trim(), new Bounds(low, high)) != null) {
                throw new ConfigException(THRESHOLDS_CONFIG, entry, "metric " + f[0].trim() + " is listed twice");
            }
        }
        return Map.copyOf(bounds);
    }

    private static Double bound(String text, String entry) {
        if (text.isBlank()) {
            return null;
        }
        try {
            double v = Double.parseDouble(text.trim());
            if (!Double.isFinite(v)) {
                throw new NumberFormatException();
            }
            return v;
        } catch (NumberFormatException e) {
            throw new ConfigException(THRESHOLDS_CONFIG, entry, "bound '" + text + "' is not a finite number");
        }
    }

    /** Checks the metric:low:high entries when the configuration is parsed, before anything runs. */
    private static final class ThresholdsValidator implements ConfigDef.Validator {
        @SuppressWarnings("unchecked")
        @Override
        public void ensureValid(String name, Object value) {
            if (value != null) {
                parseThresholds((List<String>) value);
            }
        }

        @Override
        public String toString() {
            return "metric:low:high, ...";
        }
    }
}
