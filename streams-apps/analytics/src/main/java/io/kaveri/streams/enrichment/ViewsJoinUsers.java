package io.kaveri.streams.enrichment;

import io.kaveri.schemas.web.EnrichedPageView;
import io.kaveri.schemas.web.PageView;
import io.kaveri.schemas.web.User;
import io.kaveri.streams.runtime.TimeOrderedBuffer;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.VersionedKeyValueStore;
import org.apache.kafka.streams.state.VersionedRecord;

/**
 * Joins page views (keyed by user) with the versioned users table, as of each view's time, after a grace period:
 * what {@code KStream#leftJoin(versionedTable, joiner, Joined.withGracePeriod(...))} does, with the waiting views in
 * an in-memory store where the DSL's buffer is on RocksDB.
 *
 * <p>A view waits until the views' stream time passes its time plus grace, so that a user change committed before
 * the view but read after it still counts; waiting views go out in event-time order. A view already older than
 * that on arrival is joined at once. A view of an unknown or deleted user goes out without a profile. The views'
 * stream time is this processor's own (the newest view seen), as in the DSL join, so table updates and other
 * inputs of the task do not release views early.
 */
final class ViewsJoinUsers implements Processor<String, PageView, String, EnrichedPageView> {

    private final long graceMs;
    private final String usersStoreName;
    private final String pendingStoreName;
    private ProcessorContext<String, EnrichedPageView> context;
    private VersionedKeyValueStore<String, User> users;
    /** The views waiting for their grace period, in time order; holds one grace period of views. */
    private TimeOrderedBuffer<PageView> waiting;
    private long streamTime = Long.MIN_VALUE;

    ViewsJoinUsers(long graceMs, String usersStoreName, String pendingStoreName) {
        this.graceMs = graceMs;
        this.usersStoreName = usersStoreName;
        this.pendingStoreName = pendingStoreName;
    }

    @Override
    public void init(ProcessorContext<String, EnrichedPageView> context) {
        this.context = context;
        this.users = context.getStateStore(usersStoreName);
        this.waiting = new TimeOrderedBuffer<>(context.getStateStore(pendingStoreName));
        // Not kept across restarts, as in the DSL join: the next view sets it, and waiting views wait for it.
        this.streamTime = Long.MIN_VALUE;
    }

    @Override
    public void process(Record<String, PageView> record) {
        long t = record.timestamp();
        streamTime = Math.max(streamTime, t);
        long horizon = streamTime - graceMs;
        if (t < horizon) {
            emit(record.value(), t);
        } else {
            waiting.put(t, record.value().getViewId(), record.value());
        }
        waiting.releaseUpTo(horizon, this::emit);
    }

    /** The view with its user as of {@code t}; views are keyed by their user id (repartitioned or checked so). */
    private void emit(PageView view, long t) {
        VersionedRecord<User> user = users.get(view.getUserId(), t);
        context.forward(new Record<>(view.getUserId(), Enrich.view(view, user == null ? null : user.value()), t));
    }
}
