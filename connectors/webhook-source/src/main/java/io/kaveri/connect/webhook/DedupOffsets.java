package io.kaveri.connect.webhook;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.kafka.connect.storage.OffsetStorageReader;

/**
 * The recent delivery ids of a route, kept in Connect's source offsets so that deduplication outlives the task:
 * after a restart, a rebalance or a worker move, a sender's retry of a delivery that reached Kafka is still
 * answered as a duplicate.
 *
 * <p>Connect keeps only the latest offset of each source partition, so the route spreads its deliveries over
 * {@code slots} source partitions in turn ({@code {route, dedup_slot}}), each offset naming the delivery id of
 * its latest record: the offsets then hold the last {@code slots} ids, at a cost of O(1) per record. An offset
 * is only ever stored for a record Kafka has (with exactly-once source support: in the record's transaction;
 * otherwise after the record's acknowledgement), so a restored id never hides an event that is not in the topic.
 * All records of one request share its slot, and Connect commits a partition's offsets in order, so the id is
 * stored only once all of them are in.
 */
final class DedupOffsets {

    static final String PARTITION_SLOT = "dedup_slot";
    static final String OFFSET_DELIVERY_ID = "delivery_id";
    static final String OFFSET_SEQUENCE = "sequence";

    private final String route;
    private final int slots;
    private final AtomicLong nextSequence = new AtomicLong();

    DedupOffsets(String route, int slots) {
        if (slots < 1) {
            throw new IllegalArgumentException("slots must be at least 1, got " + slots);
        }
        this.route = route;
        this.slots = slots;
    }

    /** Where the records of the next delivery carrying an id go: its source partition and offset. */
    record Position(Map<String, Object> partition, Map<String, Object> offset) {
    }

    Position next(String deliveryId, long receivedAtMs) {
        long sequence = nextSequence.getAndIncrement();
        return new Position(partition((int) (sequence % slots)), Map.of(
                WebhookEnvelope.OFFSET_RECEIVED_AT, receivedAtMs,
                OFFSET_DELIVERY_ID, deliveryId,
                OFFSET_SEQUENCE, sequence));
    }

    private Map<String, Object> partition(int slot) {
        return Map.of(WebhookEnvelope.PARTITION_ROUTE, route, PARTITION_SLOT, slot);
    }

    /**
     * Reads the stored ids into cache, oldest first (so that the cache's own age order holds), and continues the
     * sequence after the newest; answers how many ids were restored.
     */
    int restore(OffsetStorageReader reader, DedupCache cache) {
        List<Map<String, Object>> partitions = new ArrayList<>(slots);
        for (int slot = 0; slot < slots; slot++) {
            partitions.add(partition(slot));
        }
        record Stored(String id, long receivedAtMs, long sequence) {
        }
        List<Stored> stored = new ArrayList<>();
        for (Map<String, Object> offset : reader.offsets(partitions).values()) {
            if (offset != null && offset.get(OFFSET_DELIVERY_ID) instanceof String id
                    && offset.get(OFFSET_SEQUENCE) instanceof Number sequence
                    && offset.get(WebhookEnvelope.OFFSET_RECEIVED_AT) instanceof Number receivedAt) {
                stored.add(new Stored(id, receivedAt.longValue(), sequence.longValue()));
            }
        }
        stored.sort(Comparator.comparingLong(Stored::sequence));
        for (Stored s : stored) {
            cache.restore(s.id(), s.receivedAtMs());
        }
        if (!stored.isEmpty()) {
            nextSequence.set(stored.get(stored.size() - 1).sequence() + 1);
        }
        return stored.size();
    }
}
