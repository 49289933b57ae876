package io.kaveri.streams.query;

import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.state.HostInfo;

import java.util.OptionalLong;
import java.util.Set;

/** What routing needs to know about one app's instances; Kafka Streams' metadata in production. */
interface Cluster {

    HostInfo self();

    /** Active and standby hosts of the key's partition; {@link KeyQueryMetadata#NOT_AVAILABLE} while unknown. */
    KeyQueryMetadata locate(String store, String key);

    /** Every instance with an active partition of the store, this one included when it has one. */
    Set<HostInfo> activeHosts(String store);

    /** The partitions of the store this instance is the active host of, as the current assignment says. */
    Set<Integer> localActivePartitions(String store);

    /**
     * An upper bound of how far the local replica of a partition is behind its changelog, in ms; empty when this
     * instance has no replica of it or cannot tell.
     */
    OptionalLong stalenessMs(String store, int partition);

    /** True once the app has started and not yet been stopped. */
    boolean running();

    /** The app's state, for messages. */
    String state();
}
