package io.kaveri.streams.timeline;

import io.kaveri.schemas.social.TimelineEntry;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.query.RangeQuery;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * Reads a user's timeline from the "latest N" store, for the interactive-query layer.
 *
 * <p>The store holds one row per kept entry: the key is the user's id (length first, so that one user's rows
 * are one contiguous key range) and a slot number below {@code timeline.latest.size}; a new entry takes a free
 * slot or the slot of the user's oldest entry. So each entry costs one small changelog record, where a list per
 * user would be re-encoded whole on every entry; a read is a range over at most that many rows, sorted here.
 */
public final class TimelineQueries {

    /** The store holding each follower's newest entries, one row per entry (see the class comment). */
    public static final String LATEST_STORE = "timeline-latest";

    static final Comparator<TimelineEntry> NEWEST_FIRST = Comparator
            .comparing(TimelineEntry::getCreatedAt).reversed()
            .thenComparing(TimelineEntry::getTweetId);

    static final int SLOT_BYTES = Short.BYTES;

    private TimelineQueries() {
    }

    /**
     * The newest {@code n} entries of {@code user}'s timeline, newest first; empty when the user has none on this
     * instance (the caller routes the query to the instance that owns the key). At most the store's bound
     * ({@code timeline.latest.size}) entries are kept per user, so a larger {@code n} returns all of them.
     */
    public static List<TimelineEntry> latest(ReadOnlyKeyValueStore<Bytes, TimelineEntry> store, String user, int n) {
        Objects.requireNonNull(store, "store");
        Objects.requireNonNull(user, "user");
        try (KeyValueIterator<Bytes, TimelineEntry> rows = store.range(firstKey(user), lastKey(user))) {
            return newestFirst(rows, n);
        }
    }

    /** The IQv2 query of {@code user}'s rows, to be read with {@link #newestFirst}. */
    public static RangeQuery<Bytes, TimelineEntry> rowsOf(String user) {
        Objects.requireNonNull(user, "user");
        return RangeQuery.withRange(firstKey(user), lastKey(user));
    }

    /** The newest {@code n} entries among {@code rows} (one user's rows), newest first; does not close them. */
    public static List<TimelineEntry> newestFirst(KeyValueIterator<Bytes, TimelineEntry> rows, int n) {
        if (n < 0) {
            throw new IllegalArgumentException("n must not be negative: " + n);
        }
        List<TimelineEntry> entries = new ArrayList<>();
        while (rows.hasNext()) {
            KeyValue<Bytes, TimelineEntry> row = rows.next();
            if (row.value != null) {
                entries.add(row.value);
            }
        }
        entries.sort(NEWEST_FIRST);
        return List.copyOf(entries.subList(0, Math.min(n, entries.size())));
    }

    /** The key of {@code user}'s row in {@code slot}. */
    static Bytes key(String user, int slot) {
        byte[] id = user.getBytes(StandardCharsets.UTF_8);
        return Bytes.wrap(ByteBuffer.allocate(Integer.BYTES + id.length + SLOT_BYTES)
                .putInt(id.length).put(id).putShort((short) slot).array());
    }

    /** The slot of a row key of {@code user}. */
    static int slot(Bytes key) {
        byte[] bytes = key.get();
        return ByteBuffer.wrap(bytes, bytes.length - SLOT_BYTES, SLOT_BYTES).getShort() & 0xFFFF;
    }

    static Bytes firstKey(String user) {
        return key(user, 0);
    }

    static Bytes lastKey(String user) {
        return key(user, 0xFFFF);
    }
}
