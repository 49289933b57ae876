package io.kaveri.streams.query;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.errors.UnknownStateStoreException;
import org.apache.kafka.streams.query.Position;
import org.apache.kafka.streams.query.QueryResult;
import org.apache.kafka.streams.query.StateQueryRequest;
import org.apache.kafka.streams.query.StateQueryResult;

import java.util.Map;
import java.util.function.Function;

/**
 * Runs Kafka Streams IQv2 queries and sorts their failures: a replica that cannot answer now (not active, not
 * present, restoring, behind a bound, app not running) is {@link LocalRead.NotReady}; a query the store does not
 * support or a store that does not exist is a bug, thrown.
 */
final class Iq {

    private Iq() {
    }

    /** Reads one partition; {@code convert} turns its result into the answer (closing any iterator it gets). */
    static <R> LocalRead partition(KafkaStreams streams, StateQueryRequest<R> request, int partition,
                                   Function<R, LocalRead> convert) {
        StateQueryResult<R> result;
        try {
            result = streams.query(request);
        } catch (UnknownStateStoreException e) {
            throw new IllegalStateException("store " + request.getStoreName() + " is not in the app's topology", e);
        } catch (InvalidStateStoreException e) {
            return new LocalRead.NotReady("store " + request.getStoreName() + ": " + e.getMessage());
        }
        QueryResult<R> r = result.getPartitionResults().get(partition);
        if (r == null) {
            return new LocalRead.NotReady("partition " + partition + " of store " + request.getStoreName()
                    + " is not hosted here");
        }
        if (r.isFailure()) {
            return failure(request.getStoreName(), partition, r);
        }
        LocalRead read = convert.apply(r.getResult());
        if (read instanceof LocalRead.Found found) {
            return new LocalRead.Found(found.value(), position(r.getPosition()));
        }
        return read;
    }

    /** Every local partition's successful result, with failures of a required partition reported as not ready. */
    static <R> StateQueryResult<R> all(KafkaStreams streams, StateQueryRequest<R> request) {
        try {
            return streams.query(request);
        } catch (UnknownStateStoreException e) {
            throw new IllegalStateException("store " + request.getStoreName() + " is not in the app's topology", e);
        }
    }

    static <R> LocalRead failure(String store, int partition, QueryResult<R> r) {
        return switch (r.getFailureReason()) {
            case NOT_ACTIVE, NOT_PRESENT, NOT_UP_TO_BOUND -> new LocalRead.NotReady("partition " + partition + " of store "
                    + store + " " + r.getFailureReason().name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ')
                    + ": " + r.getFailureMessage());
            default -> throw new IllegalStateException("query of store " + store + " partition " + partition
                    + " failed: " + r.getFailureReason() + " " + r.getFailureMessage());
        };
    }

    /** {@code {"<changelog or input topic>": {"<partition>": <offset>}}}: where the answer was read. */
    static JsonNode position(Position position) {
        ObjectNode node = Reply.JSON.createObjectNode();
        if (position == null) {
            return node;
        }
        for (String topic : position.getTopics()) {
            ObjectNode partitions = node.putObject(topic);
            for (Map.Entry<Integer, Long> e : position.getPartitionPositions(topic).entrySet()) {
                partitions.put(Integer.toString(e.getKey()), e.getValue());
            }
        }
        return node;
    }
}
