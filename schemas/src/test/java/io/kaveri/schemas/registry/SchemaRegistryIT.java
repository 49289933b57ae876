package io.kaveri.schemas.registry;

import io.kaveri.schemas.serde.AvroSerdeConfig;
import io.kaveri.schemas.serde.KaveriAvroDeserializer;
import io.kaveri.schemas.serde.KaveriAvroSerializer;
import io.kaveri.stack.LocalStack;
import io.kaveri.stack.LocalStack.Part;
import io.kaveri.test.KaveriStack;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The client and serdes against the real Apicurio Registry of the local stack, through its Confluent API. */
@KaveriStack({Part.KAFKA, Part.REGISTRY})
class SchemaRegistryIT {

    private static final Schema V1 = new Schema.Parser().parse("""
            {"type":"record","name":"Customer","namespace":"io.kaveri.it","fields":[
              {"name":"id","type":"long"},{"name":"name","type":"string"}]}""");
    private static final Schema V2 = new Schema.Parser().parse("""
            {"type":"record","name":"Customer","namespace":"io.kaveri.it","fields":[
              {"name":"id","type":"long"},{"name":"name","type":"string"},
              {"name":"email","type":["null","string"],"default":null}]}""");
    /** Adds a field without a default: a v2 reader cannot read v1 data, which BACKWARD forbids. */
    private static final Schema BREAKS_BACKWARD = new Schema.Parser().parse("""
            {"type":"record","name":"Customer","namespace":"io.kaveri.it","fields":[
              {"name":"id","type":"long"},{"name":"name","type":"string"},
              {"name":"email","type":["null","string"],"default":null},{"name":"tier","type":"int"}]}""");

    @Test
    void registersEvolvesAndRefusesAnIncompatibleVersionWithTheRegistrysMessage(LocalStack stack) {
        String subject = "customers-" + UUID.randomUUID() + "-value";
        try (SchemaRegistryClient client = SchemaRegistryClients.create(Map.of("schema.registry.url", stack.registryUrl()))) {
            assertThat(client.compatibility(Optional.empty())).isEqualTo("BACKWARD");

            int id1 = client.register(subject, V1, false);
            assertThat(client.schemaById(id1)).isEqualTo(V1);
            assertThat(client.register(subject, V1, false)).as("registering the same schema again").isEqualTo(id1);
            int id2 = client.register(subject, V2, false);
            assertThat(id2).isNotEqualTo(id1);

            assertThat(client.subjects()).contains(subject);
            assertThat(client.versions(subject)).containsExactly(1, 2);
            assertThat(client.latest(subject).schema()).isEqualTo(V2);
            assertThat(client.version(subject, 1).id()).isEqualTo(id1);
            assertThat(client.idOf(subject, V2, false)).isEqualTo(id2);

            assertThat(client.testCompatibility(subject, BREAKS_BACKWARD, "latest").compatible()).isFalse();
            assertThatThrownBy(() -> client.register(subject, BREAKS_BACKWARD, false))
                    .isInstanceOf(IncompatibleSchemaException.class)
                    .hasMessageContaining("tier") // the registry's own explanation reaches the caller
                    .satisfies(e -> assertThat(((SchemaRegistryException) e).status()).isEqualTo(409));
            assertThat(client.versions(subject)).as("nothing incompatible was stored").containsExactly(1, 2);

            // Dropping a field without a default is BACKWARD-compatible but not FORWARD: FULL on this subject refuses it.
            Schema withoutName = new Schema.Parser().parse("""
                    {"type":"record","name":"Customer","namespace":"io.kaveri.it","fields":[
                      {"name":"id","type":"long"},{"name":"email","type":["null","string"],"default":null}]}""");
            assertThat(client.testCompatibility(subject, withoutName, "latest").compatible()).isTrue();
            client.setCompatibility(Optional.of(subject), "FULL");
            assertThat(client.compatibility(Optional.of(subject))).isEqualTo("FULL");
            assertThatThrownBy(() -> client.register(subject, withoutName, false)).isInstanceOf(IncompatibleSchemaException.class);
            client.setCompatibility(Optional.of(subject), "BACKWARD");
            assertThat(client.register(subject, withoutName, false)).isPositive();

            assertThatThrownBy(() -> client.latest("no-such-" + UUID.randomUUID()))
                    .isInstanceOf(SubjectNotFoundException.class);

            assertThat(client.deleteSubject(subject, false)).containsExactly(1, 2, 3);
            assertThat(client.subjects()).doesNotContain(subject);
        }
    }

    @Test
    void oldReadersReadNewDataAndNewReadersReadOldDataThroughKafka(LocalStack stack) {
        String topic = "customers-" + UUID.randomUUID();
        Map<String, Object> serde = Map.of("schema.registry.url", stack.registryUrl());
        try (KafkaProducer<String, Object> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()), new StringSerializer(), serializer(serde))) {
            producer.send(new ProducerRecord<>(topic, "1", customer(V1, 1, "Ada", null)));
            producer.send(new ProducerRecord<>(topic, "2", customer(V2, 2, "Grace", "grace@example.com")));
            producer.flush();
        }

        List<GenericRecord> asV1 = consume(stack, topic, V1);
        assertThat(asV1).extracting(r -> r.get("name").toString()).containsExactly("Ada", "Grace");
        assertThat(asV1.get(1).getSchema().getField("email")).as("a v1 reader does not see the new field").isNull();

        List<GenericRecord> asV2 = consume(stack, topic, V2);
        assertThat(asV2.get(0).get("email")).as("v1 data read with v2 takes the default").isNull();
        assertThat(asV2.get(1).get("email").toString()).isEqualTo("grace@example.com");
    }

    @Test
    void aProducerWhoseSchemaBreaksTheSubjectFailsThatRecordAndNothingReachesTheTopic(LocalStack stack) {
        String topic = "customers-" + UUID.randomUUID();
        Map<String, Object> serde = Map.of("schema.registry.url", stack.registryUrl());
        try (KafkaProducer<String, Object> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()), new StringSerializer(), serializer(serde))) {
            producer.send(new ProducerRecord<>(topic, "1", customer(V1, 1, "Ada", null)));
            producer.flush();
            GenericData.Record broken = new GenericData.Record(BREAKS_BACKWARD);
            broken.put("id", 2L);
            broken.put("name", "Linus");
            broken.put("tier", 3);

            assertThatThrownBy(() -> producer.send(new ProducerRecord<>(topic, "2", broken)))
                    .isInstanceOf(SerializationException.class)
                    .hasMessageContaining(topic + "-value");
            producer.send(new ProducerRecord<>(topic, "3", customer(V1, 3, "Edsger", null)));
            producer.flush();
        }
        assertThat(consume(stack, topic, V1)).extracting(r -> r.get("id")).containsExactly(1L, 3L);
    }

    private static KaveriAvroSerializer serializer(Map<String, Object> config) {
        KaveriAvroSerializer s = new KaveriAvroSerializer();
        s.configure(config, false);
        return s;
    }

    private static GenericRecord customer(Schema schema, long id, String name, String email) {
        GenericData.Record r = new GenericData.Record(schema);
        r.put("id", id);
        r.put("name", name);
        if (schema.getField("email") != null) {
            r.put("email", email);
        }
        return r;
    }

    private static List<GenericRecord> consume(LocalStack stack, String topic, Schema reader) {
        Map<String, Object> config = new HashMap<>();
        config.put("schema.registry.url", stack.registryUrl());
        config.put(AvroSerdeConfig.AVRO_READER_SCHEMA_CONFIG, reader.toString());
        KaveriAvroDeserializer deserializer = new KaveriAvroDeserializer();
        deserializer.configure(config, false);
        List<GenericRecord> out = new ArrayList<>();
        try (KafkaConsumer<String, Object> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "it-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(), deserializer)) {
            consumer.subscribe(List.of(topic));
            await("records on " + topic).atMost(Duration.ofSeconds(30)).until(() -> {
                for (ConsumerRecord<String, Object> r : consumer.poll(Duration.ofMillis(200))) {
                    out.add((GenericRecord) r.value());
                }
                return !out.isEmpty() && consumer.assignment().stream()
                        .allMatch(tp -> consumer.position(tp) >= consumer.endOffsets(List.of(tp)).get(tp));
            });
        }
        return out;
    }
}
