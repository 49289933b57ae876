package io.kaveri.streams.enrichment;

import io.kaveri.schemas.web.User;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Keeps the global copy of the users table: every instance reads the whole CDC topic into an in-memory store
 * keyed by user id, so page views are enriched where they are. The store holds the latest version only (a
 * global table cannot be versioned). Kafka Streams 4.x runs this processor on restore too, so the store is
 * rebuilt from the change events, not from their raw bytes.
 */
final class GlobalUsers implements Processor<GenericRecord, GenericRecord, Void, Void> {

    private final String storeName;
    private final UserRows rows;
    private KeyValueStore<String, User> store;

    GlobalUsers(String storeName, String topic, String idColumn) {
        this.storeName = storeName;
        this.rows = new UserRows(topic, idColumn);
    }

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        store = context.getStateStore(storeName);
    }

    @Override
    public void process(Record<GenericRecord, GenericRecord> record) {
        rows.read(record).ifPresent(row -> {
            if (row.value() == null) {
                store.delete(row.key());
            } else {
                store.put(row.key(), row.value());
            }
        });
    }
}
