package io.kaveri.streams.timeline;

import io.kaveri.schemas.social.TimelineEntry;
import io.kaveri.schemas.social.Tweet;
import io.kaveri.streams.testkit.KitDriver;
import io.kaveri.streams.testkit.TestInput;
import io.kaveri.streams.testkit.TestOutput;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serdes;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Drives a timeline topology: tweets, follow changes through the CDC topic, and the outputs. */
final class TimelineFixture {

    static final String TWEETS = "kaveri.social.tweets";
    static final String FOLLOWS = "kaveri.public.follows";
    static final String TIMELINE = "kaveri.social.timeline";
    static final String LATE = "kaveri-timeline-late";
    static final String DLQ = "kaveri-timeline-dlq";

    static final Schema FOLLOW_ROW = SchemaBuilder.record("Value").namespace("kaveri.public.follows").fields()
            .requiredString("follower_id").requiredString("followee_id")
            .name("created_at").type(LogicalTypes.timestampMillis().addToSchema(Schema.create(Schema.Type.LONG))).noDefault()
            .endRecord();
    static final CdcEvents CDC = new CdcEvents("follows", FOLLOW_ROW, "follower_id", "followee_id");

    final KitDriver driver;
    final TestInput<String, Tweet> tweets;
    final TestInput<GenericRecord, GenericRecord> follows;
    final TestOutput<String, TimelineEntry> timeline;
    final TestOutput<String, SpecificRecord> late;
    private final TestOutput<byte[], byte[]> dlq;

    TimelineFixture(KitDriver driver) {
        this.driver = driver;
        this.tweets = driver.input(TWEETS, Serdes.String(), AppKit.<Tweet>specific(driver, false));
        this.follows = driver.input(FOLLOWS, AppKit.generic(driver, true), AppKit.generic(driver, false));
        this.timeline = driver.output(TIMELINE, Serdes.String(), AppKit.<TimelineEntry>specific(driver, false));
        this.late = driver.output(LATE, Serdes.String(), AppKit.<SpecificRecord>specific(driver, false));
        this.dlq = driver.rawOutput(DLQ);
    }

    static Tweet newTweet(String id, String author, long atMs) {
        return Tweet.newBuilder().setTweetId(id).setUserId(author).setText("text of " + id)
                .setCreatedAt(Instant.ofEpochMilli(atMs)).build();
    }

    TimelineFixture tweet(String id, String author, long atMs) {
        tweets.pipe(author, newTweet(id, author, atMs), atMs);
        return this;
    }

    TimelineFixture follow(String follower, String followee, long atMs) {
        Map<String, Object> row = Map.of("follower_id", follower, "followee_id", followee, "created_at", atMs);
        follows.pipe(CDC.key(row), CDC.create(row, atMs), atMs);
        return this;
    }

    TimelineFixture unfollow(String follower, String followee, long atMs) {
        // REPLICA IDENTITY DEFAULT: the delete event's before holds the key columns only; created_at is required
        // by this row schema, so it carries a placeholder the app must not need.
        Map<String, Object> row = Map.of("follower_id", follower, "followee_id", followee, "created_at", 0L);
        follows.pipe(CDC.key(row), CDC.delete(row, atMs), atMs);
        follows.pipe(CDC.key(row), null, atMs); // the compaction tombstone after a delete
        return this;
    }

    /** Moves stream time by a tweet of an author nobody follows. */
    TimelineFixture tick(long atMs) {
        tweets.pipe("clock", newTweet("tick-" + atMs, "clock", atMs), atMs);
        return this;
    }

    /** "follower<-tweetId" for every entry written so far, in output order. */
    List<String> entries() {
        return timeline.readRecords().stream()
                .map(r -> r.key() + "<-" + r.value().getTweetId()).toList();
    }

    List<org.apache.kafka.streams.test.TestRecord<byte[], byte[]>> deadLetters() {
        return dlq.readRecords();
    }
}
