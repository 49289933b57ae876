package io.kaveri.streams.timeline;

import io.kaveri.schemas.social.TimelineEntry;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Keeps each follower's newest {@code size} timeline entries (by event time, then tweet id) for interactive
 * queries, one store row per entry in a slot of the follower (see {@link TimelineQueries}): an entry takes a free
 * slot, or the slot of the follower's oldest entry when it is newer than that one. An entry already kept (same
 * tweet and time) is not written again. The bound keeps the store's memory at followers x size entries however
 * long the app runs.
 */
final class LatestEntries implements Processor<String, TimelineEntry, Void, Void> {

    /** Followers whose slots are remembered beside the store: the active ones of a few seconds' traffic. */
    private static final int REMEMBERED_FOLLOWERS = 10_000;

    private final int size;
    private final String storeName;
    private KeyValueStore<Bytes, TimelineEntry> store;
    /**
     * What each slot of an active follower holds, so that choosing a slot does not read and decode the follower's
     * rows from the store for each entry. The store stays the truth: this processor is its only writer, writes
     * every change through, and forgets this on init (a revived task restores its store).
     */
    private final Map<String, Slots> slots = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Slots> eldest) {
            return size() > REMEMBERED_FOLLOWERS;
        }
    };

    LatestEntries(int size, String storeName) {
        this.size = size;
        this.storeName = storeName;
    }

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        this.store = context.getStateStore(storeName);
        this.slots.clear();
    }

    @Override
    public void process(Record<String, TimelineEntry> record) {
        String follower = record.key();
        TimelineEntry entry = record.value();
        if (follower == null || entry == null) {
            throw new IllegalArgumentException("timeline entry without a follower or a value: key " + follower
                    + ", value " + entry);
        }
        Slots kept = slots.get(follower);
        if (kept == null) {
            kept = load(follower);
            slots.put(follower, kept);
        }
        int slot = kept.slotFor(entry.getCreatedAt().toEpochMilli(), entry.getTweetId());
        if (slot >= 0) {
            store.put(TimelineQueries.key(follower, slot), entry);
            kept.set(slot, entry.getCreatedAt().toEpochMilli(), entry.getTweetId());
        }
    }

    private Slots load(String follower) {
        Slots loaded = new Slots(size);
        List<Bytes> beyondSize = new ArrayList<>();
        try (KeyValueIterator<Bytes, TimelineEntry> rows = store.range(TimelineQueries.firstKey(follower),
                TimelineQueries.lastKey(follower))) {
            while (rows.hasNext()) {
                KeyValue<Bytes, TimelineEntry> row = rows.next();
                int slot = TimelineQueries.slot(row.key);
                if (slot < size) {
                    loaded.set(slot, row.value.getCreatedAt().toEpochMilli(), row.value.getTweetId());
                } else {
                    beyondSize.add(row.key);
                }
            }
        }
        // Rows of a larger timeline.latest.size than the current one: the bound is the configured one.
        beyondSize.forEach(store::delete);
        return loaded;
    }

    /**
     * Event time and tweet id of what each slot of one follower holds, kept newest first (time descending, then
     * tweet id ascending, as queries sort), so that placing an entry is a binary search and an array shift rather
     * than a comparison with every slot (a tenth of the stream thread with 50 slots).
     */
    static final class Slots {

        private final int size;
        private int count;
        private long[] times;
        private String[] ids;
        /** The slot of each kept entry, in the same order. */
        private int[] slotOf;
        private final BitSet used = new BitSet();

        Slots(int size) {
            this.size = size;
            int initial = Math.min(4, size);
            this.times = new long[initial];
            this.ids = new String[initial];
            this.slotOf = new int[initial];
        }

        /**
         * The slot for an entry: a free one, else the oldest one when the entry is newer; -1 when the entry is
         * kept already or older than every kept entry of a full timeline.
         */
        int slotFor(long time, String id) {
            if (position(time, id) < 0) {
                return -1; // kept already
            }
            if (count < size) {
                return used.nextClearBit(0);
            }
            int oldest = count - 1;
            return isOlder(times[oldest], ids[oldest], time, id) ? slotOf[oldest] : -1;
        }

        void set(int slot, long time, String id) {
            if (used.get(slot)) {
                remove(slot);
            }
            int at = position(time, id);
            if (at < 0) {
                return; // kept in another slot already (never written so): this slot stays free, its row overwritten later
            }
            if (count == times.length) {
                int length = Math.max(count + 1, Math.min(size, count * 2));
                times = Arrays.copyOf(times, length);
                ids = Arrays.copyOf(ids, length);
                slotOf = Arrays.copyOf(slotOf, length);
            }
            System.arraycopy(times, at, times, at + 1, count - at);
            System.arraycopy(ids, at, ids, at + 1, count - at);
            System.arraycopy(slotOf, at, slotOf, at + 1, count - at);
            times[at] = time;
            ids[at] = id;
            slotOf[at] = slot;
            count++;
            used.set(slot);
        }

        private void remove(int slot) {
            int at = 0;
            while (slotOf[at] != slot) {
                at++;
            }
            System.arraycopy(times, at + 1, times, at, count - at - 1);
            System.arraycopy(ids, at + 1, ids, at, count - at - 1);
            System.arraycopy(slotOf, at + 1, slotOf, at, count - at - 1);
            count--;
            ids[count] = null;
            used.clear(slot);
        }

        /** Where (time, id) goes newest first, or -1 when it is kept already. */
        private int position(long time, String id) {
            int low = 0;
            int high = count - 1;
            while (low <= high) {
                int mid = (low + high) >>> 1;
                if (isOlder(times[mid], ids[mid], time, id)) {
                    high = mid - 1;
                } else if (times[mid] == time && ids[mid].equals(id)) {
                    return -1;
                } else {
                    low = mid + 1;
                }
            }
            return low;
        }

        /** Whether (time, id) comes after (otherTime, otherId) newest first: earlier, or as early with a greater id. */
        private static boolean isOlder(long time, String id, long otherTime, String otherId) {
            return time < otherTime || time == otherTime && id.compareTo(otherId) > 0;
        }
    }
}
