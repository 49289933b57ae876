package io.kaveri.streams.query;

import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.LagInfo;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.state.HostInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashMap;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * {@link Cluster} from Kafka Streams' own metadata. Lags are sampled on a thread of their own: reading them asks
 * the brokers for end offsets, too slow for every request, and never on a stream thread.
 */
final class KafkaCluster implements Cluster, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(KafkaCluster.class);
    /** How often the assignment is compared with the one the remembered routes were found under. */
    private static final long ROUTE_CHECK_MS = 200;
    private static final int ROUTE_CACHE_ENTRIES = 100_000;

    private final String app;
    private final KafkaStreams streams;
    private final HostInfo self;
    private final Staleness staleness = new Staleness();
    private final StringSerializer keys = new StringSerializer();
    private final ScheduledExecutorService sampler;
    private final RouteCache routes = new RouteCache(ROUTE_CACHE_ENTRIES);
    private volatile Set<StreamsMetadata> assignment = Set.of();

    KafkaCluster(String app, KafkaStreams streams, HostInfo self, long lagRefreshMs) {
        this.app = app;
        this.streams = streams;
        this.self = self;
        this.sampler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "kaveri-query-lag-" + app);
            t.setDaemon(true);
            return t;
        });
        sampler.scheduleWithFixedDelay(this::sample, 0, lagRefreshMs, TimeUnit.MILLISECONDS);
        sampler.scheduleWithFixedDelay(this::checkAssignment, ROUTE_CHECK_MS, ROUTE_CHECK_MS, TimeUnit.MILLISECONDS);
    }

    /** Forgets the remembered routes when the instances' assignment is not the one they were found under. */
    private void checkAssignment() {
        try {
            Set<StreamsMetadata> now = Set.copyOf(streams.metadataForAllStreamsClients());
            if (!now.equals(assignment)) {
                routes.invalidate();
                assignment = now;
            }
        } catch (RuntimeException e) {
            routes.invalidate(); // not running: nothing to remember
        }
    }

    private void sample() {
        if (!running()) {
            return;
        }
        try {
            Map<String, Map<Integer, Long>> lags = new HashMap<>();
            for (Map.Entry<String, Map<Integer, LagInfo>> store : streams.allLocalStorePartitionLags().entrySet()) {
                Map<Integer, Long> partitions = new HashMap<>();
                store.getValue().forEach((p, lag) -> partitions.put(p, lag.offsetLag()));
                lags.put(store.getKey(), partitions);
            }
            staleness.update(lags, System.currentTimeMillis());
        } catch (RuntimeException e) {
            // Rebalancing or brokers briefly away: keep the previous samples, whose bounds only grow with time.
            log.debug("lag sample failed app={} error={}", app, e.toString());
        }
    }

    @Override
    public HostInfo self() {
        return self;
    }

    @Override
    public KeyQueryMetadata locate(String store, String key) {
        if (streams.state() != KafkaStreams.State.RUNNING) {
            routes.invalidate(); // the assignment is moving: ask Kafka Streams every time until it settles
            return lookup(store, key);
        }
        return routes.get(store, key, () -> lookup(store, key));
    }

    private KeyQueryMetadata lookup(String store, String key) {
        try {
            return streams.queryMetadataForKey(store, key, keys);
        } catch (IllegalStateException e) {
            return KeyQueryMetadata.NOT_AVAILABLE; // not running (yet or any more)
        }
    }

    @Override
    public Set<HostInfo> activeHosts(String store) {
        try {
            return streams.streamsMetadataForStore(store).stream().filter(m -> !m.topicPartitions().isEmpty())
                    .map(StreamsMetadata::hostInfo).collect(Collectors.toSet());
        } catch (IllegalStateException e) {
            return Set.of();
        }
    }

    @Override
    public Set<Integer> localActivePartitions(String store) {
        try {
            return streams.streamsMetadataForStore(store).stream().filter(m -> m.hostInfo().equals(self))
                    .flatMap(m -> m.topicPartitions().stream()).map(tp -> tp.partition()).collect(Collectors.toSet());
        } catch (IllegalStateException e) {
            return Set.of();
        }
    }

    @Override
    public OptionalLong stalenessMs(String store, int partition) {
        return staleness.stalenessMs(store, partition, System.currentTimeMillis());
    }

    @Override
    public boolean running() {
        return streams.state().isRunningOrRebalancing();
    }

    @Override
    public String state() {
        return streams.state().name();
    }

    @Override
    public void close() {
        sampler.shutdownNow();
    }
}
