package io.kaveri.streams.market;

import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.internals.InternalProcessorContext;
import org.apache.kafka.streams.processor.internals.ProcessorNode;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.internals.CachedStateStore;

import java.util.function.BiConsumer;

/**
 * Emit-on-update at the pace of the record cache, as the DSL's windowed aggregates do it: a processor learns which
 * windows of its cached store changed when the cache writes them through (at each commit, or when it evicts), and
 * forwards their latest value then, once per window and commit instead of once per record.
 *
 * <p>The Processor API has no public hook for this; the one used here is the hook the DSL's own aggregates use
 * (Kafka Streams' {@code TimestampedTupleForwarder} and {@code TimestampedCacheFlushListener}): a flush listener on the
 * cached store, which forwards as the processor's node. When it is not available (a store without cache, a context
 * that is not Kafka Streams' own), {@link #forwardOnFlush} says so and the caller forwards every update itself.
 */
final class CommitFlush {

    private CommitFlush() {
    }

    /**
     * Calls {@code onUpdate} with every window of {@code store} the cache writes through, as the processor whose
     * {@code init} this is called from. Deleted windows are skipped.
     *
     * @return whether updates will be passed on; false to forward each update directly
     */
    @SuppressWarnings("unchecked")
    static <V> boolean forwardOnFlush(WindowStore<String, V> store, ProcessorContext<?, ?> context,
                                      BiConsumer<Windowed<String>, V> onUpdate) {
        if (!(store instanceof CachedStateStore<?, ?> cached) || !(context instanceof InternalProcessorContext<?, ?> internal)) {
            return false;
        }
        ProcessorNode<?, ?, ?, ?> node = internal.currentNode();
        if (node == null) {
            return false;
        }
        return ((CachedStateStore<Windowed<String>, V>) cached).setFlushListener(record -> {
            V value = record.value().newValue;
            if (value == null) {
                return;
            }
            // The cache flushes at commit, outside any processor: forward as the processor that owns the store.
            ProcessorNode<?, ?, ?, ?> previous = internal.currentNode();
            internal.setCurrentNode(node);
            try {
                onUpdate.accept(record.key(), value);
            } finally {
                internal.setCurrentNode(previous);
            }
        }, false);
    }
}
