package io.kaveri.schemas.serde;

import static org.assertj.core.api.Assertions.assertThat;

import io.kaveri.schemas.registry.MockSchemaRegistry;
import java.util.Map;
import java.util.Properties;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The Streams serdes in a topology, on a mock:// registry: specific records in, generic records out. */
class SerdeTopologyTest {

    private static final String SCOPE = "topology";
    private static final Map<String, Object> CONFIG = Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL_CONFIG, "mock://" + SCOPE);
    private static final Schema SUMMARY = SchemaBuilder.record("PageSummary").namespace("io.kaveri.test").fields()
            .requiredString("user").requiredString("page").endRecord();

    @AfterEach
    void drop() {
        MockSchemaRegistry.drop(SCOPE);
    }

    @Test
    void specificInGenericOut() {
        Serde<String> keys = configured(new PrimitiveAvroSerde<>(), true);
        Serde<TestPageView> views = configured(new SpecificAvroSerde<>(), false);
        Serde<GenericRecord> summaries = configured(new GenericAvroSerde(), false);

        StreamsBuilder builder = new StreamsBuilder();
        builder.stream("page-views", Consumed.with(keys, views).withName("page-views-source"))
                .mapValues(view -> {
                    GenericRecord summary = new GenericData.Record(SUMMARY);
                    summary.put("user", view.user());
                    summary.put("page", view.page().toUpperCase(java.util.Locale.ROOT));
                    return summary;
                }, Named.as("summarize"))
                .to("page-summaries", Produced.with(keys, summaries).withName("page-summaries-sink"));

        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "serde-topology-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        try (TopologyTestDriver driver = new TopologyTestDriver(builder.build(), props)) {
            TestInputTopic<String, TestPageView> in = driver.createInputTopic("page-views", keys.serializer(),
                    views.serializer());
            TestOutputTopic<String, GenericRecord> out = driver.createOutputTopic("page-summaries",
                    keys.deserializer(), summaries.deserializer());
            in.pipeInput("ada", new TestPageView("ada", "/home", 1L));
            in.pipeInput("bob", new TestPageView("bob", "/cart", 2L));

            assertThat(out.readKeyValuesToList()).extracting(kv -> kv.key, kv -> kv.value.get("page").toString())
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("ada", "/HOME"),
                            org.assertj.core.groups.Tuple.tuple("bob", "/CART"));
        }
        assertThat(MockSchemaRegistry.scope(SCOPE).subjects())
                .containsExactly("page-summaries-key", "page-summaries-value", "page-views-key", "page-views-value");
        // The key is registered as the Avro primitive schema, as Confluent does; both topics' keys share its id.
        assertThat(MockSchemaRegistry.scope(SCOPE).latest("page-views-key").schema())
                .isEqualTo(Schema.create(Schema.Type.STRING));
        assertThat(MockSchemaRegistry.scope(SCOPE).latest("page-summaries-key").id())
                .isEqualTo(MockSchemaRegistry.scope(SCOPE).latest("page-views-key").id());
    }

    @Test
    void specificSerdeReadsBackTheGeneratedClass() {
        Serde<TestPageView> views = configured(new SpecificAvroSerde<>(), false);
        TestPageView view = new TestPageView("ada", "/home", 123L);
        TestPageView read = views.deserializer().deserialize("page-views", views.serializer().serialize("page-views", view));
        assertThat(read).isInstanceOf(TestPageView.class).isEqualTo(view);
        assertThat(read.user()).isEqualTo("ada");
        assertThat(KeyValue.pair(read.page(), read.millis())).isEqualTo(KeyValue.pair("/home", 123L));
    }

    private static <T extends Serde<?>> T configured(T serde, boolean isKey) {
        serde.configure(CONFIG, isKey);
        return serde;
    }
}
