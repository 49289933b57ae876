package io.kaveri.connect.webhook;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Delivery ids seen recently, bounded by count and by age. Each id maps to the acknowledgement of its
 * first delivery, so a retry that arrives while the first is still in flight waits for the same outcome
 * instead of producing the event twice.
 */
final class DedupCache {

    private record Entry(PendingAck ack, long insertedMs) {
    }

    private final int maxEntries;
    private final long windowMs;
    private final LongSupplier clockMs;
    // Insertion order is also age order, so expiry only ever looks at the head.
    private final LinkedHashMap<String, Entry> entries = new LinkedHashMap<>();

    DedupCache(int maxEntries, long windowMs, LongSupplier clockMs) {
        this.maxEntries = maxEntries;
        this.windowMs = windowMs;
        this.clockMs = clockMs;
    }

    boolean enabled() {
        return maxEntries > 0;
    }

    /**
     * Remembers id for ack unless it is already known: answers the earlier acknowledgement then, or null
     * when ack is now the one remembered. A failed earlier delivery is forgotten so that the retry proceeds.
     */
    synchronized PendingAck putIfAbsent(String id, PendingAck ack) {
        long now = clockMs.getAsLong();
        expire(now);
        Entry existing = entries.get(id);
        if (existing != null && !existing.ack().done().isCompletedExceptionally()) {
            return existing.ack();
        }
        entries.remove(id);
        entries.put(id, new Entry(ack, now));
        trim();
        return null;
    }

    private void trim() {
        while (entries.size() > maxEntries) {
            Iterator<String> oldest = entries.keySet().iterator();
            oldest.next();
            oldest.remove();
        }
    }

    /**
     * Remembers id as delivered at insertedMs, as the source offsets recorded it before a restart; ids older than
     * the window are left out. Restore oldest first: expiry relies on insertion order being age order.
     */
    synchronized void restore(String id, long insertedMs) {
        if (!enabled() || clockMs.getAsLong() - insertedMs > windowMs) {
            return;
        }
        PendingAck delivered = new PendingAck(1);
        delivered.recordCommitted();
        entries.remove(id);
        entries.put(id, new Entry(delivered, insertedMs));
        trim();
    }

    /** Forgets id if it still maps to ack (the request never reached the buffer). */
    synchronized void forget(String id, PendingAck ack) {
        Entry existing = entries.get(id);
        if (existing != null && existing.ack() == ack) {
            entries.remove(id);
        }
    }

    synchronized int size() {
        expire(clockMs.getAsLong());
        return entries.size();
    }

    private void expire(long now) {
        Iterator<Map.Entry<String, Entry>> it = entries.entrySet().iterator();
        while (it.hasNext() && now - it.next().getValue().insertedMs() > windowMs) {
            it.remove();
        }
    }
}
