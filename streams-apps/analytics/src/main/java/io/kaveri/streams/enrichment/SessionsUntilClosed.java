package io.kaveri.streams.enrichment;

import io.kaveri.schemas.web.UserSession;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.kstream.internals.SessionWindow;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.SessionStore;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Merges a user's activity into session windows, as Kafka's session aggregate does, and writes each session
 * once, when it closes: when stream time has passed its end by the inactivity gap plus grace (the moment a
 * {@code suppress(untilWindowCloses)} would emit it). The closed session is removed from the store, so the store
 * holds only open sessions and a session costs one changelog write per update plus one on close, with no
 * suppression buffer beside it. Closing is checked on every record and on a stream-time punctuation, so that
 * stream time moved by the other inputs of the task closes sessions too.
 *
 * <p>Records arrive here on time (later ones went to the late topic before): activity at {@code t} is on time
 * while stream time is at most {@code t + gap + grace}. Such a record may fall within the gap of a session that
 * has already closed (its end plus gap plus grace was reached before, its end plus gap was not); Kafka's
 * aggregate would merge it into the closed session and a suppression emit that session a second time, counting
 * its activity twice. Here it starts a new session: every activity counts in exactly one emitted session.
 */
final class SessionsUntilClosed implements Processor<String, UserSession, String, UserSession> {

    /** How often, in stream time, closing is checked when no activity arrives. */
    static final Duration PUNCTUATE_EVERY = Duration.ofSeconds(1);

    private final String storeName;
    private final long gapMs;
    private final long graceMs;
    private ProcessorContext<String, UserSession> context;
    private SessionStore<String, UserSession> store;
    private long closedUpTo = Long.MIN_VALUE;

    SessionsUntilClosed(String storeName, Duration gap, Duration grace) {
        this.storeName = storeName;
        this.gapMs = gap.toMillis();
        this.graceMs = grace.toMillis();
    }

    @Override
    public void init(ProcessorContext<String, UserSession> context) {
        this.context = context;
        this.store = context.getStateStore(storeName);
        context.schedule(PUNCTUATE_EVERY, PunctuationType.STREAM_TIME, this::closeUpTo);
    }

    @Override
    public void process(Record<String, UserSession> record) {
        if (record.key() == null || record.value() == null) {
            throw new IllegalArgumentException("session activity without a user id or value (key=" + record.key() + ")");
        }
        // Close before merging: a session that has closed must not absorb this record, and nothing older than the
        // store's retention can be left in it unwritten.
        closeUpTo(context.currentStreamTimeMs());
        long t = record.timestamp();
        long start = t;
        long end = t;
        UserSession merged = record.value();
        List<Windowed<String>> replaced = new ArrayList<>(2);
        try (KeyValueIterator<Windowed<String>, UserSession> it = store.findSessions(record.key(), t - gapMs, t + gapMs)) {
            while (it.hasNext()) {
                KeyValue<Windowed<String>, UserSession> next = it.next();
                replaced.add(next.key);
                merged = Enrich.merge(next.value, merged);
                start = Math.min(start, next.key.window().start());
                end = Math.max(end, next.key.window().end());
            }
        }
        for (Windowed<String> old : replaced) {
            store.remove(old);
        }
        store.put(new Windowed<>(record.key(), new SessionWindow(start, end)), merged);
    }

    /** Emits and removes the sessions whose end plus gap plus grace is at or before {@code streamTime}. */
    private void closeUpTo(long streamTime) {
        long lastClosedEnd = streamTime - gapMs - graceMs;
        if (lastClosedEnd <= closedUpTo) {
            return;
        }
        List<KeyValue<Windowed<String>, UserSession>> closed = new ArrayList<>();
        try (KeyValueIterator<Windowed<String>, UserSession> it = store.findSessions(Long.MIN_VALUE, lastClosedEnd)) {
            it.forEachRemaining(closed::add);
        }
        for (KeyValue<Windowed<String>, UserSession> session : closed) {
            store.remove(session.key);
            context.forward(new Record<>(session.key.key(), session.value, session.key.window().end()));
        }
        closedUpTo = lastClosedEnd;
    }
}
