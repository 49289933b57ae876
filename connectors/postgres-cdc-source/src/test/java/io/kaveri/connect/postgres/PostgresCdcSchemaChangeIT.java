package io.kaveri.connect.postgres;

import io.kaveri.schemas.connect.AvroConverter;
import io.kaveri.schemas.registry.SchemaRegistryClient;
import io.kaveri.schemas.registry.SchemaRegistryClients;
import io.kaveri.stack.LocalStack;
import io.kaveri.stack.LocalStack.Part;
import io.kaveri.test.KaveriStack;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.connect.data.Struct;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Table changes checked against the registry before their first record: compatible ones flow, others stop or move. */
@KaveriStack({Part.KAFKA, Part.CONNECT, Part.POSTGRES, Part.REGISTRY})
class PostgresCdcSchemaChangeIT {

    private static final Duration READ = Duration.ofSeconds(240); // generous: CI machines are small and shared

    @Test
    void anAddedNullableColumnFlowsAsANewSchemaVersion(LocalStack stack) throws Exception {
        try (CdcHarness cdc = new CdcHarness(stack); SchemaRegistryClient registry = registry(stack)) {
            String table = "addcol_" + cdc.id;
            cdc.execute("CREATE TABLE " + table + " (id int PRIMARY KEY, v text)");
            cdc.start(avroConfig(stack, cdc, table, "fail"));
            cdc.execute("INSERT INTO " + table + " VALUES (1, 'one')");
            readValues(stack, cdc.topic(table), v -> v.size() >= 1);

            cdc.execute("ALTER TABLE " + table + " ADD COLUMN note text", "INSERT INTO " + table + " VALUES (2, 'two', 'hi')");

            List<Struct> values = readValues(stack, cdc.topic(table), v -> v.size() >= 2);
            assertThat(values.get(1).getStruct("after").getString("note")).isEqualTo("hi");
            assertThat(values.get(1).getStruct("after").getInt32("id")).isEqualTo(2);
            assertThat(registry.versions(cdc.topic(table) + "-value")).as("versions of the value subject").hasSize(2);
            cdc.awaitRunning();
        }
    }

    @Test
    void anIncompatibleTypeChangeFailsTheTaskThenNewSubjectPolicySendsItToANewTopic(LocalStack stack) throws Exception {
        try (CdcHarness cdc = new CdcHarness(stack); SchemaRegistryClient registry = registry(stack)) {
            String table = "retype_" + cdc.id;
            cdc.execute("CREATE TABLE " + table + " (id int PRIMARY KEY, v text)");
            Map<String, String> config = avroConfig(stack, cdc, table, "fail");
            cdc.start(config);
            cdc.execute("INSERT INTO " + table + " VALUES (1, 'one')");
            readValues(stack, cdc.topic(table), v -> v.size() >= 1);

            cdc.execute("ALTER TABLE " + table + " ALTER COLUMN v TYPE integer USING length(v)",
                    "INSERT INTO " + table + " VALUES (2, 22)");

            String trace = cdc.awaitFailedTask();
            assertThat(trace).contains("table public." + table, "column 'v' changed type from string to int",
                    "subject '" + cdc.topic(table) + "-value'", "schema.change.policy=new_subject");
            assertThat(registry.versions(cdc.topic(table) + "-value")).as("nothing of the new schema registered").hasSize(1);

            config.put("schema.change.policy", "new_subject");
            cdc.reconfigure(config);
            cdc.restartFailedTask();
            cdc.awaitRunning();
            List<Struct> moved = readValues(stack, cdc.topic(table) + "-v2", v -> v.size() >= 1);
            assertThat(moved.get(0).getStruct("after").getInt32("v")).isEqualTo(22);
            assertThat(moved.get(0).getStruct("after").getInt32("id")).isEqualTo(2);
            // The old topic kept only the old shape.
            assertThat(readValues(stack, cdc.topic(table), v -> v.size() >= 1)).hasSize(1);
        }
    }

    private static Map<String, String> avroConfig(LocalStack stack, CdcHarness cdc, String table, String policy) {
        Map<String, String> config = cdc.config("public\\." + table);
        config.put("value.converter", AvroConverter.class.getName());
        config.put("value.converter.schema.registry.url", stack.registryUrl());
        config.remove("value.converter.schemas.enable");
        config.put("schema.registry.url", stack.registryUrl());
        config.put("schema.change.policy", policy);
        return config;
    }

    private static SchemaRegistryClient registry(LocalStack stack) {
        return SchemaRegistryClients.create(Map.of("schema.registry.url", stack.registryUrl()));
    }

    /** Every committed value of the topic from the start, read through the Avro converter, once {@code done} holds. */
    private static List<Struct> readValues(LocalStack stack, String topic, Predicate<List<Struct>> done) {
        AvroConverter converter = new AvroConverter();
        converter.configure(Map.of("schema.registry.url", stack.registryUrl()), false);
        Map<String, Object> props = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.GROUP_ID_CONFIG, "it-" + UUID.randomUUID());
        List<Struct> values = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            TopicPartition partition = new TopicPartition(topic, 0);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            await("values of " + topic).atMost(READ).pollInterval(Duration.ofMillis(200)).until(() -> {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    if (r.value() != null) {
                        values.add((Struct) converter.toConnectData(topic, r.value()).value());
                    }
                }
                return done.test(values);
            });
        }
        return values;
    }
}
