package io.kaveri.streams;

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
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;

import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutionException;

/**
 * An analytics app running on the local stack's broker and registry for an integration test, started by
 * {@link StreamsAppRunner} exactly as the launcher starts it (exactly-once, dead-letter topic, handlers). Each run
 * has its own application id and its own topics: every {@code *.topic} key not given in the settings gets its
 * default name with a suffix of the run, because the broker's data outlives a run and the stack is shared by every
 * IT class of the module.
 */
public final class RunningApp implements AutoCloseable {

    private final LocalStack stack;
    private final StreamsAppConfig config;
    private final StreamsAppRunner runner;
    private final KafkaProducer<String, SpecificRecord> producer;

    private RunningApp(LocalStack stack, StreamsAppConfig config, StreamsAppRunner runner,
                       KafkaProducer<String, SpecificRecord> producer) {
        this.stack = stack;
        this.config = config;
        this.runner = runner;
        this.producer = producer;
    }

    /** Creates the app's topics (one partition each, so that order is the order sent), starts it and waits for RUNNING. */
    public static RunningApp start(LocalStack stack, StreamsApp app, Map<String, String> settings) throws Exception {
        StreamsAppConfig config = config(stack, app, settings);
        createTopics(stack, app.topics(config));
        KafkaProducer<String, SpecificRecord> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers(), ProducerConfig.ACKS_CONFIG, "all"),
                new StringSerializer(), RunningApp.<SpecificRecord>specific(config, false).serializer());
        StreamsAppRunner runner = StreamsAppRunner.start(app, config);
        if (!runner.awaitRunning(Duration.ofSeconds(120))) {
            runner.close();
            producer.close();
            throw new AssertionError("app " + config.applicationId() + " did not reach RUNNING within 120 s");
        }
        return new RunningApp(stack, config, runner, producer);
    }

    /** The configuration of a fresh run of {@code app} on {@code stack}: unique application id, topics and state dir. */
    private static StreamsAppConfig config(LocalStack stack, StreamsApp app, Map<String, String> settings) throws Exception {
        String run = app.name() + "-it-" + UUID.randomUUID().toString().substring(0, 8);
        Map<String, Object> values = new HashMap<>();
        app.configDef().configKeys().values().stream().filter(k -> k.name.endsWith(".topic"))
                .forEach(k -> values.put(k.name, k.defaultValue + "." + run));
        values.putAll(settings);
        values.put(StreamsAppConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
        values.put(StreamsAppConfig.SCHEMA_REGISTRY_URL_CONFIG, stack.registryUrl());
        values.put(StreamsAppConfig.APPLICATION_ID_CONFIG, run);
        values.put(StreamsAppConfig.STATE_DIR_CONFIG, Files.createTempDirectory(run).toString());
        values.putIfAbsent("commit.interval.ms", "100"); // results visible to read_committed readers quickly
        return StreamsAppConfig.of(app, values);
    }

    /** Creates {@code topics} with one partition each; a topic that exists already is left as it is. */
    private static void createTopics(LocalStack stack, List<TopicSpec> topics) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()))) {
            List<NewTopic> create = new ArrayList<>();
            for (TopicSpec t : topics) {
                create.add(new NewTopic(t.name(), Optional.of(1), Optional.empty()).configs(t.configs()));
            }
            try {
                admin.createTopics(create).all().get();
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw e;
                }
            }
        }
    }

    public StreamsAppConfig config() {
        return config;
    }

    /** The running Kafka Streams instance, for interactive queries. */
    public KafkaStreams streams() {
        return runner.streams();
    }

    /** The name of the topic configured under {@code key} in this run. */
    public String topic(String key) {
        return config.getString(key);
    }

    /** Sends {@code value} without a key, with its event time as the record's timestamp, and waits for the ack. */
    public void send(String topic, SpecificRecord value, Instant eventTime) throws Exception {
        producer.send(new ProducerRecord<>(topic, null, eventTime.toEpochMilli(), null, value)).get();
    }

    public <K, V> KafkaProducer<K, V> producer(Serializer<K> keys, Serializer<V> values) {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all"), keys, values);
    }

    public <T extends SpecificRecord> Serde<T> specific(boolean isKey) {
        return specific(config, isKey);
    }

    public Serde<GenericRecord> generic(boolean isKey) {
        GenericAvroSerde serde = new GenericAvroSerde();
        serde.configure(config.serdeConfigs(), isKey);
        return serde;
    }

    /** A committed-only reader of {@code topic} from its beginning, with String keys and Kaveri's Avro values. */
    public <T extends SpecificRecord> KafkaConsumer<String, T> reader(String topic) {
        return consumer(topic, new StringDeserializer(), this.<T>specific(false).deserializer());
    }

    /** A committed-only consumer of {@code topic} from its beginning. */
    public <K, V> KafkaConsumer<K, V> consumer(String topic, Deserializer<K> keys, Deserializer<V> values) {
        KafkaConsumer<K, V> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, config.applicationId() + "-reader-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"), keys, values);
        consumer.subscribe(List.of(topic));
        return consumer;
    }

    /** Polls {@code consumer} once and adds the values that came to {@code into}. */
    public static <K, V> List<V> poll(KafkaConsumer<K, V> consumer, List<V> into) {
        for (ConsumerRecord<K, V> r : consumer.poll(Duration.ofMillis(500))) {
            into.add(r.value());
        }
        return into;
    }

    /** Polls {@code consumer} once and adds the records that came to {@code into}. */
    public static <K, V> List<ConsumerRecord<K, V>> pollRecords(KafkaConsumer<K, V> consumer, List<ConsumerRecord<K, V>> into) {
        consumer.poll(Duration.ofMillis(500)).forEach(into::add);
        return into;
    }

    private static <T extends SpecificRecord> Serde<T> specific(StreamsAppConfig config, boolean isKey) {
        SpecificAvroSerde<T> serde = new SpecificAvroSerde<>();
        serde.configure(config.serdeConfigs(), isKey);
        return serde;
    }

    @Override
    public void close() {
        producer.close();
        runner.close();
    }
}
