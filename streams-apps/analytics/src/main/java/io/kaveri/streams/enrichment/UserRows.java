package io.kaveri.streams.enrichment;

import io.kaveri.schemas.web.User;
import io.kaveri.streams.runtime.ChangeEvent;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.streams.processor.api.ContextualProcessor;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.Optional;

/**
 * Turns change events of the {@code users} table into the table's rows keyed by user id: a {@link User} for a
 * created, updated or snapshot row, null (a tombstone) for a deleted one, stamped with the commit time so that
 * a versioned table holds each version from when it became true. Columns: the id column (configurable),
 * {@code name}, {@code email}, {@code country}, {@code created_at}, {@code updated_at}.
 */
final class UserRows extends ContextualProcessor<GenericRecord, GenericRecord, String, User> {

    private static final Logger log = LoggerFactory.getLogger(UserRows.class);

    private final String topic;
    private final String idColumn;

    UserRows(String topic, String idColumn) {
        this.topic = topic;
        this.idColumn = idColumn;
    }

    @Override
    public void process(Record<GenericRecord, GenericRecord> record) {
        read(record).ifPresent(context()::forward);
    }

    /**
     * The row a change event leaves, as a record keyed by user id (value null for a delete); empty for what
     * changes no row: the compaction tombstone after a delete, a truncate, a logical message.
     *
     * @throws IllegalArgumentException naming the topic when the record is not a users change event
     */
    Optional<Record<String, User>> read(Record<GenericRecord, GenericRecord> record) {
        if (record.value() == null) {
            return Optional.empty(); // the delete event before it already removed the user
        }
        ChangeEvent change = ChangeEvent.of(topic, record.key(), record.value(), record.timestamp());
        if (change.op() == ChangeEvent.Op.TRUNCATE || change.op() == ChangeEvent.Op.MESSAGE) {
            log.warn("change event without a row ignored topic={} op={} time={}", topic, change.op(), change.timeMs());
            return Optional.empty();
        }
        User user = change.isDelete() ? null : toUser(change);
        String id = user != null ? user.getUserId() : change.string(idColumn);
        return Optional.of(record.withKey(id).withValue(user).withTimestamp(change.timeMs()));
    }

    private User toUser(ChangeEvent change) {
        Instant at = Instant.ofEpochMilli(change.timeMs());
        Long created = change.timestamp("created_at");
        Long updated = change.timestamp("updated_at");
        return User.newBuilder()
                .setUserId(change.string(idColumn))
                .setName(change.string("name"))
                .setEmail(change.optionalString("email"))
                .setCountry(change.optionalString("country"))
                .setCreatedAt(created == null ? at : Instant.ofEpochMilli(created))
                .setUpdatedAt(updated == null ? at : Instant.ofEpochMilli(updated))
                .build();
    }
}
