package io.kaveri.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The Connect REST client against a Connect REST API secured as users secure theirs: HTTPS with a self-signed
 * certificate and HTTP basic auth (a stand-in answering like a worker with BasicAuthSecurityRestExtension, since the
 * local stack's worker has neither).
 */
class ConnectRestIT {

    private static final String USER_INFO = "deployer:s3cret";

    @TempDir
    Path dir;
    private HttpsServer server;
    private TestCertificates certificates;
    private final List<String> paths = new CopyOnWriteArrayList<>();

    @BeforeEach
    void secureConnect() throws Exception {
        certificates = TestCertificates.create(dir, "connect-store");
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(certificates.keystore())) {
            keys.load(in, certificates.password().toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keys, certificates.password().toCharArray());
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(kmf.getKeyManagers(), null, null);
        server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(tls));
        server.createContext("/", this::answer);
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private void answer(HttpExchange exchange) throws IOException {
        paths.add(exchange.getRequestURI().getRawPath());
        String expected = "Basic " + Base64.getEncoder().encodeToString(USER_INFO.getBytes(StandardCharsets.UTF_8));
        String body;
        int status;
        if (!expected.equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
            status = 401;
            body = "{\"error_code\":401,\"message\":\"User cannot access the resource.\"}";
        } else if (exchange.getRequestURI().getRawPath().equals("/")) {
            status = 200;
            body = "{\"version\":\"4.3.1\",\"commit\":\"x\",\"kafka_cluster_id\":\"abc\"}";
        } else {
            status = 200;
            body = "{\"connector.class\":\"C\",\"name\":\"my hooks/v1\"}";
        }
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    private String url() {
        return "https://127.0.0.1:" + server.getAddress().getPort();
    }

    private Map<String, String> trust() {
        return Map.of("ssl.truststore.location", certificates.truststore().toString(),
                "ssl.truststore.password", certificates.password(), "ssl.truststore.type", "PKCS12");
    }

    @Test
    void basicAuthAndTheTruststoreReachASecuredConnectAndNamesAreUrlEncoded() {
        Map<String, String> settings = new java.util.HashMap<>(trust());
        settings.put(ConnectRest.BASIC_AUTH_USER_INFO_CONFIG, USER_INFO);
        try (ConnectRest connect = new ConnectRest(url(), settings)) {
            connect.checkIsConnect();
            Optional<Map<String, String>> config = connect.config("my hooks/v1");
            assertThat(config).hasValueSatisfying(c -> assertThat(c).containsEntry("connector.class", "C"));
        }
        assertThat(paths).containsExactly("/", "/connectors/my%20hooks%2Fv1/config");
    }

    @Test
    void withoutCredentialsTheErrorNamesTheCallTheUrlAndTheFix() {
        try (ConnectRest connect = new ConnectRest(url(), trust())) {
            assertThatThrownBy(connect::checkIsConnect).isInstanceOf(ConnectRest.ConnectRestException.class)
                    .hasMessageContaining("the Connect cluster at " + url() + " answered HTTP 401")
                    .hasMessageContaining("--connect-basic-auth user:password")
                    .hasMessageContaining("connect.basic.auth.user.info");
        }
    }

    @Test
    void withoutTheTruststoreTheCertificateIsRefusedAndTheErrorPointsAtTheTlsSettings() {
        try (ConnectRest connect = new ConnectRest(url(), Map.of(ConnectRest.BASIC_AUTH_USER_INFO_CONFIG, USER_INFO))) {
            assertThatThrownBy(connect::checkIsConnect).isInstanceOf(ConnectRest.ConnectRestException.class)
                    .hasMessageContaining("cannot reach the Connect cluster at " + url())
                    .hasMessageContaining("connect.ssl.truststore.*");
        }
        assertThat(paths).isEmpty();
    }

    @Test
    void aMalformedUserInfoIsNamed() {
        assertThatThrownBy(() -> new ConnectRest(url(), Map.of(ConnectRest.BASIC_AUTH_USER_INFO_CONFIG, "no-colon")))
                .hasMessageContaining("connect.basic.auth.user.info must be user:password");
    }
}
