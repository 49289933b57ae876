package io.kaveri.connect.postgres;

import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.header.ConnectHeaders;
import org.apache.kafka.connect.source.SourceRecord;

import java.util.List;
import java.util.Map;

/**
 * One record-to-be, before it gets its source offset. A null {@code value} is a tombstone.
 *
 * @param unavailableColumns columns whose unchanged TOASTed value PostgreSQL did not send (see
 *                           {@link EventFactory#UNAVAILABLE_VALUE}); named in a record header
 */
record ChangeEvent(String topic, Schema keySchema, Struct key, Schema valueSchema, Struct value, long timestampMs,
                   List<String> unavailableColumns) {

    static final String UNAVAILABLE_HEADER = "kaveri.unavailable.columns";

    ChangeEvent {
        unavailableColumns = List.copyOf(unavailableColumns);
    }

    boolean isTombstone() {
        return value == null;
    }

    String op() {
        return value == null ? null : value.getString("op");
    }

    SourceRecord toRecord(Map<String, ?> partition, Map<String, ?> offset) {
        ConnectHeaders headers = new ConnectHeaders();
        if (!unavailableColumns.isEmpty()) {
            headers.addString(UNAVAILABLE_HEADER, String.join(",", unavailableColumns));
        }
        return new SourceRecord(partition, offset, topic, null, keySchema, key, value == null ? null : valueSchema, value,
                timestampMs, headers);
    }

    /** A rough size in bytes, for the queue's memory bound. */
    long estimatedBytes() {
        return 64 + topic.length() + RecordSizes.of(key) + RecordSizes.of(value);
    }
}
