package io.kaveri.schemas.registry;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;

/** The TLS context that the {@code schema.registry.ssl.*} keys describe. */
final class RegistryTls {

    private RegistryTls() {
    }

    /** The context for https URLs, or null to use the JDK's default (its trusted CAs, no client certificate). */
    static SSLContext context(SchemaRegistryClientConfig config) {
        String trustLocation = config.getString(SchemaRegistryClientConfig.SSL_TRUSTSTORE_LOCATION_CONFIG);
        String keyLocation = config.getString(SchemaRegistryClientConfig.SSL_KEYSTORE_LOCATION_CONFIG);
        if (trustLocation.isBlank() && keyLocation.isBlank()) {
            return null;
        }
        try {
            TrustManager[] trust = null;
            if (!trustLocation.isBlank()) {
                KeyStore store = load(SchemaRegistryClientConfig.SSL_TRUSTSTORE_LOCATION_CONFIG, trustLocation,
                        config.getString(SchemaRegistryClientConfig.SSL_TRUSTSTORE_TYPE_CONFIG),
                        config.getPassword(SchemaRegistryClientConfig.SSL_TRUSTSTORE_PASSWORD_CONFIG));
                TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                factory.init(store);
                trust = factory.getTrustManagers();
            }
            KeyManager[] keys = null;
            if (!keyLocation.isBlank()) {
                Password storePassword = config.getPassword(SchemaRegistryClientConfig.SSL_KEYSTORE_PASSWORD_CONFIG);
                KeyStore store = load(SchemaRegistryClientConfig.SSL_KEYSTORE_LOCATION_CONFIG, keyLocation,
                        config.getString(SchemaRegistryClientConfig.SSL_KEYSTORE_TYPE_CONFIG), storePassword);
                Password keyPassword = config.getPassword(SchemaRegistryClientConfig.SSL_KEY_PASSWORD_CONFIG);
                KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                factory.init(store, chars(keyPassword.value().isEmpty() ? storePassword : keyPassword));
                keys = factory.getKeyManagers();
            }
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys, trust, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new ConfigException("Cannot build the TLS context for the schema registry from "
                    + SchemaRegistryClientConfig.SSL_PREFIX + "*: " + e.getMessage());
        }
    }

    private static KeyStore load(String key, String location, String type, Password password) {
        try (InputStream in = Files.newInputStream(Path.of(location))) {
            KeyStore store = KeyStore.getInstance(type);
            store.load(in, chars(password));
            return store;
        } catch (IOException | GeneralSecurityException e) {
            // The message names the file and the problem, never the password.
            throw new ConfigException(key, location, "cannot load the " + type + " store: " + e);
        }
    }

    private static char[] chars(Password password) {
        return password == null || password.value().isEmpty() ? null : password.value().toCharArray();
    }
}
