package io.kaveri.streams.timeline;

import io.kaveri.schemas.social.TimelineEntry;
import io.kaveri.schemas.social.Tweet;
import io.kaveri.stack.LocalStack;
import io.kaveri.stack.LocalStack.Part;
import io.kaveri.streams.RunningApp;
import io.kaveri.test.KaveriStack;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.query.QueryResult;
import org.apache.kafka.streams.query.StateQueryRequest;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The timeline app on the real broker and registry: CDC follow events and tweets in, timeline entries out, and the
 * latest-entries store answering the query service's IQv2 query.
 */
@KaveriStack({Part.KAFKA, Part.REGISTRY})
class TimelineIT {

    @Test
    void tweetsReachTheFollowersOfTheirAuthor(LocalStack stack) throws Exception {
        try (RunningApp app = RunningApp.start(stack, new TimelineApp(), Map.of(TimelineApp.GRACE_MS_CONFIG, "1000"))) {
            long t0 = System.currentTimeMillis() - 60_000; // recent: the broker's retention keeps it
            Map<String, Object> row = Map.of("follower_id", "alice", "followee_id", "bob", "created_at", t0);
            try (KafkaProducer<GenericRecord, GenericRecord> follows = app.producer(app.generic(true).serializer(),
                    app.generic(false).serializer());
                 KafkaProducer<String, Tweet> tweets = app.producer(new StringSerializer(), app.<Tweet>specific(false).serializer())) {
                follows.send(new ProducerRecord<>(app.topic(TimelineApp.FOLLOWS_TOPIC_CONFIG), null, t0,
                        TimelineFixture.CDC.key(row), TimelineFixture.CDC.create(row, t0))).get();
                tweets.send(new ProducerRecord<>(app.topic(TimelineApp.TWEETS_TOPIC_CONFIG), null, t0 + 1_000, "bob",
                        TimelineFixture.newTweet("t1", "bob", t0 + 1_000))).get();
                tweets.send(new ProducerRecord<>(app.topic(TimelineApp.TWEETS_TOPIC_CONFIG), null, t0 + 5_000, "carol",
                        TimelineFixture.newTweet("tick", "carol", t0 + 5_000))).get();
            }
            List<ConsumerRecord<String, TimelineEntry>> out = new ArrayList<>();
            try (KafkaConsumer<String, TimelineEntry> consumer = app.reader(app.topic(TimelineApp.TIMELINE_TOPIC_CONFIG))) {
                await().atMost(Duration.ofSeconds(60)).until(() -> {
                    RunningApp.pollRecords(consumer, out);
                    return !out.isEmpty();
                });
            }
            assertThat(out).singleElement().satisfies(r -> {
                assertThat(r.key()).isEqualTo("alice");
                assertThat(r.value().getTweetId()).isEqualTo("t1");
                assertThat(r.timestamp()).isEqualTo(t0 + 1_000);
            });

            // The query the query service runs: the user's rows of the latest-entries store, over IQv2.
            StateQueryRequest<KeyValueIterator<Bytes, TimelineEntry>> query = StateQueryRequest
                    .inStore(TimelineQueries.LATEST_STORE).withQuery(TimelineQueries.rowsOf("alice"));
            List<String> latest = new ArrayList<>();
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                latest.clear();
                for (QueryResult<KeyValueIterator<Bytes, TimelineEntry>> part
                        : app.streams().query(query).getPartitionResults().values()) {
                    if (part.isSuccess()) {
                        try (KeyValueIterator<Bytes, TimelineEntry> rows = part.getResult()) {
                            TimelineQueries.newestFirst(rows, 10).forEach(e -> latest.add(e.getTweetId()));
                        }
                    }
                }
                return !latest.isEmpty();
            });
            assertThat(latest).containsExactly("t1");
        }
    }
}
