package io.kaveri.streams.sensors;

import io.kaveri.schemas.sensors.SensorAlert;
import io.kaveri.schemas.sensors.SensorAlertKind;
import io.kaveri.schemas.sensors.SensorAlertStatus;
import io.kaveri.schemas.sensors.SensorReading;
import io.kaveri.schemas.sensors.SensorStats;
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
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

/** The sensors app on the real broker and registry, run by the runtime as the launcher runs it (exactly-once). */
@KaveriStack({Part.KAFKA, Part.REGISTRY})
class SensorsAppIT {

    @Test
    void statisticsAndSuppressedAlertsReachTheirTopics(LocalStack stack) throws Exception {
        try (RunningApp app = RunningApp.start(stack, new SensorsApp(), Map.of(SensorsConfig.THRESHOLDS_CONFIG, "temperature::50",
                        SensorsConfig.STATS_GRACE_CONFIG, "5000"))) {
            String readings = app.topic(SensorsConfig.READINGS_TOPIC_CONFIG);
            Instant t0 = Instant.now().truncatedTo(ChronoUnit.MINUTES).minus(Duration.ofHours(1));
            double[] values = {20, 60, 61, 62, 22};
            for (int i = 0; i < values.length; i++) {
                send(app, readings, "boiler-1", values[i], t0.plusSeconds(10L * i));
            }
            send(app, readings, "boiler-2", 20, t0.plusSeconds(120)); // closes the first minute

            List<SensorStats> stats = new ArrayList<>();
            List<SensorAlert> alerts = new ArrayList<>();
            try (KafkaConsumer<String, SensorStats> statsReader = app.reader(app.topic(SensorsConfig.STATS_TOPIC_CONFIG));
                 KafkaConsumer<String, SensorAlert> alertsReader = app.reader(app.topic(SensorsConfig.ALERTS_TOPIC_CONFIG))) {
                await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                    assertThat(RunningApp.poll(statsReader, stats)).extracting(SensorStats::getDeviceId, SensorStats::getCount, SensorStats::getMax)
                            .contains(tuple("boiler-1", 5L, 62.0));
                    assertThat(RunningApp.poll(alertsReader, alerts)).extracting(SensorAlert::getKind, SensorAlert::getStatus)
                            .containsExactly(tuple(SensorAlertKind.ABOVE_THRESHOLD, SensorAlertStatus.RAISED));
                });
            }
            assertThat(alerts.get(0).getValue()).isEqualTo(60.0);
        }
    }

    private static void send(RunningApp app, String topic, String device, double value, Instant ts) throws Exception {
        app.send(topic, SensorReading.newBuilder().setDeviceId(device).setMetric("temperature").setValue(value).setTs(ts).build(), ts);
    }
}
