package io.kaveri.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;
import org.apache.kafka.common.security.ssl.DefaultSslEngineFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The calls of the Kafka Connect REST API that the demo and {@code ./kaveri deploy} make: is this Connect, a
 * connector's config, Connect's validation of a config, create or update, status, removal. Connector names are
 * URL-encoded; basic auth and a TLS truststore come from {@code connect.*} client settings. Every failure is a
 * {@link ConnectRestException} naming the call, the URL and what to check.
 */
final class ConnectRest implements AutoCloseable {

    /** Prefix of the Connect client settings in a client properties file (beside the Kafka client's own keys). */
    static final String PREFIX = "connect.";

    static final String BASIC_AUTH_USER_INFO_CONFIG = "basic.auth.user.info";
    private static final String BASIC_AUTH_USER_INFO_DOC = "user:password for the Connect REST API's HTTP basic "
            + "authentication (Connect's BasicAuthSecurityRestExtension); empty for none.";

    /** {@code connect.basic.auth.user.info} and every Kafka {@code ssl.*} client key, read after the prefix. */
    static final ConfigDef CONFIG = new ConfigDef()
            .define(BASIC_AUTH_USER_INFO_CONFIG, ConfigDef.Type.PASSWORD, "", ConfigDef.Importance.MEDIUM, BASIC_AUTH_USER_INFO_DOC)
            .withClientSslSupport();

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(5);
    private static final long STATUS_POLL_MS = 250;
    private static final Logger log = LoggerFactory.getLogger(ConnectRest.class);

    /** A Connect REST call that failed; the message names the call, the URL and the fix. */
    static final class ConnectRestException extends RuntimeException {
        ConnectRestException(String message) {
            super(message);
        }
    }

    private final String baseUrl;
    private final Optional<String> authorization;
    private final HttpClient http;

    /** A client without credentials, trusting the JDK's CAs. */
    ConnectRest(String baseUrl) {
        this(baseUrl, Map.of());
    }

    /**
     * @param settings {@code basic.auth.user.info} and Kafka's {@code ssl.*} client keys (without the {@link #PREFIX});
     *                 ssl keys matter for https URLs only
     */
    ConnectRest(String baseUrl, Map<String, ?> settings) {
        this.baseUrl = baseUrl.replaceAll("/+$", "");
        AbstractConfig config;
        try {
            config = new AbstractConfig(CONFIG, settings, false);
        } catch (ConfigException e) {
            throw new ConnectRestException("Connect client settings (" + PREFIX + "*): " + e.getMessage());
        }
        Password userInfo = config.getPassword(BASIC_AUTH_USER_INFO_CONFIG);
        if (!userInfo.value().isEmpty() && !userInfo.value().contains(":")) {
            throw new ConnectRestException(PREFIX + BASIC_AUTH_USER_INFO_CONFIG + " must be user:password");
        }
        this.authorization = userInfo.value().isEmpty() ? Optional.empty() : Optional.of("Basic "
                + Base64.getEncoder().encodeToString(userInfo.value().getBytes(StandardCharsets.UTF_8)));
        HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT);
        if (this.baseUrl.startsWith("https:")) {
            builder.sslContext(sslContext(config));
        }
        this.http = builder.build();
    }

    /** The {@code connect.*} keys of a client properties file, prefix removed. */
    static Map<String, String> settingsOf(Map<String, String> clientProperties) {
        Map<String, String> settings = new TreeMap<>();
        clientProperties.forEach((k, v) -> {
            if (k.startsWith(PREFIX)) {
                settings.put(k.substring(PREFIX.length()), v);
            }
        });
        return settings;
    }

    /**
     * Kafka's own reading of the ssl.* keys (JKS, PKCS12 or PEM truststores, protocols), so users write what they know;
     * without a truststore it trusts the JDK's CAs.
     */
    private SSLContext sslContext(AbstractConfig config) {
        try (DefaultSslEngineFactory factory = new DefaultSslEngineFactory()) {
            factory.configure(config.values());
            return factory.sslContext();
        } catch (KafkaException e) {
            throw new ConnectRestException("cannot build the TLS context for the Connect REST API at " + baseUrl + " from "
                    + PREFIX + "ssl.*: " + e.getMessage() + "; check " + PREFIX + "ssl.truststore.location and its password");
        }
    }

    /** {@code GET /}: fails unless the URL answers like a Connect worker (version and kafka_cluster_id). */
    void checkIsConnect() {
        JsonNode root = get("/", "GET /").orElseThrow(() -> notConnect("GET / answered 404"));
        if (!root.has("version") || !root.has("kafka_cluster_id")) {
            throw notConnect("GET / answered " + abbreviate(root.toString()));
        }
    }

    /** {@code GET /connectors/<name>/config}; empty when there is no such connector. */
    Optional<Map<String, String>> config(String name) {
        return get("/connectors/" + encode(name) + "/config", "get the config of connector " + name).map(node -> {
            Map<String, String> config = new TreeMap<>();
            node.fields().forEachRemaining(f -> config.put(f.getKey(), f.getValue().asText()));
            return config;
        });
    }

    /**
     * Connect's own validation of every key ({@code PUT /connector-plugins/<class>/config/validate}).
     *
     * @return the problems, as {@code key: message}; empty when the config is valid
     * @throws ConnectRestException when the workers lack the plugin
     */
    List<String> validate(String name, Map<String, String> config) {
        String plugin = config.get("connector.class");
        Map<String, String> body = new LinkedHashMap<>(config);
        body.put("name", name);
        JsonNode result = send(HttpRequest.newBuilder(uri("/connector-plugins/" + encode(plugin) + "/config/validate"))
                .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(write(body))),
                "validate connector " + name, 200)
                .orElseThrow(() -> new ConnectRestException("connector " + name + ": the Connect cluster at " + baseUrl
                        + " has no plugin " + plugin + "; install the Kaveri plugin on every worker (plugin.path) and restart them"));
        List<String> problems = new ArrayList<>();
        if (result.path("error_count").asInt() > 0) {
            for (JsonNode c : result.path("configs")) {
                for (JsonNode m : c.path("value").path("errors")) {
                    problems.add(c.path("value").path("name").asText() + ": " + m.asText());
                }
            }
        }
        return problems;
    }

    /** {@code PUT /connectors/<name>/config}: creates the connector, or replaces its config. */
    void putConfig(String name, Map<String, String> config) {
        send(HttpRequest.newBuilder(uri("/connectors/" + encode(name) + "/config")).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(write(config))), "put the config of connector " + name, 200, 201)
                .orElseThrow(() -> new ConnectRestException("connector " + name + ": PUT of its config answered 404 at " + baseUrl));
    }

    /**
     * Waits until the connector and every one of its tasks are RUNNING.
     *
     * @throws ConnectRestException naming the connector and the worker's trace when a task FAILED, or on timeout
     */
    void awaitRunning(String name, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        JsonNode status = JSON.createObjectNode();
        while (System.nanoTime() < deadline) {
            status = status(name);
            for (JsonNode task : status.path("tasks")) {
                if ("FAILED".equals(task.path("state").asText())) {
                    throw new ConnectRestException("connector " + name + " task " + task.path("id").asInt()
                            + " FAILED: " + firstLine(task.path("trace").asText()));
                }
            }
            if ("FAILED".equals(status.path("connector").path("state").asText())) {
                throw new ConnectRestException("connector " + name + " FAILED: "
                        + firstLine(status.path("connector").path("trace").asText()));
            }
            if (isRunning(status)) {
                return;
            }
            // Polling the worker's status is the only signal Connect offers; a short pause keeps it cheap.
            Thread.sleep(STATUS_POLL_MS);
        }
        throw new ConnectRestException("connector " + name + " not RUNNING within " + timeout.toSeconds() + " s; last status "
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
    JsonNode status(String name) {
        return get("/connectors/" + encode(name) + "/status", "get the status of connector " + name)
                .orElseGet(JSON::createObjectNode);
    }

    /**
     * Removes a demo's connector when the demo stops, so that the next start of the worker does not run it again
     * with this run's ports and database before the demo replaces its config. Best effort: on Ctrl-C the worker
     * stops in its own shutdown hook at the same time, and then the next start's config replaces the old one.
     */
    void removeOnStop(String name) {
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(uri("/connectors/" + encode(name))).DELETE().timeout(STOP_TIMEOUT);
            authorization.ifPresent(a -> request.header("Authorization", a));
            int code = http.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
            if (code != 204 && code != 404) {
                log.warn("connector={} not removed on stop status={}", name, code);
            }
        } catch (IOException | RuntimeException e) {
            log.warn("connector={} not removed on stop (the next start replaces its config) error={}", name, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private Optional<JsonNode> get(String path, String what) {
        return send(HttpRequest.newBuilder(uri(path)).GET(), what, 200);
    }

    /** The answer's JSON, empty on 404; any other status than {@code ok} is an error naming the call. */
    private Optional<JsonNode> send(HttpRequest.Builder request, String what, int... ok) {
        authorization.ifPresent(a -> request.header("Authorization", a));
        HttpResponse<String> r;
        try {
            r = http.send(request.timeout(REQUEST_TIMEOUT).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new ConnectRestException("cannot reach the Connect cluster at " + baseUrl + " (" + what + "): " + e
                    + "; check --connect-url" + (baseUrl.startsWith("https:") ? " and " + PREFIX + "ssl.truststore.*" : ""));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConnectRestException("interrupted during " + what + " at " + baseUrl);
        }
        if (r.statusCode() == 404) {
            return Optional.empty();
        }
        for (int status : ok) {
            if (r.statusCode() == status) {
                try {
                    return Optional.of(r.body().isBlank() ? JSON.createObjectNode() : JSON.readTree(r.body()));
                } catch (JsonProcessingException e) {
                    throw notConnect(what + " answered non-JSON: " + abbreviate(r.body()));
                }
            }
        }
        String fix = r.statusCode() == 401 ? "; give the REST API's credentials with --connect-basic-auth user:password or "
                + PREFIX + BASIC_AUTH_USER_INFO_CONFIG + " in --command-config"
                : r.statusCode() == 403 ? "; the Connect REST API refuses these credentials that call" : "";
        throw new ConnectRestException("cannot " + what + ": the Connect cluster at " + baseUrl + " answered HTTP "
                + r.statusCode() + ": " + abbreviate(r.body()) + fix);
    }

    private ConnectRestException notConnect(String what) {
        return new ConnectRestException("--connect-url " + baseUrl + " is not a Kafka Connect REST API (" + what
                + "); give the worker's REST listener, e.g. http://connect:8083");
    }

    private URI uri(String path) {
        try {
            return URI.create(baseUrl + path);
        } catch (IllegalArgumentException e) {
            throw new ConnectRestException("--connect-url " + baseUrl + " is not a URL: " + e.getMessage());
        }
    }

    static String encode(String name) {
        return URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static String write(Map<String, String> config) {
        try {
            return JSON.writeValueAsString(config);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a map of strings is always JSON", e);
        }
    }

    private static String abbreviate(String body) {
        return body.length() > 300 ? body.substring(0, 300) + "..." : body;
    }

    private static String firstLine(String trace) {
        int nl = trace.indexOf('\n');
        return nl < 0 ? trace : trace.substring(0, nl);
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
}
