package io.kaveri.streams.runtime;

import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.streams.StreamsConfig;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * The configuration of one streams app: Kaveri's runtime keys, the app's own keys, and every other key passed
 * through untouched to Kafka Streams, its clients and the Avro serdes (so SASL, TLS and registry settings work
 * as users know them).
 *
 * <p>Sources, later ones winning: the defaults below, a properties file, environment variables
 * ({@code KAVERI_BOOTSTRAP_SERVERS} → {@code bootstrap.servers}: upper case, dots as underscores, prefix
 * {@code KAVERI_}), and explicit overrides ({@code --set key=value}).
 */
public final class StreamsAppConfig extends AbstractConfig {

    public static final String BOOTSTRAP_SERVERS_CONFIG = StreamsConfig.BOOTSTRAP_SERVERS_CONFIG;
    private static final String BOOTSTRAP_SERVERS_DOC = "Kafka brokers to connect to.";

    public static final String APPLICATION_ID_CONFIG = StreamsConfig.APPLICATION_ID_CONFIG;
    private static final String APPLICATION_ID_DOC = "Consumer group and prefix of internal topics; default kaveri-<app>.";

    public static final String SCHEMA_REGISTRY_URL_CONFIG = "schema.registry.url";
    private static final String SCHEMA_REGISTRY_URL_DOC = "Confluent-compatible schema registry URL(s), comma separated, "
            + "or mock://<scope> for an in-memory registry in tests.";

    public static final String PROCESSING_GUARANTEE_CONFIG = StreamsConfig.PROCESSING_GUARANTEE_CONFIG;
    private static final String PROCESSING_GUARANTEE_DOC = "exactly_once_v2 by default: outputs, state changelogs and "
            + "input offsets commit together, so a crash neither loses nor duplicates results.";

    public static final String DEAD_LETTER_TOPIC_CONFIG = StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG;
    private static final String DEAD_LETTER_TOPIC_DOC = "Where records that fail deserialization or processing go, with "
            + "the cause in headers; default <application.id>-dlq. Processing continues after them.";

    public static final String LATE_TOPIC_CONFIG = "kaveri.late.topic";
    private static final String LATE_TOPIC_DOC = "Where records arriving after their window's grace period go, instead of "
            + "being dropped silently; default <application.id>-late.";

    public static final String STATE_DIR_CONFIG = StreamsConfig.STATE_DIR_CONFIG;
    private static final String STATE_DIR_DOC = "Directory for Kafka Streams' local state (checkpoints, locks); the "
            + "stores themselves are in memory.";

    public static final String NUM_STREAM_THREADS_CONFIG = StreamsConfig.NUM_STREAM_THREADS_CONFIG;
    private static final String NUM_STREAM_THREADS_DOC = "Stream threads of this instance.";

    public static final String REPLICATION_FACTOR_CONFIG = StreamsConfig.REPLICATION_FACTOR_CONFIG;
    private static final String REPLICATION_FACTOR_DOC = "Replication of internal topics; -1 uses the broker's default.";

    private static final String ENV_PREFIX = "KAVERI_";

    private final String appName;

    private StreamsAppConfig(String appName, ConfigDef definition, Map<String, ?> values) {
        super(definition, values, false);
        this.appName = appName;
    }

    /** The runtime's own keys; apps add theirs to a copy of it. */
    static ConfigDef runtimeDef(String appName) {
        String group = "Runtime";
        int order = 0;
        return new ConfigDef()
                .define(BOOTSTRAP_SERVERS_CONFIG, Type.LIST, "127.0.0.1:9092", Importance.HIGH, BOOTSTRAP_SERVERS_DOC,
                        group, ++order, ConfigDef.Width.LONG, "Bootstrap servers")
                .define(APPLICATION_ID_CONFIG, Type.STRING, "kaveri-" + appName, new ConfigDef.NonEmptyString(),
                        Importance.HIGH, APPLICATION_ID_DOC, group, ++order, ConfigDef.Width.MEDIUM, "Application id")
                .define(SCHEMA_REGISTRY_URL_CONFIG, Type.STRING, ConfigDef.NO_DEFAULT_VALUE, new ConfigDef.NonEmptyString(),
                        Importance.HIGH, SCHEMA_REGISTRY_URL_DOC, group, ++order, ConfigDef.Width.LONG, "Schema registry URL")
                .define(PROCESSING_GUARANTEE_CONFIG, Type.STRING, StreamsConfig.EXACTLY_ONCE_V2,
                        ConfigDef.ValidString.in(StreamsConfig.AT_LEAST_ONCE, StreamsConfig.EXACTLY_ONCE_V2),
                        Importance.MEDIUM, PROCESSING_GUARANTEE_DOC, group, ++order, ConfigDef.Width.SHORT, "Processing guarantee")
                .define(DEAD_LETTER_TOPIC_CONFIG, Type.STRING, "", Importance.MEDIUM, DEAD_LETTER_TOPIC_DOC,
                        group, ++order, ConfigDef.Width.MEDIUM, "Dead-letter topic")
                .define(LATE_TOPIC_CONFIG, Type.STRING, "", Importance.MEDIUM, LATE_TOPIC_DOC,
                        group, ++order, ConfigDef.Width.MEDIUM, "Late-record topic")
                .define(STATE_DIR_CONFIG, Type.STRING, Path.of(System.getProperty("java.io.tmpdir"), "kaveri-streams").toString(),
                        Importance.LOW, STATE_DIR_DOC, group, ++order, ConfigDef.Width.LONG, "State directory")
                .define(NUM_STREAM_THREADS_CONFIG, Type.INT, 1, ConfigDef.Range.atLeast(1), Importance.MEDIUM,
                        NUM_STREAM_THREADS_DOC, group, ++order, ConfigDef.Width.SHORT, "Stream threads")
                .define(REPLICATION_FACTOR_CONFIG, Type.INT, -1, Importance.LOW, REPLICATION_FACTOR_DOC,
                        group, ++order, ConfigDef.Width.SHORT, "Replication factor");
    }

    /** The full definition of an app's configuration: the runtime's keys then the app's (for docs and validation). */
    public static ConfigDef definition(StreamsApp app) {
        ConfigDef def = new ConfigDef(runtimeDef(app.name()));
        app.configDef().configKeys().values().forEach(def::define);
        return def;
    }

    /** Validates {@code values} against the runtime's and the app's keys; unknown keys pass through. */
    public static StreamsAppConfig of(StreamsApp app, Map<String, ?> values) {
        return new StreamsAppConfig(app.name(), definition(app), values);
    }

    /** Reads the sources in order: {@code file} (may be null), the environment, then {@code overrides}. */
    public static Map<String, String> load(Path file, Map<String, String> environment, Map<String, String> overrides) {
        Map<String, String> values = new HashMap<>();
        if (file != null) {
            Properties p = new Properties();
            try (Reader r = Files.newBufferedReader(file)) {
                p.load(r);
            } catch (IOException e) {
                throw new ConfigException("cannot read the configuration file " + file + ": " + e.getMessage());
            }
            p.stringPropertyNames().forEach(k -> values.put(k, p.getProperty(k)));
        }
        environment.forEach((k, v) -> {
            if (k.startsWith(ENV_PREFIX) && k.length() > ENV_PREFIX.length()) {
                values.put(k.substring(ENV_PREFIX.length()).toLowerCase(Locale.ROOT).replace('_', '.'), v);
            }
        });
        values.putAll(overrides);
        return values;
    }

    public String appName() {
        return appName;
    }

    public String applicationId() {
        return getString(APPLICATION_ID_CONFIG);
    }

    public String deadLetterTopic() {
        String t = getString(DEAD_LETTER_TOPIC_CONFIG);
        return t.isBlank() ? applicationId() + "-dlq" : t;
    }

    public String lateTopic() {
        String t = getString(LATE_TOPIC_CONFIG);
        return t.isBlank() ? applicationId() + "-late" : t;
    }

    /**
     * Everything the serdes need: the registry URL and every {@code schema.registry.*}, {@code basic.auth.*},
     * {@code bearer.auth.*} key and Avro serde switch, passed as given.
     */
    public Map<String, Object> serdeConfigs() {
        Map<String, Object> serde = new HashMap<>();
        originals().forEach((k, v) -> {
            if (k.startsWith("schema.registry.") || k.startsWith("basic.auth.") || k.startsWith("bearer.auth.")
                    || k.equals("auto.register.schemas") || k.equals("use.latest.version")
                    || k.equals("latest.compatibility.strict") || k.equals("normalize.schemas")) {
                serde.put(k, v);
            }
        });
        serde.put(SCHEMA_REGISTRY_URL_CONFIG, getString(SCHEMA_REGISTRY_URL_CONFIG));
        return serde;
    }

    /**
     * The properties for {@code new KafkaStreams(topology, props)}: every original key (client and security
     * settings pass through) with the runtime's defaults filled in.
     */
    public Properties streamsProperties() {
        Properties p = new Properties();
        originals().forEach((k, v) -> p.put(k, v));
        p.put(BOOTSTRAP_SERVERS_CONFIG, String.join(",", getList(BOOTSTRAP_SERVERS_CONFIG)));
        p.put(APPLICATION_ID_CONFIG, applicationId());
        p.put(PROCESSING_GUARANTEE_CONFIG, getString(PROCESSING_GUARANTEE_CONFIG));
        p.put(DEAD_LETTER_TOPIC_CONFIG, deadLetterTopic());
        p.put(STATE_DIR_CONFIG, getString(STATE_DIR_CONFIG));
        p.put(NUM_STREAM_THREADS_CONFIG, getInt(NUM_STREAM_THREADS_CONFIG));
        p.put(REPLICATION_FACTOR_CONFIG, getInt(REPLICATION_FACTOR_CONFIG));
        // A poison record must not stop the app: log it, send it to the dead-letter topic, continue.
        p.putIfAbsent(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG,
                org.apache.kafka.streams.errors.LogAndContinueExceptionHandler.class.getName());
        p.putIfAbsent(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG,
                org.apache.kafka.streams.errors.LogAndContinueProcessingExceptionHandler.class.getName());
        return p;
    }
}
