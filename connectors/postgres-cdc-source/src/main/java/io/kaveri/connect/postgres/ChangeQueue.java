package io.kaveri.connect.postgres;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The hand-over from the reader thread to {@code poll()}, bounded by record count and by estimated bytes. One
 * record larger than the byte bound is still let in when the queue is empty, so a huge row never wedges the stream.
 */
final class ChangeQueue {

    private final int maxRecords;
    private final long maxBytes;
    private final ArrayDeque<Emission> items = new ArrayDeque<>();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition notEmpty = lock.newCondition();
    private final Condition notFull = lock.newCondition();
    private long bytes;

    ChangeQueue(int maxRecords, long maxBytes) {
        this.maxRecords = maxRecords;
        this.maxBytes = maxBytes;
    }

    /** Adds, waiting at most {@code timeoutMs} for room; false if there was none. */
    boolean offer(Emission e, long timeoutMs) throws InterruptedException {
        long nanos = TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        lock.lock();
        try {
            while (!items.isEmpty() && (items.size() >= maxRecords || bytes + e.estimatedBytes() > maxBytes)) {
                if (nanos <= 0) {
                    return false;
                }
                nanos = notFull.awaitNanos(nanos);
            }
            items.add(e);
            bytes += e.estimatedBytes();
            notEmpty.signal();
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Takes up to {@code max} items, waiting at most {@code timeoutMs} for the first. */
    List<Emission> poll(int max, long timeoutMs) throws InterruptedException {
        long nanos = TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        lock.lock();
        try {
            while (items.isEmpty()) {
                if (nanos <= 0) {
                    return List.of();
                }
                nanos = notEmpty.awaitNanos(nanos);
            }
            List<Emission> batch = new ArrayList<>(Math.min(max, items.size()));
            while (!items.isEmpty() && batch.size() < max) {
                Emission e = items.poll();
                bytes -= e.estimatedBytes();
                batch.add(e);
            }
            notFull.signalAll();
            return batch;
        } finally {
            lock.unlock();
        }
    }

    int size() {
        lock.lock();
        try {
            return items.size();
        } finally {
            lock.unlock();
        }
    }

    long bytes() {
        lock.lock();
        try {
            return bytes;
        } finally {
            lock.unlock();
        }
    }
}
