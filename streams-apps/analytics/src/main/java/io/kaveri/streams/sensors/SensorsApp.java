package io.kaveri.streams.sensors;

import io.kaveri.streams.runtime.StreamsApp;
import io.kaveri.streams.runtime.StreamsAppConfig;
import io.kaveri.streams.runtime.TopicSpec;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.streams.Topology;

import java.util.List;
import java.util.Map;

/** Sensor monitoring: readings to per-device rolling statistics and suppressed threshold / z-score alerts. */
public final class SensorsApp implements StreamsApp {

    @Override
    public String name() {
        return "sensors";
    }

    @Override
    public String description() {
        return "sensor readings -> per-device window statistics and threshold / z-score alerts with suppression";
    }

    @Override
    public ConfigDef configDef() {
        return SensorsConfig.configDef();
    }

    @Override
    public Topology build(StreamsAppConfig config) {
        return SensorsTopology.build(config);
    }

    @Override
    public List<TopicSpec> topics(StreamsAppConfig config) {
        return List.of(
                TopicSpec.input(config.getString(SensorsConfig.READINGS_TOPIC_CONFIG)),
                TopicSpec.output(config.getString(SensorsConfig.STATS_TOPIC_CONFIG)),
                TopicSpec.output(config.getString(SensorsConfig.ALERTS_TOPIC_CONFIG)),
                new TopicSpec(config.lateTopic(), TopicSpec.Role.LATE, -1, Map.of()),
                new TopicSpec(config.deadLetterTopic(), TopicSpec.Role.DEAD_LETTER, -1, Map.of()));
    }
}
