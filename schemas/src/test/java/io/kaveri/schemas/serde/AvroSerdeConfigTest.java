package io.kaveri.schemas.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kaveri.schemas.registry.MockSchemaRegistry;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AvroSerdeConfigTest {

    private static final Schema USER = SchemaBuilder.record("User").namespace("io.kaveri.test").fields()
            .requiredString("name").endRecord();

    @AfterEach
    void drop() {
        MockSchemaRegistry.drop("config");
    }

    @Test
    void confluentDefaults() {
        AvroSerdeConfig config = new AvroSerdeConfig(Map.of("schema.registry.url", "mock://config"));
        assertThat(config.getBoolean("auto.register.schemas")).isTrue();
        assertThat(config.getBoolean("use.latest.version")).isFalse();
        assertThat(config.getBoolean("latest.compatibility.strict")).isTrue();
        assertThat(config.getBoolean("normalize.schemas")).isFalse();
        assertThat(config.getBoolean("specific.avro.reader")).isFalse();
        assertThat(config.getInt("max.schemas.per.subject")).isEqualTo(1000);
        assertThat(config.subjectNameStrategy(false)).isInstanceOf(TopicNameStrategy.class);
        assertThat(config.subjectNameStrategy(true).subjectName("t", true, USER)).isEqualTo("t-key");
    }

    @ParameterizedTest
    @CsvSource({
            "io.confluent.kafka.serializers.subject.TopicNameStrategy, users-value",
            "io.confluent.kafka.serializers.subject.RecordNameStrategy, io.kaveri.test.User",
            "io.confluent.kafka.serializers.subject.TopicRecordNameStrategy, users-io.kaveri.test.User",
            "io.kaveri.schemas.serde.RecordNameStrategy, io.kaveri.test.User",
            "TopicRecordNameStrategy, users-io.kaveri.test.User"})
    void strategiesByOurNameOrConfluentsDecideTheSubject(String strategy, String subject) {
        KaveriAvroSerializer serializer = new KaveriAvroSerializer();
        serializer.configure(Map.of("schema.registry.url", "mock://config", "value.subject.name.strategy", strategy),
                false);
        GenericData.Record user = new GenericData.Record(USER);
        user.put("name", "ada");
        serializer.serialize("users", user);
        assertThat(MockSchemaRegistry.scope("config").subjects()).containsExactly(subject);
    }

    @Test
    void badValuesNameTheirKey() {
        assertThatThrownBy(() -> new AvroSerdeConfig(Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("schema.registry.url");
        assertThatThrownBy(() -> new AvroSerdeConfig(Map.of("schema.registry.url", "mock://config",
                "key.subject.name.strategy", "com.example.Missing")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("key.subject.name.strategy").hasMessageContaining("com.example.Missing");
        assertThatThrownBy(() -> new AvroSerdeConfig(Map.of("schema.registry.url", "mock://config",
                "value.subject.name.strategy", "java.lang.String")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("does not implement");
        assertThatThrownBy(() -> new AvroSerdeConfig(Map.of("schema.registry.url", "mock://config",
                "avro.reader.schema", "{\"type\": \"nope\"")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("avro.reader.schema");
        assertThatThrownBy(() -> new AvroSerdeConfig(Map.of("schema.registry.url", "mock://config",
                "max.schemas.per.subject", 0)))
                .isInstanceOf(ConfigException.class).hasMessageContaining("max.schemas.per.subject");
    }

    @Test
    void everyKeyIsDocumented() {
        ConfigDef def = AvroSerdeConfig.configDef();
        assertThat(def.configKeys()).containsKeys("schema.registry.url", "basic.auth.user.info", "bearer.auth.token",
                "schema.registry.ssl.truststore.location", "value.subject.name.strategy", "use.latest.version");
        assertThat(def.configKeys().values()).allSatisfy(key -> {
            assertThat(key.documentation).as(key.name).isNotBlank();
            assertThat(key.group).as(key.name).isNotBlank();
        });
        assertThat(def.configKeys().get("basic.auth.user.info").type).isEqualTo(ConfigDef.Type.PASSWORD);
        assertThat(def.configKeys().get("bearer.auth.token").type).isEqualTo(ConfigDef.Type.PASSWORD);
        assertThat(def.configKeys().get("schema.registry.ssl.keystore.password").type).isEqualTo(ConfigDef.Type.PASSWORD);
    }
}
