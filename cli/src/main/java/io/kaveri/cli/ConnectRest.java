package io.kaveri.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

/** The few calls of the Connect REST API the demo makes: create or update a connector, wait for it, remove it. */
final class ConnectRest implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(5);
    private static final long STATUS_POLL_MS = 250;
    private static final Logger log = LoggerFactory.getLogger(ConnectRest.class);

    private final String baseUrl;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    ConnectRest(String baseUrl) {
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    }

    /** {@code PUT /connectors/<name>/config}: creates the connector, or replaces the config of one left by a previous run. */
    void putConfig(String name, Map<String, String> config) throws IOException, InterruptedException {
        HttpResponse<String> r = send(HttpRequest.newBuilder(uri("/connectors/" + encode(name) + "/config"))
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(config))));
        if (r.statusCode() != 200 && r.statusCode() != 201) {
            throw new IllegalStateException("connector " + name + ": Connect refused its config (HTTP " + r.statusCode()
                    + "): " + r.body());
        }
    }

    /**
     * Waits until the connector and every one of its tasks are RUNNING.
     *
     * @throws IllegalStateException naming the connector and the worker's trace when a task FAILED, or on timeout
     */
    void awaitRunning(String name, Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        JsonNode status = JSON.createObjectNode();
        while (System.nanoTime() < deadline) {
            status = status(name);
            for (JsonNode task : status.path("tasks")) {
                if ("FAILED".equals(task.path("state").asText())) {
                    throw new IllegalStateException("connector " + name + " task " + task.path("id").asInt()
                            + " FAILED: " + firstLine(task.path("trace").asText()));
                }
            }
            if ("FAILED".equals(status.path("connector").path("state").asText())) {
                throw new IllegalStateException("connector " + name + " FAILED: "
                        + firstLine(status.path("connector").path("trace").asText()));
            }
            if (isRunning(status)) {
                return;
            }
            // Polling the worker's status is the only signal Connect offers; a short pause keeps it cheap.
            Thread.sleep(STATUS_POLL_MS);
        }
        throw new IllegalStateException("connector " + name + " not RUNNING within " + timeout.toSeconds() + " s; last status "
                + status + "; see connect.log in the work directory");
    }

    static boolean isRunning(JsonNode status) {
        if (!"RUNNING".equals(status.path("connector").path("state").asText()) || status.path("tasks").isEmpty()) {
            return false;
        }
        for (JsonNode task : status.path("tasks")) {
            if (!"RUNNING".equals(task.path("state").asText())) {
                return false;
            }
        }
        return true;
    }

    /** {@code GET /connectors/<name>/status}; an empty object while the worker does not know the connector yet. */
    JsonNode status(String name) throws IOException, InterruptedException {
        HttpResponse<String> r = send(HttpRequest.newBuilder(uri("/connectors/" + encode(name) + "/status")).GET());
        return r.statusCode() == 200 ? JSON.readTree(r.body()) : JSON.createObjectNode();
    }

    /**
     * Removes a demo's connector when the demo stops, so that the next start of the worker does not run it again
     * with this run's ports and database before the demo replaces its config. Best effort: on Ctrl-C the worker
     * stops in its own shutdown hook at the same time, and then the next start's config replaces the old one.
     */
    void removeOnStop(String name) {
        try {
            delete(name, STOP_TIMEOUT);
        } catch (IOException | RuntimeException e) {
            log.warn("connector={} not removed on stop (the next start replaces its config) error={}", name, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** {@code DELETE /connectors/<name>}; true when it existed. */
    private boolean delete(String name, Duration timeout) throws IOException, InterruptedException {
        int code = http.send(HttpRequest.newBuilder(uri("/connectors/" + encode(name))).DELETE().timeout(timeout).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
        if (code != 204 && code != 404) {
            throw new IllegalStateException("connector " + name + ": Connect answered HTTP " + code + " to its removal");
        }
        return code == 204;
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return http.send(request.timeout(REQUEST_TIMEOUT).build(), HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return URI.create(baseUrl + path);
    }

    private static String encode(String name) {
        return URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20");
    }

    @Override
    public void close() {
        closeQuietly(http);
    }

    /** Stops the client's selector thread at once where the JDK allows it (21+); on 17 it ends when the client is collected. */
    static void closeQuietly(HttpClient client) {
        if (client instanceof AutoCloseable closeable) {
            try {
                closeable.close();
            } catch (Exception e) {
                // nothing is in flight any more: what close() could report does not matter to the caller
            }
        }
    }

    private static String firstLine(String trace) {
        int nl = trace.indexOf('\n');
        return nl < 0 ? trace : trace.substring(0, nl);
    }
}
