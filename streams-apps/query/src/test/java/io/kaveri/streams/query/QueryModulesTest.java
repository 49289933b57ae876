package io.kaveri.streams.query;

import io.kaveri.streams.runtime.StreamsApp;
import io.kaveri.streams.runtime.StreamsAppConfig;
import io.kaveri.streams.runtime.StreamsApps;
import io.kaveri.streams.runtime.TopicSpec;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class QueryModulesTest {

    @Test
    void everyAppHasAModuleWhoseFeedsAreItsOutputTopics() {
        List<StreamsApp> apps = StreamsApps.all();
        assertThat(apps).extracting(StreamsApp::name).contains("market", "leaderboard", "timeline", "enrichment",
                "fraud", "sensors");
        for (StreamsApp app : apps) {
            QueryModule module = QueryModule.forApp(app.name()).orElseThrow(() ->
                    new AssertionError("no query module for app " + app.name()));
            StreamsAppConfig config = StreamsAppConfig.of(app, Map.of(StreamsAppConfig.SCHEMA_REGISTRY_URL_CONFIG, "mock://q"));
            List<String> outputs = app.topics(config).stream().filter(t -> t.role() == TopicSpec.Role.OUTPUT)
                    .map(TopicSpec::name).toList();
            assertThat(module.feeds(config)).as(app.name()).isNotEmpty()
                    .allSatisfy(feed -> assertThat(outputs).as(app.name()).contains(feed.topic()));
            List<Endpoint> endpoints = module.endpoints(null, config);
            assertThat(endpoints).extracting(Endpoint::path).as(app.name()).doesNotHaveDuplicates()
                    .allSatisfy(p -> assertThat(p).startsWith("/"));
        }
    }
}
