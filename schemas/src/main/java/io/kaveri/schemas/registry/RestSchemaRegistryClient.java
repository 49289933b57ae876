package io.kaveri.schemas.registry;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import org.apache.avro.Schema;
import org.apache.kafka.common.config.ConfigException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Confluent Schema Registry REST API over {@code java.net.http}, for Confluent, Karapace, Redpanda and
 * Apicurio's {@code /apis/ccompat/v7} (URLs may carry a path prefix). Several URLs give failover: a request goes
 * to the URL that last answered and moves on when one fails; 5xx answers and I/O errors are retried over all URLs
 * with exponential backoff, a bounded number of times, then end in {@link RegistryUnavailableException}. Lookups
 * are cached in bounded LRU maps (id to schema, subject and schema to id, subject and id to version).
 * Credentials are sent, never logged.
 */
public final class RestSchemaRegistryClient implements SchemaRegistryClient {

    private static final Logger LOG = LoggerFactory.getLogger(RestSchemaRegistryClient.class);
    static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
    private static final String ACCEPT = CONTENT_TYPE + ", application/vnd.schemaregistry+json; qs=0.9, "
            + "application/json; qs=0.5";

    private final List<String> baseUrls;
    private final AtomicInteger preferred = new AtomicInteger();
    private final ExecutorService executor;
    private final HttpClient http;
    private final Duration readTimeout;
    private final String authorization;
    private final int maxRetries;
    private final long retryWaitMs;
    private final long retryMaxWaitMs;
    private final ObjectMapper json = new ObjectMapper();

    private final LruCache<Integer, Schema> schemaById;
    private final LruCache<SubjectSchema, Integer> idBySchema;
    private final LruCache<SubjectId, Integer> versionById;

    private record SubjectSchema(String subject, Schema schema) {
    }

    private record SubjectId(String subject, int id) {
    }

    /** A client for the registry URLs and credentials of the configuration ({@link SchemaRegistryClients}). */
    public RestSchemaRegistryClient(SchemaRegistryClientConfig config) {
        List<URI> uris = config.urls().stream().map(URI::create).toList();
        this.baseUrls = uris.stream().map(RestSchemaRegistryClient::withoutUserInfo).toList();
        this.authorization = authorization(config, uris);
        this.readTimeout = Duration.ofMillis(config.getInt(SchemaRegistryClientConfig.HTTP_READ_TIMEOUT_MS_CONFIG));
        this.maxRetries = config.getInt(SchemaRegistryClientConfig.MAX_RETRIES_CONFIG);
        this.retryWaitMs = config.getInt(SchemaRegistryClientConfig.RETRIES_WAIT_MS_CONFIG);
        this.retryMaxWaitMs = config.getInt(SchemaRegistryClientConfig.RETRIES_MAX_WAIT_MS_CONFIG);
        int capacity = config.getInt(SchemaRegistryClientConfig.MAX_SCHEMAS_PER_SUBJECT_CONFIG);
        this.schemaById = new LruCache<>(capacity);
        this.idBySchema = new LruCache<>(capacity);
        this.versionById = new LruCache<>(capacity);
        this.executor = Executors.newCachedThreadPool(runnable -> {
            Thread thread = new Thread(runnable, "kaveri-registry-http");
            thread.setDaemon(true);
            return thread;
        });
        HttpClient.Builder builder = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .executor(executor)
                .connectTimeout(Duration.ofMillis(config.getInt(SchemaRegistryClientConfig.HTTP_CONNECT_TIMEOUT_MS_CONFIG)));
        SSLContext tls = RegistryTls.context(config);
        if (tls != null) {
            builder.sslContext(tls);
        }
        this.http = builder.build();
        LOG.info("Schema registry client urls={} auth={}", baseUrls,
                authorization == null ? "none" : authorization.substring(0, authorization.indexOf(' ')));
    }

    @Override
    public int register(String subject, Schema schema, boolean normalize) {
        return cachedId(subject, schema, () -> register(subject, RegisteredSchema.Content.of(schema), normalize));
    }

    @Override
    public int register(String subject, RegisteredSchema.Content content, boolean normalize) {
        try {
            JsonNode answer = call("POST", "/subjects/" + encode(subject) + "/versions?normalize=" + normalize, body(content));
            return answer.path("id").asInt();
        } catch (IncompatibleSchemaException refused) {
            // Apicurio answers 409 to the loser of two concurrent first registrations of the same schema ("already
            // exists"), where Confluent answers with the id. If the schema is there now, that is the answer.
            try {
                return lookup(subject, content, normalize).id();
            } catch (SchemaRegistryException notThere) {
                throw refused;
            }
        }
    }

    @Override
    public int idOf(String subject, Schema schema, boolean normalize) {
        return cachedId(subject, schema, () -> lookup(subject, RegisteredSchema.Content.of(schema), normalize).id());
    }

    private int cachedId(String subject, Schema schema, IntSupplier ask) {
        SubjectSchema key = new SubjectSchema(subject, schema);
        Integer cached = idBySchema.get(key);
        if (cached != null) {
            return cached;
        }
        int id = ask.getAsInt();
        idBySchema.put(key, id);
        schemaById.put(id, schema);
        return id;
    }

    @Override
    public int versionOf(String subject, Schema schema, boolean normalize) {
        SubjectSchema key = new SubjectSchema(subject, schema);
        Integer id = idBySchema.get(key);
        Integer version = id == null ? null : versionById.get(new SubjectId(subject, id));
        if (version != null) {
            return version;
        }
        RegisteredSchema found = lookup(subject, RegisteredSchema.Content.of(schema), normalize);
        idBySchema.put(key, found.id());
        return found.version();
    }

    @Override
    public RegisteredSchema lookup(String subject, RegisteredSchema.Content content, boolean normalize) {
        return registered(call("POST", "/subjects/" + encode(subject) + "?normalize=" + normalize, body(content)),
                subject, content);
    }

    @Override
    public Schema schemaById(int id) {
        Schema cached = schemaById.get(id);
        if (cached != null) {
            return cached;
        }
        JsonNode answer = call("GET", "/schemas/ids/" + id, null);
        checkAvro(answer, "schema id " + id);
        Schema schema = parse(content(answer));
        schemaById.put(id, schema);
        return schema;
    }

    @Override
    public RegisteredSchema latest(String subject) {
        return versionCall(subject, LATEST);
    }

    @Override
    public RegisteredSchema version(String subject, int version) {
        return versionCall(subject, version == -1 ? LATEST : Integer.toString(version));
    }

    @Override
    public List<String> subjects() {
        List<String> subjects = new ArrayList<>();
        call("GET", "/subjects", null).forEach(node -> subjects.add(node.asText()));
        return subjects.stream().sorted().toList();
    }

    @Override
    public List<Integer> versions(String subject) {
        return ints(call("GET", "/subjects/" + encode(subject) + "/versions", null));
    }

    @Override
    public CompatibilityResult testCompatibility(String subject, Schema schema, String version) {
        JsonNode answer;
        try {
            answer = call("POST", "/compatibility/subjects/" + encode(subject) + "/versions/" + encode(version)
                    + "?verbose=true", body(RegisteredSchema.Content.of(schema)));
        } catch (SubjectNotFoundException | VersionNotFoundException e) {
            if (LATEST.equals(version)) {
                // Nothing registered yet: any schema may become the first version.
                return CompatibilityResult.of(List.of());
            }
            throw e;
        }
        List<String> messages = new ArrayList<>();
        answer.path("messages").forEach(node -> messages.add(node.isTextual() ? node.asText() : node.toString()));
        return new CompatibilityResult(answer.path("is_compatible").asBoolean(false), messages);
    }

    @Override
    public String compatibility(Optional<String> subject) {
        JsonNode answer = call("GET", subject.map(s -> "/config/" + encode(s) + "?defaultToGlobal=true").orElse("/config"),
                null);
        // Confluent and Apicurio answer compatibilityLevel on GET; some versions say compatibility.
        JsonNode level = answer.has("compatibilityLevel") ? answer.get("compatibilityLevel") : answer.path("compatibility");
        return level.asText();
    }

    @Override
    public String setCompatibility(Optional<String> subject, String compatibility) {
        ObjectNode body = json.createObjectNode().put("compatibility", AvroSchemas.checkLevel(compatibility));
        JsonNode answer = call("PUT", subject.map(s -> "/config/" + encode(s)).orElse("/config"), body);
        return answer.path("compatibility").asText(compatibility);
    }

    @Override
    public List<Integer> deleteSubject(String subject, boolean permanent) {
        List<Integer> deleted = ints(call("DELETE", "/subjects/" + encode(subject) + "?permanent=" + permanent, null));
        idBySchema.removeKeys(key -> key.subject().equals(subject));
        versionById.removeKeys(key -> key.subject().equals(subject));
        return deleted;
    }

    @Override
    public int deleteVersion(String subject, int version, boolean permanent) {
        String v = version == -1 ? LATEST : Integer.toString(version);
        int deleted = call("DELETE", "/subjects/" + encode(subject) + "/versions/" + v + "?permanent=" + permanent, null)
                .asInt();
        idBySchema.removeKeys(key -> key.subject().equals(subject));
        versionById.removeKeys(key -> key.subject().equals(subject));
        return deleted;
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }

    private RegisteredSchema versionCall(String subject, String version) {
        JsonNode answer = call("GET", "/subjects/" + encode(subject) + "/versions/" + version, null);
        checkAvro(answer, "subject '" + subject + "' version " + version);
        RegisteredSchema.Content content = content(answer);
        return registered(answer, subject, content);
    }

    private RegisteredSchema registered(JsonNode answer, String subject, RegisteredSchema.Content content) {
        int id = answer.path("id").asInt();
        int version = answer.path("version").asInt();
        Schema schema = schemaById.get(id);
        if (schema == null) {
            schema = parse(content);
            schemaById.put(id, schema);
        }
        versionById.put(new SubjectId(subject, id), version);
        return new RegisteredSchema(answer.path("subject").asText(subject), version, id, content.schema(), schema,
                content.references());
    }

    private Schema parse(RegisteredSchema.Content content) {
        return AvroSchemas.parse(content, reference -> version(reference.subject(), reference.version()).content());
    }

    private static void checkAvro(JsonNode answer, String what) {
        String type = answer.path("schemaType").asText("AVRO");
        if (!"AVRO".equalsIgnoreCase(type)) {
            throw new InvalidSchemaException("The registry's " + what + " is a " + type + " schema, not Avro");
        }
    }

    private static RegisteredSchema.Content content(JsonNode answer) {
        List<SchemaReference> references = new ArrayList<>();
        answer.path("references").forEach(node -> references.add(new SchemaReference(node.path("name").asText(),
                node.path("subject").asText(), node.path("version").asInt())));
        return new RegisteredSchema.Content(answer.path("schema").asText(), references);
    }

    private ObjectNode body(RegisteredSchema.Content content) {
        ObjectNode body = json.createObjectNode().put("schema", content.schema());
        if (!content.references().isEmpty()) {
            ArrayNode references = body.putArray("references");
            for (SchemaReference reference : content.references()) {
                references.addObject().put("name", reference.name()).put("subject", reference.subject())
                        .put("version", reference.version());
            }
        }
        return body;
    }

    private static List<Integer> ints(JsonNode array) {
        List<Integer> values = new ArrayList<>();
        array.forEach(node -> values.add(node.asInt()));
        return values;
    }

    /**
     * One REST call with failover and retries: every URL is tried, starting with the one that answered last;
     * when all fail with 5xx or I/O errors, the round is repeated after an exponentially growing wait.
     */
    JsonNode call(String method, String path, JsonNode body) {
        HttpRequest.BodyPublisher publisher;
        try {
            publisher = body == null ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(body));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot write a registry request body", e);
        }
        long wait = retryWaitMs;
        SchemaRegistryException lastAnswer = null;
        IOException lastError = null;
        for (int round = 0; round <= maxRetries; round++) {
            if (round > 0) {
                pause(wait, method, path);
                wait = Math.min(wait * 2, retryMaxWaitMs);
            }
            int start = preferred.get();
            for (int i = 0; i < baseUrls.size(); i++) {
                int index = (start + i) % baseUrls.size();
                String url = baseUrls.get(index) + path;
                HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
                        .timeout(readTimeout)
                        .header("Accept", ACCEPT)
                        .method(method, publisher);
                if (body != null) {
                    request.header("Content-Type", CONTENT_TYPE);
                }
                if (authorization != null) {
                    request.header("Authorization", authorization);
                }
                try {
                    HttpResponse<byte[]> response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
                    int status = response.statusCode();
                    if (status >= 500) {
                        lastAnswer = error(status, response.body());
                        LOG.warn("Schema registry error url={} method={} status={} attempt={}", baseUrls.get(index),
                                method, status, round + 1);
                        continue;
                    }
                    preferred.set(index);
                    if (status >= 300) {
                        throw error(status, response.body());
                    }
                    return response.body().length == 0 ? json.nullNode() : json.readTree(response.body());
                } catch (SSLHandshakeException e) {
                    // Not transient: retrying cannot fix a certificate the trust store does not accept.
                    throw new SchemaRegistryException(0, 0, "TLS handshake with " + baseUrls.get(index) + " failed ("
                            + e.getMessage() + "); check " + SchemaRegistryClientConfig.SSL_TRUSTSTORE_LOCATION_CONFIG
                            + " and " + SchemaRegistryClientConfig.SSL_KEYSTORE_LOCATION_CONFIG, e);
                } catch (IOException e) {
                    lastError = e;
                    LOG.warn("Schema registry unreachable url={} method={} error={} attempt={}", baseUrls.get(index),
                            method, e.toString(), round + 1);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new RegistryUnavailableException(0, "Interrupted while calling the schema registry", e);
                }
            }
        }
        String what = method + " " + path + " failed on " + baseUrls + " after " + (maxRetries + 1) + " rounds";
        if (lastError != null && (lastAnswer == null)) {
            throw new RegistryUnavailableException(0, what + ": " + lastError, lastError);
        }
        throw new RegistryUnavailableException(lastAnswer.status(), what + ": " + lastAnswer.getMessage(), lastError);
    }

    private static void pause(long millis, String method, String path) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RegistryUnavailableException(0, "Interrupted while waiting to retry " + method + " " + path, e);
        }
    }

    /** The typed exception for a registry's error answer, with its error code and message. */
    SchemaRegistryException error(int status, byte[] body) {
        int code = status;
        String message;
        try {
            JsonNode answer = json.readTree(body);
            code = answer.path("error_code").asInt(status);
            message = answer.path("message").asText("HTTP " + status);
        } catch (IOException e) {
            String text = new String(body, StandardCharsets.UTF_8);
            message = "HTTP " + status + (text.isBlank() ? "" : ": " + text.substring(0, Math.min(200, text.length())));
        }
        switch (code) {
            case SubjectNotFoundException.ERROR_CODE:
                return new SubjectNotFoundException(message);
            case VersionNotFoundException.ERROR_CODE:
                return new VersionNotFoundException(message);
            case SchemaNotFoundException.ERROR_CODE:
                return new SchemaNotFoundException(message);
            case InvalidSchemaException.ERROR_CODE:
                return new InvalidSchemaException(message);
            case InvalidVersionException.ERROR_CODE:
                return new InvalidVersionException(message);
            default:
                break;
        }
        if (status == 409) {
            return new IncompatibleSchemaException(message);
        }
        if (status >= 500) {
            return new RegistryUnavailableException(status, message, null);
        }
        return new SchemaRegistryException(status, code, message);
    }

    private static String authorization(SchemaRegistryClientConfig config, List<URI> uris) {
        String token = config.getPassword(SchemaRegistryClientConfig.BEARER_AUTH_TOKEN_CONFIG).value();
        String userInfo = config.getPassword(SchemaRegistryClientConfig.BASIC_AUTH_USER_INFO_CONFIG).value();
        boolean fromUserInfo = "USER_INFO".equals(
                config.getString(SchemaRegistryClientConfig.BASIC_AUTH_CREDENTIALS_SOURCE_CONFIG));
        if (!token.isEmpty()) {
            if (!userInfo.isEmpty()) {
                throw new ConfigException("Set either " + SchemaRegistryClientConfig.BEARER_AUTH_TOKEN_CONFIG + " or "
                        + SchemaRegistryClientConfig.BASIC_AUTH_USER_INFO_CONFIG + ", not both");
            }
            return "Bearer " + token;
        }
        if (fromUserInfo) {
            if (!userInfo.contains(":")) {
                throw new ConfigException(SchemaRegistryClientConfig.BASIC_AUTH_USER_INFO_CONFIG, "[hidden]",
                        "must be user:password when " + SchemaRegistryClientConfig.BASIC_AUTH_CREDENTIALS_SOURCE_CONFIG
                                + "=USER_INFO");
            }
            return basic(userInfo);
        }
        return uris.stream().map(URI::getRawUserInfo).filter(info -> info != null && !info.isEmpty()).findFirst()
                .map(info -> basic(URLDecoder.decode(info, StandardCharsets.UTF_8)))
                .orElse(null);
    }

    private static String basic(String userInfo) {
        return "Basic " + Base64.getEncoder().encodeToString(userInfo.getBytes(StandardCharsets.UTF_8));
    }

    private static String withoutUserInfo(URI uri) {
        String text = uri.toString();
        if (uri.getRawUserInfo() != null) {
            text = text.replace(uri.getRawUserInfo() + "@", "");
        }
        return text.endsWith("/") ? text.substring(0, text.length() - 1) : text;
    }

    private static String encode(String pathSegment) {
        return URLEncoder.encode(pathSegment, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
