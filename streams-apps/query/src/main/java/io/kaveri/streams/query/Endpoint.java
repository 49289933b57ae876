package io.kaveri.streams.query;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;
import java.util.Set;

/** One GET endpoint a {@link QueryModule} contributes, under {@code /api/<app>}. */
sealed interface Endpoint {

    /** The path template under the app, e.g. {@code /candles/{symbol}}. */
    String path();

    /** The store whose partitioning decides where the endpoint is answered. */
    String store();

    /** The query-string parameters it takes (besides maxLagMs). */
    List<String> parameters();

    /**
     * A query for one key, answered by the instance owning the key's partition.
     *
     * @param standbyServes whether a standby replica holds the same data (false for derived in-memory state that
     *                      only an active task builds): only then may a caller's maxLagMs let a standby answer
     */
    record Keyed(String path, String store, List<String> parameters, KeyOf key, boolean standbyServes, KeyedReader reader)
            implements Endpoint {
    }

    /** A query over every partition: each instance answers for its active partitions, one instance merges. */
    record Global(String path, String store, List<String> parameters, GlobalReader reader, Merger merger)
            implements Endpoint {
    }

    @FunctionalInterface
    interface KeyOf {
        String key(Params params);
    }

    @FunctionalInterface
    interface KeyedReader {
        /** Reads {@code key} from the local replica of {@code partition}; active only unless told otherwise. */
        LocalRead read(Params params, String key, int partition, boolean activeOnly);
    }

    @FunctionalInterface
    interface GlobalReader {
        /**
         * This instance's part, for exactly the active {@code partitions} the assignment gives it:
         * {@link LocalRead.Found} with an array, or {@link LocalRead.NotReady} when any of them cannot be read (a
         * part missing a partition would make the merged answer silently incomplete).
         */
        LocalRead readLocal(Params params, Set<Integer> partitions);
    }

    @FunctionalInterface
    interface Merger {
        /** One answer from every instance's part, e.g. a union sorted, or the best K of the best Ks. */
        JsonNode merge(Params params, List<JsonNode> parts);

        /** The parts are arrays of disjoint items (each partition lives on one instance): their union, by a field. */
        static Merger unionSortedBy(String field) {
            return (params, parts) -> {
                List<JsonNode> all = new java.util.ArrayList<>();
                parts.forEach(part -> part.forEach(all::add));
                all.sort(java.util.Comparator.comparing(n -> n.path(field).asText()));
                return Reply.JSON.createArrayNode().addAll(all);
            };
        }
    }
}
