package io.kaveri.streams.runtime;

import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.ProcessingContext;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToLongFunction;

/**
 * Bounds a key-value store that would otherwise keep every key ever seen (cards, devices): deletes the entries
 * whose last activity, in event time, is more than an idle timeout behind the task's stream time. Deletes go to
 * the changelog, so a restored store is bounded too.
 */
public final class IdleEviction {

    private IdleEviction() {
    }

    /**
     * Deletes idle entries now; returns how many.
     *
     * @param lastActive event time of an entry's last activity
     */
    public static <K, V> int evict(ProcessingContext context, KeyValueStore<K, V> store, Duration idle,
                                   ToLongFunction<V> lastActive) {
        long streamTime = context.currentStreamTimeMs();
        if (streamTime == Long.MIN_VALUE || streamTime == -1) {
            return 0; // no record yet: nothing can be idle
        }
        long cutoff = streamTime - idle.toMillis();
        List<K> idleKeys = new ArrayList<>();
        try (KeyValueIterator<K, V> all = store.all()) {
            while (all.hasNext()) {
                KeyValue<K, V> entry = all.next();
                if (lastActive.applyAsLong(entry.value) < cutoff) {
                    idleKeys.add(entry.key);
                }
            }
        }
        idleKeys.forEach(store::delete);
        return idleKeys.size();
    }
}
