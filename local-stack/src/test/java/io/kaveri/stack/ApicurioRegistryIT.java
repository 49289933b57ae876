package io.kaveri.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ApicurioRegistryIT {

    private static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static ApicurioRegistry registry;

    @BeforeAll
    static void start() {
        registry = ApicurioRegistry.start(options("registry-it"));
        System.out.printf("registry started in %d ms, RSS %s%n", registry.startDuration().toMillis(),
                rss(registry.pid()));
    }

    @AfterAll
    static void stop() {
        if (registry != null) {
            registry.close();
        }
    }

    private static ApicurioRegistry.Options options(String test) {
        return new ApicurioRegistry.Options(StackDirs.work(test), StackDirs.cache(),
                StackDirectories.defaultMavenRepository());
    }

    @Test
    void describesItself() {
        assertThat(registry.name()).isEqualTo("registry");
        assertThat(registry.url()).isEqualTo("http://127.0.0.1:" + registry.port() + "/apis/ccompat/v7");
        assertThat(registry.endpoint()).isEqualTo("url=" + registry.url());
        assertThat(registry.logFile()).isEqualTo(StackDirs.work("registry-it").resolve("registry.log")).exists();
        assertThat(registry.startDuration()).isPositive().isLessThan(Duration.ofSeconds(90));
    }

    @Test
    void globalCompatibilityIsBackward() throws Exception {
        HttpResponse<String> config = send("GET", "/config", null);

        assertThat(config.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(config.body()).path("compatibilityLevel").asText()).isEqualTo("BACKWARD");
    }

    @Test
    void registersAnAvroSchemaFetchesItByIdAndRefusesABackwardIncompatibleVersion() throws Exception {
        String v1 = "{\"type\":\"record\",\"name\":\"Order\",\"namespace\":\"io.kaveri.it\",\"fields\":["
                + "{\"name\":\"id\",\"type\":\"string\"}]}";
        String v2 = "{\"type\":\"record\",\"name\":\"Order\",\"namespace\":\"io.kaveri.it\",\"fields\":["
                + "{\"name\":\"id\",\"type\":\"string\"},{\"name\":\"amount\",\"type\":\"long\"}]}";

        HttpResponse<String> registered = send("POST", "/subjects/orders-value/versions", schemaBody(v1));
        assertThat(registered.statusCode()).as(registered.body()).isEqualTo(200);
        int id = JSON.readTree(registered.body()).path("id").asInt(-1);
        assertThat(id).isNotNegative();

        HttpResponse<String> fetched = send("GET", "/schemas/ids/" + id, null);
        assertThat(fetched.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(JSON.readTree(fetched.body()).path("schema").asText())).isEqualTo(JSON.readTree(v1));

        HttpResponse<String> refused = send("POST", "/subjects/orders-value/versions", schemaBody(v2));
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(409);

        JsonNode versions = JSON.readTree(send("GET", "/subjects/orders-value/versions", null).body());
        assertThat(versions).hasSize(1);
    }

    @Test
    void closeLeavesNoProcessAndNoListeningPort() {
        ApicurioRegistry own = ApicurioRegistry.start(options("registry-it-close"));
        long pid = own.pid();
        int port = own.port();
        assertThat(FreePorts.isListening(port)).isTrue();

        own.close();

        assertThat(StackDirs.gone(pid)).as("registry process %d is gone", pid).isTrue();
        assertThat(FreePorts.isListening(port)).isFalse();
        own.close();
    }

    @Test
    void aTakenPortIsNamed() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            int port = taken.getLocalPort();

            assertThatThrownBy(() -> ApicurioRegistry.start(options("registry-it-taken"), port))
                    .isInstanceOf(StackStartException.class)
                    .hasMessageStartingWith("registry: port " + port + " on 127.0.0.1 is taken by another process");
        }
    }

    @Test
    void aMissingArchiveSaysWhichCoordinatesAndHowToGetThem(@org.junit.jupiter.api.io.TempDir Path emptyRepository) {
        assertThatThrownBy(() -> ApicurioRegistry.start(new ApicurioRegistry.Options(StackDirs.work("registry-it-none"),
                StackDirs.cache(), emptyRepository)))
                .isInstanceOf(StackStartException.class)
                .hasMessageStartingWith("registry: io.apicurio:apicurio-registry-app:2.6.13.Final:zip:all is not in the"
                        + " Maven repository " + emptyRepository)
                .hasMessageEndingWith("run ./mvnw -B -DskipTests package to download it");
    }

    private static String schemaBody(String schema) throws IOException {
        return JSON.writeValueAsString(JSON.createObjectNode().put("schema", schema));
    }

    private static HttpResponse<String> send(String method, String path, String body)
            throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(registry.url() + path))
                .header("Content-Type", CONTENT_TYPE)
                .header("Accept", CONTENT_TYPE)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    static String rss(long pid) {
        try {
            return Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status")).stream()
                    .filter(line -> line.startsWith("VmRSS:")).findFirst().orElse("?").replaceAll("\\s+", " ");
        } catch (IOException e) {
            return "?";
        }
    }
}
