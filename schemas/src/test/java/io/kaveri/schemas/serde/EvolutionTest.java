package io.kaveri.schemas.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kaveri.schemas.registry.MockSchemaRegistry;
import java.util.HashMap;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Schema evolution through a mock:// registry: old readers read new data, new readers read old data. */
class EvolutionTest {

    private static final String SCOPE = "evolution";
    private static final String URL = "mock://" + SCOPE;
    private static final Schema V1 = SchemaBuilder.record("User").namespace("io.kaveri.test").fields()
            .requiredString("name").requiredInt("age").endRecord();
    private static final Schema V2 = SchemaBuilder.record("User").namespace("io.kaveri.test").fields()
            .requiredString("name").requiredInt("age").optionalString("email").endRecord();
    private static final Schema V3_REQUIRED_COUNTRY = SchemaBuilder.record("User").namespace("io.kaveri.test").fields()
            .requiredString("name").requiredInt("age").optionalString("email").requiredString("country").endRecord();

    @AfterEach
    void drop() {
        MockSchemaRegistry.drop(SCOPE);
    }

    @Test
    void readerOnV1ReadsDataWrittenWithV2() {
        KaveriAvroSerializer producer = serializer(Map.of());
        byte[] v1Bytes = producer.serialize("users", user(V1, "ada", 36, null));
        byte[] v2Bytes = producer.serialize("users", user(V2, "bob", 41, "bob@example.org"));

        GenericRecord read = (GenericRecord) reader(V1).deserialize("users", v2Bytes);
        assertThat(read.getSchema()).isEqualTo(V1);
        assertThat(read.get("name").toString()).isEqualTo("bob");
        assertThat(read.get("age")).isEqualTo(41);
        assertThat(read.hasField("email")).isFalse();
        assertThat(((GenericRecord) reader(V1).deserialize("users", v1Bytes)).get("name").toString()).isEqualTo("ada");
    }

    @Test
    void readerOnV2ReadsDataWrittenWithV1AndGetsTheDefault() {
        byte[] v1Bytes = serializer(Map.of()).serialize("users", user(V1, "ada", 36, null));

        GenericRecord read = (GenericRecord) reader(V2).deserialize("users", v1Bytes);
        assertThat(read.getSchema()).isEqualTo(V2);
        assertThat(read.get("name").toString()).isEqualTo("ada");
        assertThat(read.get("email")).isNull();
    }

    @Test
    void withoutReaderSchemaEachRecordComesBackWithItsWriterSchema() {
        KaveriAvroSerializer producer = serializer(Map.of());
        byte[] v1Bytes = producer.serialize("users", user(V1, "ada", 36, null));
        byte[] v2Bytes = producer.serialize("users", user(V2, "bob", 41, "b@x"));
        KaveriAvroDeserializer consumer = new KaveriAvroDeserializer();
        consumer.configure(Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL_CONFIG, URL), false);
        DeserializedAvro first = consumer.deserializeWithSchema("users", null, v1Bytes);
        DeserializedAvro second = consumer.deserializeWithSchema("users", null, v2Bytes);
        assertThat(first.writerSchema()).isEqualTo(V1);
        assertThat(second.writerSchema()).isEqualTo(V2);
        assertThat(second.schemaId()).isNotEqualTo(first.schemaId());
        assertThat(((GenericRecord) second.value()).get("email").toString()).isEqualTo("b@x");
        assertThat(MockSchemaRegistry.scope(SCOPE).versions("users-value")).containsExactly(1, 2);
    }

    @Test
    void anIncompatibleNewSchemaFailsThatRecordNamingSubjectAndField() {
        KaveriAvroSerializer producer = serializer(Map.of());
        producer.serialize("users", user(V2, "ada", 36, null));
        GenericRecord breaking = user(V3_REQUIRED_COUNTRY, "bob", 41, null);
        breaking.put("country", "IN");
        assertThatThrownBy(() -> producer.serialize("users", breaking))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("topic 'users'")
                .hasMessageContaining("subject 'users-value'")
                .hasMessageContaining("country");
        assertThat(MockSchemaRegistry.scope(SCOPE).versions("users-value")).containsExactly(1);
        // The producer goes on with the compatible schema.
        assertThat(producer.serialize("users", user(V2, "cy", 7, null))).isNotEmpty();
    }

    @Test
    void useLatestVersionWritesOlderRecordsWithTheLatestSchema() {
        serializer(Map.of()).serialize("users", user(V1, "ada", 36, null));
        serializer(Map.of()).serialize("users", user(V2, "bob", 41, null));
        KaveriAvroSerializer latest = serializer(Map.of(AvroSerdeConfig.AUTO_REGISTER_SCHEMAS_CONFIG, false,
                AvroSerdeConfig.USE_LATEST_VERSION_CONFIG, true));

        byte[] bytes = latest.serialize("users", user(V1, "cy", 7, null));

        KaveriAvroDeserializer consumer = new KaveriAvroDeserializer();
        consumer.configure(Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL_CONFIG, URL), false);
        DeserializedAvro read = consumer.deserializeWithSchema("users", null, bytes);
        assertThat(read.writerSchema()).isEqualTo(V2);
        assertThat(read.schemaId()).isEqualTo(MockSchemaRegistry.scope(SCOPE).latest("users-value").id());
        assertThat(((GenericRecord) read.value()).get("name").toString()).isEqualTo("cy");
        assertThat(((GenericRecord) read.value()).get("email")).isNull();
    }

    @Test
    void useLatestVersionStrictRefusesARecordTheLatestCannotReadNamingTheField() {
        serializer(Map.of()).serialize("users", user(V1, "ada", 36, null));
        Schema ageAsString = SchemaBuilder.record("User").namespace("io.kaveri.test").fields()
                .requiredString("name").requiredString("age").endRecord();
        GenericRecord record = new GenericData.Record(ageAsString);
        record.put("name", "bob");
        record.put("age", "forty");
        KaveriAvroSerializer latest = serializer(Map.of(AvroSerdeConfig.AUTO_REGISTER_SCHEMAS_CONFIG, false,
                AvroSerdeConfig.USE_LATEST_VERSION_CONFIG, true));
        assertThatThrownBy(() -> latest.serialize("users", record))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("subject 'users-value'")
                .hasMessageContaining("field:'age'");
    }

    @Test
    void theLatestVersionIsAskedAgainAfterItsTimeToLive() {
        serializer(Map.of()).serialize("users", user(V1, "ada", 36, null));
        KaveriAvroSerializer forever = serializer(Map.of(AvroSerdeConfig.AUTO_REGISTER_SCHEMAS_CONFIG, false,
                AvroSerdeConfig.USE_LATEST_VERSION_CONFIG, true));
        KaveriAvroSerializer expiring = serializer(Map.of(AvroSerdeConfig.AUTO_REGISTER_SCHEMAS_CONFIG, false,
                AvroSerdeConfig.USE_LATEST_VERSION_CONFIG, true, AvroSerdeConfig.LATEST_CACHE_TTL_SEC_CONFIG, 0L));
        int v1 = AvroWireFormat.schemaId("users", forever.serialize("users", user(V1, "a", 1, null)));
        assertThat(AvroWireFormat.schemaId("users", expiring.serialize("users", user(V1, "a", 1, null)))).isEqualTo(v1);

        int v2 = MockSchemaRegistry.scope(SCOPE).register("users-value", V2, false);
        assertThat(AvroWireFormat.schemaId("users", forever.serialize("users", user(V1, "b", 2, null)))).isEqualTo(v1);
        assertThat(AvroWireFormat.schemaId("users", expiring.serialize("users", user(V1, "b", 2, null)))).isEqualTo(v2);
    }

    @Test
    void withoutAutoRegisterAnUnknownSchemaIsRefused() {
        KaveriAvroSerializer lookupOnly = serializer(Map.of(AvroSerdeConfig.AUTO_REGISTER_SCHEMAS_CONFIG, false));
        assertThatThrownBy(() -> lookupOnly.serialize("users", user(V1, "ada", 36, null)))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("subject 'users-value'")
                .hasMessageContaining("not found");
        serializer(Map.of()).serialize("users", user(V1, "ada", 36, null));
        assertThat(lookupOnly.serialize("users", user(V1, "ada", 36, null))).isNotEmpty();
    }

    private static GenericRecord user(Schema schema, String name, int age, String email) {
        GenericRecord user = new GenericData.Record(schema);
        user.put("name", name);
        user.put("age", age);
        if (schema.getField("email") != null) {
            user.put("email", email);
        }
        return user;
    }

    private static KaveriAvroSerializer serializer(Map<String, Object> more) {
        Map<String, Object> configs = new HashMap<>(more);
        configs.put(AvroSerdeConfig.SCHEMA_REGISTRY_URL_CONFIG, URL);
        KaveriAvroSerializer serializer = new KaveriAvroSerializer();
        serializer.configure(configs, false);
        return serializer;
    }

    private static KaveriAvroDeserializer reader(Schema readerSchema) {
        KaveriAvroDeserializer deserializer = new KaveriAvroDeserializer();
        deserializer.configure(Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL_CONFIG, URL,
                AvroSerdeConfig.AVRO_READER_SCHEMA_CONFIG, readerSchema.toString()), false);
        return deserializer;
    }
}
