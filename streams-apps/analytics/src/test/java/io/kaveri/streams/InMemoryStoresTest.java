package io.kaveri.streams;

import io.kaveri.streams.runtime.StreamsApp;
import io.kaveri.streams.runtime.StreamsAppConfig;
import io.kaveri.streams.runtime.StreamsApps;
import io.kaveri.streams.timeline.AppKit;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.processor.StateStore;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every state store of every app, in every variant its settings choose, is in memory, with the properties the runtime
 * runs it with in production: a DSL store left to Kafka's default supplier would be RocksDB there (the test kit makes
 * DSL stores in-memory for speed, so this test opens its own driver).
 */
class InMemoryStoresTest {

    @TempDir
    Path stateDir;

    static List<Arguments> variants() {
        List<Arguments> variants = new ArrayList<>();
        for (StreamsApp app : StreamsApps.all()) {
            variants.add(Arguments.of(app.name(), Map.of()));
        }
        variants.add(Arguments.of("enrichment", Map.of("enrichment.users.join", "global")));
        variants.add(Arguments.of("enrichment", Map.of("enrichment.pageviews.keyed.by.user", "true",
                "enrichment.clicks.keyed.by.user", "true", "enrichment.purchases.keyed.by.user", "true")));
        variants.add(Arguments.of("timeline", Map.of("timeline.tweets.keyed.by.author", "true")));
        variants.add(Arguments.of("market", Map.of("market.trades.keyed.by.symbol", "true")));
        variants.add(Arguments.of("leaderboard", Map.of("leaderboard.scores.keyed.by.game", "true")));
        variants.add(Arguments.of("fraud", Map.of("fraud.payments.keyed.by.card", "true")));
        variants.add(Arguments.of("fraud", Map.of("fraud.velocity.window.type", "sliding")));
        return variants;
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("variants")
    void everyStoreIsInMemory(String name, Map<String, String> settings) {
        StreamsApp app = StreamsApps.named(name).orElseThrow();
        StreamsAppConfig config = AppKit.config(app, "mock://in-memory-" + name, settings);
        Properties production = config.streamsProperties();
        production.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        try (TopologyTestDriver driver = new TopologyTestDriver(app.build(config), production)) {
            Map<String, StateStore> stores = driver.getAllStateStores();
            assertThat(stores).as("stores of " + name).isNotEmpty();
            assertThat(stores.values()).as("persistent stores of " + name + " " + settings)
                    .filteredOn(StateStore::persistent).extracting(StateStore::name).isEmpty();
        }
    }
}
