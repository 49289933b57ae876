package io.kaveri.streams.query;

import com.fasterxml.jackson.databind.node.ArrayNode;
import io.kaveri.streams.enrichment.EnrichmentApp;
import io.kaveri.streams.enrichment.EnrichmentQueries;
import io.kaveri.streams.runtime.StreamsAppConfig;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.query.StateQueryRequest;
import org.apache.kafka.streams.query.WindowKeyQuery;
import org.apache.kafka.streams.state.WindowStoreIterator;

import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * The enrichment app's query, over its CTR window store with IQv2: {@code /api/enrichment/campaigns/{campaign}/ctr
 * ?from=&to=}, the campaign's CTR per minute of impression, window start in [from, to]. The store is changelogged,
 * so a standby may answer within maxLagMs.
 */
final class EnrichmentQueryModule implements QueryModule {

    @Override
    public String app() {
        return "enrichment";
    }

    @Override
    public List<Endpoint> endpoints(KafkaStreams streams, StreamsAppConfig config) {
        return List.of(new Endpoint.Keyed("/campaigns/{campaign}/ctr", EnrichmentQueries.CTR_STORE, List.of("from", "to"),
                p -> p.pathValue("campaign"), true, (params, campaign, partition, activeOnly) -> {
                    long from = params.time("from", 0);
                    long to = params.time("to", Long.MAX_VALUE / 2);
                    if (to < from) {
                        throw new BadParameterException("to", "to (" + to + ") must not be before from (" + from + ")");
                    }
                    StateQueryRequest<WindowStoreIterator<Object>> request = StateQueryRequest
                            .inStore(EnrichmentQueries.CTR_STORE)
                            .withQuery(WindowKeyQuery.<String, Object>withKeyAndWindowStartRange(campaign,
                                    Instant.ofEpochMilli(from), Instant.ofEpochMilli(to)))
                            .withPartitions(Set.of(partition));
                    return Iq.partition(streams, activeOnly ? request.requireActive() : request, partition, it -> {
                        ArrayNode minutes = Reply.JSON.createArrayNode();
                        try (WindowStoreIterator<Object> windows = it) {
                            windows.forEachRemaining(kv -> minutes.add(AvroJson.toJson(EnrichmentQueries.ctr(kv.key, kv.value))));
                        }
                        return minutes.isEmpty()
                                ? new LocalRead.Absent("campaign " + campaign + " has no impressions in the CTR store with "
                                + "a minute between " + Instant.ofEpochMilli(from) + " and " + Instant.ofEpochMilli(to))
                                : new LocalRead.Found(minutes, null);
                    });
                }));
    }

    @Override
    public List<Feed> feeds(StreamsAppConfig config) {
        return List.of(new Feed(config.getString(EnrichmentApp.CTR_TOPIC_CONFIG), "ctr"));
    }
}
