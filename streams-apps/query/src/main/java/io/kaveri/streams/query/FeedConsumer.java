package io.kaveri.streams.query;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kaveri.schemas.serde.SpecificAvroSerde;
import io.kaveri.streams.runtime.StreamsAppConfig;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Feeds the event hub from an app's output topics with a plain consumer, outside Kafka Streams: no stream thread
 * ever waits on a browser, the events are exactly what the app committed (read_committed), and every instance
 * pushes every event (all partitions assigned, no group), so a browser may connect to any instance. On start it
 * reads from {@code query.sse.history.ms} ago, so the replay buffer holds recent history for a new dashboard.
 */
final class FeedConsumer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(FeedConsumer.class);
    private static final Duration POLL = Duration.ofMillis(500);

    private final String app;
    private final List<QueryModule.Feed> feeds;
    private final EventHub hub;
    private final long historyMs;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Deserializer<SpecificRecord> values;
    private final Thread thread;
    private volatile boolean running = true;

    FeedConsumer(String app, StreamsAppConfig config, List<QueryModule.Feed> feeds, EventHub hub, long historyMs) {
        this.app = app;
        this.feeds = List.copyOf(feeds);
        this.hub = hub;
        this.historyMs = historyMs;
        this.consumer = new KafkaConsumer<>(consumerConfig(app, config), new ByteArrayDeserializer(),
                new ByteArrayDeserializer());
        SpecificAvroSerde<SpecificRecord> serde = new SpecificAvroSerde<>();
        serde.configure(config.serdeConfigs(), false);
        this.values = serde.deserializer();
        this.thread = new Thread(this::run, "kaveri-query-feed-" + app);
        thread.setDaemon(true);
    }

    /** The client's connection and security settings as the app has them; nothing of Kafka Streams'. */
    static Map<String, Object> consumerConfig(String app, StreamsAppConfig config) {
        Map<String, Object> c = new HashMap<>();
        config.originals().forEach((k, v) -> {
            if (k.startsWith("security.") || k.startsWith("sasl.") || k.startsWith("ssl.") || k.equals("client.dns.lookup")) {
                c.put(k, v);
            }
        });
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                String.join(",", config.getList(StreamsAppConfig.BOOTSTRAP_SERVERS_CONFIG)));
        c.put(ConsumerConfig.CLIENT_ID_CONFIG, config.applicationId() + "-query-feed");
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        // Watching a topic must not create it (with the broker's default partitions) before the app does.
        c.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        return c;
    }

    void start() {
        thread.start();
    }

    private void run() {
        Map<String, String> eventOf = new HashMap<>();
        feeds.forEach(f -> eventOf.put(f.topic(), f.event()));
        try {
            assign();
            while (running) {
                try {
                    for (ConsumerRecord<byte[], byte[]> r : consumer.poll(POLL)) {
                        publish(r, eventOf.get(r.topic()));
                    }
                } catch (RecordDeserializationException e) {
                    log.warn("feed record unreadable app={} topic={} partition={} offset={} error={}; skipped", app,
                            e.topicPartition().topic(), e.topicPartition().partition(), e.offset(), e.getMessage());
                    consumer.seek(e.topicPartition(), e.offset() + 1);
                }
            }
        } catch (WakeupException e) {
            if (running) {
                throw e;
            }
        } catch (RuntimeException e) {
            log.error("feed stopped app={} error={}", app, e.toString(), e);
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    /** Waits for the feed topics to exist (the app creates them or they are created ahead), then seeks to history. */
    private void assign() {
        List<TopicPartition> partitions = new ArrayList<>();
        for (QueryModule.Feed feed : feeds) {
            List<PartitionInfo> infos = List.of();
            while (running && (infos == null || infos.isEmpty())) {
                infos = consumer.partitionsFor(feed.topic(), Duration.ofSeconds(10));
                if (infos == null || infos.isEmpty()) {
                    log.info("feed waiting for topic app={} topic={}", app, feed.topic());
                    sleepQuietly();
                }
            }
            if (infos != null) {
                infos.forEach(i -> partitions.add(new TopicPartition(i.topic(), i.partition())));
            }
        }
        consumer.assign(partitions);
        Map<TopicPartition, Long> since = new HashMap<>();
        long from = System.currentTimeMillis() - historyMs;
        partitions.forEach(p -> since.put(p, from));
        Map<TopicPartition, OffsetAndTimestamp> offsets = consumer.offsetsForTimes(since);
        List<TopicPartition> toEnd = new ArrayList<>();
        for (TopicPartition p : partitions) {
            OffsetAndTimestamp o = offsets.get(p);
            if (o == null) {
                toEnd.add(p);
            } else {
                consumer.seek(p, o.offset());
            }
        }
        consumer.seekToEnd(toEnd);
        log.info("feed started app={} partitions={} historyMs={}", app, partitions.size(), historyMs);
    }

    private void publish(ConsumerRecord<byte[], byte[]> r, String event) {
        SpecificRecord value;
        try {
            value = r.value() == null ? null : values.deserialize(r.topic(), r.headers(), r.value());
        } catch (RuntimeException e) {
            log.warn("feed record unreadable app={} topic={} partition={} offset={} error={}; skipped", app, r.topic(),
                    r.partition(), r.offset(), e.getMessage());
            return;
        }
        ObjectNode data = Reply.JSON.createObjectNode()
                .put("app", app).put("topic", r.topic()).put("partition", r.partition()).put("offset", r.offset())
                .put("ts", r.timestamp())
                .put("key", r.key() == null ? null : new String(r.key(), StandardCharsets.UTF_8));
        data.set("value", AvroJson.toJson(value));
        hub.publish(event, data.toString());
    }

    private void sleepQuietly() {
        try {
            Thread.sleep(1_000); // back-off between metadata look-ups while a topic does not exist yet
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    @Override
    public void close() {
        running = false;
        if (!thread.isAlive()) {
            consumer.close(Duration.ZERO); // never started: nothing else owns the consumer
            return;
        }
        consumer.wakeup();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
