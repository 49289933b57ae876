package io.kaveri.streams.timeline;

import io.kaveri.schemas.social.TimelineEntry;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.state.KeyValueStore;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Keeps each follower's newest {@code size} timeline entries (by event time, then tweet id) for interactive
 * queries, and passes on each entry that is not already among them (a tweet the upstream sent twice). The bound keeps the store's memory at
 * followers x size entries however long the app runs.
 */
final class LatestEntries implements FixedKeyProcessor<String, TimelineEntry, TimelineEntry> {

    /** Followers whose decoded timelines are kept beside the store: the active ones of a few seconds' traffic. */
    private static final int DECODED_FOLLOWERS = 10_000;

    private final int size;
    private final String storeName;
    private FixedKeyProcessorContext<String, TimelineEntry> context;
    private KeyValueStore<String, List<TimelineEntry>> store;
    /**
     * The lists last written, so that an active follower's timeline is not decoded from the store again for each
     * entry (decoding {@code size} Avro records per entry was most of the app's time). The store stays the truth:
     * every change is written through, this processor is the store's only writer, and the copy is dropped on init.
     */
    private final Map<String, List<TimelineEntry>> decoded = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, List<TimelineEntry>> eldest) {
            return size() > DECODED_FOLLOWERS;
        }
    };

    LatestEntries(int size, String storeName) {
        this.size = size;
        this.storeName = storeName;
    }

    @Override
    public void init(FixedKeyProcessorContext<String, TimelineEntry> context) {
        this.context = context;
        this.store = context.getStateStore(storeName);
        this.decoded.clear(); // a revived task restores its store: what was decoded before may be ahead of it
    }

    @Override
    public void process(FixedKeyRecord<String, TimelineEntry> record) {
        TimelineEntry entry = record.value();
        List<TimelineEntry> latest = decoded.get(record.key());
        if (latest == null) {
            latest = store.get(record.key());
        }
        List<TimelineEntry> next = latest == null ? new ArrayList<>() : new ArrayList<>(latest);
        if (next.stream().anyMatch(e -> e.getTweetId().equals(entry.getTweetId()))) {
            return; // already on this timeline
        }
        next.add(entry);
        next.sort(TimelineQueries.NEWEST_FIRST);
        List<TimelineEntry> kept = next.size() > size ? new ArrayList<>(next.subList(0, size)) : next;
        store.put(record.key(), kept);
        decoded.put(record.key(), kept);
        // An entry older than the newest ones still belongs on the timeline topic, which keeps every entry.
        context.forward(record);
    }
}
