package io.kaveri.streams.market;

import io.kaveri.streams.runtime.StreamsApp;
import io.kaveri.streams.runtime.StreamsAppConfig;
import io.kaveri.streams.runtime.TopicSpec;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.streams.Topology;

import java.util.List;
import java.util.Map;

/** The market dashboard: trades to 1-minute candles (final and live) and 5-minute hopping candles per symbol. */
public final class MarketApp implements StreamsApp {

    @Override
    public String name() {
        return "market";
    }

    @Override
    public String description() {
        return "trades -> 1-minute OHLC/VWAP candles (final and live) and 5-minute hopping candles per symbol";
    }

    @Override
    public ConfigDef configDef() {
        return MarketConfig.configDef();
    }

    @Override
    public Topology build(StreamsAppConfig config) {
        return MarketTopology.build(config);
    }

    @Override
    public List<TopicSpec> topics(StreamsAppConfig config) {
        return List.of(
                TopicSpec.input(config.getString(MarketConfig.TRADES_TOPIC_CONFIG)),
                TopicSpec.output(config.getString(MarketConfig.CANDLES_TOPIC_CONFIG)),
                TopicSpec.compactedOutput(config.getString(MarketConfig.LIVE_TOPIC_CONFIG)),
                TopicSpec.output(config.getString(MarketConfig.HOPPING_TOPIC_CONFIG)),
                new TopicSpec(config.lateTopic(), TopicSpec.Role.LATE, -1, Map.of()),
                new TopicSpec(config.deadLetterTopic(), TopicSpec.Role.DEAD_LETTER, -1, Map.of()));
    }
}
