package io.kaveri.streams.timeline;

import io.kaveri.schemas.social.TimelineEntry;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/** Reads a user's timeline from the "latest N" store, for the interactive-query layer. */
public final class TimelineQueries {

    /** The store holding each follower's newest entries, newest first. */
    public static final String LATEST_STORE = "timeline-latest";

    static final Comparator<TimelineEntry> NEWEST_FIRST = Comparator
            .comparing(TimelineEntry::getCreatedAt).reversed()
            .thenComparing(TimelineEntry::getTweetId);

    private TimelineQueries() {
    }

    /**
     * The newest {@code n} entries of {@code user}'s timeline, newest first; empty when the user has none on this
     * instance (the caller routes the query to the instance that owns the key). At most the store's bound
     * ({@code timeline.latest.size}) entries are kept per user, so a larger {@code n} returns all of them.
     */
    public static List<TimelineEntry> latest(ReadOnlyKeyValueStore<String, List<TimelineEntry>> store, String user, int n) {
        Objects.requireNonNull(store, "store");
        Objects.requireNonNull(user, "user");
        if (n < 0) {
            throw new IllegalArgumentException("n must not be negative: " + n);
        }
        List<TimelineEntry> entries = store.get(user);
        if (entries == null) {
            return List.of();
        }
        return List.copyOf(entries.subList(0, Math.min(n, entries.size())));
    }
}
