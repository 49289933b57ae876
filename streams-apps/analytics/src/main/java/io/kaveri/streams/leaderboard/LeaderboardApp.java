package io.kaveri.streams.leaderboard;

import io.kaveri.streams.runtime.StreamsApp;
import io.kaveri.streams.runtime.StreamsAppConfig;
import io.kaveri.streams.runtime.TopicSpec;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.streams.Topology;

import java.util.List;
import java.util.Map;

/** Game leaderboards: top-K per game per window and all time, and relative ranks with neighbours. */
public final class LeaderboardApp implements StreamsApp {

    @Override
    public String name() {
        return "leaderboard";
    }

    @Override
    public String description() {
        return "scores -> top-K per game (windowed and all time) and relative ranks with neighbours";
    }

    @Override
    public ConfigDef configDef() {
        return LeaderboardConfig.configDef();
    }

    @Override
    public Topology build(StreamsAppConfig config) {
        return LeaderboardTopology.build(config);
    }

    @Override
    public List<TopicSpec> topics(StreamsAppConfig config) {
        return List.of(
                TopicSpec.input(config.getString(LeaderboardConfig.SCORES_TOPIC_CONFIG)),
                TopicSpec.compactedOutput(config.getString(LeaderboardConfig.TOP_TOPIC_CONFIG)),
                TopicSpec.compactedOutput(config.getString(LeaderboardConfig.RANKS_TOPIC_CONFIG)),
                new TopicSpec(config.lateTopic(), TopicSpec.Role.LATE, -1, Map.of()),
                new TopicSpec(config.deadLetterTopic(), TopicSpec.Role.DEAD_LETTER, -1, Map.of()));
    }
}
