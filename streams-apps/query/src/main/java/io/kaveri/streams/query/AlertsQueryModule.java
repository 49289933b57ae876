package io.kaveri.streams.query;

import io.kaveri.streams.runtime.StreamsAppConfig;
import org.apache.kafka.streams.KafkaStreams;

import java.util.List;

/**
 * The alerting apps (fraud, sensors) keep no store of their alerts: an alert is an output record, not state. Their
 * alert topics feed the event stream as {@code alert} events, and recent alerts are read from the event buffer
 * ({@code /api/events/recent?type=alert}), which every instance holds whole.
 */
final class AlertsQueryModule implements QueryModule {

    private final String app;
    private final String alertsTopicKey;

    /** @param alertsTopicKey the app's documented config key naming its alerts topic */
    AlertsQueryModule(String app, String alertsTopicKey) {
        this.app = app;
        this.alertsTopicKey = alertsTopicKey;
    }

    @Override
    public String app() {
        return app;
    }

    @Override
    public List<Endpoint> endpoints(KafkaStreams streams, StreamsAppConfig config) {
        return List.of();
    }

    @Override
    public List<Feed> feeds(StreamsAppConfig config) {
        return List.of(new Feed(config.getString(alertsTopicKey), "alert"));
    }
}
