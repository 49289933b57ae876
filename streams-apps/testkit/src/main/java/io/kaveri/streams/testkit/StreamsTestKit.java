package io.kaveri.streams.testkit;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.BuiltInDslStoreSuppliers;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The kit's entry point. As a JUnit 5 extension it opens a fresh {@link KitDriver} before each
 * test and closes it after, so a test class needs one line of setup:
 *
 * <pre>{@code
 * @RegisterExtension final StreamsTestKit kit = StreamsTestKit.of(WordCount::build);
 * }</pre>
 *
 * Outside JUnit, {@link #open()} gives a driver to close yourself. Instances are immutable:
 * {@code with...} methods return a new kit.
 */
public final class StreamsTestKit implements BeforeEachCallback, AfterEachCallback {

    /** Where the driver's wall clock starts, unless {@link #startingAt} says otherwise. */
    public static final Instant DEFAULT_START = Instant.parse("2026-01-01T00:00:00Z");

    private final Function<KitContext, Topology> factory;
    private final Map<String, Object> config;
    private final Instant start;
    private KitDriver current;

    private StreamsTestKit(Function<KitContext, Topology> factory, Map<String, Object> config, Instant start) {
        this.factory = factory;
        this.config = config;
        this.start = start;
    }

    public static StreamsTestKit of(Supplier<Topology> topology) {
        Objects.requireNonNull(topology, "topology");
        return of(context -> topology.get());
    }

    /** For topologies whose factory needs the registry URL or the properties of the test. */
    public static StreamsTestKit of(Function<KitContext, Topology> topology) {
        return new StreamsTestKit(Objects.requireNonNull(topology, "topology"), Map.of(), DEFAULT_START);
    }

    /** Adds or overrides one Streams (or serde) property of the driver. */
    public StreamsTestKit withConfig(String key, Object value) {
        Map<String, Object> next = new LinkedHashMap<>(config);
        next.put(key, value);
        return new StreamsTestKit(factory, next, start);
    }

    public StreamsTestKit startingAt(Instant wallClockStart) {
        return new StreamsTestKit(factory, config, Objects.requireNonNull(wallClockStart, "wallClockStart"));
    }

    /** A new driver with its own registry scope and state directory; the caller closes it. */
    public KitDriver open() {
        return KitDriver.open(factory, defaults(), config, start, null);
    }

    /**
     * A new driver for one oracle run: on the running test's registry when there is one, so that
     * topics whose serdes came from {@link #serdes()} read and write the same schemas.
     */
    KitDriver openForRun() {
        return KitDriver.open(factory, defaults(), config, start, current);
    }

    private static Map<String, Object> defaults() {
        Map<String, Object> props = new LinkedHashMap<>();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "kaveri-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "driver.invalid:9092");
        // No record cache: every update reaches the output when its record is processed, so a
        // test sees each intermediate result, as a cache-less production run would.
        props.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, 0);
        // The driver commits after every record, and a RocksDB flush per record makes a test (and
        // the oracle's many runs) slow: DSL stores default to in-memory. Stores built with an
        // explicit supplier keep theirs.
        props.put(StreamsConfig.DSL_STORE_SUPPLIERS_CLASS_CONFIG,
                BuiltInDslStoreSuppliers.InMemoryDslStoreSuppliers.class);
        // Kafka 5.0's default; set now so that global stores see the same handler as the rest.
        props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, true);
        return props;
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        current = open();
    }

    @Override
    public void afterEach(ExtensionContext context) {
        KitDriver driver = current;
        current = null;
        if (driver != null) {
            driver.close();
        }
    }

    /** The driver of the running test. */
    public KitDriver driver() {
        if (current == null) {
            throw new IllegalStateException("no test is running: register the kit with @RegisterExtension"
                    + " on an instance field, or call open() yourself");
        }
        return current;
    }

    public <K, V> TestInput<K, V> input(String topic, Serde<K> keySerde, Serde<V> valueSerde) {
        return driver().input(topic, keySerde, valueSerde);
    }

    public <K, V> TestInput<K, V> input(Topic<K, V> topic) {
        return driver().input(topic);
    }

    public <K, V> TestOutput<K, V> output(String topic, Serde<K> keySerde, Serde<V> valueSerde) {
        return driver().output(topic, keySerde, valueSerde);
    }

    public <K, V> TestOutput<K, V> output(Topic<K, V> topic) {
        return driver().output(topic);
    }

    /** Kaveri Avro serdes on the running test's {@code mock://} registry. */
    public AvroSerdes serdes() {
        return driver().serdes();
    }

    public StoreReader stores() {
        return driver().stores();
    }

    public KitDriver advanceWallClock(Duration by) {
        return driver().advanceWallClock(by);
    }

    public KitDriver advanceStreamTimeTo(Instant streamTime) {
        return driver().advanceStreamTimeTo(streamTime);
    }

    public KitDriver closeWindowsUpTo(Instant windowEnd, Duration grace) {
        return driver().closeWindowsUpTo(windowEnd, grace);
    }
}
