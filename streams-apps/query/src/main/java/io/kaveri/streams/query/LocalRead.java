package io.kaveri.streams.query;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;

/** The outcome of reading a store replica on this instance. */
sealed interface LocalRead {

    /** The answer, and the store position (changelog offsets) it was read at, {@code null} when the store has none. */
    record Found(JsonNode value, JsonNode position) implements LocalRead {
        public Found {
            position = position == null ? NullNode.getInstance() : position;
        }
    }

    /** The replica is readable and up to date, and the key is not in it: a true "not found". */
    record Absent(String reason) implements LocalRead {
    }

    /** The replica cannot answer now (restoring, rebalancing, moved): never reported as "not found". */
    record NotReady(String reason) implements LocalRead {
    }
}
