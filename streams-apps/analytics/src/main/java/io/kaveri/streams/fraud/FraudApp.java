package io.kaveri.streams.fraud;

import io.kaveri.streams.runtime.StreamsApp;
import io.kaveri.streams.runtime.StreamsAppConfig;
import io.kaveri.streams.runtime.TopicSpec;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.streams.Topology;

import java.util.List;
import java.util.Map;

/** Fraud detection: payments to alerts for velocity, amount anomaly and impossible travel, each explained. */
public final class FraudApp implements StreamsApp {

    @Override
    public String name() {
        return "fraud";
    }

    @Override
    public String description() {
        return "payments -> fraud alerts: velocity per card per window, amount z-score, impossible travel";
    }

    @Override
    public ConfigDef configDef() {
        return FraudConfig.configDef();
    }

    @Override
    public Topology build(StreamsAppConfig config) {
        return FraudTopology.build(config);
    }

    @Override
    public List<TopicSpec> topics(StreamsAppConfig config) {
        return List.of(
                TopicSpec.input(config.getString(FraudConfig.PAYMENTS_TOPIC_CONFIG)),
                TopicSpec.output(config.getString(FraudConfig.ALERTS_TOPIC_CONFIG)),
                new TopicSpec(config.lateTopic(), TopicSpec.Role.LATE, -1, Map.of()),
                new TopicSpec(config.deadLetterTopic(), TopicSpec.Role.DEAD_LETTER, -1, Map.of()));
    }
}
