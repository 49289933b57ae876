package io.kaveri.streams.sensors;

import io.kaveri.streams.fraud.FraudApp;
import io.kaveri.streams.runtime.StreamsApp;
import io.kaveri.streams.runtime.StreamsAppConfig;
import io.kaveri.streams.runtime.StreamsApps;
import io.kaveri.streams.runtime.TopicSpec;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/** The launcher finds both apps by name, and each lists the topics to create ahead of time. */
class AppRegistrationTest {

    @ParameterizedTest
    @CsvSource({
            "fraud, payments, fraud-alerts, ",
            "sensors, sensor-readings, sensor-alerts, sensor-stats"})
    void theLauncherFindsTheAppAndItsTopics(String name, String input, String alerts, String stats) {
        StreamsApp app = StreamsApps.named(name).orElseThrow();
        assertThat(app).isInstanceOfAny(FraudApp.class, SensorsApp.class);
        StreamsAppConfig config = StreamsAppConfig.of(app, Map.of(StreamsAppConfig.SCHEMA_REGISTRY_URL_CONFIG, "mock://unused"));
        assertThat(app.topics(config)).extracting(TopicSpec::name, TopicSpec::role).contains(
                tuple(input, TopicSpec.Role.INPUT), tuple(alerts, TopicSpec.Role.OUTPUT),
                tuple("kaveri-" + name + "-late", TopicSpec.Role.LATE), tuple("kaveri-" + name + "-dlq", TopicSpec.Role.DEAD_LETTER));
        if (stats != null) {
            assertThat(app.topics(config)).extracting(TopicSpec::name).contains(stats);
        }
        assertThat(StreamsAppConfig.definition(app).configKeys().values())
                .allSatisfy(key -> assertThat(key.documentation).as(key.name).isNotBlank());
    }
}
