package io.kaveri.connect.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.AbortTransactionSpec;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListTransactionsOptions;
import org.apache.kafka.clients.admin.ProducerState;
import org.apache.kafka.clients.admin.TransactionDescription;
import org.apache.kafka.clients.admin.TransactionListing;
import org.apache.kafka.clients.admin.TransactionState;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.awaitility.core.ConditionTimeoutException;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.kaveri.stack.FreePorts;
import io.kaveri.stack.LocalStack;
import io.kaveri.test.ConnectClient;

/** What the webhook ITs and the benchmark do with the local stack: deploy the connector, reach its tasks, read topics. */
final class StackClient {

    static final ObjectMapper JSON = new ObjectMapper();

    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final LocalStack stack;
    private final String connectUrl;
    private final ConnectClient connect;

    StackClient(LocalStack stack) {
        this(stack, stack.connectUrl());
    }

    /** A client of another Connect worker on the stack's broker, e.g. one with other worker settings. */
    StackClient(LocalStack stack, String connectUrl) {
        this.stack = stack;
        this.connectUrl = connectUrl;
        this.connect = new ConnectClient(connectUrl);
    }

    /** The keys every deployment shares: tasks listening on loopback from port on. */
    static Map<String, String> connectorConfig(int port, int tasks, String routes) {
        Map<String, String> config = new LinkedHashMap<>();
        config.put("connector.class", WebhookSourceConnector.class.getName());
        config.put("tasks.max", Integer.toString(tasks));
        config.put("listener.host", "127.0.0.1");
        config.put("listener.port", Integer.toString(port));
        config.put("routes", routes);
        return config;
    }

    /**
     * Creates the connector, waits until it and its tasks run, then until the listener of each task answers its
     * health path (a task is RUNNING before its listener is bound).
     */
    void deploy(String name, Map<String, String> config) throws Exception {
        connect.deploy(name, config);
        int port = Integer.parseInt(config.get("listener.port"));
        int tasks = Math.min(Integer.parseInt(config.get("tasks.max")), config.get("routes").split(",").length);
        await(name + " listening").atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> {
            for (int i = 0; i < tasks; i++) {
                if (http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + (port + i) + "/health")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() != 200) {
                    return false;
                }
            }
            return true;
        });
    }

    /** POSTs to a connector's REST resource (e.g. "/connectors/x/tasks/0/restart") and answers the status. */
    int connectPost(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(connectUrl + path))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    int delete(String name) {
        return connect.delete(name);
    }

    /** Reads topic from the start (committed transactions only) until done holds, then for settle more. */
    List<ConsumerRecord<String, String>> consume(String topic, Predicate<List<ConsumerRecord<String, String>>> done,
                                                 Duration settle) {
        return consume(topic, new StringDeserializer(), done, settle);
    }

    List<ConsumerRecord<String, String>> consume(String topic, int count) {
        return consume(topic, records -> records.size() >= count, Duration.ZERO);
    }

    /** The first count records of topic with their values as bytes (Avro). */
    List<ConsumerRecord<String, byte[]>> consumeBytes(String topic, int count) {
        return consumeBytes(topic, count, Duration.ZERO);
    }

    /** At least count records of topic, values as bytes, plus whatever arrives within settle after them. */
    List<ConsumerRecord<String, byte[]>> consumeBytes(String topic, int count, Duration settle) {
        return consumeBytes(topic, records -> records.size() >= count, settle);
    }

    List<ConsumerRecord<String, byte[]>> consumeBytes(String topic, Predicate<List<ConsumerRecord<String, byte[]>>> done,
                                                      Duration settle) {
        return consume(topic, new ByteArrayDeserializer(), done, settle);
    }

    private <V> List<ConsumerRecord<String, V>> consume(String topic, Deserializer<V> values,
                                                        Predicate<List<ConsumerRecord<String, V>>> done, Duration settle) {
        List<ConsumerRecord<String, V>> out = new ArrayList<>();
        try (KafkaConsumer<String, V> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "it-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
                new StringDeserializer(), values)) {
            consumer.subscribe(List.of(topic));
            await("records on " + topic).atMost(Duration.ofSeconds(60)).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(out::add);
                return done.test(out);
            });
            if (!settle.isZero()) {
                consumer.poll(settle).forEach(out::add);
            }
        }
        return out;
    }

    /**
     * A transaction still open on a partition although its coordinator does not count that partition in any open
     * transaction of the producer: Kafka's "hanging transaction" ({@code kafka-transactions.sh find-hanging}). No
     * marker will ever close it, so read_committed readers of the partition (a Connect worker reading its offsets
     * topic before it starts a connector or an exactly-once task) wait forever.
     */
    record HangingTransaction(TopicPartition partition, ProducerState producer, String coordinatorView) {
        @Override
        public String toString() {
            return partition + " open since offset " + producer.currentTransactionStartOffset().orElse(-1)
                    + " by producer " + producer.producerId() + " epoch " + producer.producerEpoch()
                    + ", coordinator: " + coordinatorView;
        }
    }

    /**
     * Waits until no partition of the stack holds a hanging transaction and answers none; one that lasts is aborted,
     * so that the worker's readers move on and the IT classes after this one are not held up, and is answered.
     */
    List<HangingTransaction> abortHangingTransactions(Duration atMost) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()))) {
            AtomicReference<List<HangingTransaction>> found = new AtomicReference<>(List.of());
            try {
                // A transaction completing between the two looks (partition, then coordinator) can look hanging once.
                await("no hanging transaction").atMost(atMost).pollInterval(Duration.ofSeconds(1)).ignoreExceptions()
                        .until(() -> {
                            found.set(hangingTransactions(admin));
                            return found.get().isEmpty();
                        });
                return List.of();
            } catch (ConditionTimeoutException e) {
                if (found.get().isEmpty()) {
                    throw new AssertionError("could not tell whether a transaction hangs: the admin calls kept failing", e);
                }
                for (HangingTransaction h : found.get()) {
                    admin.abortTransaction(new AbortTransactionSpec(h.partition(), h.producer().producerId(),
                            (short) h.producer().producerEpoch(), h.producer().coordinatorEpoch().orElse(0)))
                            .all().get(30, TimeUnit.SECONDS);
                }
                return found.get();
            }
        }
    }

    private static List<HangingTransaction> hangingTransactions(Admin admin) throws Exception {
        Set<String> topics = admin.listTopics().names().get(30, TimeUnit.SECONDS);
        List<TopicPartition> partitions = new ArrayList<>();
        admin.describeTopics(topics).allTopicNames().get(30, TimeUnit.SECONDS).forEach((topic, d) ->
                d.partitions().forEach(p -> partitions.add(new TopicPartition(topic, p.partition()))));
        List<HangingTransaction> open = new ArrayList<>();
        admin.describeProducers(partitions).all().get(30, TimeUnit.SECONDS).forEach((tp, state) ->
                state.activeProducers().stream().filter(p -> p.currentTransactionStartOffset().isPresent())
                        .forEach(p -> open.add(new HangingTransaction(tp, p, ""))));
        if (open.isEmpty()) {
            return List.of();
        }
        Set<Long> producerIds = open.stream().map(h -> h.producer().producerId()).collect(Collectors.toSet());
        Map<Long, String> transactionalIds = admin.listTransactions(new ListTransactionsOptions().filterProducerIds(producerIds))
                .all().get(30, TimeUnit.SECONDS).stream()
                .collect(Collectors.toMap(TransactionListing::producerId, TransactionListing::transactionalId, (a, b) -> a));
        Map<String, TransactionDescription> coordinator = transactionalIds.isEmpty() ? Map.of()
                : admin.describeTransactions(transactionalIds.values()).all().get(30, TimeUnit.SECONDS);
        Set<TransactionState> unfinished = Set.of(TransactionState.ONGOING, TransactionState.PREPARE_COMMIT,
                TransactionState.PREPARE_ABORT);
        List<HangingTransaction> hanging = new ArrayList<>();
        for (HangingTransaction h : open) {
            String id = transactionalIds.get(h.producer().producerId());
            TransactionDescription d = id == null ? null : coordinator.get(id);
            if (d == null) {
                hanging.add(new HangingTransaction(h.partition(), h.producer(), "no transaction of this producer"));
            } else if (!unfinished.contains(d.state()) || !d.topicPartitions().contains(h.partition())) {
                hanging.add(new HangingTransaction(h.partition(), h.producer(), id + " " + d.state() + " epoch "
                        + d.producerEpoch() + " partitions " + d.topicPartitions()));
            }
        }
        return hanging;
    }

    /**
     * The first of n consecutive ports free on loopback (a task listens on listener.port + its index): the first is
     * the kernel's pick, the others are checked by binding them together.
     */
    static int freePorts(int n) throws IOException {
        for (int attempt = 0; attempt < 50; attempt++) {
            int base = FreePorts.pick();
            if (n == 1) {
                return base;
            }
            if (base + n > 65535) {
                continue;
            }
            List<ServerSocket> held = new ArrayList<>();
            try {
                for (int i = 1; i < n; i++) {
                    ServerSocket next = new ServerSocket();
                    held.add(next);
                    next.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), base + i));
                }
                return base;
            } catch (IOException taken) {
                // another run of ports
            } finally {
                for (ServerSocket s : held) {
                    s.close();
                }
            }
        }
        throw new IOException("no " + n + " consecutive free ports on loopback");
    }
}
