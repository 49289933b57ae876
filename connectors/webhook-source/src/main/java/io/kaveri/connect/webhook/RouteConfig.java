package io.kaveri.connect.webhook;

import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import javax.crypto.Mac;

import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.Width;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;

import com.fasterxml.jackson.core.JsonPointer;

/** The keys of one route, read without their {@code route.<name>.} prefix. */
final class RouteConfig extends AbstractConfig {

    private static final String ENDPOINT = "Endpoint";
    private static final String SECURITY = "Security";
    private static final String SHAPE = "Shape";
    private static final String LIMITS = "Limits";

    static final String PATH_CONFIG = "path";
    static final String PATH_DOC = "URL path of the route. Default: /<name>.";

    static final String TOPIC_CONFIG = "topic";
    static final String TOPIC_DOC = "Topic the route's events are written to.";

    static final String SIGNATURE_SCHEME_CONFIG = "signature.scheme";
    static final String SIGNATURE_SCHEME_DOC = "How requests are authenticated, always over the raw body bytes with a "
            + "constant-time comparison: none; github (X-Hub-Signature-256, also Meta/WhatsApp); stripe "
            + "(Stripe-Signature t=,v1=); shopify (X-Shopify-Hmac-Sha256); slack (X-Slack-Signature v0); "
            + "standard-webhooks (webhook-id, webhook-timestamp, webhook-signature); hmac (the signature.* keys); "
            + "bearer (Authorization: Bearer); basic (Authorization: Basic).";

    static final String SECRET_CONFIG = "secret";
    static final String SECRET_DOC = "Signing secret(s), comma-separated: a request verified by any of them is accepted, "
            + "which lets a sender rotate secrets without downtime. standard-webhooks: whsec_<base64>; bearer: tokens; "
            + "basic: user:password pairs. Never logged.";

    static final String SIGNATURE_HEADER_CONFIG = "signature.header";
    static final String SIGNATURE_HEADER_DOC = "hmac scheme: request header holding the signature.";

    static final String SIGNATURE_ALGORITHM_CONFIG = "signature.algorithm";
    static final String SIGNATURE_ALGORITHM_DOC = "hmac scheme: JDK Mac algorithm, e.g. HmacSHA256, HmacSHA1, HmacSHA512.";

    static final String SIGNATURE_ENCODING_CONFIG = "signature.encoding";
    static final String SIGNATURE_ENCODING_DOC = "hmac scheme: encoding of the signature, hex or base64.";

    static final String SIGNATURE_PREFIX_CONFIG = "signature.prefix";
    static final String SIGNATURE_PREFIX_DOC = "hmac scheme: text before the signature in the header, e.g. sha256=.";

    static final String TIMESTAMP_TOLERANCE_SECONDS_CONFIG = "timestamp.tolerance.seconds";
    static final String TIMESTAMP_TOLERANCE_SECONDS_DOC = "Replay window of stripe, slack and standard-webhooks: a signed "
            + "timestamp further than this from the worker's clock is rejected with 401. 0 disables the check.";

    static final String VERIFY_TOKEN_CONFIG = "verify.token";
    static final String VERIFY_TOKEN_DOC = "Meta/WhatsApp subscription handshake: GET with hub.mode=subscribe and this "
            + "hub.verify_token is answered with hub.challenge. Empty: GET is not allowed.";

    static final String CLOUDEVENTS_ALLOWED_ORIGINS_CONFIG = "cloudevents.allowed.origins";
    static final String CLOUDEVENTS_ALLOWED_ORIGINS_DOC = "CloudEvents webhook validation: OPTIONS with a "
            + "WebHook-Request-Origin in this list (or * for any) is answered with WebHook-Allowed-Origin. Empty: "
            + "OPTIONS is not allowed.";

    static final String CONTENT_CONFIG = "content";
    static final String CONTENT_DOC = "Shape of request bodies: json (one event, or one per element with split.pointer), "
            + "ndjson (one event per line), form (application/x-www-form-urlencoded, turned into a JSON object), "
            + "cloudevents (binary, structured or batch mode), raw (bytes, not parsed).";

    static final String BODY_FORMAT_CONFIG = "body.format";
    static final String BODY_FORMAT_DOC = "What the record value carries of each event: json (the JSON text), bytes (the "
            + "raw bytes) or both. raw content always carries bytes.";

    static final String SPLIT_POINTER_CONFIG = "split.pointer";
    static final String SPLIT_POINTER_DOC = "json content: JSON pointer (RFC 6901) to an array whose elements become one "
            + "record each; an empty value splits a top-level array. Unset: one record per request.";

    static final String KEY_POINTER_CONFIG = "key.pointer";
    static final String KEY_POINTER_DOC = "JSON pointer into each event whose value becomes the record key (a string).";

    static final String KEY_HEADER_CONFIG = "key.header";
    static final String KEY_HEADER_DOC = "Request header whose value becomes the record key when key.pointer is unset or "
            + "finds nothing.";

    static final String EVENT_TYPE_HEADER_CONFIG = "event.type.header";
    static final String EVENT_TYPE_HEADER_DOC = "Request header naming the event type (the envelope's eventType). Default by "
            + "scheme: github X-GitHub-Event, shopify X-Shopify-Topic.";

    static final String EVENT_TYPE_POINTER_CONFIG = "event.type.pointer";
    static final String EVENT_TYPE_POINTER_DOC = "JSON pointer into each event naming its type, tried before "
            + "event.type.header. Default: stripe and standard-webhooks /type, slack /event/type, cloudevents /type.";

    static final String DEDUP_HEADER_CONFIG = "dedup.header";
    static final String DEDUP_HEADER_DOC = "Request header carrying the delivery id. Default by scheme: github "
            + "X-GitHub-Delivery, shopify X-Shopify-Webhook-Id, standard-webhooks webhook-id; cloudevents uses the "
            + "event id.";

    static final String DEDUP_POINTER_CONFIG = "dedup.pointer";
    static final String DEDUP_POINTER_DOC = "JSON pointer into the request body carrying the delivery id when no header "
            + "does. Default by scheme: stripe /id, slack /event_id.";

    static final String DEDUP_WINDOW_MS_CONFIG = "dedup.window.ms";
    static final String DEDUP_WINDOW_MS_DOC = "How long a delivery id is remembered. A repeated delivery within the window "
            + "is answered 200 without producing again (or waits for the first one's acknowledgement).";

    static final String DEDUP_MAX_ENTRIES_CONFIG = "dedup.max.entries";
    static final String DEDUP_MAX_ENTRIES_DOC = "Most delivery ids remembered (the oldest are forgotten first). 0 disables "
            + "deduplication.";

    static final String DEDUP_PERSISTED_IDS_CONFIG = "dedup.persisted.ids";
    static final String DEDUP_PERSISTED_IDS_DOC = "How many of the latest delivery ids are also kept in the connector's "
            + "source offsets (one offset key per id, reused in turn), and read back when a task starts, so that a "
            + "retry after a task restart, rebalance or worker move is still answered as a duplicate. Written with the "
            + "records: in their transaction with exactly-once source support, else at the next offset flush (a worker "
            + "killed before it may let a retry through again). 0: ids are remembered in memory only.";

    static final String MAX_BODY_BYTES_CONFIG = "max.body.bytes";
    static final String MAX_BODY_BYTES_DOC = "Largest accepted request body. Larger bodies are answered 413 as soon as the "
            + "Content-Length or the bytes read so far exceed it; the body is never buffered beyond the limit.";

    static final String BUFFER_MAX_BYTES_CONFIG = "buffer.max.bytes";
    static final String BUFFER_MAX_BYTES_DOC = "Memory bound (body bytes) of the route's events waiting for poll(). At "
            + "least max.body.bytes.";

    static final String BACKPRESSURE_CONFIG = "backpressure";
    static final String BACKPRESSURE_DOC = "What a request meets when the buffer is full: reject (503 with Retry-After at "
            + "once), block (held, without a thread, up to block.timeout.ms, then 503) or drop (answered 202, not "
            + "written, counted in dropped-total: only for events you can afford to lose).";

    static final String BLOCK_TIMEOUT_MS_CONFIG = "block.timeout.ms";
    static final String BLOCK_TIMEOUT_MS_DOC = "backpressure=block: how long a request waits for buffer space.";

    static final String HEADERS_ALLOW_CONFIG = "headers.allow";
    static final String HEADERS_ALLOW_DOC = "Request headers copied into the record (Kafka headers and the envelope's "
            + "headers map), case-insensitive. Credentials (Authorization, Cookie, signature headers...) are left out "
            + "even when listed, unless headers.allow.credentials=true.";

    static final String HEADERS_ALLOW_CREDENTIALS_CONFIG = "headers.allow.credentials";
    static final String HEADERS_ALLOW_CREDENTIALS_DOC = "Copy credential headers named in headers.allow too.";

    static final String DEAD_LETTER_TOPIC_CONFIG = "dead.letter.topic";
    static final String DEAD_LETTER_TOPIC_DOC = "Topic for requests answered 4xx (bad signature, unparsable body, too "
            + "large...): the truncated body with the reason in headers (kaveri.webhook.error.reason). Empty: none.";

    static final String VALUE_CONTRACT_CONFIG = "value.contract";
    static final String VALUE_CONTRACT_DOC = "Avro full name of a Kaveri contract (e.g. io.kaveri.schemas.market.Trade): "
            + "each JSON event becomes a record of that contract instead of the WebhookEvent envelope, so the apps "
            + "reading the topic decode it with their own classes. Fields map by name; timestamp-millis takes an "
            + "ISO-8601 instant or epoch milliseconds, decimal a number or numeric string within its scale, enum one "
            + "of its symbols; missing fields take the contract's default. An event that does not fit is answered "
            + "400 naming the field (and goes to dead.letter.topic). Set value.converter.enhanced.avro.schema.support="
            + "true so that enums stay enums. Empty: the envelope.";

    enum Scheme { NONE, GITHUB, STRIPE, SHOPIFY, SLACK, STANDARD_WEBHOOKS, HMAC, BEARER, BASIC;
        static Scheme parse(String s) {
            return valueOf(s.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
        }
    }

    enum Content { JSON, NDJSON, FORM, CLOUDEVENTS, RAW }

    enum BodyFormat { JSON, BYTES, BOTH }

    enum Backpressure { REJECT, BLOCK, DROP }

    private static final ConfigDef CONFIG_DEF = routeConfigDef();

    private final String name;

    RouteConfig(String name, Map<String, ?> props) {
        super(CONFIG_DEF, props, false);
        this.name = name;
    }

    static ConfigDef configDef() {
        return new ConfigDef(CONFIG_DEF);
    }

    String name() {
        return name;
    }

    String path() {
        String path = getString(PATH_CONFIG);
        return path == null ? "/" + name : path;
    }

    String topic() {
        return getString(TOPIC_CONFIG);
    }

    Scheme scheme() {
        return Scheme.parse(getString(SIGNATURE_SCHEME_CONFIG));
    }

    /** The comma-separated secrets; values stay inside this package and are never logged. */
    List<String> secrets() {
        Password secret = getPassword(SECRET_CONFIG);
        List<String> out = new ArrayList<>();
        if (secret != null) {
            for (String s : secret.value().split(",")) {
                if (!s.isBlank()) {
                    out.add(s.trim());
                }
            }
        }
        return out;
    }

    String signatureHeader() {
        return getString(SIGNATURE_HEADER_CONFIG);
    }

    String signatureAlgorithm() {
        return getString(SIGNATURE_ALGORITHM_CONFIG);
    }

    boolean signatureBase64() {
        return "base64".equalsIgnoreCase(getString(SIGNATURE_ENCODING_CONFIG));
    }

    String signaturePrefix() {
        return getString(SIGNATURE_PREFIX_CONFIG);
    }

    long toleranceSeconds() {
        return getLong(TIMESTAMP_TOLERANCE_SECONDS_CONFIG);
    }

    Password verifyToken() {
        return getPassword(VERIFY_TOKEN_CONFIG);
    }

    List<String> allowedOrigins() {
        return getList(CLOUDEVENTS_ALLOWED_ORIGINS_CONFIG);
    }

    Content content() {
        return Content.valueOf(getString(CONTENT_CONFIG).toUpperCase(Locale.ROOT));
    }

    BodyFormat bodyFormat() {
        return BodyFormat.valueOf(getString(BODY_FORMAT_CONFIG).toUpperCase(Locale.ROOT));
    }

    String splitPointer() {
        return getString(SPLIT_POINTER_CONFIG);
    }

    String keyPointer() {
        return getString(KEY_POINTER_CONFIG);
    }

    String keyHeader() {
        return getString(KEY_HEADER_CONFIG);
    }

    String eventTypeHeader() {
        String header = getString(EVENT_TYPE_HEADER_CONFIG);
        if (header != null) {
            return header;
        }
        return switch (scheme()) {
            case GITHUB -> "X-GitHub-Event";
            case SHOPIFY -> "X-Shopify-Topic";
            default -> null;
        };
    }

    String eventTypePointer() {
        String pointer = getString(EVENT_TYPE_POINTER_CONFIG);
        if (pointer != null) {
            return pointer;
        }
        if (content() == Content.CLOUDEVENTS) {
            return "/type";
        }
        return switch (scheme()) {
            case STRIPE, STANDARD_WEBHOOKS -> "/type";
            case SLACK -> "/event/type";
            default -> null;
        };
    }

    String dedupHeader() {
        String header = getString(DEDUP_HEADER_CONFIG);
        if (header != null) {
            return header;
        }
        return switch (scheme()) {
            case GITHUB -> "X-GitHub-Delivery";
            case SHOPIFY -> "X-Shopify-Webhook-Id";
            case STANDARD_WEBHOOKS -> "webhook-id";
            default -> null;
        };
    }

    String dedupPointer() {
        String pointer = getString(DEDUP_POINTER_CONFIG);
        if (pointer != null) {
            return pointer;
        }
        return switch (scheme()) {
            case STRIPE -> "/id";
            case SLACK -> "/event_id";
            default -> null;
        };
    }

    long dedupWindowMs() {
        return getLong(DEDUP_WINDOW_MS_CONFIG);
    }

    int dedupMaxEntries() {
        return getInt(DEDUP_MAX_ENTRIES_CONFIG);
    }

    int dedupPersistedIds() {
        return getInt(DEDUP_PERSISTED_IDS_CONFIG);
    }

    int maxBodyBytes() {
        return getInt(MAX_BODY_BYTES_CONFIG);
    }

    long bufferMaxBytes() {
        return getLong(BUFFER_MAX_BYTES_CONFIG);
    }

    Backpressure backpressure() {
        return Backpressure.valueOf(getString(BACKPRESSURE_CONFIG).toUpperCase(Locale.ROOT));
    }

    long blockTimeoutMs() {
        return getLong(BLOCK_TIMEOUT_MS_CONFIG);
    }

    List<String> headersAllow() {
        return getList(HEADERS_ALLOW_CONFIG);
    }

    boolean headersAllowCredentials() {
        return getBoolean(HEADERS_ALLOW_CREDENTIALS_CONFIG);
    }

    String deadLetterTopic() {
        String topic = getString(DEAD_LETTER_TOPIC_CONFIG);
        return topic == null || topic.isBlank() ? null : topic;
    }

    String valueContract() {
        String contract = getString(VALUE_CONTRACT_CONFIG);
        return contract == null || contract.isBlank() ? null : contract.trim();
    }

    /** Constraints between this route's keys, as unprefixed key to message. */
    Map<String, String> problems() {
        Map<String, String> problems = new LinkedHashMap<>();
        Scheme scheme = scheme();
        List<String> secrets = secrets();
        if (scheme != Scheme.NONE && secrets.isEmpty()) {
            problems.put(SECRET_CONFIG, "signature.scheme " + scheme.name().toLowerCase(Locale.ROOT).replace('_', '-')
                    + " needs at least one secret");
        }
        if (scheme == Scheme.HMAC && (signatureHeader() == null || signatureHeader().isBlank())) {
            problems.put(SIGNATURE_HEADER_CONFIG, "signature.scheme hmac needs the header that carries the signature");
        }
        if (scheme == Scheme.BASIC && secrets.stream().anyMatch(s -> !s.contains(":"))) {
            problems.put(SECRET_CONFIG, "signature.scheme basic needs user:password entries");
        }
        if (scheme == Scheme.STANDARD_WEBHOOKS) {
            for (String s : secrets) {
                try {
                    Signatures.standardWebhooksKey(s);
                } catch (IllegalArgumentException e) {
                    problems.put(SECRET_CONFIG, "standard-webhooks secrets are whsec_ followed by base64");
                }
            }
        }
        if (bufferMaxBytes() < maxBodyBytes()) {
            problems.put(BUFFER_MAX_BYTES_CONFIG, "must be at least max.body.bytes (" + maxBodyBytes() + ")");
        }
        if (splitPointer() != null && content() != Content.JSON) {
            problems.put(SPLIT_POINTER_CONFIG, "only applies to content=json");
        }
        if (valueContract() != null && content() == Content.RAW) {
            problems.put(VALUE_CONTRACT_CONFIG, "needs JSON events; content=raw does not parse them");
        }
        return problems;
    }

    private static ConfigDef routeConfigDef() {
        int endpoint = 0;
        int security = 0;
        int shape = 0;
        int limits = 0;
        return new ConfigDef()
                .define(PATH_CONFIG, Type.STRING, null, new WebhookSourceConfig.UrlPathValidator(), Importance.MEDIUM,
                        PATH_DOC, ENDPOINT, ++endpoint, Width.SHORT, "Path")
                .define(TOPIC_CONFIG, Type.STRING, ConfigDef.NO_DEFAULT_VALUE, new ConfigDef.NonEmptyString(),
                        Importance.HIGH, TOPIC_DOC, ENDPOINT, ++endpoint, Width.MEDIUM, "Topic")
                .define(DEAD_LETTER_TOPIC_CONFIG, Type.STRING, "", Importance.MEDIUM,
                        DEAD_LETTER_TOPIC_DOC, ENDPOINT, ++endpoint, Width.MEDIUM, "Dead-letter topic")
                .define(SIGNATURE_SCHEME_CONFIG, Type.STRING, "none", ConfigDef.CaseInsensitiveValidString.in(
                        "none", "github", "stripe", "shopify", "slack", "standard-webhooks", "hmac", "bearer", "basic"),
                        Importance.HIGH, SIGNATURE_SCHEME_DOC, SECURITY, ++security, Width.SHORT, "Signature scheme")
                .define(SECRET_CONFIG, Type.PASSWORD, null, Importance.HIGH,
                        SECRET_DOC, SECURITY, ++security, Width.LONG, "Secrets")
                .define(SIGNATURE_HEADER_CONFIG, Type.STRING, null, Importance.LOW,
                        SIGNATURE_HEADER_DOC, SECURITY, ++security, Width.MEDIUM, "Signature header")
                .define(SIGNATURE_ALGORITHM_CONFIG, Type.STRING, "HmacSHA256", new MacAlgorithmValidator(), Importance.LOW,
                        SIGNATURE_ALGORITHM_DOC, SECURITY, ++security, Width.SHORT, "Signature algorithm")
                .define(SIGNATURE_ENCODING_CONFIG, Type.STRING, "hex", ConfigDef.CaseInsensitiveValidString.in("hex", "base64"),
                        Importance.LOW, SIGNATURE_ENCODING_DOC, SECURITY, ++security, Width.SHORT, "Signature encoding")
                .define(SIGNATURE_PREFIX_CONFIG, Type.STRING, "", Importance.LOW,
                        SIGNATURE_PREFIX_DOC, SECURITY, ++security, Width.SHORT, "Signature prefix")
                .define(TIMESTAMP_TOLERANCE_SECONDS_CONFIG, Type.LONG, 300L, ConfigDef.Range.atLeast(0), Importance.MEDIUM,
                        TIMESTAMP_TOLERANCE_SECONDS_DOC, SECURITY, ++security, Width.SHORT, "Replay window")
                .define(VERIFY_TOKEN_CONFIG, Type.PASSWORD, null, Importance.LOW,
                        VERIFY_TOKEN_DOC, SECURITY, ++security, Width.MEDIUM, "Meta verify token")
                .define(CLOUDEVENTS_ALLOWED_ORIGINS_CONFIG, Type.LIST, "", Importance.LOW,
                        CLOUDEVENTS_ALLOWED_ORIGINS_DOC, SECURITY, ++security, Width.MEDIUM, "CloudEvents origins")
                .define(HEADERS_ALLOW_CONFIG, Type.LIST, "", Importance.MEDIUM,
                        HEADERS_ALLOW_DOC, SECURITY, ++security, Width.LONG, "Headers copied")
                .define(HEADERS_ALLOW_CREDENTIALS_CONFIG, Type.BOOLEAN, false, Importance.LOW,
                        HEADERS_ALLOW_CREDENTIALS_DOC, SECURITY, ++security, Width.SHORT, "Copy credential headers")
                .define(CONTENT_CONFIG, Type.STRING, "json", ConfigDef.CaseInsensitiveValidString.in(
                        "json", "ndjson", "form", "cloudevents", "raw"), Importance.MEDIUM,
                        CONTENT_DOC, SHAPE, ++shape, Width.SHORT, "Content")
                .define(BODY_FORMAT_CONFIG, Type.STRING, "json", ConfigDef.CaseInsensitiveValidString.in("json", "bytes", "both"),
                        Importance.LOW, BODY_FORMAT_DOC, SHAPE, ++shape, Width.SHORT, "Body format")
                .define(SPLIT_POINTER_CONFIG, Type.STRING, null, new JsonPointerValidator(), Importance.MEDIUM,
                        SPLIT_POINTER_DOC, SHAPE, ++shape, Width.MEDIUM, "Split pointer")
                .define(VALUE_CONTRACT_CONFIG, Type.STRING, null, new ContractValidator(), Importance.MEDIUM,
                        VALUE_CONTRACT_DOC, SHAPE, ++shape, Width.LONG, "Value contract")
                .define(KEY_POINTER_CONFIG, Type.STRING, null, new JsonPointerValidator(), Importance.MEDIUM,
                        KEY_POINTER_DOC, SHAPE, ++shape, Width.MEDIUM, "Key pointer")
                .define(KEY_HEADER_CONFIG, Type.STRING, null, Importance.LOW,
                        KEY_HEADER_DOC, SHAPE, ++shape, Width.MEDIUM, "Key header")
                .define(EVENT_TYPE_HEADER_CONFIG, Type.STRING, null, Importance.LOW,
                        EVENT_TYPE_HEADER_DOC, SHAPE, ++shape, Width.MEDIUM, "Event type header")
                .define(EVENT_TYPE_POINTER_CONFIG, Type.STRING, null, new JsonPointerValidator(), Importance.LOW,
                        EVENT_TYPE_POINTER_DOC, SHAPE, ++shape, Width.MEDIUM, "Event type pointer")
                .define(DEDUP_HEADER_CONFIG, Type.STRING, null, Importance.LOW,
                        DEDUP_HEADER_DOC, SHAPE, ++shape, Width.MEDIUM, "Delivery id header")
                .define(DEDUP_POINTER_CONFIG, Type.STRING, null, new JsonPointerValidator(), Importance.LOW,
                        DEDUP_POINTER_DOC, SHAPE, ++shape, Width.MEDIUM, "Delivery id pointer")
                .define(DEDUP_WINDOW_MS_CONFIG, Type.LONG, 24 * 3600_000L, ConfigDef.Range.atLeast(1), Importance.LOW,
                        DEDUP_WINDOW_MS_DOC, SHAPE, ++shape, Width.SHORT, "Dedup window")
                .define(DEDUP_MAX_ENTRIES_CONFIG, Type.INT, 100_000, ConfigDef.Range.atLeast(0), Importance.LOW,
                        DEDUP_MAX_ENTRIES_DOC, SHAPE, ++shape, Width.SHORT, "Dedup entries")
                .define(DEDUP_PERSISTED_IDS_CONFIG, Type.INT, 1000, ConfigDef.Range.between(0, 100_000), Importance.LOW,
                        DEDUP_PERSISTED_IDS_DOC, SHAPE, ++shape, Width.SHORT, "Dedup ids in offsets")
                .define(MAX_BODY_BYTES_CONFIG, Type.INT, 1 << 20, ConfigDef.Range.atLeast(1), Importance.MEDIUM,
                        MAX_BODY_BYTES_DOC, LIMITS, ++limits, Width.SHORT, "Max body bytes")
                .define(BUFFER_MAX_BYTES_CONFIG, Type.LONG, 16L << 20, ConfigDef.Range.atLeast(1), Importance.MEDIUM,
                        BUFFER_MAX_BYTES_DOC, LIMITS, ++limits, Width.SHORT, "Buffer bytes")
                .define(BACKPRESSURE_CONFIG, Type.STRING, "reject", ConfigDef.CaseInsensitiveValidString.in(
                        "reject", "block", "drop"), Importance.MEDIUM,
                        BACKPRESSURE_DOC, LIMITS, ++limits, Width.SHORT, "Backpressure")
                .define(BLOCK_TIMEOUT_MS_CONFIG, Type.LONG, 5_000L, ConfigDef.Range.atLeast(1), Importance.LOW,
                        BLOCK_TIMEOUT_MS_DOC, LIMITS, ++limits, Width.SHORT, "Block timeout");
    }

    /** A JSON pointer (RFC 6901); empty means the whole document. */
    static final class JsonPointerValidator implements ConfigDef.Validator {
        @Override
        public void ensureValid(String name, Object value) {
            if (value == null) {
                return;
            }
            try {
                JsonPointer.compile((String) value);
            } catch (IllegalArgumentException e) {
                throw new ConfigException(name, value, "not a JSON pointer (RFC 6901), e.g. /data/id: " + e.getMessage());
            }
        }

        @Override
        public String toString() {
            return "JSON pointer, e.g. /data/id";
        }
    }

    /** The full name of an Avro record contract bundled with the plugin. */
    static final class ContractValidator implements ConfigDef.Validator {
        @Override
        public void ensureValid(String name, Object value) {
            if (value == null || ((String) value).isBlank()) {
                return;
            }
            try {
                ContractMapper.contractSchema(((String) value).trim());
            } catch (IllegalArgumentException e) {
                throw new ConfigException(name, value, e.getMessage());
            }
        }

        @Override
        public String toString() {
            return "Avro full name of a contract, e.g. io.kaveri.schemas.market.Trade";
        }
    }

    /** A Mac algorithm the JDK provides. */
    static final class MacAlgorithmValidator implements ConfigDef.Validator {
        @Override
        public void ensureValid(String name, Object value) {
            try {
                Mac.getInstance((String) value);
            } catch (NoSuchAlgorithmException | NullPointerException e) {
                throw new ConfigException(name, value, "not a Mac algorithm of this JDK (try HmacSHA256)");
            }
        }

        @Override
        public String toString() {
            return "JDK Mac algorithm, e.g. HmacSHA256";
        }
    }
}
