package io.kaveri.streams.runtime;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StreamsAppConfigTest {

    private static final StreamsApp APP = new StreamsApp() {
        @Override
        public String name() {
            return "sample";
        }

        @Override
        public String description() {
            return "a sample app";
        }

        @Override
        public ConfigDef configDef() {
            return new ConfigDef().define("sample.window.seconds", ConfigDef.Type.INT, 60, ConfigDef.Range.atLeast(1),
                    ConfigDef.Importance.MEDIUM, "Window size.");
        }

        @Override
        public Topology build(StreamsAppConfig config) {
            return new Topology();
        }

        @Override
        public List<TopicSpec> topics(StreamsAppConfig config) {
            return List.of();
        }
    };

    @Test
    void laterSourcesWinFileThenEnvironmentThenOverrides(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("app.properties"),
                "bootstrap.servers=file:9092\nschema.registry.url=http://file\nsample.window.seconds=30\n");
        Map<String, String> env = Map.of("KAVERI_BOOTSTRAP_SERVERS", "env:9092", "PATH", "/bin", "KAVERI_", "ignored");

        Map<String, String> values = StreamsAppConfig.load(file, env, Map.of("sample.window.seconds", "15"));

        assertThat(values).containsEntry("bootstrap.servers", "env:9092")
                .containsEntry("schema.registry.url", "http://file")
                .containsEntry("sample.window.seconds", "15")
                .doesNotContainKey("path");
    }

    @Test
    void defaultsAreExactlyOnceAndADeadLetterTopicNamedAfterTheApp() {
        StreamsAppConfig c = StreamsAppConfig.of(APP, Map.of("schema.registry.url", "mock://x"));
        Properties p = c.streamsProperties();

        assertThat(p.get(StreamsConfig.APPLICATION_ID_CONFIG)).isEqualTo("kaveri-sample");
        assertThat(p.get(StreamsConfig.PROCESSING_GUARANTEE_CONFIG)).isEqualTo(StreamsConfig.EXACTLY_ONCE_V2);
        assertThat(p.get(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG)).isEqualTo("kaveri-sample-dlq");
        assertThat(c.lateTopic()).isEqualTo("kaveri-sample-late");
        assertThat(c.getInt("sample.window.seconds")).isEqualTo(60);
    }

    @Test
    void clientAndRegistrySettingsPassThroughUntouched() {
        StreamsAppConfig c = StreamsAppConfig.of(APP, Map.of(
                "schema.registry.url", "https://registry:8081",
                "security.protocol", "SASL_SSL",
                "sasl.mechanism", "PLAIN",
                "basic.auth.user.info", "u:p",
                "schema.registry.ssl.truststore.location", "/etc/ts.jks"));

        assertThat(c.streamsProperties()).containsEntry("security.protocol", "SASL_SSL").containsEntry("sasl.mechanism", "PLAIN");
        assertThat(c.serdeConfigs()).containsEntry("schema.registry.url", "https://registry:8081")
                .containsEntry("basic.auth.user.info", "u:p")
                .containsEntry("schema.registry.ssl.truststore.location", "/etc/ts.jks")
                .doesNotContainKey("security.protocol");
    }

    @Test
    void aMissingRegistryUrlIsRefusedNamingTheKey() {
        assertThatThrownBy(() -> StreamsAppConfig.of(APP, Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("schema.registry.url");
    }

    @Test
    void anInvalidAppValueIsRefusedNamingTheKey() {
        assertThatThrownBy(() -> StreamsAppConfig.of(APP, Map.of("schema.registry.url", "mock://x", "sample.window.seconds", "0")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("sample.window.seconds");
    }

    @Test
    void anUnreadableFileIsRefusedNamingIt(@TempDir Path dir) {
        Path missing = dir.resolve("nope.properties");
        assertThatThrownBy(() -> StreamsAppConfig.load(missing, Map.of(), Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining(missing.toString());
    }
}
