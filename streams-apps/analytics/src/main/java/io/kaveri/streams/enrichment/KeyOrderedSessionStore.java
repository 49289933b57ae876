package io.kaveri.streams.enrichment;

import io.kaveri.streams.runtime.InMemoryStore;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.kstream.internals.SessionWindow;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.SessionBytesStoreSupplier;
import org.apache.kafka.streams.state.SessionStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ConcurrentSkipListSet;

/**
 * An in-memory session store ordered by key, then session end, then session start (latest first, as Kafka's
 * in-memory store returns sessions of one end). Kafka's {@code InMemorySessionStore} is ordered by session end
 * first, so that finding one key's sessions walks the end times of every key's sessions in the range. Here a key's
 * sessions are found by hash (a small sorted array per key, replaced on each write so that readers iterate a stable
 * copy), keys are also kept sorted for key-range queries, and an index by session end serves expiry (retention)
 * and {@link #findSessions(long, long)}, the query that finds closed sessions.
 *
 * <p>Semantics follow Kafka's session stores: a session is expired once its end is at or before the greatest
 * session end put minus the retention period; expired sessions are neither stored nor returned. Writes come from
 * the stream thread only; reads may come from interactive-query threads at the same time (concurrent maps, arrays
 * published whole, iterators weakly consistent). Changelog and restore use Kafka's session key format
 * ({@code key bytes, end, start}, big-endian), written by the logging layer of {@code Stores.sessionStoreBuilder}.
 */
final class KeyOrderedSessionStore extends InMemoryStore implements SessionStore<Bytes, byte[]> {

    private static final Logger log = LoggerFactory.getLogger(KeyOrderedSessionStore.class);
    private static final int TIMESTAMP_SIZE = Long.BYTES;
    private static final long NO_TIMESTAMP = -1L;
    /** Keys left without sessions are dropped in batches: a session update removes and puts back its key's session. */
    static final int SWEEP_EVERY = 1024;

    /** End ascending, then key, then start descending: Kafka's in-memory order for queries by end time. */
    private static final Comparator<SessionKey> BY_END = (a, b) -> {
        int c = Long.compare(a.end, b.end);
        if (c != 0) {
            return c;
        }
        c = compareKeys(a.key, b.key);
        return c != 0 ? c : Long.compare(b.start, a.start);
    };

    /** Unsigned bytes; null (only in the upper bound of a query by end time) after every key. */
    private static int compareKeys(Bytes a, Bytes b) {
        if (a == null || b == null) {
            return a == b ? 0 : a == null ? 1 : -1;
        }
        return a.compareTo(b);
    }

    private final long retentionMs;
    private final int sweepEvery;
    private final ConcurrentHashMap<Bytes, KeySessions> byKey = new ConcurrentHashMap<>();
    private final ConcurrentSkipListMap<Bytes, KeySessions> sortedKeys = new ConcurrentSkipListMap<>();
    private final ConcurrentSkipListSet<SessionKey> byEnd = new ConcurrentSkipListSet<>(BY_END);
    private final List<KeySessions> emptied = new ArrayList<>();
    private final Set<SessionIterator> openIterators = ConcurrentHashMap.newKeySet();
    private volatile long observedStreamTime = NO_TIMESTAMP;

    KeyOrderedSessionStore(String name, long retentionMs) {
        this(name, retentionMs, SWEEP_EVERY);
    }

    /** With {@code sweepEvery} emptied keys between sweeps (tests sweep often). */
    KeyOrderedSessionStore(String name, long retentionMs, int sweepEvery) {
        super(name);
        this.retentionMs = retentionMs;
        this.sweepEvery = sweepEvery;
    }

    /** A supplier for {@code Stores.sessionStoreBuilder}, which adds the changelog and metrics layers. */
    static SessionBytesStoreSupplier supplier(String name, long retentionMs) {
        if (retentionMs < 0) {
            throw new IllegalArgumentException("store " + name + ": retention must be >= 0, got " + retentionMs);
        }
        return new SessionBytesStoreSupplier() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public SessionStore<Bytes, byte[]> get() {
                return new KeyOrderedSessionStore(name, retentionMs);
            }

            @Override
            public String metricsScope() {
                return "kaveri-in-memory-session";
            }

            @Override
            public long segmentIntervalMs() {
                return 1; // not segmented; 1 is what Kafka's in-memory store says too
            }

            @Override
            public long retentionPeriod() {
                return retentionMs;
            }
        };
    }

    @Override
    protected void restore(ConsumerRecord<byte[], byte[]> record) {
        restore(record.key(), record.value());
    }

    /** Applies one changelog record: Kafka's binary session key, a value or null for a removed session. */
    void restore(byte[] binaryKey, byte[] value) {
        if (binaryKey.length < 2 * TIMESTAMP_SIZE) {
            throw new IllegalArgumentException("store " + name() + ": changelog key of " + binaryKey.length
                    + " bytes is not a session key (key, end, start)");
        }
        ByteBuffer buffer = ByteBuffer.wrap(binaryKey);
        int keyLength = binaryKey.length - 2 * TIMESTAMP_SIZE;
        long end = buffer.getLong(keyLength);
        long start = buffer.getLong(keyLength + TIMESTAMP_SIZE);
        byte[] key = new byte[keyLength];
        System.arraycopy(binaryKey, 0, key, 0, keyLength);
        put(new Windowed<>(Bytes.wrap(key), new SessionWindow(start, end)), value);
    }

    @Override
    public void put(Windowed<Bytes> sessionKey, byte[] aggregate) {
        Objects.requireNonNull(sessionKey, "sessionKey cannot be null");
        long end = sessionKey.window().end();
        long now = Math.max(observedStreamTime, end);
        observedStreamTime = now;
        synchronized (position) {
            if (end <= now - retentionMs) {
                log.debug("session put after its retention skipped store={} end={} streamTime={}", name(), end, now);
            } else if (aggregate == null) {
                remove(sessionKey);
            } else {
                Bytes key = sessionKey.key();
                KeySessions sessions = byKey.get(key);
                if (sessions == null) {
                    sessions = new KeySessions(key);
                    byKey.put(key, sessions);
                    sortedKeys.put(key, sessions);
                }
                long start = sessionKey.window().start();
                if (sessions.put(start, end, aggregate)) {
                    byEnd.add(new SessionKey(key, end, start));
                }
            }
            updatePosition();
        }
        expire(now);
        if (emptied.size() >= sweepEvery) {
            sweep();
        }
    }

    @Override
    public void remove(Windowed<Bytes> sessionKey) {
        KeySessions sessions = byKey.get(sessionKey.key());
        long start = sessionKey.window().start();
        long end = sessionKey.window().end();
        if (sessions != null && sessions.remove(start, end)) {
            byEnd.remove(new SessionKey(sessionKey.key(), end, start));
            maybeEmptied(sessions);
        }
    }

    private void maybeEmptied(KeySessions sessions) {
        if (sessions.isEmpty() && !sessions.queuedForSweep) {
            sessions.queuedForSweep = true;
            emptied.add(sessions);
        }
    }

    /** Drops the keys still without sessions. */
    private void sweep() {
        for (KeySessions sessions : emptied) {
            sessions.queuedForSweep = false;
            if (sessions.isEmpty()) {
                byKey.remove(sessions.key, sessions);
                sortedKeys.remove(sessions.key, sessions);
            }
        }
        emptied.clear();
    }

    private void expire(long streamTime) {
        long expiredUpTo = streamTime - retentionMs;
        for (Iterator<SessionKey> oldest = byEnd.iterator(); oldest.hasNext(); ) {
            SessionKey k = oldest.next();
            if (k.end > expiredUpTo) {
                return;
            }
            oldest.remove();
            KeySessions sessions = byKey.get(k.key);
            if (sessions != null && sessions.remove(k.start, k.end)) {
                maybeEmptied(sessions);
            }
        }
    }

    @Override
    public byte[] fetchSession(Bytes key, long sessionStartTime, long sessionEndTime) {
        Objects.requireNonNull(key, "key cannot be null");
        KeySessions sessions = byKey.get(key);
        return sessions == null || sessionEndTime <= observedStreamTime - retentionMs ? null
                : sessions.get(sessionStartTime, sessionEndTime);
    }

    @Override
    public KeyValueIterator<Windowed<Bytes>, byte[]> findSessions(long earliestSessionEndTime, long latestSessionEndTime) {
        if (earliestSessionEndTime > latestSessionEndTime) {
            return empty();
        }
        long expiredUpTo = observedStreamTime - retentionMs;
        Iterator<SessionKey> keys = byEnd.subSet(new SessionKey(Bytes.wrap(new byte[0]), earliestSessionEndTime, Long.MAX_VALUE),
                true, new SessionKey(null, latestSessionEndTime, Long.MIN_VALUE), true).iterator();
        return new SessionIterator() {
            @Override
            KeyValue<Windowed<Bytes>, byte[]> advance() {
                while (keys.hasNext()) {
                    SessionKey k = keys.next();
                    KeySessions sessions = byKey.get(k.key);
                    byte[] value = sessions == null ? null : sessions.get(k.start, k.end);
                    if (value != null && k.end > expiredUpTo) {
                        return KeyValue.pair(new Windowed<>(k.key, new SessionWindow(k.start, k.end)), value);
                    }
                }
                return null;
            }
        };
    }

    @Override
    public KeyValueIterator<Windowed<Bytes>, byte[]> findSessions(Bytes key, long earliestSessionEndTime,
                                                                  long latestSessionStartTime) {
        Objects.requireNonNull(key, "key cannot be null");
        return findSessions(key, key, earliestSessionEndTime, latestSessionStartTime, true);
    }

    @Override
    public KeyValueIterator<Windowed<Bytes>, byte[]> backwardFindSessions(Bytes key, long earliestSessionEndTime,
                                                                          long latestSessionStartTime) {
        Objects.requireNonNull(key, "key cannot be null");
        return findSessions(key, key, earliestSessionEndTime, latestSessionStartTime, false);
    }

    @Override
    public KeyValueIterator<Windowed<Bytes>, byte[]> findSessions(Bytes keyFrom, Bytes keyTo, long earliestSessionEndTime,
                                                                  long latestSessionStartTime) {
        return findSessions(keyFrom, keyTo, earliestSessionEndTime, latestSessionStartTime, true);
    }

    @Override
    public KeyValueIterator<Windowed<Bytes>, byte[]> backwardFindSessions(Bytes keyFrom, Bytes keyTo,
                                                                          long earliestSessionEndTime,
                                                                          long latestSessionStartTime) {
        return findSessions(keyFrom, keyTo, earliestSessionEndTime, latestSessionStartTime, false);
    }

    @Override
    public KeyValueIterator<Windowed<Bytes>, byte[]> fetch(Bytes key) {
        Objects.requireNonNull(key, "key cannot be null");
        return findSessions(key, key, Long.MIN_VALUE, Long.MAX_VALUE, true);
    }

    @Override
    public KeyValueIterator<Windowed<Bytes>, byte[]> backwardFetch(Bytes key) {
        Objects.requireNonNull(key, "key cannot be null");
        return findSessions(key, key, Long.MIN_VALUE, Long.MAX_VALUE, false);
    }

    @Override
    public KeyValueIterator<Windowed<Bytes>, byte[]> fetch(Bytes keyFrom, Bytes keyTo) {
        return findSessions(keyFrom, keyTo, Long.MIN_VALUE, Long.MAX_VALUE, true);
    }

    @Override
    public KeyValueIterator<Windowed<Bytes>, byte[]> backwardFetch(Bytes keyFrom, Bytes keyTo) {
        return findSessions(keyFrom, keyTo, Long.MIN_VALUE, Long.MAX_VALUE, false);
    }

    /**
     * Sessions of keys in [keyFrom, keyTo] (null: unbounded) ending at or after {@code earliestEnd} and starting
     * at or before {@code latestStart}. One key is found by hash: no other key is visited.
     */
    private KeyValueIterator<Windowed<Bytes>, byte[]> findSessions(Bytes keyFrom, Bytes keyTo, long earliestEnd,
                                                                   long latestStart, boolean forward) {
        if (keyFrom != null && keyTo != null && keyFrom.compareTo(keyTo) > 0) {
            log.warn("empty result for a session key range from > to store={} (serdes that do not keep the order of "
                    + "keys in their bytes, or arguments swapped)", name());
            return empty();
        }
        Iterator<KeySessions> keys;
        if (keyFrom != null && keyFrom.equals(keyTo)) {
            KeySessions one = byKey.get(keyFrom);
            keys = one == null ? Collections.emptyIterator() : List.of(one).iterator();
        } else {
            NavigableMap<Bytes, KeySessions> range;
            if (keyFrom == null) {
                range = keyTo == null ? sortedKeys : sortedKeys.headMap(keyTo, true);
            } else {
                range = keyTo == null ? sortedKeys.tailMap(keyFrom, true) : sortedKeys.subMap(keyFrom, true, keyTo, true);
            }
            keys = (forward ? range : range.descendingMap()).values().iterator();
        }
        long expiredUpTo = observedStreamTime - retentionMs;
        long fromEnd = Math.max(earliestEnd, expiredUpTo + 1);
        return new SessionIterator() {
            private KeySessions current;
            private Session[] snapshot;
            private int next;

            @Override
            KeyValue<Windowed<Bytes>, byte[]> advance() {
                while (true) {
                    while (snapshot != null && next < snapshot.length) {
                        Session s = snapshot[forward ? next : snapshot.length - 1 - next];
                        next++;
                        if (s.end >= fromEnd && s.start <= latestStart) {
                            return KeyValue.pair(new Windowed<>(current.key, new SessionWindow(s.start, s.end)), s.value);
                        }
                    }
                    if (!keys.hasNext()) {
                        return null;
                    }
                    current = keys.next();
                    snapshot = current.sessions;
                    next = 0;
                }
            }
        };
    }

    private KeyValueIterator<Windowed<Bytes>, byte[]> empty() {
        return new SessionIterator() {
            @Override
            KeyValue<Windowed<Bytes>, byte[]> advance() {
                return null;
            }
        };
    }

    @Override
    protected void clear() {
        if (!openIterators.isEmpty()) {
            log.warn("closing open iterators store={} count={}", name(), openIterators.size());
            openIterators.forEach(SessionIterator::close);
        }
        byKey.clear();
        sortedKeys.clear();
        byEnd.clear();
        emptied.clear();
    }

    /** Sessions held, expired ones not yet dropped included. */
    int size() {
        return byEnd.size();
    }

    /** Keys held, keys left without sessions and not yet swept included. */
    int keys() {
        return byKey.size();
    }

    /** A session's key bytes and window; {@code key} null only in the upper bound of a query by end time. */
    private record SessionKey(Bytes key, long end, long start) {
    }

    private record Session(long start, long end, byte[] value) {
    }

    /**
     * One key's sessions by end ascending, then start descending (Kafka's order for one key). The array is
     * replaced, never changed, so that a reader holding it sees one consistent state; most keys have one session.
     */
    private static final class KeySessions {
        private static final Session[] NONE = new Session[0];
        final Bytes key;
        volatile Session[] sessions = NONE;
        boolean queuedForSweep;

        KeySessions(Bytes key) {
            this.key = key;
        }

        boolean isEmpty() {
            return sessions.length == 0;
        }

        /** The index of (start, end), or {@code -(insertion point) - 1}. */
        private static int find(Session[] all, long start, long end) {
            for (int i = 0; i < all.length; i++) {
                Session s = all[i];
                if (s.end > end || (s.end == end && s.start <= start)) {
                    return s.end == end && s.start == start ? i : -i - 1;
                }
            }
            return -all.length - 1;
        }

        byte[] get(long start, long end) {
            Session[] all = sessions;
            int i = find(all, start, end);
            return i >= 0 ? all[i].value : null;
        }

        /** True when the session is new (not a new value of one held). */
        boolean put(long start, long end, byte[] value) {
            Session[] all = sessions;
            int i = find(all, start, end);
            if (i >= 0) {
                Session[] copy = all.clone();
                copy[i] = new Session(start, end, value);
                sessions = copy;
                return false;
            }
            int at = -i - 1;
            Session[] copy = new Session[all.length + 1];
            System.arraycopy(all, 0, copy, 0, at);
            copy[at] = new Session(start, end, value);
            System.arraycopy(all, at, copy, at + 1, all.length - at);
            sessions = copy;
            return true;
        }

        boolean remove(long start, long end) {
            Session[] all = sessions;
            int i = find(all, start, end);
            if (i < 0) {
                return false;
            }
            Session[] copy = new Session[all.length - 1];
            System.arraycopy(all, 0, copy, 0, i);
            System.arraycopy(all, i + 1, copy, i, all.length - i - 1);
            sessions = copy.length == 0 ? NONE : copy;
            return true;
        }
    }

    /** Computes sessions one at a time ({@link #advance()} returns null after the last); registered while open. */
    private abstract class SessionIterator implements KeyValueIterator<Windowed<Bytes>, byte[]> {
        private KeyValue<Windowed<Bytes>, byte[]> next;
        private boolean closed;

        SessionIterator() {
            openIterators.add(this);
        }

        abstract KeyValue<Windowed<Bytes>, byte[]> advance();

        @Override
        public boolean hasNext() {
            if (next == null && !closed) {
                next = advance();
            }
            return next != null;
        }

        @Override
        public KeyValue<Windowed<Bytes>, byte[]> next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            KeyValue<Windowed<Bytes>, byte[]> out = next;
            next = null;
            return out;
        }

        @Override
        public Windowed<Bytes> peekNextKey() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            return next.key;
        }

        @Override
        public void close() {
            closed = true;
            next = null;
            openIterators.remove(this);
        }
    }
}
