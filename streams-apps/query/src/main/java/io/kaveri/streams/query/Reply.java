package io.kaveri.streams.query;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Map;

/**
 * An HTTP answer: status, JSON body and the few headers the API sets. Errors are JSON too, with the reason and, for
 * a bad request, the parameter at fault, so a script can tell them apart without parsing prose.
 */
record Reply(int status, String body, Map<String, String> headers) {

    static final ObjectMapper JSON = new ObjectMapper();

    Reply {
        headers = Map.copyOf(headers);
    }

    static Reply ok(JsonNode body) {
        return new Reply(200, body.toString(), Map.of());
    }

    static Reply notFound(String reason) {
        return error(404, reason, Map.of());
    }

    static Reply badRequest(String parameter, String reason) {
        ObjectNode body = JSON.createObjectNode().put("status", 400).put("error", reason).put("parameter", parameter);
        return new Reply(400, body.toString(), Map.of());
    }

    static Reply unavailable(String reason, int retryAfterSeconds) {
        return error(503, reason, Map.of("Retry-After", Integer.toString(retryAfterSeconds)));
    }

    static Reply error(int status, String reason, Map<String, String> headers) {
        ObjectNode body = JSON.createObjectNode().put("status", status).put("error", reason);
        return new Reply(status, body.toString(), headers);
    }

    boolean isOk() {
        return status == 200;
    }
}
