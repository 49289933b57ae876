package io.kaveri.streams.enrichment;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.kstream.internals.SessionWindow;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.processor.internals.ChangelogRecordDeserializationHelper;
import org.apache.kafka.streams.processor.internals.RecordBatchingStateRestoreCallback;
import org.apache.kafka.streams.query.Position;
import org.apache.kafka.streams.query.PositionBound;
import org.apache.kafka.streams.query.Query;
import org.apache.kafka.streams.query.QueryConfig;
import org.apache.kafka.streams.query.QueryResult;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.SessionBytesStoreSupplier;
import org.apache.kafka.streams.state.SessionStore;
import org.apache.kafka.streams.state.internals.StoreQueryUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.util.AbstractMap;
import java.util.Collections;
import java.util.Comparator;
import java.util.Iterator;
import java.util.Map;
import java.util.NavigableMap;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.function.Predicate;

/**
 * An in-memory session store ordered by key, then session end, then session start (latest first, as Kafka's
 * in-memory store returns sessions of one end). Kafka's {@code InMemorySessionStore} is ordered by session end
 * first, so that finding one key's sessions walks the end times of every key's sessions in the range; here a
 * key's sessions are one contiguous range. A second index by session end serves expiry (retention) and
 * {@link #findSessions(long, long)}, the query that finds closed sessions.
 *
 * <p>Semantics follow Kafka's session stores: a session is expired once its end is at or before the greatest
 * session end put minus the retention period; expired sessions are neither stored nor returned. Writes come from
 * the stream thread only; reads may come from interactive-query threads at the same time (both maps are
 * concurrent, iterators are weakly consistent). Changelog and restore use Kafka's session key format
 * ({@code key bytes, end, start}, big-endian), written by the logging layer of {@code Stores.sessionStoreBuilder}.
 */
final class KeyOrderedSessionStore implements SessionStore<Bytes, byte[]> {

    private static final Logger log = LoggerFactory.getLogger(KeyOrderedSessionStore.class);
    private static final int TIMESTAMP_SIZE = Long.BYTES;
    private static final long NO_TIMESTAMP = -1L;

    /** Key, end ascending, start descending: the order of Kafka's in-memory store for one key. */
    private static final Comparator<SessionKey> BY_KEY = (a, b) -> {
        int c = compareKeys(a.key, b.key);
        if (c != 0) {
            return c;
        }
        c = Long.compare(a.end, b.end);
        return c != 0 ? c : Long.compare(b.start, a.start);
    };
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

    private final String name;
    private final long retentionMs;
    private final ConcurrentSkipListMap<SessionKey, byte[]> sessions = new ConcurrentSkipListMap<>(BY_KEY);
    private final ConcurrentSkipListSet<SessionKey> byEnd = new ConcurrentSkipListSet<>(BY_END);
    private final Set<SessionIterator> openIterators = ConcurrentHashMap.newKeySet();
    private final Position position = Position.emptyPosition();
    private volatile long observedStreamTime = NO_TIMESTAMP;
    private volatile boolean open;
    private StateStoreContext context;

    KeyOrderedSessionStore(String name, long retentionMs) {
        this.name = name;
        this.retentionMs = retentionMs;
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
    public String name() {
        return name;
    }

    @Override
    public void init(StateStoreContext stateStoreContext, StateStore root) {
        this.context = stateStoreContext;
        if (root != null) {
            boolean consistency = StreamsConfig.InternalConfig.getBoolean(stateStoreContext.appConfigs(),
                    StreamsConfig.InternalConfig.IQ_CONSISTENCY_OFFSET_VECTOR_ENABLED, false);
            stateStoreContext.register(root, (RecordBatchingStateRestoreCallback) records -> {
                synchronized (position) {
                    for (ConsumerRecord<byte[], byte[]> record : records) {
                        restore(record.key(), record.value());
                        ChangelogRecordDeserializationHelper.applyChecksAndUpdatePosition(record, consistency, position);
                    }
                }
            });
        }
        open = true;
    }

    /** Applies one changelog record: Kafka's binary session key, a value or null for a removed session. */
    void restore(byte[] binaryKey, byte[] value) {
        if (binaryKey.length < 2 * TIMESTAMP_SIZE) {
            throw new IllegalArgumentException("store " + name + ": changelog key of " + binaryKey.length
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
                log.debug("session put after its retention skipped store={} end={} streamTime={}", name, end, now);
            } else if (aggregate == null) {
                remove(sessionKey);
            } else {
                SessionKey k = new SessionKey(sessionKey.key(), end, sessionKey.window().start());
                if (sessions.put(k, aggregate) == null) {
                    byEnd.add(k);
                }
            }
            StoreQueryUtils.updatePosition(position, context);
        }
        expire(now);
    }

    @Override
    public void remove(Windowed<Bytes> sessionKey) {
        SessionKey k = new SessionKey(sessionKey.key(), sessionKey.window().end(), sessionKey.window().start());
        if (sessions.remove(k) != null) {
            byEnd.remove(k);
        }
    }

    private void expire(long streamTime) {
        long expiredUpTo = streamTime - retentionMs;
        for (Iterator<SessionKey> oldest = byEnd.iterator(); oldest.hasNext(); ) {
            SessionKey k = oldest.next();
            if (k.end > expiredUpTo) {
                return;
            }
            oldest.remove();
            sessions.remove(k);
        }
    }

    private boolean live(SessionKey k) {
        return k.end > observedStreamTime - retentionMs;
    }

    @Override
    public byte[] fetchSession(Bytes key, long sessionStartTime, long sessionEndTime) {
        Objects.requireNonNull(key, "key cannot be null");
        SessionKey k = new SessionKey(key, sessionEndTime, sessionStartTime);
        return live(k) ? sessions.get(k) : null;
    }

    @Override
    public KeyValueIterator<Windowed<Bytes>, byte[]> findSessions(long earliestSessionEndTime, long latestSessionEndTime) {
        if (earliestSessionEndTime > latestSessionEndTime) {
            return iterator(Collections.emptyIterator(), k -> false);
        }
        Iterator<SessionKey> keys = byEnd.subSet(new SessionKey(Bytes.wrap(new byte[0]), earliestSessionEndTime, Long.MAX_VALUE),
                true, new SessionKey(null, latestSessionEndTime, Long.MIN_VALUE), true).iterator();
        return iterator(new Iterator<>() {
            @Override
            public boolean hasNext() {
                return keys.hasNext();
            }

            @Override
            public Map.Entry<SessionKey, byte[]> next() {
                SessionKey k = keys.next();
                return new AbstractMap.SimpleImmutableEntry<>(k, sessions.get(k));
            }
        }, k -> true);
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
     * at or before {@code latestStart}. With one key the range starts at its earliest end: no other key is visited.
     */
    private KeyValueIterator<Windowed<Bytes>, byte[]> findSessions(Bytes keyFrom, Bytes keyTo, long earliestEnd,
                                                                   long latestStart, boolean forward) {
        if (keyFrom != null && keyTo != null && keyFrom.compareTo(keyTo) > 0) {
            log.warn("empty result for a session key range from > to store={} (serdes that do not keep the order of "
                    + "keys in their bytes, or arguments swapped)", name);
            return iterator(Collections.emptyIterator(), k -> false);
        }
        boolean oneKey = keyFrom != null && keyFrom.equals(keyTo);
        SessionKey lower = keyFrom == null ? null : new SessionKey(keyFrom, oneKey ? earliestEnd : Long.MIN_VALUE, Long.MAX_VALUE);
        SessionKey upper = keyTo == null ? null : new SessionKey(keyTo, Long.MAX_VALUE, Long.MIN_VALUE);
        NavigableMap<SessionKey, byte[]> range;
        if (lower == null) {
            range = upper == null ? sessions : sessions.headMap(upper, true);
        } else {
            range = upper == null ? sessions.tailMap(lower, true) : sessions.subMap(lower, true, upper, true);
        }
        if (!forward) {
            range = range.descendingMap();
        }
        return iterator(range.entrySet().iterator(), k -> k.end >= earliestEnd && k.start <= latestStart);
    }

    private KeyValueIterator<Windowed<Bytes>, byte[]> iterator(Iterator<Map.Entry<SessionKey, byte[]>> entries,
                                                               Predicate<SessionKey> wanted) {
        long expiredUpTo = observedStreamTime - retentionMs;
        SessionIterator it = new SessionIterator(entries, k -> k.end > expiredUpTo && wanted.test(k));
        openIterators.add(it);
        return it;
    }

    @Override
    public boolean persistent() {
        return false;
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    @Override
    public Position getPosition() {
        return position;
    }

    @Override
    public <R> QueryResult<R> query(Query<R> query, PositionBound positionBound, QueryConfig config) {
        return StoreQueryUtils.handleBasicQueries(query, positionBound, config, this, position, context);
    }

    @Override
    public void close() {
        if (!openIterators.isEmpty()) {
            log.warn("closing open iterators store={} count={}", name, openIterators.size());
            openIterators.forEach(SessionIterator::close);
        }
        sessions.clear();
        byEnd.clear();
        open = false;
    }

    /** Sessions held, expired ones not yet dropped included. */
    int size() {
        return sessions.size();
    }

    /** A session's key bytes and window; {@code key} null only in the upper bound of a query by end time. */
    private record SessionKey(Bytes key, long end, long start) {
    }

    private final class SessionIterator implements KeyValueIterator<Windowed<Bytes>, byte[]> {
        private final Iterator<Map.Entry<SessionKey, byte[]>> entries;
        private final Predicate<SessionKey> wanted;
        private KeyValue<Windowed<Bytes>, byte[]> next;
        private boolean closed;

        SessionIterator(Iterator<Map.Entry<SessionKey, byte[]>> entries, Predicate<SessionKey> wanted) {
            this.entries = entries;
            this.wanted = wanted;
        }

        @Override
        public boolean hasNext() {
            while (next == null && !closed && entries.hasNext()) {
                Map.Entry<SessionKey, byte[]> e = entries.next();
                SessionKey k = e.getKey();
                if (e.getValue() != null && wanted.test(k)) {
                    next = KeyValue.pair(new Windowed<>(k.key, new SessionWindow(k.start, k.end)), e.getValue());
                }
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
