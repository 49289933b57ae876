package io.kaveri.streams.fraud;

import io.kaveri.schemas.serde.SpecificAvroSerde;
import io.kaveri.stack.LocalStack;
import io.kaveri.streams.runtime.StreamsApp;
import io.kaveri.streams.runtime.StreamsAppConfig;
import io.kaveri.streams.runtime.StreamsAppRunner;
import io.kaveri.streams.runtime.TopicSpec;
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
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

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
 * An analytics app running on the local stack's broker and registry for an integration test: its topics
 * created under a unique prefix, the app started by {@link StreamsAppRunner} exactly as the launcher does, Avro
 * records produced to its input and read from its outputs.
 */
public final class RunningApp implements AutoCloseable {

    private final LocalStack stack;
    private final StreamsAppConfig config;
    private final StreamsAppRunner runner;
    private final KafkaProducer<String, SpecificRecord> producer;

    private RunningApp(LocalStack stack, StreamsAppConfig config, StreamsAppRunner runner, KafkaProducer<String, SpecificRecord> producer) {
        this.stack = stack;
        this.config = config;
        this.runner = runner;
        this.producer = producer;
    }

    /** Starts {@code app} with {@code settings}; topic keys in {@code topicKeys} get a unique prefix. */
    public static RunningApp start(LocalStack stack, StreamsApp app, Map<String, String> settings, List<String> topicKeys)
            throws Exception {
        String run = app.name() + "-it-" + UUID.randomUUID().toString().substring(0, 8);
        Map<String, Object> values = new HashMap<>(settings);
        values.put(StreamsAppConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
        values.put(StreamsAppConfig.SCHEMA_REGISTRY_URL_CONFIG, stack.registryUrl());
        values.put(StreamsAppConfig.APPLICATION_ID_CONFIG, run);
        values.put(StreamsAppConfig.STATE_DIR_CONFIG, Files.createTempDirectory(run).toString());
        StreamsAppConfig defaults = StreamsAppConfig.of(app, values);
        for (String key : topicKeys) {
            values.put(key, run + "-" + defaults.getString(key));
        }
        StreamsAppConfig config = StreamsAppConfig.of(app, values);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()))) {
            List<NewTopic> topics = new ArrayList<>();
            for (TopicSpec t : app.topics(config)) {
                topics.add(new NewTopic(t.name(), Optional.of(1), Optional.empty()).configs(t.configs()));
            }
            admin.createTopics(topics).all().get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot create the topics of " + run, e.getCause());
        }
        KafkaProducer<String, SpecificRecord> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers(), ProducerConfig.ACKS_CONFIG, "all"),
                new StringSerializer(), RunningApp.<SpecificRecord>avro(config).serializer());
        StreamsAppRunner runner = StreamsAppRunner.start(app, config);
        if (!runner.awaitRunning(Duration.ofSeconds(60))) {
            runner.close();
            producer.close();
            throw new IllegalStateException("app " + run + " did not reach RUNNING within 60 s");
        }
        return new RunningApp(stack, config, runner, producer);
    }

    public StreamsAppConfig config() {
        return config;
    }

    public String topic(String key) {
        return config.getString(key);
    }

    /** Sends {@code value} with its event time as the record's timestamp, and waits for the broker's ack. */
    public void send(String topic, SpecificRecord value, Instant eventTime) throws Exception {
        producer.send(new ProducerRecord<>(topic, null, eventTime.toEpochMilli(), null, value)).get();
    }

    /** A committed-only reader of {@code topic} from its beginning. */
    public <T extends SpecificRecord> KafkaConsumer<String, T> reader(String topic) {
        Serde<T> serde = avro(config);
        KafkaConsumer<String, T> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, config.applicationId() + "-reader-" + topic,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"), new StringDeserializer(), serde.deserializer());
        consumer.subscribe(List.of(topic));
        return consumer;
    }

    /** Polls {@code consumer} once and adds what came to {@code into}. */
    public static <T> List<T> poll(KafkaConsumer<String, T> consumer, List<T> into) {
        for (ConsumerRecord<String, T> r : consumer.poll(Duration.ofMillis(500))) {
            into.add(r.value());
        }
        return into;
    }

    private static <T extends SpecificRecord> Serde<T> avro(StreamsAppConfig config) {
        SpecificAvroSerde<T> serde = new SpecificAvroSerde<>();
        serde.configure(config.serdeConfigs(), false);
        return serde;
    }

    @Override
    public void close() {
        producer.close();
        runner.close();
    }

}
