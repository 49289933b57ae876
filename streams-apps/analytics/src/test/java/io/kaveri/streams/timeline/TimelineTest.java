package io.kaveri.streams.timeline;

import io.kaveri.schemas.social.TimelineEntry;
import io.kaveri.schemas.social.Tweet;
import io.kaveri.streams.runtime.LateRecords;
import io.kaveri.streams.testkit.GoldenTopology;
import io.kaveri.streams.testkit.StreamsTestKit;
import io.kaveri.streams.testkit.TestInput;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.SchemaBuilder;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static io.kaveri.streams.testkit.KitAssertions.assertDeadLetter;
import static io.kaveri.streams.testkit.KitAssertions.assertHeaders;
import static org.assertj.core.api.Assertions.assertThat;

class TimelineTest {

    private static final long GRACE = 10_000;
    private static final long T0 = 1_767_225_600_000L; // 2026-01-01T00:00:00Z

    @RegisterExtension
    final StreamsTestKit kit = AppKit.of(new TimelineApp(), Map.of(TimelineApp.LATEST_SIZE_CONFIG, "3"));

    private TimelineFixture f;

    @BeforeEach
    void fixture() {
        f = new TimelineFixture(kit.driver());
    }

    @Test
    void aTweetReachesEveryFollowerOfItsAuthorOnceGraceHasPassed() {
        f.follow("alice", "bob", T0).follow("carol", "bob", T0 + 1).follow("bob", "alice", T0 + 2)
                .tweet("t1", "bob", T0 + 1_000);

        f.tick(T0 + 1_000 + GRACE - 1);
        assertThat(f.entries()).as("held for the grace period").isEmpty();

        f.tick(T0 + 1_000 + GRACE);
        List<TestRecord<String, TimelineEntry>> out = f.timeline.readRecords();
        assertThat(out).extracting(TestRecord::key).containsExactly("alice", "carol");
        TimelineEntry entry = out.get(0).value();
        assertThat(entry.getFollowerId()).isEqualTo("alice");
        assertThat(entry.getAuthorId()).isEqualTo("bob");
        assertThat(entry.getTweetId()).isEqualTo("t1");
        assertThat(entry.getText()).isEqualTo("text of t1");
        assertThat(out.get(0).timestamp()).as("event time of the tweet").isEqualTo(T0 + 1_000);
    }

    @Test
    void aTweetThatArrivesBeforeAnEarlierFollowStillReachesTheFollower() {
        f.tweet("t1", "bob", T0 + 5_000)
                .follow("alice", "bob", T0 + 4_000)   // happened before the tweet, arrives after it
                .follow("carol", "bob", T0 + 6_000)   // happened after the tweet
                .tick(T0 + 5_000 + GRACE);
        assertThat(f.entries()).containsExactly("alice<-t1");
    }

    @Test
    void anUnfollowRacingATweetCountsAtItsEventTime() {
        f.follow("alice", "bob", T0)
                .unfollow("alice", "bob", T0 + 3_000)  // arrives first
                .tweet("before", "bob", T0 + 2_000)    // posted while alice still followed
                .tweet("after", "bob", T0 + 4_000)
                .tick(T0 + 4_000 + GRACE);
        assertThat(f.entries()).containsExactly("alice<-before");
    }

    @Test
    void aFollowChangeLaterThanGraceStillTakesEffectForTweetsNotYetReleased() {
        f.tick(T0 + 60_000)
                .tweet("t1", "bob", T0 + 55_000)
                .follow("alice", "bob", T0 + 1_000) // 59 s late: beyond grace, still the truth from now on
                .tick(T0 + 55_000 + GRACE);
        assertThat(f.entries()).containsExactly("alice<-t1");
        assertThat(f.late.readRecords()).as("a copy on the late topic, counted").singleElement()
                .satisfies(r -> assertThat(r.value()).isInstanceOf(io.kaveri.schemas.social.Follow.class));
    }

    @Test
    void aTweetLaterThanGraceGoesToTheLateTopicWithTheStreamTime() {
        f.follow("alice", "bob", T0).tick(T0 + 60_000)
                .tweet("old", "bob", T0 + 50_000)      // 10 s behind stream time: exactly the grace, so late
                .tweet("fresh", "bob", T0 + 50_001)
                .tick(T0 + 50_001 + GRACE);

        assertThat(f.entries()).containsExactly("alice<-fresh");
        List<TestRecord<String, org.apache.avro.specific.SpecificRecord>> late = f.late.readRecords();
        assertThat(late).extracting(r -> ((Tweet) r.value()).getTweetId()).containsExactly("old");
        assertHeaders(late.get(0)).hasString(LateRecords.STREAM_TIME_HEADER, Long.toString(T0 + 60_000));
    }

    @Test
    void aRedeliveredTweetIsOnTheTimelineOnce() {
        f.follow("alice", "bob", T0)
                .tweet("t1", "bob", T0 + 1_000).tweet("t1", "bob", T0 + 1_000)
                .tick(T0 + 5_000).tweet("t1", "bob", T0 + 1_000)
                .tick(T0 + 1_000 + GRACE);
        assertThat(f.entries()).containsExactly("alice<-t1");
    }

    @Test
    void aRedeliveredFollowChangeIsHarmless() {
        f.follow("alice", "bob", T0).follow("alice", "bob", T0)
                .tweet("t1", "bob", T0 + 1_000).tick(T0 + 1_000 + GRACE);
        assertThat(f.entries()).containsExactly("alice<-t1");
    }

    @Test
    void anUnreadableTweetGoesToTheDeadLetterTopicAndTheNextOneIsProcessed() {
        byte[] garbage = "not avro".getBytes(StandardCharsets.UTF_8);
        f.follow("alice", "bob", T0);
        kit.driver().input(TimelineFixture.TWEETS, Serdes.String(), Serdes.ByteArray()).pipe("bob", garbage, T0 + 500);
        f.tweet("t1", "bob", T0 + 1_000).tick(T0 + 1_000 + GRACE);

        List<TestRecord<byte[], byte[]>> dead = f.deadLetters();
        assertThat(dead).hasSize(1);
        assertDeadLetter(dead.get(0)).hasOriginalValue(garbage).cameFrom(TimelineFixture.TWEETS);
        assertThat(f.entries()).containsExactly("alice<-t1");
    }

    @Test
    void aFollowsRecordThatIsNotAChangeEventGoesToTheDeadLetterTopic() {
        GenericRecord notAnEnvelope = new GenericData.Record(SchemaBuilder.record("Row").fields()
                .requiredString("follower_id").endRecord());
        notAnEnvelope.put("follower_id", "alice");
        // Valid Avro of another schema (registered under another subject), where a change event is expected.
        byte[] bytes = AppKit.generic(kit.driver(), false).serializer().serialize("elsewhere", notAnEnvelope);
        kit.driver().input(TimelineFixture.FOLLOWS, Serdes.ByteArray(), Serdes.ByteArray())
                .pipe(AppKit.generic(kit.driver(), true).serializer().serialize(TimelineFixture.FOLLOWS,
                        TimelineFixture.CDC.key(Map.of("follower_id", "alice", "followee_id", "bob"))), bytes, T0);
        f.follow("alice", "bob", T0).tweet("t1", "bob", T0 + 1_000).tick(T0 + 1_000 + GRACE);

        List<TestRecord<byte[], byte[]>> dead = f.deadLetters();
        assertThat(dead).hasSize(1);
        assertDeadLetter(dead.get(0)).cameFrom(TimelineFixture.FOLLOWS)
                .hasMessageContaining(TimelineFixture.FOLLOWS).hasMessageContaining("not a change event");
        assertThat(f.entries()).containsExactly("alice<-t1");
    }

    @Test
    void theLatestStoreKeepsTheNewestEntriesPerFollowerWithinItsBound() {
        f.follow("alice", "bob", T0);
        for (int i = 1; i <= 5; i++) {
            f.tweet("t" + i, "bob", T0 + i * 1_000L);
        }
        f.tick(T0 + 5_000 + GRACE);
        assertThat(f.entries()).hasSize(5);

        KeyValueStore<Bytes, TimelineEntry> store = kit.driver().driver()
                .getKeyValueStore(TimelineQueries.LATEST_STORE);
        assertThat(TimelineQueries.latest(store, "alice", 10)).extracting(TimelineEntry::getTweetId)
                .containsExactly("t5", "t4", "t3");
        assertThat(TimelineQueries.latest(store, "alice", 2)).extracting(TimelineEntry::getTweetId)
                .containsExactly("t5", "t4");
        assertThat(TimelineQueries.latest(store, "nobody", 2)).isEmpty();
    }

    @Test
    void theLatestStoreKeepsTheNewestEntriesWhateverOrderTheyArriveIn() {
        // Entries of several join tasks interleave on a partition of the timeline topic: not in event-time order.
        TestInput<String, TimelineEntry> entries = kit.driver().input(TimelineFixture.TIMELINE, Serdes.String(),
                AppKit.<TimelineEntry>specific(kit.driver(), false));
        long[] times = {5, 1, 9, 3, 9, 7, 2, 8};
        for (int i = 0; i < times.length; i++) {
            entries.pipe("alice", entry("alice", "t" + i, T0 + times[i]), T0 + times[i]);
        }
        entries.pipe("al", entry("al", "x", T0), T0); // a user whose id is a prefix of another's
        entries.pipe("alice", entry("alice", "t2", T0 + 9), T0 + 9); // redelivered

        KeyValueStore<Bytes, TimelineEntry> store = kit.driver().driver().getKeyValueStore(TimelineQueries.LATEST_STORE);
        assertThat(TimelineQueries.latest(store, "alice", 10)).extracting(TimelineEntry::getTweetId)
                .as("newest first, the same time by tweet id").containsExactly("t2", "t4", "t7");
        assertThat(TimelineQueries.latest(store, "al", 10)).extracting(TimelineEntry::getTweetId).containsExactly("x");
        try (KeyValueIterator<Bytes, TimelineEntry> all = store.all()) {
            int rows = 0;
            for (; all.hasNext(); all.next()) {
                rows++;
            }
            assertThat(rows).as("at most timeline.latest.size rows per user").isEqualTo(4);
        }
    }

    private static TimelineEntry entry(String follower, String tweetId, long atMs) {
        return new TimelineEntry(follower, tweetId, "bob", "text of " + tweetId, java.time.Instant.ofEpochMilli(atMs));
    }

    @Test
    void theFollowHistoryIsPrunedToWhatGraceStillNeeds() {
        f.follow("alice", "bob", T0).unfollow("alice", "bob", T0 + 1_000).follow("carol", "bob", T0 + 2_000)
                .tick(T0 + 2_000 + GRACE).follow("dave", "bob", T0 + 2_000 + GRACE);
        List<?> history = (List<?>) kit.driver().driver().getKeyValueStore(TimelineApp.HISTORY_STORE).get("bob");
        // alice's follow and unfollow are beyond the horizon and end in an unfollow: forgotten.
        assertThat(history).extracting(c -> ((io.kaveri.schemas.social.Follow) c).getFollowerId())
                .containsExactly("carol", "dave");
    }

    @Test
    void isListedWithDocumentedConfiguration() {
        AppKit.assertListedAndDocumented(new TimelineApp());
    }

    @Test
    void topologyMatchesTheGoldenDescription() {
        GoldenTopology.assertTopologyMatches(kit.driver().topology(), "src/test/resources/golden/timeline.txt");
    }
}
