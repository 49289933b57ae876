package io.kaveri.streams.timeline;

import io.kaveri.schemas.social.Follow;
import io.kaveri.streams.runtime.ChangeEvent;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.streams.processor.api.ContextualProcessor;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;

/**
 * Turns change events of the {@code follows} table into {@link Follow} changes keyed by the followee, stamped
 * with the commit time of the change: a created or updated row is a follow from then on, a deleted row ends it.
 * A value that is not a change event throws, naming the topic, so the record goes to the dead-letter topic.
 */
final class FollowChanges extends ContextualProcessor<GenericRecord, GenericRecord, String, Follow> {

    private static final Logger log = LoggerFactory.getLogger(FollowChanges.class);

    private final String topic;
    private final String followerColumn;
    private final String followeeColumn;

    FollowChanges(String topic, String followerColumn, String followeeColumn) {
        this.topic = topic;
        this.followerColumn = followerColumn;
        this.followeeColumn = followeeColumn;
    }

    @Override
    public void process(Record<GenericRecord, GenericRecord> record) {
        if (record.value() == null) {
            // The tombstone that follows a delete event, for log compaction; the delete event already ended the follow.
            return;
        }
        ChangeEvent change = ChangeEvent.of(topic, record.key(), record.value(), record.timestamp());
        if (change.op() == ChangeEvent.Op.TRUNCATE || change.op() == ChangeEvent.Op.MESSAGE) {
            log.warn("change event without a row ignored topic={} op={} time={}", topic, change.op(), change.timeMs());
            return;
        }
        String follower = change.string(followerColumn);
        String followee = change.string(followeeColumn);
        Instant at = Instant.ofEpochMilli(change.timeMs());
        Follow follow;
        if (change.isDelete()) {
            Long since = change.timestamp("created_at");
            follow = new Follow(follower, followee, since == null ? at : Instant.ofEpochMilli(since), at);
        } else {
            follow = new Follow(follower, followee, at, null);
        }
        context().forward(record.withKey(followee).withValue(follow).withTimestamp(change.timeMs()));
    }
}
