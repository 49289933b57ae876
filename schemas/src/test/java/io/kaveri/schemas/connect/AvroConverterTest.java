package io.kaveri.schemas.connect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.lang.reflect.Proxy;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.kaveri.schemas.registry.MockSchemaRegistry;
import io.kaveri.schemas.registry.RegistryUnavailableException;
import io.kaveri.schemas.registry.SchemaRegistryClient;
import org.apache.avro.generic.GenericData;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaAndValue;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.errors.RetriableException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AvroConverterTest {

    private static final String TOPIC = "orders";

    private final String scope = "converter-" + UUID.randomUUID();
    private MockSchemaRegistry registry;
    private AvroConverter converter;

    private static final Schema ORDER_V1 = SchemaBuilder.struct().name("io.kaveri.Order")
            .field("id", Schema.INT32_SCHEMA)
            .field("amount", Decimal.schema(2))
            .build();
    private static final Schema ORDER_V2 = SchemaBuilder.struct().name("io.kaveri.Order")
            .field("id", Schema.INT32_SCHEMA)
            .field("amount", Decimal.schema(2))
            .field("note", Schema.OPTIONAL_STRING_SCHEMA)
            .build();

    @BeforeEach
    void setUp() {
        registry = MockSchemaRegistry.scope(scope);
        converter = converter(false);
    }

    @AfterEach
    void tearDown() {
        converter.close();
        MockSchemaRegistry.drop(scope);
    }

    private AvroConverter converter(boolean isKey) {
        AvroConverter created = new AvroConverter();
        created.configure(Map.of("schema.registry.url", "mock://" + scope), isKey);
        return created;
    }

    @Test
    void writesMagicByteIdAndTheAvroBinaryOfConfluentsSchema() throws IOException {
        Struct order = new Struct(ORDER_V1).put("id", 42).put("amount", new BigDecimal("12.34"));

        byte[] bytes = converter.fromConnectData(TOPIC, ORDER_V1, order);

        // The schema Confluent's AvroConverter registers for ORDER_V1.
        org.apache.avro.Schema expectedSchema = new org.apache.avro.Schema.Parser().parse("""
                {"type":"record","name":"Order","namespace":"io.kaveri","fields":[
                  {"name":"id","type":"int"},
                  {"name":"amount","type":{"type":"bytes","scale":2,"precision":64,"connect.version":1,
                     "connect.parameters":{"scale":"2"},"connect.name":"org.apache.kafka.connect.data.Decimal",
                     "logicalType":"decimal"}}],
                 "connect.name":"io.kaveri.Order"}
                """);
        int id = registry.latest(TOPIC + "-value").id();
        assertThat(registry.latest(TOPIC + "-value").schema().toString()).isEqualTo(expectedSchema.toString());
        assertThat(bytes[0]).isZero();
        assertThat(ByteBuffer.wrap(bytes, 1, 4).getInt()).isEqualTo(id);
        GenericData.Record expected = new GenericData.Record(expectedSchema);
        expected.put("id", 42);
        expected.put("amount", ByteBuffer.wrap(new byte[] {0x04, (byte) 0xD2})); // 1234, two's complement
        assertThat(Arrays.copyOfRange(bytes, 5, bytes.length)).isEqualTo(AvroBinary.encode(expectedSchema, expected));
    }

    @Test
    void readsBackTheSameSchemaAndValue() {
        Schema versioned = SchemaBuilder.struct().name("io.kaveri.Order").version(1)
                .field("id", Schema.INT32_SCHEMA)
                .field("tags", SchemaBuilder.map(Schema.INT64_SCHEMA, Schema.STRING_SCHEMA).optional().build())
                .build();
        Struct order = new Struct(versioned).put("id", 7).put("tags", Map.of(1L, "a", 2L, "b"));

        SchemaAndValue back = converter.toConnectData(TOPIC, converter.fromConnectData(TOPIC, versioned, order));

        assertThat(back).isEqualTo(new SchemaAndValue(versioned, order));
    }

    @Test
    void aSinkSeesTheRegistryVersionAndAnEvolvedSchemaRegistersTheNextVersion() {
        byte[] v1Bytes = converter.fromConnectData(TOPIC, ORDER_V1,
                new Struct(ORDER_V1).put("id", 1).put("amount", new BigDecimal("1.00")));
        byte[] v2Bytes = converter.fromConnectData(TOPIC, ORDER_V2,
                new Struct(ORDER_V2).put("id", 2).put("amount", new BigDecimal("2.00")).put("note", "gift"));

        assertThat(registry.versions(TOPIC + "-value")).containsExactly(1, 2);
        assertThat(ByteBuffer.wrap(v2Bytes, 1, 4).getInt()).isEqualTo(registry.version(TOPIC + "-value", 2).id());
        SchemaAndValue v1 = converter.toConnectData(TOPIC, v1Bytes);
        SchemaAndValue v2 = converter.toConnectData(TOPIC, v2Bytes);
        assertThat(v1.schema().version()).isEqualTo(1);
        assertThat(v2.schema().version()).isEqualTo(2);
        assertThat(((Struct) v2.value()).getString("note")).isEqualTo("gift");
        assertThat((BigDecimal) ((Struct) v1.value()).get("amount")).isEqualByComparingTo("1.00");
    }

    @Test
    void anIncompatibleChangeIsRefusedNamingTheSubject() {
        converter.fromConnectData(TOPIC, ORDER_V1, new Struct(ORDER_V1).put("id", 1).put("amount", BigDecimal.ONE.setScale(2)));
        // A new required field without default: v2 readers cannot read v1 records (BACKWARD).
        Schema breaking = SchemaBuilder.struct().name("io.kaveri.Order")
                .field("id", Schema.INT32_SCHEMA)
                .field("amount", Decimal.schema(2))
                .field("customer", Schema.STRING_SCHEMA)
                .build();
        Struct value = new Struct(breaking).put("id", 2).put("amount", BigDecimal.TEN.setScale(2)).put("customer", "c");

        assertThatThrownBy(() -> converter.fromConnectData(TOPIC, breaking, value))
                .isInstanceOf(DataException.class)
                .isNotInstanceOf(RetriableException.class)
                .hasMessageContaining("orders-value")
                .hasMessageContaining("topic 'orders'");
        assertThat(registry.versions(TOPIC + "-value")).containsExactly(1);
    }

    @Test
    void nullIsATombstoneBothWays() {
        assertThat(converter.fromConnectData(TOPIC, ORDER_V1, null)).isNull();
        assertThat(converter.fromConnectData(TOPIC, null, null)).isNull();
        assertThat(converter.toConnectData(TOPIC, null)).isEqualTo(SchemaAndValue.NULL);
    }

    @Test
    void corruptBytesNameTheTopic() {
        assertThatThrownBy(() -> converter.toConnectData(TOPIC, new byte[] {7, 0, 0, 0, 1, 2}))
                .isInstanceOf(DataException.class).hasMessageContaining("orders").hasMessageContaining("magic byte");
        assertThatThrownBy(() -> converter.toConnectData(TOPIC, new byte[] {0, 0}))
                .isInstanceOf(DataException.class).hasMessageContaining("orders").hasMessageContaining("Truncated");
        assertThatThrownBy(() -> converter.toConnectData(TOPIC, new byte[] {0, 0, 0, 0x30, 0x39, 2}))
                .isInstanceOf(DataException.class).hasMessageContaining("orders").hasMessageContaining("12345");
    }

    @Test
    void truncatedAvroBodyNamesTopicAndSchemaId() {
        byte[] bytes = converter.fromConnectData(TOPIC, ORDER_V2,
                new Struct(ORDER_V2).put("id", 300).put("amount", new BigDecimal("2.00")).put("note", "a long note"));
        int id = ByteBuffer.wrap(bytes, 1, 4).getInt();

        assertThatThrownBy(() -> converter.toConnectData(TOPIC, Arrays.copyOf(bytes, bytes.length - 4)))
                .isInstanceOf(DataException.class)
                .hasMessageContaining("orders")
                .hasMessageContaining("schema id " + id);
    }

    @Test
    void dataThatDoesNotFitItsSchemaNamesTopicAndField() {
        Struct wrongScale = new Struct(ORDER_V1).put("id", 1).put("amount", new BigDecimal("1.5"));

        assertThatThrownBy(() -> converter.fromConnectData(TOPIC, ORDER_V1, wrongScale))
                .isInstanceOf(DataException.class)
                .hasMessageContaining("topic 'orders'")
                .hasMessageContaining("amount");
        assertThatThrownBy(() -> converter.fromConnectData(TOPIC, null, new java.util.Date()))
                .isInstanceOf(DataException.class)
                .hasMessageContaining("topic 'orders'")
                .hasMessageContaining("java.util.Date");
    }

    @Test
    void schemalessDataGoesThroughConfluentsAnythingRecord() {
        Map<String, Object> value = Map.of("id", 3L, "tags", List.of("a", "b"));

        SchemaAndValue back = converter.toConnectData(TOPIC, converter.fromConnectData(TOPIC, null, value));

        assertThat(back).isEqualTo(new SchemaAndValue(null, value));
        assertThat(registry.latest(TOPIC + "-value").schema().getFullName()).isEqualTo("io.confluent.connect.avro.Anything");
    }

    @Test
    void aRegistryOutageIsRetriable() {
        SchemaRegistryClient down = (SchemaRegistryClient) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {SchemaRegistryClient.class}, (proxy, method, args) -> {
                    if (method.getName().equals("close")) {
                        return null;
                    }
                    throw new RegistryUnavailableException(503, "registry down", null);
                });
        AvroConverter offline = new AvroConverter(down);
        offline.configure(Map.of("schema.registry.url", "http://localhost:1"), false);
        Struct order = new Struct(ORDER_V1).put("id", 1).put("amount", new BigDecimal("1.00"));
        byte[] written = converter.fromConnectData(TOPIC, ORDER_V1, order);

        assertThatThrownBy(() -> offline.fromConnectData(TOPIC, ORDER_V1, order))
                .isInstanceOf(RetriableException.class).hasMessageContaining("orders");
        assertThatThrownBy(() -> offline.toConnectData(TOPIC, written))
                .isInstanceOf(RetriableException.class).hasMessageContaining("orders");
    }

    @Test
    void keysUseTheKeySubject() {
        try (AvroConverter keys = converter(true)) {
            byte[] bytes = keys.fromConnectData(TOPIC, Schema.STRING_SCHEMA, "order-1");

            assertThat(registry.subjects()).containsExactly(TOPIC + "-key");
            assertThat(keys.toConnectData(TOPIC, bytes))
                    .isEqualTo(new SchemaAndValue(SchemaBuilder.string().version(1).build(), "order-1"));
        }
    }

    @Test
    void itsConfigDefDocumentsConfluentsKeys() {
        assertThat(converter.config().names()).contains("schema.registry.url", "auto.register.schemas",
                "use.latest.version", "value.subject.name.strategy", "connect.meta.data",
                "enhanced.avro.schema.support", "schemas.cache.config", "scrub.invalid.names");
        assertThat(List.of(converter.config().configKeys().get("connect.meta.data").defaultValue)).containsExactly(true);
    }

    @Test
    void connectFindsItAsAServiceOfItsPluginPath() {
        // Connect's plugin.discovery=service_load finds converters only through this manifest.
        assertThat(java.util.ServiceLoader.load(org.apache.kafka.connect.storage.Converter.class).stream()
                .map(java.util.ServiceLoader.Provider::type))
                .contains(AvroConverter.class);
    }
}
