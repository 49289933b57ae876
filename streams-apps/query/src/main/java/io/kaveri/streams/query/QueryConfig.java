package io.kaveri.streams.query;

import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.Width;
import org.apache.kafka.common.config.ConfigException;

import java.util.Map;

/**
 * The query service's keys. They sit beside an app's own keys in the same properties (unknown keys pass through
 * {@code StreamsAppConfig}), so one file configures an app and its query service.
 */
public final class QueryConfig extends AbstractConfig {

    public static final String LISTENER_PORT_CONFIG = "query.listener.port";
    private static final String LISTENER_PORT_DOC = "TCP port of the HTTP query API, the event stream and the dashboard; "
            + "0 picks a free port. It becomes the port of application.server, through which other instances of the "
            + "app forward queries for keys this instance owns.";

    public static final String LISTENER_HOST_CONFIG = "query.listener.host";
    private static final String LISTENER_HOST_DOC = "Interface the HTTP server binds to; 0.0.0.0 for all.";

    public static final String ADVERTISED_HOST_CONFIG = "query.advertised.host";
    private static final String ADVERTISED_HOST_DOC = "Host name other instances reach this one by; the host of "
            + "application.server.";

    public static final String FORWARD_TIMEOUT_CONFIG = "query.forward.timeout.ms";
    private static final String FORWARD_TIMEOUT_DOC = "How long a query forwarded to the instance owning a key (or to "
            + "every instance, for a fan-out) may take before the caller gets 503.";

    public static final String RETRY_AFTER_CONFIG = "query.retry.after.seconds";
    private static final String RETRY_AFTER_DOC = "Retry-After of a 503 while stores are rebalancing or restoring.";

    public static final String LAG_REFRESH_CONFIG = "query.lag.refresh.ms";
    private static final String LAG_REFRESH_DOC = "How often the lag of local store replicas is read, to decide whether "
            + "a standby is fresh enough for a caller's maxLagMs; it bounds how stale a staleness estimate is.";

    public static final String SSE_MAX_CLIENTS_CONFIG = "query.sse.max.clients";
    private static final String SSE_MAX_CLIENTS_DOC = "Event-stream clients served at once; one more gets 503.";

    public static final String SSE_CLIENT_QUEUE_CONFIG = "query.sse.client.queue.size";
    private static final String SSE_CLIENT_QUEUE_DOC = "Events waiting to be written to one client. A client that falls "
            + "this far behind is disconnected (it reconnects with Last-Event-ID), so a slow browser never holds memory "
            + "or slows the others.";

    public static final String SSE_REPLAY_CONFIG = "query.sse.replay.size";
    private static final String SSE_REPLAY_DOC = "Recent events kept for clients reconnecting with Last-Event-ID and "
            + "for a new dashboard's first picture.";

    public static final String SSE_HISTORY_CONFIG = "query.sse.history.ms";
    private static final String SSE_HISTORY_DOC = "On start, the event feed reads the apps' output topics from this "
            + "long ago, so the replay buffer holds recent history at once.";

    private static final ConfigDef.Validator PORT = ConfigDef.Range.between(0, 65_535);
    private static final ConfigDef.Validator POSITIVE = ConfigDef.Range.atLeast(1);
    private static final ConfigDef.Validator NOT_NEGATIVE = ConfigDef.Range.atLeast(0);

    public QueryConfig(Map<String, ?> values) {
        super(configDef(), values, false);
    }

    public static ConfigDef configDef() {
        String group = "Query service";
        int order = 0;
        return new ConfigDef()
                .define(LISTENER_PORT_CONFIG, Type.INT, 7070, PORT, Importance.HIGH, LISTENER_PORT_DOC,
                        group, ++order, Width.SHORT, "Port")
                .define(LISTENER_HOST_CONFIG, Type.STRING, "0.0.0.0", new ConfigDef.NonEmptyString(), Importance.LOW,
                        LISTENER_HOST_DOC, group, ++order, Width.MEDIUM, "Bind address")
                .define(ADVERTISED_HOST_CONFIG, Type.STRING, "localhost", new HostName(), Importance.HIGH,
                        ADVERTISED_HOST_DOC, group, ++order, Width.MEDIUM, "Advertised host")
                .define(FORWARD_TIMEOUT_CONFIG, Type.LONG, 5_000L, POSITIVE, Importance.MEDIUM, FORWARD_TIMEOUT_DOC,
                        group, ++order, Width.SHORT, "Forward timeout (ms)")
                .define(RETRY_AFTER_CONFIG, Type.INT, 2, POSITIVE, Importance.LOW, RETRY_AFTER_DOC,
                        group, ++order, Width.SHORT, "Retry-After (s)")
                .define(LAG_REFRESH_CONFIG, Type.LONG, 1_000L, POSITIVE, Importance.LOW, LAG_REFRESH_DOC,
                        group, ++order, Width.SHORT, "Lag refresh (ms)")
                .define(SSE_MAX_CLIENTS_CONFIG, Type.INT, 100, POSITIVE, Importance.MEDIUM, SSE_MAX_CLIENTS_DOC,
                        group, ++order, Width.SHORT, "Max event clients")
                .define(SSE_CLIENT_QUEUE_CONFIG, Type.INT, 1_000, POSITIVE, Importance.LOW, SSE_CLIENT_QUEUE_DOC,
                        group, ++order, Width.SHORT, "Client queue")
                .define(SSE_REPLAY_CONFIG, Type.INT, 5_000, NOT_NEGATIVE, Importance.LOW, SSE_REPLAY_DOC,
                        group, ++order, Width.SHORT, "Replay buffer")
                .define(SSE_HISTORY_CONFIG, Type.LONG, 3_600_000L, NOT_NEGATIVE, Importance.LOW, SSE_HISTORY_DOC,
                        group, ++order, Width.SHORT, "History (ms)");
    }

    int port() {
        return getInt(LISTENER_PORT_CONFIG);
    }

    String bindHost() {
        return getString(LISTENER_HOST_CONFIG);
    }

    String advertisedHost() {
        return getString(ADVERTISED_HOST_CONFIG);
    }

    long forwardTimeoutMs() {
        return getLong(FORWARD_TIMEOUT_CONFIG);
    }

    int retryAfterSeconds() {
        return getInt(RETRY_AFTER_CONFIG);
    }

    long lagRefreshMs() {
        return getLong(LAG_REFRESH_CONFIG);
    }

    int maxSseClients() {
        return getInt(SSE_MAX_CLIENTS_CONFIG);
    }

    int clientQueueSize() {
        return getInt(SSE_CLIENT_QUEUE_CONFIG);
    }

    int replaySize() {
        return getInt(SSE_REPLAY_CONFIG);
    }

    long historyMs() {
        return getLong(SSE_HISTORY_CONFIG);
    }

    /** application.server is host:port, so a host must not carry a port, a scheme or a path. */
    private static final class HostName implements ConfigDef.Validator {
        @Override
        public void ensureValid(String name, Object value) {
            String host = (String) value;
            if (host == null || host.isBlank() || host.contains(":") || host.contains("/")) {
                throw new ConfigException(name, value, "must be a host name or IPv4 address, without port or scheme");
            }
        }

        @Override
        public String toString() {
            return "host name";
        }
    }
}
