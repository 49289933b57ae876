package io.kaveri.test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kaveri.stack.LocalStack;
import org.awaitility.core.ConditionTimeoutException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import static org.awaitility.Awaitility.await;

/**
 * The calls of Kafka Connect's REST API that integration tests make: create or reconfigure a connector, wait until
 * it and its tasks run, read its status, delete it. A failure is an {@link AssertionError} naming the connector,
 * the state the worker reported and the worker's trace, so a failed IT says why without opening connect.log.
 *
 * <pre>{@code
 * ConnectClient connect = ConnectClient.of(stack);
 * connect.deploy("cdc-" + run, CdcConnectorConfig.forStack(stack, run, "public\\.users").avro(stack.registryUrl()).build());
 * }</pre>
 */
public final class ConnectClient {

    /** How long {@link #deploy} waits: a loaded machine takes tens of seconds to start a task. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(120);

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String RUNNING = "RUNNING";
    private static final String FAILED = "FAILED";

    private final String connectUrl;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    /** A client of the Connect worker whose REST API is at {@code connectUrl} (e.g. {@code http://127.0.0.1:8083}). */
    public ConnectClient(String connectUrl) {
        this.connectUrl = connectUrl.replaceAll("/+$", "");
    }

    /** A client of the stack's Connect worker. */
    public static ConnectClient of(LocalStack stack) {
        return new ConnectClient(stack.connectUrl());
    }

    /** Creates the connector, or replaces its configuration, then waits up to {@link #DEFAULT_TIMEOUT} until it runs. */
    public void deploy(String name, Map<String, String> config) {
        putConfig(name, config);
        awaitRunning(name, DEFAULT_TIMEOUT);
    }

    /**
     * {@code PUT /connectors/<name>/config}: creates the connector, or replaces its configuration.
     *
     * @return 201 when the connector was created, 200 when its configuration was replaced
     * @throws AssertionError naming the connector and the worker's answer when it is neither
     */
    public int putConfig(String name, Map<String, String> config) {
        HttpResponse<String> answer = send(HttpRequest.newBuilder(uri("/connectors/" + name + "/config"))
                .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(write(config))));
        if (answer.statusCode() != 200 && answer.statusCode() != 201) {
            throw new AssertionError("connector " + name + ": PUT of its config answered " + answer.statusCode() + " at "
                    + connectUrl + ": " + answer.body());
        }
        return answer.statusCode();
    }

    /**
     * Waits until the connector and each of its tasks (at least one) are RUNNING.
     *
     * @return the status that showed it running
     * @throws AssertionError at once when the connector or a task FAILED (with the worker's trace), or on timeout
     *                        (with the last status seen)
     */
    public JsonNode awaitRunning(String name, Duration timeout) {
        AtomicReference<JsonNode> last = new AtomicReference<>(JSON.createObjectNode());
        try {
            await("connector " + name + " and its tasks " + RUNNING).atMost(timeout).pollInterval(Duration.ofMillis(200))
                    .until(() -> {
                        JsonNode status = status(name);
                        last.set(status);
                        failIfFailed(name, status);
                        return isRunning(status);
                    });
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("connector " + name + " not " + RUNNING + " within " + timeout.toSeconds() + " s at "
                    + connectUrl + "; last status: " + describe(last.get()), e);
        }
        return last.get();
    }

    /**
     * {@code GET /connectors/<name>/status}; an empty object while the worker has not written a status yet (it
     * answers 404 for a moment after the connector was created) or answers otherwise than 200 (a rebalance).
     */
    public JsonNode status(String name) {
        HttpResponse<String> answer = send(HttpRequest.newBuilder(uri("/connectors/" + name + "/status")).GET());
        return answer.statusCode() == 200 ? read(answer.body()) : JSON.createObjectNode();
    }

    /** {@code DELETE /connectors/<name>}; answers the HTTP status (204 when deleted, 404 when there was none). */
    public int delete(String name) {
        return send(HttpRequest.newBuilder(uri("/connectors/" + name)).DELETE()).statusCode();
    }

    private static boolean isRunning(JsonNode status) {
        JsonNode tasks = status.path("tasks");
        if (!RUNNING.equals(status.path("connector").path("state").asText()) || tasks.isEmpty()) {
            return false;
        }
        for (JsonNode task : tasks) {
            if (!RUNNING.equals(task.path("state").asText())) {
                return false;
            }
        }
        return true;
    }

    /** A failed connector or task stays failed until restarted: waiting on would only hide the trace. */
    private static void failIfFailed(String name, JsonNode status) {
        if (FAILED.equals(status.path("connector").path("state").asText())) {
            throw new AssertionError("connector " + name + " " + FAILED + ": " + status.path("connector").path("trace").asText());
        }
        for (JsonNode task : status.path("tasks")) {
            if (FAILED.equals(task.path("state").asText())) {
                throw new AssertionError("connector " + name + " task " + task.path("id").asInt() + " " + FAILED + ": "
                        + task.path("trace").asText());
            }
        }
    }

    /** The connector's and each task's state, without traces (only failures have them). */
    private static String describe(JsonNode status) {
        if (status.isEmpty()) {
            return "none yet";
        }
        StringBuilder s = new StringBuilder("connector=").append(status.path("connector").path("state").asText("?"));
        for (JsonNode task : status.path("tasks")) {
            s.append(", task ").append(task.path("id").asInt()).append('=').append(task.path("state").asText("?"));
        }
        return s.toString();
    }

    private URI uri(String path) {
        return URI.create(connectUrl + path);
    }

    private HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return http.send(request.timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException("the Connect worker at " + connectUrl + " does not answer", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while calling the Connect worker at " + connectUrl, e);
        }
    }

    private static String write(Map<String, String> config) {
        try {
            return JSON.writeValueAsString(config);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode read(String body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException("the Connect worker answered something else than JSON: " + body, e);
        }
    }
}
