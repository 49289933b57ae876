package io.kaveri.streams.timeline;

import io.kaveri.schemas.social.Follow;
import io.kaveri.schemas.social.TimelineEntry;
import io.kaveri.schemas.social.Tweet;
import io.kaveri.streams.runtime.TimeOrderedBuffer;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Joins tweets with the followers of their author as of the tweet's event time. Both inputs are keyed by the
 * author (tweets) or followee (follow changes) and co-partitioned, so one task sees both sides of a user.
 *
 * <p>A tweet is held until stream time passes its event time plus the grace period, then fanned out to every
 * user whose last follow change at or before the tweet's time is a follow. So a follow or unfollow that arrives
 * after the tweet but within grace still counts, in its place in event time: a tweet that arrives before the
 * follow that precedes it still reaches the new follower, and one that precedes the follow in event time never
 * does. A follow change later than grace takes effect for the tweets not yet released; tweets already released
 * are not revisited. Holding tweets also deduplicates them: a redelivered tweet (same id and time) replaces the
 * held one.
 */
final class TimelineJoin implements Processor<String, SpecificRecord, String, TimelineEntry> {

    /** Followees whose decoded histories are kept beside the store: the active authors of a few seconds' traffic. */
    private static final int DECODED_FOLLOWEES = 10_000;

    private final long graceMs;
    private final String historyStoreName;
    private final String pendingStoreName;
    private ProcessorContext<String, TimelineEntry> context;
    private KeyValueStore<String, List<Follow>> history;
    /** The tweets waiting for their grace period, in event-time order; holds one grace period of tweets. */
    private TimeOrderedBuffer<Tweet> waiting;
    /**
     * The histories last read or written, so that a tweet does not decode its author's history from the store
     * (an Avro list) again; an author with no history is remembered as an empty list. The store stays the truth:
     * this processor is its only writer, writes every change through, and forgets this on init (a revived task
     * restores its store).
     */
    private final Map<String, List<Follow>> decoded = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, List<Follow>> eldest) {
            return size() > DECODED_FOLLOWEES;
        }
    };

    TimelineJoin(long graceMs, String historyStoreName, String pendingStoreName) {
        this.graceMs = graceMs;
        this.historyStoreName = historyStoreName;
        this.pendingStoreName = pendingStoreName;
    }

    @Override
    public void init(ProcessorContext<String, TimelineEntry> context) {
        this.context = context;
        this.history = context.getStateStore(historyStoreName);
        this.waiting = new TimeOrderedBuffer<>(context.getStateStore(pendingStoreName));
        this.decoded.clear();
    }

    @Override
    public void process(Record<String, SpecificRecord> record) {
        long horizon = context.currentStreamTimeMs() - graceMs;
        // Release first: the tweets now due must see the history as it was, before this record and pruning.
        release(horizon);
        if (record.value() instanceof Tweet tweet) {
            waiting.put(tweet.getCreatedAt().toEpochMilli(), tweet.getTweetId(), tweet);
        } else if (record.value() instanceof Follow change) {
            List<Follow> next = FollowerHistory.prune(FollowerHistory.apply(historyOf(record.key()), change), horizon);
            put(record.key(), next);
        } else {
            throw new IllegalArgumentException("timeline join: expected a Tweet or a Follow for key " + record.key()
                    + ", got " + (record.value() == null ? "null" : record.value().getClass().getName()));
        }
    }

    private void release(long horizon) {
        Set<String> authors = new LinkedHashSet<>();
        waiting.releaseUpTo(horizon, (tweet, t) -> {
            for (String follower : FollowerHistory.followersAt(historyOf(tweet.getUserId()), t)) {
                TimelineEntry timelineEntry = new TimelineEntry(follower, tweet.getTweetId(), tweet.getUserId(),
                        tweet.getText(), tweet.getCreatedAt());
                context.forward(new Record<>(follower, timelineEntry, t));
            }
            authors.add(tweet.getUserId());
        });
        for (String author : authors) {
            List<Follow> h = historyOf(author);
            if (!h.isEmpty()) {
                List<Follow> pruned = FollowerHistory.prune(h, horizon);
                // Most releases prune nothing: skipping the put spares a changelog record per tweet.
                if (!pruned.equals(h)) {
                    put(author, pruned);
                }
            }
        }
    }

    /** The follow changes kept for {@code followee}, empty when none. */
    private List<Follow> historyOf(String followee) {
        List<Follow> changes = decoded.get(followee);
        if (changes == null) {
            List<Follow> stored = history.get(followee);
            changes = stored == null ? List.of() : stored;
            decoded.put(followee, changes);
        }
        return changes;
    }

    private void put(String followee, List<Follow> changes) {
        if (changes.isEmpty()) {
            history.delete(followee);
        } else {
            history.put(followee, changes);
        }
        decoded.put(followee, changes);
    }
}
