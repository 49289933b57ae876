package io.kaveri.streams.timeline;

import io.kaveri.schemas.social.TimelineEntry;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.state.KeyValueStore;

import java.util.ArrayList;
import java.util.List;

/**
 * Keeps each follower's newest {@code size} timeline entries (by event time, then tweet id) for interactive
 * queries, and passes on each entry that is not already among them (a tweet the upstream sent twice). The bound keeps the store's memory at
 * followers x size entries however long the app runs.
 */
final class LatestEntries implements FixedKeyProcessor<String, TimelineEntry, TimelineEntry> {

    private final int size;
    private final String storeName;
    private FixedKeyProcessorContext<String, TimelineEntry> context;
    private KeyValueStore<String, List<TimelineEntry>> store;

    LatestEntries(int size, String storeName) {
        this.size = size;
        this.storeName = storeName;
    }

    @Override
    public void init(FixedKeyProcessorContext<String, TimelineEntry> context) {
        this.context = context;
        this.store = context.getStateStore(storeName);
    }

    @Override
    public void process(FixedKeyRecord<String, TimelineEntry> record) {
        TimelineEntry entry = record.value();
        List<TimelineEntry> latest = store.get(record.key());
        List<TimelineEntry> next = latest == null ? new ArrayList<>() : new ArrayList<>(latest);
        if (next.stream().anyMatch(e -> e.getTweetId().equals(entry.getTweetId()))) {
            return; // already on this timeline
        }
        next.add(entry);
        next.sort(TimelineQueries.NEWEST_FIRST);
        store.put(record.key(), next.size() > size ? new ArrayList<>(next.subList(0, size)) : next);
        // An entry older than the newest ones still belongs on the timeline topic, which keeps every entry.
        context.forward(record);
    }
}
