package io.kaveri.streams.testkit;

import io.kaveri.schemas.registry.MockSchemaRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Stream;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One {@link TopologyTestDriver} with everything a test of one topology needs: its own
 * {@code mock://} registry scope, its own state directory, typed topics and time control.
 */
public final class KitDriver implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(KitDriver.class);

    /** The property Kaveri's and Confluent's Avro serdes read the registry URL from. */
    public static final String SCHEMA_REGISTRY_URL_CONFIG = "schema.registry.url";

    private final KitContext context;
    private final Topology topology;
    private final TopologyTestDriver driver;
    private final Path stateDir;
    private final String registryScope;
    private final boolean ownsScope;
    private final List<TestInput<?, ?>> tickingInputs = new ArrayList<>();

    private KitDriver(KitContext context, Topology topology, TopologyTestDriver driver, Path stateDir,
                      String registryScope, boolean ownsScope) {
        this.context = context;
        this.topology = topology;
        this.driver = driver;
        this.stateDir = stateDir;
        this.registryScope = registryScope;
        this.ownsScope = ownsScope;
    }

    /**
     * A driver on the registry scope of {@code sharing}, or on a new scope of its own when null.
     * Sharing lets serdes made for one driver's registry work with another's (the oracle's runs).
     */
    static KitDriver open(Function<KitContext, Topology> factory, Map<String, Object> defaults,
                          Map<String, Object> overrides, Instant start, KitDriver sharing) {
        boolean ownsScope = sharing == null;
        String scope = ownsScope ? "kaveri-test-" + UUID.randomUUID() : sharing.registryScope;
        Path stateDir = createStateDir();
        Map<String, Object> props = new LinkedHashMap<>(defaults);
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        props.put(SCHEMA_REGISTRY_URL_CONFIG, "mock://" + scope);
        props.putAll(overrides);
        KitContext context = new KitContext(scope, props);
        try {
            Topology topology = factory.apply(context);
            if (topology == null) {
                throw new IllegalArgumentException("the topology factory returned null");
            }
            TopologyTestDriver driver = new TopologyTestDriver(topology, context.asProperties(), start);
            log.debug("Opened test driver registry={} stateDir={}", context.registryUrl(), stateDir);
            return new KitDriver(context, topology, driver, stateDir, scope, ownsScope);
        } catch (RuntimeException | Error e) {
            if (ownsScope) {
                MockSchemaRegistry.drop(scope);
            }
            deleteQuietly(stateDir);
            throw e;
        }
    }

    public KitContext context() {
        return context;
    }

    /** Kaveri Avro serdes on this test's {@code mock://} registry. */
    public AvroSerdes serdes() {
        return context.serdes();
    }

    public Topology topology() {
        return topology;
    }

    /** The underlying driver, for what the kit does not wrap. */
    public TopologyTestDriver driver() {
        return driver;
    }

    public <K, V> TestInput<K, V> input(String topic, Serde<K> keySerde, Serde<V> valueSerde) {
        return new TestInput<>(topic,
                driver.createInputTopic(topic, keySerde.serializer(), valueSerde.serializer()),
                tickingInputs::add);
    }

    public <K, V> TestInput<K, V> input(Topic<K, V> topic) {
        return input(topic.name(), topic.keySerde(), topic.valueSerde());
    }

    public <K, V> TestOutput<K, V> output(String topic, Serde<K> keySerde, Serde<V> valueSerde) {
        return new TestOutput<>(topic,
                driver.createOutputTopic(topic, keySerde.deserializer(), valueSerde.deserializer()),
                key -> true);
    }

    public <K, V> TestOutput<K, V> output(Topic<K, V> topic) {
        return output(topic.name(), topic.keySerde(), topic.valueSerde());
    }

    /** An output read as raw bytes, as a dead-letter topic holds the original record. */
    public TestOutput<byte[], byte[]> rawOutput(String topic) {
        return output(topic, Serdes.ByteArray(), Serdes.ByteArray());
    }

    public StoreReader stores() {
        return new StoreReader(driver);
    }

    /** Moves the wall clock, firing wall-clock punctuations that fall due. */
    public KitDriver advanceWallClock(Duration by) {
        driver.advanceWallClockTime(by);
        return this;
    }

    /** Pipes the tick record of every input that has one at {@code streamTime}. */
    public KitDriver advanceStreamTimeTo(Instant streamTime) {
        if (tickingInputs.isEmpty()) {
            throw new IllegalStateException("no input topic has a tick record: call"
                    + " input(topic, ...).tickWith(key, value) on the inputs that feed the windows");
        }
        for (TestInput<?, ?> input : tickingInputs) {
            input.advanceStreamTimeTo(streamTime);
        }
        return this;
    }

    /**
     * Makes every window that ends at or before {@code windowEnd} close, so emit-final
     * operators ({@code suppress(untilWindowCloses)}, {@code EmitStrategy.onWindowClose()})
     * emit it: a window closes once stream time reaches its end plus the grace period.
     */
    public KitDriver closeWindowsUpTo(Instant windowEnd, Duration grace) {
        return advanceStreamTimeTo(windowEnd.plus(grace));
    }

    @Override
    public void close() {
        try {
            driver.close();
        } finally {
            if (ownsScope) {
                MockSchemaRegistry.drop(registryScope);
            }
            deleteQuietly(stateDir);
            log.debug("Closed test driver registry={}", context.registryUrl());
        }
    }

    private static Path createStateDir() {
        try {
            return Files.createTempDirectory("kaveri-testkit-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a state directory for the test driver", e);
        }
    }

    private static void deleteQuietly(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            log.warn("Could not delete state directory dir={} error={}", dir, e.toString());
        }
    }
}
