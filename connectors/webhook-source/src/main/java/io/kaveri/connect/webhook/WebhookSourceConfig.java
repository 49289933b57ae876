package io.kaveri.connect.webhook;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.Width;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;
import org.apache.kafka.connect.errors.ConnectException;

/**
 * Every key of the webhook source connector. Connector-wide keys live here; the keys of one route
 * ({@code route.<name>.*}) live in {@link RouteConfig} and are embedded per declared route, so that
 * validation errors name the full key (for example {@code route.github.secret}).
 */
public final class WebhookSourceConfig extends AbstractConfig {

    static final String LISTENER_GROUP = "Listener";
    static final String DELIVERY_GROUP = "Delivery";
    static final String ROUTES_GROUP = "Routes";

    public static final String LISTENER_HOST_CONFIG = "listener.host";
    static final String LISTENER_HOST_DOC = "Interface the HTTP listener binds to. 0.0.0.0 listens on every interface.";

    public static final String LISTENER_PORT_CONFIG = "listener.port";
    static final String LISTENER_PORT_DOC = "Base TCP port of the HTTP listener. Task i listens on listener.port + i, so a "
            + "connector with n tasks uses the n ports from listener.port; each task serves its own group of routes "
            + "(see the README for fronting it with a load balancer on a multi-worker cluster). 0 binds an ephemeral "
            + "port per task (tests only: senders cannot know it).";

    public static final String LISTENER_TLS_KEYSTORE_LOCATION_CONFIG = "listener.tls.keystore.location";
    static final String LISTENER_TLS_KEYSTORE_LOCATION_DOC = "Path of the keystore holding the listener's TLS certificate and "
            + "key, readable on every worker. Empty: the listener speaks cleartext HTTP.";

    public static final String LISTENER_TLS_KEYSTORE_PASSWORD_CONFIG = "listener.tls.keystore.password";
    static final String LISTENER_TLS_KEYSTORE_PASSWORD_DOC = "Password of the keystore.";

    public static final String LISTENER_TLS_KEYSTORE_TYPE_CONFIG = "listener.tls.keystore.type";
    static final String LISTENER_TLS_KEYSTORE_TYPE_DOC = "Type of the keystore: PKCS12 or JKS.";

    public static final String LISTENER_TLS_KEY_PASSWORD_CONFIG = "listener.tls.key.password";
    static final String LISTENER_TLS_KEY_PASSWORD_DOC = "Password of the private key in the keystore, when it differs from the keystore's.";

    public static final String LISTENER_HTTP2_ENABLED_CONFIG = "listener.http2.enabled";
    static final String LISTENER_HTTP2_ENABLED_DOC = "Also speak HTTP/2: negotiated by ALPN over TLS, or h2c (prior knowledge or "
            + "Upgrade) over cleartext. HTTP/1.1 is always available.";

    public static final String LISTENER_IDLE_TIMEOUT_MS_CONFIG = "listener.idle.timeout.ms";
    static final String LISTENER_IDLE_TIMEOUT_MS_DOC = "How long an idle connection is kept open.";

    public static final String HEALTH_PATH_CONFIG = "health.path";
    static final String HEALTH_PATH_DOC = "Path answering GET with 200 while the task accepts requests, 503 while it stops. "
            + "Point the load balancer's health check at it.";

    public static final String ROUTES_CONFIG = "routes";
    static final String ROUTES_DOC = "Names of the routes, for example github,stripe. Each name n is configured by the "
            + "route.n.* keys below. Names: letters, digits, '_' and '-'. Routes are split across tasks.";

    public static final String ACK_TIMEOUT_MS_CONFIG = "ack.timeout.ms";
    static final String ACK_TIMEOUT_MS_DOC = "How long a request waits for Kafka to acknowledge all its records. A request "
            + "whose records are not acknowledged in time is answered 503 with Retry-After; its records may still be "
            + "written, and the sender's retry is then answered as a duplicate when the route deduplicates.";

    public static final String RETRY_AFTER_SECONDS_CONFIG = "retry.after.seconds";
    static final String RETRY_AFTER_SECONDS_DOC = "Value of the Retry-After header on every 503 answer.";

    public static final String POLL_MAX_RECORDS_CONFIG = "poll.max.records";
    static final String POLL_MAX_RECORDS_DOC = "Most records handed to Connect by one poll (whole requests are never split "
            + "across polls, so one poll may exceed it by one request).";

    public static final String POLL_TIMEOUT_MS_CONFIG = "poll.timeout.ms";
    static final String POLL_TIMEOUT_MS_DOC = "Longest time poll() waits for a request before returning nothing, so that the "
            + "task stays responsive to stop and offset commits.";

    public static final String POLL_LINGER_MS_CONFIG = "poll.linger.ms";
    static final String POLL_LINGER_MS_DOC = "Once a request is waiting, how long poll() waits for more (up to "
            + "poll.max.records) before handing them over. With exactly-once source support every poll is a "
            + "transaction, so a few milliseconds let one commit carry many concurrent requests; 0 hands over at once. "
            + "Without exactly-once source support (records acknowledged one by one on the producer's thread, which "
            + "the task notices at the first acknowledgement) poll() never lingers: the producer batches on its own.";

    public static final String DEAD_LETTER_BODY_MAX_BYTES_CONFIG = "dead.letter.body.max.bytes";
    static final String DEAD_LETTER_BODY_MAX_BYTES_DOC = "Bodies of rejected requests are truncated to this many bytes in "
            + "dead-letter records.";

    public static final String DEAD_LETTER_BUFFER_MAX_BYTES_CONFIG = "dead.letter.buffer.max.bytes";
    static final String DEAD_LETTER_BUFFER_MAX_BYTES_DOC = "Memory bound of dead-letter records waiting for poll(). When it "
            + "is full, a rejected request is still answered 4xx, logged at WARN and counted in dead-letters-dropped-total.";

    /** Internal keys set by {@link WebhookSourceConnector#taskConfigs(int)}. */
    static final String TASK_INDEX_CONFIG = "task.index";
    static final String TASK_ROUTES_CONFIG = "task.routes";

    static final String ROUTE_PREFIX = "route.";

    private static final ConfigDef CONFIG_DEF = baseConfigDef();

    private final Map<String, RouteConfig> routes;
    private final List<String> routeOrder;

    public WebhookSourceConfig(Map<String, String> props) {
        this(props, true);
    }

    /** Parses a connector or task configuration, failing with a message that names the offending key. */
    static WebhookSourceConfig parse(Map<String, String> props) {
        try {
            return new WebhookSourceConfig(props);
        } catch (ConfigException e) {
            throw new ConnectException("Invalid webhook source configuration: " + e.getMessage(), e);
        }
    }

    /** strict: also enforce the constraints between keys (see {@link #problems()}). */
    WebhookSourceConfig(Map<String, String> props, boolean strict) {
        super(enrich(props), props, false);
        Map<String, RouteConfig> parsed = new LinkedHashMap<>();
        for (String name : getList(ROUTES_CONFIG)) {
            parsed.put(name, new RouteConfig(name, originalsWithPrefix(routePrefix(name))));
        }
        this.routes = Map.copyOf(parsed);
        this.routeOrder = List.copyOf(parsed.keySet());
        Map<String, String> problems = strict ? problems() : Map.of();
        if (!problems.isEmpty()) {
            Map.Entry<String, String> first = problems.entrySet().iterator().next();
            throw new ConfigException(first.getKey() + ": " + first.getValue());
        }
    }

    /** The connector-wide keys (the documented surface without per-route keys). */
    public static ConfigDef configDef() {
        return new ConfigDef(CONFIG_DEF);
    }

    /** The connector-wide keys plus, for each route named in {@code routes}, its {@code route.<name>.*} keys. */
    static ConfigDef enrich(Map<String, String> props) {
        ConfigDef def = configDef();
        Object raw = props.get(ROUTES_CONFIG);
        if (raw == null) {
            return def;
        }
        List<String> names;
        try {
            @SuppressWarnings("unchecked")
            List<String> parsed = (List<String>) ConfigDef.parseType(ROUTES_CONFIG, raw, Type.LIST);
            names = parsed;
        } catch (ConfigException e) {
            return def;
        }
        Set<String> seen = new HashSet<>();
        for (String name : names) {
            if (RouteNamesValidator.NAME.matcher(name).matches() && seen.add(name)) {
                def.embed(routePrefix(name), "Route " + name, 0, RouteConfig.configDef());
            }
        }
        return def;
    }

    /** The reference page: connector-wide keys, then the keys of one route written as route.&lt;name&gt;.key. */
    static ConfigDef documentationDef() {
        ConfigDef def = configDef();
        def.embed(routePrefix("<name>"), "Route <name>", 0, RouteConfig.configDef());
        return def;
    }

    static String routePrefix(String name) {
        return ROUTE_PREFIX + name + ".";
    }

    /** Constraints between keys, as full key name to message; empty when the configuration is consistent. */
    Map<String, String> problems() {
        Map<String, String> problems = new LinkedHashMap<>();
        Map<String, String> routeByPath = new LinkedHashMap<>();
        for (String name : routeOrder) {
            RouteConfig route = routes.get(name);
            String pathKey = routePrefix(name) + RouteConfig.PATH_CONFIG;
            if (route.path().equals(healthPath())) {
                problems.put(pathKey, "path " + route.path() + " is the health path (" + HEALTH_PATH_CONFIG + ")");
            }
            String other = routeByPath.putIfAbsent(route.path(), name);
            if (other != null) {
                problems.put(pathKey, "path " + route.path() + " is already used by route " + other);
            }
            long longestWait = ackTimeoutMs()
                    + (route.backpressure() == RouteConfig.Backpressure.BLOCK ? route.blockTimeoutMs() : 0);
            if (longestWait >= idleTimeoutMs()) {
                problems.put(LISTENER_IDLE_TIMEOUT_MS_CONFIG, "must exceed ack.timeout.ms plus block.timeout.ms of route "
                        + name + " (" + longestWait + " ms), else idle connections close before they are answered");
            }
            route.problems().forEach((key, message) -> problems.putIfAbsent(routePrefix(name) + key, message));
        }
        return problems;
    }

    Map<String, RouteConfig> routes() {
        return routes;
    }

    List<String> routeNames() {
        return getList(ROUTES_CONFIG);
    }

    String listenerHost() {
        return getString(LISTENER_HOST_CONFIG);
    }

    int listenerPort() {
        return getInt(LISTENER_PORT_CONFIG);
    }

    String keystoreLocation() {
        return getString(LISTENER_TLS_KEYSTORE_LOCATION_CONFIG);
    }

    Password keystorePassword() {
        return getPassword(LISTENER_TLS_KEYSTORE_PASSWORD_CONFIG);
    }

    String keystoreType() {
        return getString(LISTENER_TLS_KEYSTORE_TYPE_CONFIG);
    }

    Password keyPassword() {
        return getPassword(LISTENER_TLS_KEY_PASSWORD_CONFIG);
    }

    boolean http2Enabled() {
        return getBoolean(LISTENER_HTTP2_ENABLED_CONFIG);
    }

    long idleTimeoutMs() {
        return getLong(LISTENER_IDLE_TIMEOUT_MS_CONFIG);
    }

    String healthPath() {
        return getString(HEALTH_PATH_CONFIG);
    }

    long ackTimeoutMs() {
        return getLong(ACK_TIMEOUT_MS_CONFIG);
    }

    int retryAfterSeconds() {
        return getInt(RETRY_AFTER_SECONDS_CONFIG);
    }

    int pollMaxRecords() {
        return getInt(POLL_MAX_RECORDS_CONFIG);
    }

    long pollTimeoutMs() {
        return getLong(POLL_TIMEOUT_MS_CONFIG);
    }

    long pollLingerMs() {
        return getLong(POLL_LINGER_MS_CONFIG);
    }

    int deadLetterBodyMaxBytes() {
        return getInt(DEAD_LETTER_BODY_MAX_BYTES_CONFIG);
    }

    long deadLetterBufferMaxBytes() {
        return getLong(DEAD_LETTER_BUFFER_MAX_BYTES_CONFIG);
    }

    int taskIndex() {
        return getInt(TASK_INDEX_CONFIG);
    }

    /** The routes this task serves: those named in task.routes, or every route outside a task. */
    List<String> taskRoutes() {
        List<String> assigned = getList(TASK_ROUTES_CONFIG);
        return assigned.isEmpty() ? routeNames() : assigned;
    }

    private static ConfigDef baseConfigDef() {
        int listener = 0;
        int delivery = 0;
        return new ConfigDef()
                .define(LISTENER_HOST_CONFIG, Type.STRING, "0.0.0.0", new ConfigDef.NonEmptyString(), Importance.HIGH,
                        LISTENER_HOST_DOC, LISTENER_GROUP, ++listener, Width.MEDIUM, "Listener host")
                .define(LISTENER_PORT_CONFIG, Type.INT, 8080, ConfigDef.Range.between(0, 65535), Importance.HIGH,
                        LISTENER_PORT_DOC, LISTENER_GROUP, ++listener, Width.SHORT, "Listener base port")
                .define(LISTENER_TLS_KEYSTORE_LOCATION_CONFIG, Type.STRING, "", Importance.MEDIUM,
                        LISTENER_TLS_KEYSTORE_LOCATION_DOC, LISTENER_GROUP, ++listener, Width.LONG, "TLS keystore")
                .define(LISTENER_TLS_KEYSTORE_PASSWORD_CONFIG, Type.PASSWORD, null, Importance.MEDIUM,
                        LISTENER_TLS_KEYSTORE_PASSWORD_DOC, LISTENER_GROUP, ++listener, Width.MEDIUM, "TLS keystore password")
                .define(LISTENER_TLS_KEYSTORE_TYPE_CONFIG, Type.STRING, "PKCS12",
                        ConfigDef.CaseInsensitiveValidString.in("PKCS12", "JKS"), Importance.LOW,
                        LISTENER_TLS_KEYSTORE_TYPE_DOC, LISTENER_GROUP, ++listener, Width.SHORT, "TLS keystore type")
                .define(LISTENER_TLS_KEY_PASSWORD_CONFIG, Type.PASSWORD, null, Importance.LOW,
                        LISTENER_TLS_KEY_PASSWORD_DOC, LISTENER_GROUP, ++listener, Width.MEDIUM, "TLS key password")
                .define(LISTENER_HTTP2_ENABLED_CONFIG, Type.BOOLEAN, true, Importance.LOW,
                        LISTENER_HTTP2_ENABLED_DOC, LISTENER_GROUP, ++listener, Width.SHORT, "HTTP/2")
                .define(LISTENER_IDLE_TIMEOUT_MS_CONFIG, Type.LONG, 30_000L, ConfigDef.Range.atLeast(1), Importance.LOW,
                        LISTENER_IDLE_TIMEOUT_MS_DOC, LISTENER_GROUP, ++listener, Width.SHORT, "Idle timeout")
                .define(HEALTH_PATH_CONFIG, Type.STRING, "/health", new UrlPathValidator(), Importance.LOW,
                        HEALTH_PATH_DOC, LISTENER_GROUP, ++listener, Width.SHORT, "Health path")
                .define(ROUTES_CONFIG, Type.LIST, ConfigDef.NO_DEFAULT_VALUE, new RouteNamesValidator(), Importance.HIGH,
                        ROUTES_DOC, ROUTES_GROUP, 1, Width.LONG, "Routes")
                .define(ACK_TIMEOUT_MS_CONFIG, Type.LONG, 10_000L, ConfigDef.Range.atLeast(1), Importance.MEDIUM,
                        ACK_TIMEOUT_MS_DOC, DELIVERY_GROUP, ++delivery, Width.SHORT, "Ack timeout")
                .define(RETRY_AFTER_SECONDS_CONFIG, Type.INT, 5, ConfigDef.Range.atLeast(0), Importance.LOW,
                        RETRY_AFTER_SECONDS_DOC, DELIVERY_GROUP, ++delivery, Width.SHORT, "Retry-After")
                .define(POLL_MAX_RECORDS_CONFIG, Type.INT, 1000, ConfigDef.Range.atLeast(1), Importance.LOW,
                        POLL_MAX_RECORDS_DOC, DELIVERY_GROUP, ++delivery, Width.SHORT, "Poll max records")
                .define(POLL_TIMEOUT_MS_CONFIG, Type.LONG, 100L, ConfigDef.Range.between(1, 5_000), Importance.LOW,
                        POLL_TIMEOUT_MS_DOC, DELIVERY_GROUP, ++delivery, Width.SHORT, "Poll timeout")
                .define(POLL_LINGER_MS_CONFIG, Type.LONG, 5L, ConfigDef.Range.between(0, 1_000), Importance.LOW,
                        POLL_LINGER_MS_DOC, DELIVERY_GROUP, ++delivery, Width.SHORT, "Poll linger")
                .define(DEAD_LETTER_BODY_MAX_BYTES_CONFIG, Type.INT, 8192, ConfigDef.Range.atLeast(0), Importance.LOW,
                        DEAD_LETTER_BODY_MAX_BYTES_DOC, DELIVERY_GROUP, ++delivery, Width.SHORT, "Dead-letter body bytes")
                .define(DEAD_LETTER_BUFFER_MAX_BYTES_CONFIG, Type.LONG, 4L << 20, ConfigDef.Range.atLeast(1024),
                        Importance.LOW, DEAD_LETTER_BUFFER_MAX_BYTES_DOC, DELIVERY_GROUP, ++delivery, Width.SHORT,
                        "Dead-letter buffer bytes")
                .defineInternal(TASK_INDEX_CONFIG, Type.INT, 0, ConfigDef.Range.atLeast(0), Importance.LOW,
                        "Index of the task, set by the connector.")
                .defineInternal(TASK_ROUTES_CONFIG, Type.LIST, "", null, Importance.LOW,
                        "Routes served by the task, set by the connector.");
    }

    /** A non-empty list of distinct route names made of letters, digits, '_' and '-'. */
    static final class RouteNamesValidator implements ConfigDef.Validator {
        static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]+");

        @Override
        public void ensureValid(String name, Object value) {
            @SuppressWarnings("unchecked")
            List<String> names = value == null ? List.of() : (List<String>) value;
            if (names.isEmpty()) {
                throw new ConfigException(name, value, "declare at least one route, for example routes=github");
            }
            List<String> seen = new ArrayList<>();
            for (String route : names) {
                if (!NAME.matcher(route).matches()) {
                    throw new ConfigException(name, value, "route name '" + route + "' may only hold letters, digits, '_' and '-'");
                }
                if (seen.contains(route)) {
                    throw new ConfigException(name, value, "route '" + route + "' is declared twice");
                }
                seen.add(route);
            }
        }

        @Override
        public String toString() {
            return "non-empty list of distinct names [A-Za-z0-9_-]+";
        }
    }

    /** An absolute URL path without query or fragment. */
    static final class UrlPathValidator implements ConfigDef.Validator {
        @Override
        public void ensureValid(String name, Object value) {
            if (value == null) {
                return;
            }
            String path = (String) value;
            if (!path.startsWith("/") || path.contains("?") || path.contains("#") || path.contains(" ")) {
                throw new ConfigException(name, value, "must be an absolute path such as /github, without query or spaces");
            }
        }

        @Override
        public String toString() {
            return "absolute path, e.g. /github";
        }
    }
}
