package io.kaveri.connect.webhook;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

import org.apache.kafka.connect.source.SourceRecord;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * The byte-bounded buffers between the HTTP threads and {@code poll()}: one per route, plus one for
 * dead-letter records. A request's records enter and leave together, so a poll never hands Connect half
 * a request. Space is released when poll() takes the records; from then on the producer's own
 * buffer.memory bounds them.
 */
final class Inbox {

    /** The records of one request, its accounted size (the request body) and who waits for their ack. */
    record Batch(List<SourceRecord> records, long bytes, PendingAck ack) {
    }

    enum Admission { ACCEPTED, FULL, CLOSED }

    private static final class Buffer {
        final long maxBytes;
        long usedBytes;
        final ArrayDeque<Batch> ready = new ArrayDeque<>();
        final ArrayDeque<Waiter> waiting = new ArrayDeque<>();

        Buffer(long maxBytes) {
            this.maxBytes = maxBytes;
        }

        boolean fits(long bytes) {
            return usedBytes + bytes <= maxBytes;
        }
    }

    private static final class Waiter {
        final Batch batch;
        final Consumer<Admission> outcome;
        Scheduler.Task timeout;

        Waiter(Batch batch, Consumer<Admission> outcome) {
            this.batch = batch;
            this.outcome = outcome;
        }
    }

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition notEmpty = lock.newCondition();
    private final Map<String, Buffer> buffers = new LinkedHashMap<>();
    private final List<String> order;
    private final ArrayDeque<SourceRecord> deadLetters = new ArrayDeque<>();
    private final ArrayDeque<Long> deadLetterSizes = new ArrayDeque<>();
    private final long deadLetterMaxBytes;
    private long deadLetterBytes;
    private int nextRoute;
    private int readyRecords;
    private boolean closed;

    Inbox(Map<String, Long> maxBytesByRoute, long deadLetterMaxBytes) {
        maxBytesByRoute.forEach((route, max) -> buffers.put(route, new Buffer(max)));
        this.order = List.copyOf(buffers.keySet());
        this.deadLetterMaxBytes = deadLetterMaxBytes;
    }

    /** Takes the batch if the route's buffer has room. */
    Admission offer(String route, Batch batch) {
        lock.lock();
        try {
            if (closed) {
                return Admission.CLOSED;
            }
            Buffer buffer = buffers.get(route);
            // Waiters go first: a request that just arrived must not overtake one that has been held.
            if (!buffer.waiting.isEmpty() || !buffer.fits(batch.bytes())) {
                return Admission.FULL;
            }
            admit(buffer, batch);
            return Admission.ACCEPTED;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Takes the batch now if there is room, else holds it (without a thread) until poll() frees room or
     * timeoutMs passes; outcome runs once, with ACCEPTED, FULL (timed out) or CLOSED.
     */
    void offerOrWait(String route, Batch batch, long timeoutMs, Scheduler scheduler, Consumer<Admission> outcome) {
        Admission now;
        Waiter waiter = null;
        lock.lock();
        try {
            Buffer buffer = buffers.get(route);
            if (closed) {
                now = Admission.CLOSED;
            } else if (buffer.waiting.isEmpty() && buffer.fits(batch.bytes())) {
                admit(buffer, batch);
                now = Admission.ACCEPTED;
            } else {
                now = null;
                waiter = new Waiter(batch, outcome);
                buffer.waiting.add(waiter);
                Waiter held = waiter;
                waiter.timeout = scheduler.schedule(() -> expire(buffer, held), timeoutMs, TimeUnit.MILLISECONDS);
            }
        } finally {
            lock.unlock();
        }
        if (now != null) {
            outcome.accept(now);
        }
    }

    private void expire(Buffer buffer, Waiter waiter) {
        boolean removed;
        lock.lock();
        try {
            removed = buffer.waiting.remove(waiter);
        } finally {
            lock.unlock();
        }
        if (removed) {
            waiter.outcome.accept(Admission.FULL);
        }
    }

    /** Queues a dead-letter record; false when the dead-letter buffer is full or the inbox closed. */
    boolean offerDeadLetter(SourceRecord record, long bytes) {
        lock.lock();
        try {
            if (closed || deadLetterBytes + bytes > deadLetterMaxBytes) {
                return false;
            }
            deadLetters.add(record);
            deadLetterSizes.add(bytes);
            deadLetterBytes += bytes;
            notEmpty.signal();
            return true;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits up to timeoutMs for records, then up to lingerMs more for maxRecords of them, then takes whole
     * requests, routes in turn, until maxRecords is reached. Answers an empty list when nothing arrived.
     */
    List<SourceRecord> drain(int maxRecords, long timeoutMs, long lingerMs) throws InterruptedException {
        List<Waiter> admitted = new ArrayList<>();
        List<SourceRecord> out = new ArrayList<>();
        lock.lock();
        try {
            long nanos = TimeUnit.MILLISECONDS.toNanos(timeoutMs);
            if (closed) {
                // Stopping: keep poll() bounded but not spinning until Connect notices.
                notEmpty.awaitNanos(nanos);
                return out;
            }
            while (!closed && isEmpty()) {
                if (nanos <= 0) {
                    return out;
                }
                nanos = notEmpty.awaitNanos(nanos);
            }
            // Every poll may be a transaction (exactly-once source): a few milliseconds of patience lets one
            // commit carry the requests arriving together instead of one commit each.
            long linger = TimeUnit.MILLISECONDS.toNanos(lingerMs);
            while (!closed && linger > 0 && readyRecords < maxRecords) {
                linger = notEmpty.awaitNanos(linger);
            }
            while (!deadLetters.isEmpty() && out.size() < maxRecords) {
                out.add(deadLetters.poll());
                deadLetterBytes -= deadLetterSizes.poll();
            }
            int idle = 0;
            while (out.size() < maxRecords && idle < order.size()) {
                String route = order.get(nextRoute);
                nextRoute = (nextRoute + 1) % order.size();
                Buffer buffer = buffers.get(route);
                Batch batch = buffer.ready.poll();
                if (batch == null) {
                    idle++;
                    continue;
                }
                idle = 0;
                out.addAll(batch.records());
                readyRecords -= batch.records().size();
                buffer.usedBytes -= batch.bytes();
                admitWaiters(buffer, admitted);
            }
        } finally {
            lock.unlock();
        }
        for (Waiter waiter : admitted) {
            waiter.timeout.cancel();
            waiter.outcome.accept(Admission.ACCEPTED);
        }
        return out;
    }

    /** Bytes of the route's requests waiting for poll(). */
    long usedBytes(String route) {
        lock.lock();
        try {
            return buffers.get(route).usedBytes;
        } finally {
            lock.unlock();
        }
    }

    long maxBytes(String route) {
        return buffers.get(route).maxBytes;
    }

    /**
     * Refuses everything from now on and wakes poll(); answers the batches never handed to Connect and
     * tells every held request CLOSED.
     */
    List<Batch> close() {
        List<Batch> undelivered = new ArrayList<>();
        List<Waiter> held = new ArrayList<>();
        lock.lock();
        try {
            closed = true;
            for (Buffer buffer : buffers.values()) {
                undelivered.addAll(buffer.ready);
                buffer.ready.clear();
                readyRecords = 0;
                buffer.usedBytes = 0;
                held.addAll(buffer.waiting);
                buffer.waiting.clear();
            }
            notEmpty.signalAll();
        } finally {
            lock.unlock();
        }
        for (Waiter waiter : held) {
            waiter.timeout.cancel();
            waiter.outcome.accept(Admission.CLOSED);
        }
        return undelivered;
    }

    private void admit(Buffer buffer, Batch batch) {
        buffer.ready.add(batch);
        readyRecords += batch.records().size();
        buffer.usedBytes += batch.bytes();
        notEmpty.signal();
    }

    private void admitWaiters(Buffer buffer, List<Waiter> admitted) {
        Iterator<Waiter> it = buffer.waiting.iterator();
        while (it.hasNext()) {
            Waiter waiter = it.next();
            if (!buffer.fits(waiter.batch.bytes())) {
                return;
            }
            it.remove();
            admit(buffer, waiter.batch);
            admitted.add(waiter);
        }
    }

    private boolean isEmpty() {
        if (!deadLetters.isEmpty()) {
            return false;
        }
        for (Buffer buffer : buffers.values()) {
            if (!buffer.ready.isEmpty()) {
                return false;
            }
        }
        return true;
    }
}
