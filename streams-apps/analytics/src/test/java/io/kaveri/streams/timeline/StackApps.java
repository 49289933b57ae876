package io.kaveri.streams.timeline;

import io.kaveri.schemas.serde.GenericAvroSerde;
import io.kaveri.schemas.serde.SpecificAvroSerde;
import io.kaveri.stack.LocalStack;
import io.kaveri.streams.runtime.StreamsApp;
import io.kaveri.streams.runtime.StreamsAppConfig;
import io.kaveri.streams.runtime.StreamsAppRunner;
import io.kaveri.streams.runtime.TopicSpec;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;

/** Runs an analytics app on the local stack's broker and registry, with topics, producers and consumers. */
public final class StackApps implements AutoCloseable {

    private final LocalStack stack;
    private final StreamsAppConfig config;
    private final StreamsAppRunner runner;

    private StackApps(LocalStack stack, StreamsAppConfig config, StreamsAppRunner runner) {
        this.stack = stack;
        this.config = config;
        this.runner = runner;
    }

    /**
     * Creates the app's topics (one partition each) and starts it under a fresh application id; waits until it
     * runs. Every {@code *.topic} key not in {@code settings} gets its default name with a suffix of this run: the
     * broker's data outlives a run, the registry's schema ids do not.
     */
    public static StackApps start(LocalStack stack, StreamsApp app, Map<String, String> settings) throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        Map<String, Object> values = new HashMap<>();
        app.configDef().configKeys().values().stream().filter(k -> k.name.endsWith(".topic"))
                .forEach(k -> values.put(k.name, k.defaultValue + "." + run));
        values.putAll(settings);
        values.put(StreamsAppConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
        values.put(StreamsAppConfig.SCHEMA_REGISTRY_URL_CONFIG, stack.registryUrl());
        values.put(StreamsAppConfig.APPLICATION_ID_CONFIG, "it-" + app.name() + "-" + UUID.randomUUID());
        values.put(StreamsAppConfig.STATE_DIR_CONFIG, Files.createTempDirectory("kaveri-it-" + app.name()).toString());
        values.put("commit.interval.ms", "100");
        StreamsAppConfig config = StreamsAppConfig.of(app, values);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()))) {
            List<NewTopic> topics = new ArrayList<>();
            for (TopicSpec t : app.topics(config)) {
                topics.add(new NewTopic(t.name(), 1, (short) 1).configs(t.configs()));
            }
            try {
                admin.createTopics(topics).all().get();
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof org.apache.kafka.common.errors.TopicExistsException)) {
                    throw e;
                }
            }
        }
        StreamsAppRunner runner = StreamsAppRunner.start(app, config);
        if (!runner.awaitRunning(Duration.ofSeconds(60))) {
            runner.close();
            throw new AssertionError("app " + app.name() + " did not reach RUNNING within 60 s");
        }
        return new StackApps(stack, config, runner);
    }

    public StreamsAppConfig config() {
        return config;
    }

    /** The name of the topic configured under {@code key} in this run. */
    public String topic(String key) {
        return config.getString(key);
    }

    public <K, V> KafkaProducer<K, V> producer(Serializer<K> keys, Serializer<V> values) {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()), keys, values);
    }

    public <T extends SpecificRecord> Serde<T> specific(boolean isKey) {
        SpecificAvroSerde<T> serde = new SpecificAvroSerde<>();
        serde.configure(config.serdeConfigs(), isKey);
        return serde;
    }

    public Serde<GenericRecord> generic(boolean isKey) {
        GenericAvroSerde serde = new GenericAvroSerde();
        serde.configure(config.serdeConfigs(), isKey);
        return serde;
    }

    /** A consumer of {@code topic} from the beginning, with String keys. */
    public <V> KafkaConsumer<String, V> consumer(String topic, Serde<V> values) {
        KafkaConsumer<String, V> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "it-" + UUID.randomUUID(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(), values.deserializer());
        consumer.subscribe(List.of(topic));
        return consumer;
    }

    /** Adds what one poll returns to {@code into}. */
    public static <V> void pollInto(KafkaConsumer<String, V> consumer, List<ConsumerRecord<String, V>> into) {
        consumer.poll(Duration.ofMillis(200)).forEach(into::add);
    }

    @Override
    public void close() {
        runner.close();
    }
}
