package io.kaveri.streams.runtime;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.processor.TimestampExtractor;

import java.time.Instant;
import java.util.function.Function;

/**
 * Event time read from the record's value rather than the Kafka timestamp, which a producer may set to when it
 * sent the record. A value of another type (a record the deserializer could not read) keeps the Kafka
 * timestamp, so the dead-letter handler still sees it.
 */
public final class EventTime<T> implements TimestampExtractor {

    private final Class<T> type;
    private final Function<T, Instant> time;

    private EventTime(Class<T> type, Function<T, Instant> time) {
        this.type = type;
        this.time = time;
    }

    public static <T> EventTime<T> of(Class<T> type, Function<T, Instant> time) {
        return new EventTime<>(type, time);
    }

    @Override
    public long extract(ConsumerRecord<Object, Object> record, long partitionTime) {
        if (type.isInstance(record.value())) {
            Instant t = time.apply(type.cast(record.value()));
            if (t != null) {
                return t.toEpochMilli();
            }
        }
        return record.timestamp();
    }
}
