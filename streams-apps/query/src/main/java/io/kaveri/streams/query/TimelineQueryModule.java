package io.kaveri.streams.query;

import io.kaveri.schemas.social.TimelineEntry;
import io.kaveri.streams.runtime.StreamsAppConfig;
import io.kaveri.streams.timeline.TimelineApp;
import io.kaveri.streams.timeline.TimelineQueries;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.query.KeyQuery;
import org.apache.kafka.streams.query.StateQueryRequest;

import java.util.List;
import java.util.Set;

/**
 * The timeline app's query, over its "latest entries" store with IQv2: {@code /api/timeline/users/{user}?n=20},
 * the user's newest entries, newest first. The store is changelogged, so a standby may answer within maxLagMs.
 */
final class TimelineQueryModule implements QueryModule {

    @Override
    public String app() {
        return "timeline";
    }

    @Override
    public List<Endpoint> endpoints(KafkaStreams streams, StreamsAppConfig config) {
        return List.of(new Endpoint.Keyed("/users/{user}", TimelineQueries.LATEST_STORE, List.of("n"),
                p -> p.pathValue("user"), true, (params, user, partition, activeOnly) -> {
                    int n = params.intBetween("n", 20, 1, 10_000);
                    StateQueryRequest<List<TimelineEntry>> request = StateQueryRequest.inStore(TimelineQueries.LATEST_STORE)
                            .withQuery(KeyQuery.<String, List<TimelineEntry>>withKey(user)).withPartitions(Set.of(partition));
                    return Iq.partition(streams, activeOnly ? request.requireActive() : request, partition, entries ->
                            entries == null || entries.isEmpty()
                                    ? new LocalRead.Absent("user " + user + " has no timeline entries (no tweet yet from "
                                    + "anyone they follow)")
                                    : new LocalRead.Found(AvroJson.toJson(entries.subList(0, Math.min(n, entries.size()))),
                                    null));
                }));
    }

    @Override
    public List<Feed> feeds(StreamsAppConfig config) {
        return List.of(new Feed(config.getString(TimelineApp.TIMELINE_TOPIC_CONFIG), "timeline"));
    }
}
