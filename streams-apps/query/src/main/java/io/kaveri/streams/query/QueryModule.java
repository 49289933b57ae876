package io.kaveri.streams.query;

import io.kaveri.streams.runtime.StreamsAppConfig;
import org.apache.kafka.streams.KafkaStreams;

import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * What one streams app contributes to the query service: its endpoints over its stores, and the output topics
 * pushed to event-stream clients. An app without a module runs without queries.
 */
interface QueryModule {

    /** The {@code StreamsApp} name served. */
    String app();

    List<Endpoint> endpoints(KafkaStreams streams, StreamsAppConfig config);

    List<Feed> feeds(StreamsAppConfig config);

    /** An output topic pushed as events named {@code event} (the SSE {@code event:} field). */
    record Feed(String topic, String event) {
    }

    static Optional<QueryModule> forApp(String app) {
        return Stream.<QueryModule>of(new MarketQueryModule(), new LeaderboardQueryModule(), new TimelineQueryModule(),
                        new EnrichmentQueryModule(), new AlertsQueryModule("fraud", "fraud.alerts.topic"),
                        new AlertsQueryModule("sensors", "sensors.alerts.topic"))
                .filter(m -> m.app().equals(app)).findFirst();
    }
}
