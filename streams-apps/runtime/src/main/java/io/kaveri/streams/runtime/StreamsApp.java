package io.kaveri.streams.runtime;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.streams.Topology;

import java.util.List;

/**
 * A Kaveri Kafka Streams application as the launcher, the demo and the deploy command see it. Implementations
 * are listed in {@code META-INF/services/io.kaveri.streams.runtime.StreamsApp}. {@link #build} is pure: it
 * only describes the topology, so tests run it in a {@code TopologyTestDriver} with a {@code mock://} registry.
 */
public interface StreamsApp {

    /** Short name used on the command line and as the default {@code application.id} suffix, e.g. {@code timeline}. */
    String name();

    /** One line for {@code list}. */
    String description();

    /** The app's own keys (topics, window sizes, limits), with docs and defaults. */
    ConfigDef configDef();

    /** The topology; no I/O. */
    Topology build(StreamsAppConfig config);

    /** Every topic the app reads or writes (not its internal ones), so that they can be created ahead of time. */
    List<TopicSpec> topics(StreamsAppConfig config);
}
