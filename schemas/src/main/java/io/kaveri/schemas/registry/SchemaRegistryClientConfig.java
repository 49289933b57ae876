package io.kaveri.schemas.registry;

import java.net.URI;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.ValidString;
import org.apache.kafka.common.config.ConfigException;

/** How to reach the schema registry. Key names and defaults are Confluent's, so existing configs work. */
public final class SchemaRegistryClientConfig extends AbstractConfig {

    public static final String SCHEMA_REGISTRY_URL_CONFIG = "schema.registry.url";
    static final String SCHEMA_REGISTRY_URL_DOC = "Comma-separated URLs of the schema registry (Confluent REST API; "
            + "a path prefix such as Apicurio's /apis/ccompat/v7 is kept). Several URLs give failover. "
            + "mock://<scope> selects an in-memory registry shared by everything using that scope in this JVM (tests).";

    public static final String MAX_SCHEMAS_PER_SUBJECT_CONFIG = "max.schemas.per.subject";
    static final String MAX_SCHEMAS_PER_SUBJECT_DOC = "Size of each of the client's caches (schema by id, id by schema, "
            + "version by id); the least recently used entry is dropped beyond it.";
    public static final int MAX_SCHEMAS_PER_SUBJECT_DEFAULT = 1000;

    public static final String BASIC_AUTH_CREDENTIALS_SOURCE_CONFIG = "basic.auth.credentials.source";
    static final String BASIC_AUTH_CREDENTIALS_SOURCE_DOC = "Where the basic-auth credentials come from: URL (the "
            + "user:password@ part of schema.registry.url) or USER_INFO (basic.auth.user.info).";
    public static final String BASIC_AUTH_USER_INFO_CONFIG = "basic.auth.user.info";
    static final String BASIC_AUTH_USER_INFO_DOC = "user:password sent as HTTP basic auth when "
            + BASIC_AUTH_CREDENTIALS_SOURCE_CONFIG + "=USER_INFO.";

    public static final String BEARER_AUTH_CREDENTIALS_SOURCE_CONFIG = "bearer.auth.credentials.source";
    static final String BEARER_AUTH_CREDENTIALS_SOURCE_DOC = "Where the bearer token comes from: STATIC_TOKEN "
            + "(bearer.auth.token).";
    public static final String BEARER_AUTH_TOKEN_CONFIG = "bearer.auth.token";
    static final String BEARER_AUTH_TOKEN_DOC = "Token sent as 'Authorization: Bearer'; cannot be combined with basic auth.";

    static final String SSL_PREFIX = "schema.registry.ssl.";
    public static final String SSL_TRUSTSTORE_LOCATION_CONFIG = SSL_PREFIX + "truststore.location";
    static final String SSL_TRUSTSTORE_LOCATION_DOC = "Trust store for https registry URLs; the JDK's trusted CAs when empty.";
    public static final String SSL_TRUSTSTORE_PASSWORD_CONFIG = SSL_PREFIX + "truststore.password";
    static final String SSL_TRUSTSTORE_PASSWORD_DOC = "Password of the trust store.";
    public static final String SSL_TRUSTSTORE_TYPE_CONFIG = SSL_PREFIX + "truststore.type";
    static final String SSL_TRUSTSTORE_TYPE_DOC = "Type of the trust store (JKS, PKCS12).";
    public static final String SSL_KEYSTORE_LOCATION_CONFIG = SSL_PREFIX + "keystore.location";
    static final String SSL_KEYSTORE_LOCATION_DOC = "Key store with the client certificate for mutual TLS; none when empty.";
    public static final String SSL_KEYSTORE_PASSWORD_CONFIG = SSL_PREFIX + "keystore.password";
    static final String SSL_KEYSTORE_PASSWORD_DOC = "Password of the key store.";
    public static final String SSL_KEYSTORE_TYPE_CONFIG = SSL_PREFIX + "keystore.type";
    static final String SSL_KEYSTORE_TYPE_DOC = "Type of the key store (JKS, PKCS12).";
    public static final String SSL_KEY_PASSWORD_CONFIG = SSL_PREFIX + "key.password";
    static final String SSL_KEY_PASSWORD_DOC = "Password of the private key in the key store; the key store's password when empty.";

    public static final String HTTP_CONNECT_TIMEOUT_MS_CONFIG = "http.connect.timeout.ms";
    static final String HTTP_CONNECT_TIMEOUT_MS_DOC = "How long to wait for a connection to the registry.";
    public static final String HTTP_READ_TIMEOUT_MS_CONFIG = "http.read.timeout.ms";
    static final String HTTP_READ_TIMEOUT_MS_DOC = "How long to wait for the registry's answer to one request.";

    public static final String MAX_RETRIES_CONFIG = "max.retries";
    static final String MAX_RETRIES_DOC = "How many more rounds over the registry URLs after a 5xx answer or an I/O error.";
    public static final String RETRIES_WAIT_MS_CONFIG = "retries.wait.ms";
    static final String RETRIES_WAIT_MS_DOC = "Wait before the first retry; doubled on each further retry.";
    public static final String RETRIES_MAX_WAIT_MS_CONFIG = "retries.max.wait.ms";
    static final String RETRIES_MAX_WAIT_MS_DOC = "Upper bound of the wait between two retries.";

    static final String GROUP = "Schema registry";

    /** Accepts http(s) URLs and a single mock:// URL. */
    static final ConfigDef.Validator URL_LIST = new ConfigDef.Validator() {
        @Override
        public void ensureValid(String name, Object value) {
            @SuppressWarnings("unchecked")
            List<String> urls = (List<String>) value;
            if (urls == null || urls.isEmpty()) {
                throw new ConfigException(name, value, "at least one registry URL is needed");
            }
            for (String url : urls) {
                String scheme;
                try {
                    scheme = URI.create(url.trim()).getScheme();
                } catch (IllegalArgumentException e) {
                    throw new ConfigException(name, url, "not a URL: " + e.getMessage());
                }
                if (!"http".equals(scheme) && !"https".equals(scheme) && !"mock".equals(scheme)) {
                    throw new ConfigException(name, url, "the scheme must be http, https or mock");
                }
                if ("mock".equals(scheme) && urls.size() > 1) {
                    throw new ConfigException(name, value, "a mock:// URL cannot be combined with other URLs");
                }
            }
        }

        @Override
        public String toString() {
            return "http(s)://host[:port][/prefix],... or mock://scope";
        }
    };

    public SchemaRegistryClientConfig(Map<?, ?> originals) {
        super(define(new ConfigDef()), originals, false);
    }

    /** Adds the registry keys to another definition (the serde's, the converter's). */
    public static ConfigDef define(ConfigDef def) {
        int order = 0;
        return def
                .define(SCHEMA_REGISTRY_URL_CONFIG, Type.LIST, ConfigDef.NO_DEFAULT_VALUE, URL_LIST, Importance.HIGH,
                        SCHEMA_REGISTRY_URL_DOC, GROUP, ++order, ConfigDef.Width.LONG, "Registry URLs")
                .define(MAX_SCHEMAS_PER_SUBJECT_CONFIG, Type.INT, MAX_SCHEMAS_PER_SUBJECT_DEFAULT, Range.atLeast(1),
                        Importance.LOW, MAX_SCHEMAS_PER_SUBJECT_DOC, GROUP, ++order, ConfigDef.Width.SHORT, "Cache size")
                .define(BASIC_AUTH_CREDENTIALS_SOURCE_CONFIG, Type.STRING, "URL", ValidString.in("URL", "USER_INFO"),
                        Importance.MEDIUM, BASIC_AUTH_CREDENTIALS_SOURCE_DOC, GROUP, ++order, ConfigDef.Width.SHORT,
                        "Basic auth source")
                .define(BASIC_AUTH_USER_INFO_CONFIG, Type.PASSWORD, "", Importance.MEDIUM, BASIC_AUTH_USER_INFO_DOC,
                        GROUP, ++order, ConfigDef.Width.MEDIUM, "Basic auth user info")
                .define(BEARER_AUTH_CREDENTIALS_SOURCE_CONFIG, Type.STRING, "STATIC_TOKEN", ValidString.in("STATIC_TOKEN"),
                        Importance.MEDIUM, BEARER_AUTH_CREDENTIALS_SOURCE_DOC, GROUP, ++order, ConfigDef.Width.SHORT,
                        "Bearer auth source")
                .define(BEARER_AUTH_TOKEN_CONFIG, Type.PASSWORD, "", Importance.MEDIUM, BEARER_AUTH_TOKEN_DOC,
                        GROUP, ++order, ConfigDef.Width.MEDIUM, "Bearer token")
                .define(SSL_TRUSTSTORE_LOCATION_CONFIG, Type.STRING, "", Importance.MEDIUM, SSL_TRUSTSTORE_LOCATION_DOC,
                        GROUP, ++order, ConfigDef.Width.LONG, "Trust store")
                .define(SSL_TRUSTSTORE_PASSWORD_CONFIG, Type.PASSWORD, "", Importance.MEDIUM,
                        SSL_TRUSTSTORE_PASSWORD_DOC, GROUP, ++order, ConfigDef.Width.MEDIUM, "Trust store password")
                .define(SSL_TRUSTSTORE_TYPE_CONFIG, Type.STRING, "JKS", Importance.LOW, SSL_TRUSTSTORE_TYPE_DOC,
                        GROUP, ++order, ConfigDef.Width.SHORT, "Trust store type")
                .define(SSL_KEYSTORE_LOCATION_CONFIG, Type.STRING, "", Importance.MEDIUM, SSL_KEYSTORE_LOCATION_DOC,
                        GROUP, ++order, ConfigDef.Width.LONG, "Key store")
                .define(SSL_KEYSTORE_PASSWORD_CONFIG, Type.PASSWORD, "", Importance.MEDIUM, SSL_KEYSTORE_PASSWORD_DOC,
                        GROUP, ++order, ConfigDef.Width.MEDIUM, "Key store password")
                .define(SSL_KEYSTORE_TYPE_CONFIG, Type.STRING, "JKS", Importance.LOW, SSL_KEYSTORE_TYPE_DOC,
                        GROUP, ++order, ConfigDef.Width.SHORT, "Key store type")
                .define(SSL_KEY_PASSWORD_CONFIG, Type.PASSWORD, "", Importance.LOW, SSL_KEY_PASSWORD_DOC,
                        GROUP, ++order, ConfigDef.Width.MEDIUM, "Key password")
                .define(HTTP_CONNECT_TIMEOUT_MS_CONFIG, Type.INT, 60_000, Range.atLeast(1), Importance.LOW,
                        HTTP_CONNECT_TIMEOUT_MS_DOC, GROUP, ++order, ConfigDef.Width.SHORT, "Connect timeout")
                .define(HTTP_READ_TIMEOUT_MS_CONFIG, Type.INT, 60_000, Range.atLeast(1), Importance.LOW,
                        HTTP_READ_TIMEOUT_MS_DOC, GROUP, ++order, ConfigDef.Width.SHORT, "Read timeout")
                .define(MAX_RETRIES_CONFIG, Type.INT, 3, Range.atLeast(0), Importance.LOW, MAX_RETRIES_DOC,
                        GROUP, ++order, ConfigDef.Width.SHORT, "Retries")
                .define(RETRIES_WAIT_MS_CONFIG, Type.INT, 1000, Range.atLeast(0), Importance.LOW, RETRIES_WAIT_MS_DOC,
                        GROUP, ++order, ConfigDef.Width.SHORT, "Retry wait")
                .define(RETRIES_MAX_WAIT_MS_CONFIG, Type.INT, 20_000, Range.atLeast(0), Importance.LOW,
                        RETRIES_MAX_WAIT_MS_DOC, GROUP, ++order, ConfigDef.Width.SHORT, "Retry max wait");
    }

    List<String> urls() {
        return getList(SCHEMA_REGISTRY_URL_CONFIG).stream().map(String::trim).toList();
    }
}
