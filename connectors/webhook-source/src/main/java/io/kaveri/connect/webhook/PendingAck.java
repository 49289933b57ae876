package io.kaveri.connect.webhook;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The Kafka acknowledgement of one request's records: completes when Connect has called commitRecord for
 * each of them, fails when the task stops first. Timeouts are the HTTP side's business, not this one's:
 * a request answered 503 after its timeout still learns here that its records arrived, which is what lets
 * the sender's retry be answered as a duplicate.
 */
final class PendingAck {

    private final AtomicInteger remaining;
    private final CompletableFuture<Void> done = new CompletableFuture<>();
    private final long createdNanos = System.nanoTime();

    PendingAck(int records) {
        if (records < 1) {
            throw new IllegalArgumentException("a request has at least one record, got " + records);
        }
        this.remaining = new AtomicInteger(records);
    }

    void recordCommitted() {
        if (remaining.decrementAndGet() == 0) {
            done.complete(null);
        }
    }

    void fail(Throwable cause) {
        done.completeExceptionally(cause);
    }

    CompletableFuture<Void> done() {
        return done;
    }

    long ageNanos() {
        return System.nanoTime() - createdNanos;
    }
}
