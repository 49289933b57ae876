package io.kaveri.schemas.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kaveri.schemas.registry.MockSchemaRegistry;
import io.kaveri.schemas.registry.SchemaRegistryException;
import java.io.IOException;
import java.net.ServerSocket;
import java.util.Arrays;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Every bad payload or refused value gives a SerializationException naming topic, subject and id. */
class BadInputTest {

    private static final String SCOPE = "bad-input";
    private static final Map<String, Object> CONFIG = Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL_CONFIG, "mock://" + SCOPE);
    private static final Schema ORDER = SchemaBuilder.record("Order").namespace("io.kaveri.test").fields()
            .requiredString("id").requiredLong("cents").endRecord();

    private final KaveriAvroSerializer serializer = configured(new KaveriAvroSerializer(), CONFIG);
    private final KaveriAvroDeserializer deserializer = configured(new KaveriAvroDeserializer(), CONFIG);

    @AfterEach
    void drop() {
        MockSchemaRegistry.drop(SCOPE);
    }

    @Test
    void unknownMagicByte() {
        assertThatThrownBy(() -> deserializer.deserialize("orders", new byte[] {1, 0, 0, 0, 1, 2}))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("Unknown magic byte 0x01")
                .hasMessageContaining("topic 'orders'")
                .hasMessageContaining("subject 'orders-value'");
    }

    @Test
    void payloadShorterThanTheHeader() {
        assertThatThrownBy(() -> deserializer.deserialize("orders", new byte[] {0, 0, 0}))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("Truncated payload: 3 bytes")
                .hasMessageContaining("topic 'orders'");
    }

    @Test
    void unknownSchemaId() {
        assertThatThrownBy(() -> deserializer.deserialize("orders", new byte[] {0, 0, 0, 0x30, 0x39, 2}))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("Unknown schema id 12345")
                .hasMessageContaining("topic 'orders'")
                .hasMessageContaining("subject 'orders-value'")
                .hasMessageContaining("schema id 12345");
    }

    @Test
    void truncatedBody() {
        byte[] whole = serializer.serialize("orders", order("o-1", 1_000_000L));
        byte[] cut = Arrays.copyOf(whole, whole.length - 2);
        assertThatThrownBy(() -> deserializer.deserialize("orders", cut))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("Cannot decode the payload")
                .hasMessageContaining("io.kaveri.test.Order")
                .hasMessageContaining("schema id 1");
        // The deserializer is not left broken by the failure.
        assertThat(((GenericRecord) deserializer.deserialize("orders", whole)).get("cents")).isEqualTo(1_000_000L);
    }

    @Test
    void specificReaderWithoutTheGeneratedClass() {
        byte[] bytes = serializer.serialize("orders", order("o-1", 5));
        KaveriAvroDeserializer specific = configured(new KaveriAvroDeserializer(), Map.of(
                AvroSerdeConfig.SCHEMA_REGISTRY_URL_CONFIG, "mock://" + SCOPE,
                AvroSerdeConfig.SPECIFIC_AVRO_READER_CONFIG, true));
        assertThatThrownBy(() -> specific.deserialize("orders", bytes))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("No generated class io.kaveri.test.Order");
    }

    @Test
    void aValueAvroHasNoSchemaFor() {
        assertThatThrownBy(() -> serializer.serialize("orders", new Object()))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("java.lang.Object")
                .hasMessageContaining("topic 'orders'");
    }

    @Test
    void aValueThatDoesNotFitTheGivenSchema() {
        assertThatThrownBy(() -> serializer.serialize("orders", null, "not a number", Schema.create(Schema.Type.INT)))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("Cannot write the value")
                .hasMessageContaining("subject 'orders-value'");
    }

    @Test
    void anUnreachableRegistryFailsTheRecordWithATransientCause() throws IOException {
        int deadPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            deadPort = socket.getLocalPort();
        }
        KaveriAvroSerializer offline = configured(new KaveriAvroSerializer(), Map.of(
                AvroSerdeConfig.SCHEMA_REGISTRY_URL_CONFIG, "http://127.0.0.1:" + deadPort,
                "max.retries", 1, "retries.wait.ms", 1));
        assertThatThrownBy(() -> offline.serialize("orders", order("o-1", 5)))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("subject 'orders-value'")
                .cause().isInstanceOfSatisfying(SchemaRegistryException.class,
                        cause -> assertThat(cause.isTransient()).isTrue());
        offline.close();
    }

    @Test
    void nullIsNull() {
        assertThat(deserializer.deserialize("orders", null)).isNull();
        assertThat(deserializer.deserializeWithSchema("orders", null, null)).isNull();
    }

    @Test
    void primitivesRoundTripAsConfluentGivesThem() {
        for (Object value : new Object[] {"text", 42, 42L, 1.5f, 2.5d, true, new byte[] {7, 8}}) {
            // One topic per type: the subject's BACKWARD mode refuses changing a key from string to int.
            String topic = "keys-" + value.getClass().getSimpleName();
            Object read = deserializer.deserialize(topic, serializer.serialize(topic, value));
            assertThat(read).isEqualTo(value);
        }
        assertThat(deserializer.deserialize("keys", serializer.serialize("keys", new org.apache.avro.util.Utf8("u"))))
                .isEqualTo("u");
    }

    private static GenericRecord order(String id, long cents) {
        GenericRecord order = new GenericData.Record(ORDER);
        order.put("id", id);
        order.put("cents", cents);
        return order;
    }

    private static <T extends org.apache.kafka.common.serialization.Serializer<?>> T configured(T serializer,
                                                                                            Map<String, ?> configs) {
        serializer.configure(configs, false);
        return serializer;
    }

    private static <T extends org.apache.kafka.common.serialization.Deserializer<?>> T configured(T deserializer,
                                                                                              Map<String, ?> configs) {
        deserializer.configure(configs, false);
        return deserializer;
    }
}
