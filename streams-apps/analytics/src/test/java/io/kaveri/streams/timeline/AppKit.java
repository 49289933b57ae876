package io.kaveri.streams.timeline;

import io.kaveri.schemas.serde.GenericAvroSerde;
import io.kaveri.schemas.serde.SpecificAvroSerde;
import io.kaveri.streams.runtime.StreamsApp;
import io.kaveri.streams.runtime.StreamsAppConfig;
import io.kaveri.streams.runtime.StreamsApps;
import io.kaveri.streams.runtime.TopicSpec;
import io.kaveri.streams.testkit.KitDriver;
import io.kaveri.streams.testkit.StreamsTestKit;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.streams.StreamsConfig;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

/** Test kits for the analytics apps: the app's topology on its configuration, with the runtime's error handling. */
public final class AppKit {

    private AppKit() {
    }

    /** The app's configuration with {@code settings} on top and the given registry. */
    public static StreamsAppConfig config(StreamsApp app, String registryUrl, Map<String, String> settings) {
        Map<String, Object> values = new HashMap<>(settings);
        values.put(StreamsAppConfig.SCHEMA_REGISTRY_URL_CONFIG, registryUrl);
        return StreamsAppConfig.of(app, values);
    }

    /** A kit that runs the app with the dead-letter topic and exception handlers the runtime sets in production. */
    public static StreamsTestKit of(StreamsApp app, Map<String, String> settings) {
        StreamsTestKit kit = StreamsTestKit.of(context -> app.build(config(app, context.registryUrl(), settings)));
        Properties production = config(app, "mock://unused", settings).streamsProperties();
        for (String key : List.of(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG,
                StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG,
                StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG)) {
            kit = kit.withConfig(key, production.get(key));
        }
        return kit;
    }

    /**
     * The app is found by name through the service loader, every key it adds has a doc, and its defaults make a
     * valid configuration that builds a topology (given only a registry URL).
     */
    public static void assertListedAndDocumented(StreamsApp app) {
        assertThat(StreamsApps.named(app.name())).as("listed in META-INF/services").isPresent();
        app.configDef().configKeys().values().forEach(key ->
                assertThat(key.documentation).as("doc of " + key.name).isNotBlank());
        StreamsAppConfig defaults = config(app, "mock://defaults-" + app.name(), Map.of());
        assertThat(app.build(defaults).describe().subtopologies()).isNotEmpty();
        assertThat(app.topics(defaults)).extracting(TopicSpec::role).contains(TopicSpec.Role.INPUT, TopicSpec.Role.OUTPUT,
                TopicSpec.Role.DEAD_LETTER, TopicSpec.Role.LATE);
    }

    public static <T extends SpecificRecord> Serde<T> specific(KitDriver driver, boolean isKey) {
        SpecificAvroSerde<T> serde = new SpecificAvroSerde<>();
        serde.configure(driver.context().properties(), isKey);
        return serde;
    }

    public static Serde<GenericRecord> generic(KitDriver driver, boolean isKey) {
        GenericAvroSerde serde = new GenericAvroSerde();
        serde.configure(driver.context().properties(), isKey);
        return serde;
    }
}
