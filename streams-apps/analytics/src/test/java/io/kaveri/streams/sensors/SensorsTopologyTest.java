package io.kaveri.streams.sensors;

import io.kaveri.schemas.sensors.SensorAlert;
import io.kaveri.schemas.sensors.SensorAlertKind;
import io.kaveri.schemas.sensors.SensorAlertStatus;
import io.kaveri.schemas.sensors.SensorReading;
import io.kaveri.schemas.sensors.SensorStats;
import io.kaveri.streams.runtime.LateRecords;
import io.kaveri.streams.runtime.StreamsAppConfig;
import io.kaveri.streams.testkit.GoldenTopology;
import io.kaveri.streams.testkit.KitDriver;
import io.kaveri.streams.testkit.StreamsTestKit;
import io.kaveri.streams.testkit.TestInput;
import io.kaveri.streams.testkit.TestOutput;
import io.kaveri.streams.testkit.TimedRecord;
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
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static io.kaveri.streams.testkit.KitAssertions.assertDeadLetter;
import static io.kaveri.streams.testkit.KitAssertions.assertHeaders;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;
import static org.assertj.core.api.Assertions.within;

/** Statistics windows of 60 s with 30 s grace; temperature limits -10..50; z-scores off unless a test turns them on. */
class SensorsTopologyTest {

    private static final Instant T0 = StreamsTestKit.DEFAULT_START;
    private static final long S = 1_000;
    private static final long H = 3_600_000;
    private static final Map<String, String> SETTINGS = Map.of(
            SensorsConfig.THRESHOLDS_CONFIG, "temperature:-10:50",
            SensorsConfig.Z_MIN_HISTORY_CONFIG, "1000000",
            SensorsConfig.DEVICE_IDLE_CONFIG, Long.toString(H),
            SensorsConfig.EVICTION_INTERVAL_CONFIG, "60000");

    @RegisterExtension
    final StreamsTestKit kit = AppKit.of(new SensorsApp(), SETTINGS);

    private TestInput<byte[], SensorReading> readings;
    private TestOutput<String, SensorStats> stats;
    private TestOutput<String, SensorAlert> alerts;
    private TestOutput<String, SensorReading> late;

    @BeforeEach
    void topics() {
        open(kit.driver());
    }

    private void open(KitDriver driver) {
        readings = driver.input("sensor-readings", Serdes.ByteArray(), AppKit.<SensorReading>specific(driver, false));
        stats = driver.output("sensor-stats", Serdes.String(), AppKit.<SensorStats>specific(driver, false));
        alerts = driver.output("sensor-alerts", Serdes.String(), AppKit.<SensorAlert>specific(driver, false));
        late = driver.output("kaveri-sensors-late", Serdes.String(), AppKit.<SensorReading>specific(driver, false));
    }

    private void pipe(String device, String metric, double value, long offsetMs) {
        SensorReading r = SensorReading.newBuilder().setDeviceId(device).setMetric(metric).setValue(value)
                .setTs(T0.plusMillis(offsetMs)).build();
        readings.pipe(null, r, r.getTs().toEpochMilli());
    }

    @Test
    void aWindowsStatisticsAreWrittenOnceWhenStreamTimePassesItsEndAndGrace() {
        pipe("d1", "temperature", 20, 5 * S);
        pipe("d1", "temperature", 22, 20 * S);
        pipe("d1", "temperature", 24, 40 * S);
        pipe("d1", "humidity", 70, 30 * S);
        pipe("tick", "temperature", 0, 89 * S);
        assertThat(stats.readAll()).isEmpty();

        pipe("tick", "temperature", 0, 90 * S);
        List<TestRecord<String, SensorStats>> out = stats.readRecords();
        assertThat(out).extracting(TestRecord::key).containsExactlyInAnyOrder("d1", "d1");
        SensorStats t = out.stream().map(TestRecord::value).filter(s -> s.getMetric().equals("temperature")).findFirst().orElseThrow();
        assertThat(t.getWindowStart()).isEqualTo(T0);
        assertThat(t.getWindowEnd()).isEqualTo(T0.plusSeconds(60));
        assertThat(t.getCount()).isEqualTo(3);
        assertThat(t.getMean()).isCloseTo(22.0, within(1e-9));
        assertThat(t.getMin()).isEqualTo(20.0);
        assertThat(t.getMax()).isEqualTo(24.0);
        // Population deviation of 20, 22, 24: sqrt((4 + 0 + 4) / 3).
        assertThat(t.getStddev()).isCloseTo(Math.sqrt(8.0 / 3), within(1e-9));
    }

    @Test
    void closedWindowsAreWrittenInOrderOfStartThenDeviceMetricStampedWithTheirLatestReading() {
        pipe("d2", "temperature", 20, 70 * S);
        pipe("d1", "temperature", 20, 65 * S);
        pipe("d2", "temperature", 21, 10 * S);
        pipe("d1", "temperature", 22, 100 * S);
        pipe("d1", "temperature", 21, 80 * S);  // out of order: the window's latest reading stays at 100 s
        pipe("tick", "temperature", 0, 4 * 60 * S); // closes [0, 60 s) and [60 s, 120 s) at once

        assertThat(stats.readRecords()).extracting(r -> r.value().getWindowStart(), TestRecord::key,
                        r -> r.value().getCount(), TestRecord::timestamp)
                .containsExactly(tuple(T0, "d2", 1L, T0.toEpochMilli() + 10 * S),
                        tuple(T0.plusSeconds(60), "d1", 3L, T0.toEpochMilli() + 100 * S),
                        tuple(T0.plusSeconds(60), "d2", 1L, T0.toEpochMilli() + 70 * S));
        pipe("tick", "temperature", 0, 10 * 60 * S);
        assertThat(stats.readAll()).extracting(TimedRecord::key).containsExactly("tick"); // each window once
    }

    @Test
    void outOfOrderReadingsWithinGraceCountInTheirWindow() {
        pipe("d1", "temperature", 20, 10 * S);
        pipe("d1", "temperature", 30, 70 * S); // stream time 70 s; window [0, 60 s) open until 90 s
        pipe("d1", "temperature", 40, 50 * S);
        pipe("tick", "temperature", 0, 3 * 60 * S);
        assertThat(stats.readAll()).extracting(r -> r.value().getWindowStart(), r -> r.value().getCount(), r -> r.value().getMax())
                .contains(tuple(T0, 2L, 40.0), tuple(T0.plusSeconds(60), 1L, 30.0));
        assertThat(late.readAll()).isEmpty();
    }

    @Test
    void aReadingBeyondGraceGoesToTheLateTopicButIsStillJudged() {
        pipe("d1", "temperature", 20, 10 * S);
        pipe("d1", "temperature", 21, 95 * S); // window [0, 60 s) closed at 90 s
        pipe("d1", "temperature", 80, 30 * S); // late, and above the limit

        List<TestRecord<String, SensorReading>> lateRecords = late.readRecords();
        assertThat(lateRecords).extracting(r -> r.value().getValue()).containsExactly(80.0);
        assertHeaders(lateRecords.get(0)).hasString(LateRecords.ROUTE_HEADER, SensorsTopology.STATS)
                .hasString(LateRecords.WINDOW_CLOSE_HEADER, Long.toString(T0.toEpochMilli() + 90 * S));
        assertThat(stats.readAll()).singleElement().satisfies(r -> assertThat(r.value().getCount()).isEqualTo(1));
        assertThat(alerts.readAll()).extracting(r -> r.value().getKind(), r -> r.value().getValue())
                .containsExactly(tuple(SensorAlertKind.ABOVE_THRESHOLD, 80.0));
    }

    @Test
    void aResentReadingCountsOnce() {
        pipe("d1", "temperature", 20, 10 * S);
        pipe("d1", "temperature", 20, 10 * S);
        pipe("d1", "temperature", 30, 20 * S);
        pipe("tick", "temperature", 0, 2 * 60 * S);
        assertThat(stats.readAll()).filteredOn(r -> r.key().equals("d1")).singleElement()
                .satisfies(r -> assertThat(r.value().getCount()).isEqualTo(2));
        assertThat(metric("duplicates-total", SensorsTopology.DEDUP_STORE)).isEqualTo(1.0);
    }

    @Test
    void unreadableAndNonFiniteReadingsGoToTheDeadLetterTopicAndProcessingContinues() {
        TestInput<byte[], byte[]> raw = kit.driver().input("sensor-readings", Serdes.ByteArray(), Serdes.ByteArray());
        byte[] garbage = "not avro".getBytes(StandardCharsets.UTF_8);
        raw.pipe(null, garbage, T0.toEpochMilli());
        pipe("d1", "temperature", Double.NaN, 5 * S);
        pipe("d1", "temperature", 20, 6 * S);
        pipe("tick", "temperature", 0, 2 * 60 * S);

        List<TestRecord<byte[], byte[]>> dead = kit.driver().rawOutput("kaveri-sensors-dlq").readRecords();
        assertThat(dead).hasSize(2);
        assertDeadLetter(dead.get(0)).hasCause(SerializationException.class).cameFrom("sensor-readings").hasOriginalValue(garbage);
        assertDeadLetter(dead.get(1)).hasCause(IllegalArgumentException.class)
                .hasMessageContaining("reading of device d1 metric temperature on topic sensor-readings has value NaN");
        assertThat(stats.readAll()).filteredOn(r -> r.key().equals("d1")).singleElement()
                .satisfies(r -> assertThat(r.value().getCount()).isEqualTo(1));
    }

    @Test
    void aLastingFaultAlertsOncePerSuppressionIntervalWithTheSuppressedCountAndClearsAfterThreeNormalReadings() {
        pipe("d1", "temperature", 20, 0);
        pipe("d1", "temperature", 60, 30 * S);  // RAISED
        pipe("d1", "temperature", 61, 60 * S);  // suppressed 1
        pipe("d1", "temperature", 62, 90 * S);  // suppressed 2
        pipe("d1", "temperature", 70, 120 * S); // suppressed 3
        pipe("d1", "temperature", 65, 330 * S); // 300 s after the last alert: ONGOING, 3 suppressed
        pipe("d1", "temperature", 20, 360 * S); // normal 1
        pipe("d1", "temperature", 55, 390 * S); // abnormal again: streak reset, suppressed 1
        pipe("d1", "temperature", 20, 420 * S);
        pipe("d1", "temperature", 20, 450 * S);
        pipe("d1", "temperature", 20, 480 * S); // third normal in a row: CLEARED
        pipe("d2", "temperature", -20, 500 * S); // another device, other rule

        List<SensorAlert> out = alerts.readAll().stream().map(r -> r.value()).toList();
        assertThat(out).extracting(SensorAlert::getDeviceId, SensorAlert::getKind, SensorAlert::getStatus, SensorAlert::getValue,
                        SensorAlert::getSuppressedCount, a -> a.getFaultStart().toEpochMilli() - T0.toEpochMilli())
                .containsExactly(
                        tuple("d1", SensorAlertKind.ABOVE_THRESHOLD, SensorAlertStatus.RAISED, 60.0, 0L, 30 * S),
                        tuple("d1", SensorAlertKind.ABOVE_THRESHOLD, SensorAlertStatus.ONGOING, 65.0, 3L, 30 * S),
                        tuple("d1", SensorAlertKind.ABOVE_THRESHOLD, SensorAlertStatus.CLEARED, 20.0, 1L, 30 * S),
                        tuple("d2", SensorAlertKind.BELOW_THRESHOLD, SensorAlertStatus.RAISED, -20.0, 0L, 500 * S));
        assertThat(out.get(0).getThreshold()).isEqualTo(50.0);
        assertThat(out.get(3).getThreshold()).isEqualTo(-10.0);
        assertThat(out.get(0).getZScore()).isNull();
    }

    @Test
    void aReadingFarFromTheRollingMeanRaisesAZScoreAlertAndDoesNotTeachTheBaseline() {
        try (KitDriver driver = AppKit.of(new SensorsApp(), Map.of(SensorsConfig.Z_MIN_HISTORY_CONFIG, "5",
                SensorsConfig.Z_THRESHOLD_CONFIG, "3")).open()) {
            open(driver);
            double[] usual = {10, 11, 9, 10, 11, 10};
            for (int i = 0; i < usual.length; i++) {
                pipe("d1", "pressure", usual[i], i * 10 * S);
            }
            assertThat(alerts.readAll()).isEmpty();
            pipe("d1", "pressure", 30, 60 * S);

            SensorAlert a = alerts.readAll().get(0).value();
            assertThat(a.getKind()).isEqualTo(SensorAlertKind.Z_SCORE);
            assertThat(a.getStatus()).isEqualTo(SensorAlertStatus.RAISED);
            // By hand: mean 61 / 6 = 10.1667; squared deviations sum to 2.8333; sample variance 0.5667, deviation
            // 0.7528; z = (30 - 10.1667) / 0.7528 = 26.35.
            assertThat(a.getMean()).isCloseTo(10.1667, within(1e-4));
            assertThat(a.getStddev()).isCloseTo(0.7528, within(1e-4));
            assertThat(a.getZScore()).isCloseTo(26.35, within(0.01));
            assertThat(a.getThreshold()).isNull();
            DeviceState state = driver.stores().get(SensorsTopology.ALERTING_STORE, "d1|pressure");
            assertThat(state.baseline().count()).as("the abnormal reading is not learnt").isEqualTo(6);
            assertThat(state.faults()).containsKey(SensorAlertKind.Z_SCORE);
        }
    }

    @Test
    void deviceMetricsIdleLongerThanTheTimeoutAreEvictedByTheWallClockPunctuation() {
        pipe("d-old", "temperature", 20, 0);
        pipe("d-new", "temperature", 20, 2 * H); // stream time 2 h: d-old idle for 2 h > 1 h
        assertThat(kit.driver().stores().<String, DeviceState>keyValues(SensorsTopology.ALERTING_STORE))
                .containsOnlyKeys("d-old|temperature", "d-new|temperature");

        kit.advanceWallClock(Duration.ofMinutes(1));
        assertThat(kit.driver().stores().<String, DeviceState>keyValues(SensorsTopology.ALERTING_STORE))
                .containsOnlyKeys("d-new|temperature");
    }

    @Test
    void badThresholdsAreRefusedNamingTheKeyAndTheEntry() {
        Map<String, Object> values = Map.of(StreamsAppConfig.SCHEMA_REGISTRY_URL_CONFIG, "mock://unused",
                SensorsConfig.THRESHOLDS_CONFIG, "temperature:50:-10");
        assertThatThrownBy(() -> StreamsAppConfig.of(new SensorsApp(), values))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(SensorsConfig.THRESHOLDS_CONFIG).hasMessageContaining("temperature:50:-10")
                .hasMessageContaining("low bound above high bound");
    }

    @Test
    void deviceAndMetricNamesCannotCollideInTheInternalKey() {
        SensorReading a = SensorReading.newBuilder().setDeviceId("a|b").setMetric("c").setValue(1).setTs(T0).build();
        SensorReading b = SensorReading.newBuilder().setDeviceId("a").setMetric("b|c").setValue(1).setTs(T0).build();
        assertThat(Readings.key(a)).isNotEqualTo(Readings.key(b));
    }

    @Test
    void topologyMatchesTheGoldenFile() {
        GoldenTopology.assertTopologyMatches(kit.driver().topology(), "src/test/resources/golden/sensors.txt");
    }

    private double metric(String name, String tag) {
        return kit.driver().driver().metrics().entrySet().stream()
                .filter(e -> e.getKey().name().equals(name) && e.getKey().tags().containsValue(tag))
                .mapToDouble(e -> ((Number) e.getValue().metricValue()).doubleValue()).sum();
    }
}
