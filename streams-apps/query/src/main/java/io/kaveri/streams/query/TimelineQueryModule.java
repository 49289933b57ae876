package io.kaveri.streams.query;

import io.kaveri.schemas.social.TimelineEntry;
import io.kaveri.streams.runtime.StreamsAppConfig;
import io.kaveri.streams.timeline.TimelineApp;
import io.kaveri.streams.timeline.TimelineQueries;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.query.StateQueryRequest;
import org.apache.kafka.streams.state.KeyValueIterator;

import java.util.List;
import java.util.Set;

/**
 * The timeline app's query, over its "latest entries" store with IQv2: {@code /api/timeline/users/{user}?n=20},
 * the user's newest entries, newest first, read as the key range of the user's rows. The store is changelogged,
 * so a standby may answer within maxLagMs.
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
                    StateQueryRequest<KeyValueIterator<Bytes, TimelineEntry>> request = StateQueryRequest
                            .inStore(TimelineQueries.LATEST_STORE).withQuery(TimelineQueries.rowsOf(user))
                            .withPartitions(Set.of(partition));
                    return Iq.partition(streams, activeOnly ? request.requireActive() : request, partition, rows -> {
                        List<TimelineEntry> entries;
                        try (rows) {
                            entries = TimelineQueries.newestFirst(rows, n);
                        }
                        return entries.isEmpty()
                                ? new LocalRead.Absent("user " + user + " has no timeline entries (no tweet yet from "
                                + "anyone they follow)")
                                : new LocalRead.Found(AvroJson.toJson(entries), null);
                    });
                }));
    }

    @Override
    public List<Feed> feeds(StreamsAppConfig config) {
        return List.of(new Feed(config.getString(TimelineApp.TIMELINE_TOPIC_CONFIG), "timeline"));
    }
}
