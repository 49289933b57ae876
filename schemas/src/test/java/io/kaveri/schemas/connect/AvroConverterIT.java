package io.kaveri.schemas.connect;

import io.kaveri.schemas.registry.SchemaRegistryClient;
import io.kaveri.schemas.registry.SchemaRegistryClients;
import io.kaveri.schemas.serde.KaveriAvroDeserializer;
import io.kaveri.stack.LocalStack;
import io.kaveri.stack.LocalStack.Part;
import io.kaveri.test.ConnectClient;
import io.kaveri.test.KaveriStack;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The converter in a real Connect worker: a source writes structs through it into Avro (registered in Apicurio),
 * Kaveri's deserializer reads them, and a sink reads them back through it into Connect structs.
 */
@KaveriStack({Part.CONNECT, Part.REGISTRY})
class AvroConverterIT {

    private static final int MESSAGES = 20;
    private static final Pattern SEQNO = Pattern.compile("seqno=(\\d+)");

    @Test
    void structsRoundTripFromASourceThroughAvroToASink(LocalStack stack, @TempDir Path dir) throws Exception {
        String topic = "structs-" + UUID.randomUUID();
        Map<String, String> converter = Map.of(
                "value.converter", AvroConverter.class.getName(),
                "value.converter.schema.registry.url", stack.registryUrl());

        Map<String, String> source = new HashMap<>(converter);
        source.putAll(Map.of("connector.class", "org.apache.kafka.connect.tools.SchemaSourceConnector",
                "tasks.max", "1", "topic", topic, "num.messages", Integer.toString(MESSAGES), "throughput", "1000",
                "id", "1", "multiple.schema", "false", "partition.count", "1"));
        createConnector(stack, topic + "-source", source);

        List<GenericRecord> records = consume(stack, topic, MESSAGES);
        assertThat(records).extracting(r -> ((Number) r.get("seqno")).longValue())
                .containsExactlyInAnyOrderElementsOf(range(MESSAGES));

        try (SchemaRegistryClient client = SchemaRegistryClients.create(Map.of("schema.registry.url", stack.registryUrl()))) {
            Schema registered = client.latest(topic + "-value").schema();
            assertThat(registered.getType()).isEqualTo(Schema.Type.RECORD);
            assertThat(registered.getField("seqno")).isNotNull();
            assertThat(registered).as("what Kaveri's deserializer saw is what the registry holds")
                    .isEqualTo(records.get(0).getSchema());
        }

        Path out = dir.resolve("sink.txt");
        Map<String, String> sink = new HashMap<>(converter);
        sink.putAll(Map.of("connector.class", "org.apache.kafka.connect.file.FileStreamSinkConnector",
                "tasks.max", "1", "topics", topic, "file", out.toString()));
        createConnector(stack, topic + "-sink", sink);

        await("the sink wrote every struct").atMost(Duration.ofSeconds(60))
                .until(() -> Files.exists(out) && Files.readAllLines(out).size() >= MESSAGES);
        List<String> lines = Files.readAllLines(out);
        assertThat(lines).allMatch(l -> l.startsWith("Struct{"));
        Set<Long> seqnos = new TreeSet<>();
        for (String line : lines) {
            Matcher m = SEQNO.matcher(line);
            assertThat(m.find()).as(line).isTrue();
            seqnos.add(Long.parseLong(m.group(1)));
        }
        assertThat(seqnos).containsExactlyElementsOf(range(MESSAGES));
    }

    private static void createConnector(LocalStack stack, String name, Map<String, String> config) {
        ConnectClient connect = ConnectClient.of(stack);
        assertThat(connect.putConfig(name, config)).as("created").isEqualTo(201);
        connect.awaitRunning(name, Duration.ofSeconds(60));
    }

    private static List<GenericRecord> consume(LocalStack stack, String topic, int count) {
        KaveriAvroDeserializer deserializer = new KaveriAvroDeserializer();
        deserializer.configure(Map.of("schema.registry.url", stack.registryUrl()), false);
        List<GenericRecord> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "it-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            await(count + " records on " + topic).atMost(Duration.ofSeconds(60)).until(() -> {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    out.add((GenericRecord) deserializer.deserialize(topic, r.value()));
                }
                return out.size() >= count;
            });
        }
        return out;
    }

    private static List<Long> range(int n) {
        List<Long> values = new ArrayList<>();
        for (long i = 0; i < n; i++) {
            values.add(i);
        }
        return values;
    }
}
