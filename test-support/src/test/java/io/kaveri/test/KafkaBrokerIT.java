package io.kaveri.test;

import io.kaveri.stack.LocalStack;
import io.kaveri.stack.LocalStack.Part;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@KaveriStack(Part.KAFKA)
class KafkaBrokerIT {

    @Test
    void readCommittedSeesCommittedTransactionsAndNeverAbortedOnes(LocalStack stack) throws Exception {
        String topic = "tx-" + UUID.randomUUID();
        try (KafkaProducer<String, String> producer = transactionalProducer(stack)) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(topic, "k1", "committed-1"));
            producer.send(new ProducerRecord<>(topic, "k2", "committed-2"));
            producer.commitTransaction();

            producer.beginTransaction();
            producer.send(new ProducerRecord<>(topic, "k3", "aborted")).get();
            producer.abortTransaction();

            producer.beginTransaction();
            producer.send(new ProducerRecord<>(topic, "k4", "committed-3"));
            producer.commitTransaction();
        }

        List<String> seen = consumeUntil(stack, topic, "read_committed", 3);
        assertThat(seen).containsExactly("committed-1", "committed-2", "committed-3");
        // The aborted record is in the log: read_uncommitted shows it, which proves the filter above is the broker's.
        assertThat(consumeUntil(stack, topic, "read_uncommitted", 4)).contains("aborted");
    }

    @Test
    void theBrokerComesBackOnTheSamePortWithItsData(LocalStack stack) throws Exception {
        String topic = "restart-" + UUID.randomUUID();
        try (KafkaProducer<String, String> producer = transactionalProducer(stack)) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(topic, "k", "before-restart"));
            producer.commitTransaction();
        }
        String bootstrap = stack.bootstrapServers();

        stack.kafka().stop();
        assertThat(stack.kafka().isRunning()).isFalse();
        stack.kafka().startAgain();

        assertThat(stack.bootstrapServers()).isEqualTo(bootstrap);
        assertThat(consumeUntil(stack, topic, "read_committed", 1)).containsExactly("before-restart");
    }

    private static KafkaProducer<String, String> transactionalProducer(LocalStack stack) {
        return new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers(),
                ProducerConfig.TRANSACTIONAL_ID_CONFIG, "it-" + UUID.randomUUID(),
                ProducerConfig.ACKS_CONFIG, "all"),
                new StringSerializer(), new StringSerializer());
    }

    static List<String> consumeUntil(LocalStack stack, String topic, String isolation, int count) {
        List<String> values = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "it-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation),
                new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            await("%d records on %s (%s)".formatted(count, topic, isolation)).atMost(Duration.ofSeconds(60)).until(() -> {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                    values.add(r.value());
                }
                return values.size() >= count;
            });
        }
        return values;
    }
}
