package io.kaveri.schemas.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RestSchemaRegistryClientTest {

    private static final Schema USER = SchemaBuilder.record("User").namespace("io.kaveri.test").fields()
            .requiredString("name").endRecord();
    private static final ObjectMapper JSON = new ObjectMapper();

    private StubRegistry stub;
    private SchemaRegistryClient client;

    @BeforeEach
    void start() throws IOException {
        stub = new StubRegistry();
    }

    @AfterEach
    void stop() {
        if (client != null) {
            client.close();
        }
        stub.close();
    }

    private SchemaRegistryClient client(String urls, Map<String, Object> more) {
        Map<String, Object> configs = new HashMap<>(more);
        configs.put("schema.registry.url", urls);
        configs.putIfAbsent("retries.wait.ms", 5);
        configs.putIfAbsent("max.retries", 2);
        client = SchemaRegistryClients.create(configs);
        return client;
    }

    private SchemaRegistryClient client() {
        return client(stub.url(), Map.of());
    }

    static Stream<Arguments> errors() {
        return Stream.of(
                Arguments.of(404, 40401, SubjectNotFoundException.class),
                Arguments.of(404, 40402, VersionNotFoundException.class),
                Arguments.of(404, 40403, SchemaNotFoundException.class),
                Arguments.of(409, 409, IncompatibleSchemaException.class),
                Arguments.of(422, 42201, InvalidSchemaException.class),
                Arguments.of(422, 42202, InvalidVersionException.class),
                Arguments.of(422, 42203, SchemaRegistryException.class),
                Arguments.of(401, 401, SchemaRegistryException.class),
                Arguments.of(503, 50003, RegistryUnavailableException.class));
    }

    @ParameterizedTest
    @MethodSource("errors")
    void registryErrorsBecomeTypedExceptionsWithTheRegistrysMessage(int status, int code,
                                                                   Class<? extends SchemaRegistryException> type) {
        stub.answer(status, "{\"error_code\":" + code + ",\"message\":\"the registry says no\"}");
        assertThatThrownBy(() -> client().latest("users-value"))
                .isExactlyInstanceOf(type)
                .isInstanceOfSatisfying(SchemaRegistryException.class, e -> {
                    assertThat(e.status()).isEqualTo(status);
                    assertThat(e.errorCode()).isEqualTo(status >= 500 ? status : code);
                    assertThat(e.getMessage()).contains("the registry says no");
                    assertThat(e.isTransient()).isEqualTo(status >= 500);
                });
    }

    @Test
    void aConflictOnRegistrationIsResolvedByTheSchemaTheRegistryNowHolds() {
        // Apicurio's answer to the loser of two concurrent first registrations of one schema.
        stub.answer(request -> request.pathAndQuery().contains("/versions")
                ? new StubRegistry.Response(409, "{\"error_code\":409,\"message\":\"artifact already exists\"}")
                : new StubRegistry.Response(200, "{\"subject\":\"users-value\",\"id\":7,\"version\":1,\"schema\":"
                        + JSON.valueToTree(USER.toString()) + "}"));

        assertThat(client().register("users-value", USER, false)).isEqualTo(7);
        assertThat(stub.requests()).extracting(StubRegistry.Request::method).containsExactly("POST", "POST");
    }

    @Test
    void aConflictForASchemaTheRegistryDoesNotHoldStaysIncompatible() {
        stub.answer(request -> request.pathAndQuery().contains("/versions")
                ? new StubRegistry.Response(409, "{\"error_code\":409,\"message\":\"READER_FIELD_MISSING_DEFAULT_VALUE name\"}")
                : new StubRegistry.Response(404, "{\"error_code\":40403,\"message\":\"Schema not found\"}"));

        assertThatThrownBy(() -> client().register("users-value", USER, false))
                .isExactlyInstanceOf(IncompatibleSchemaException.class).hasMessageContaining("READER_FIELD_MISSING_DEFAULT_VALUE");
    }

    @Test
    void anErrorBodyThatIsNotJsonStillGivesTheStatus() {
        stub.answer(404, "<html>Not here</html>");
        assertThatThrownBy(() -> client().subjects())
                .isInstanceOfSatisfying(SchemaRegistryException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(404);
                    assertThat(e.getMessage()).contains("HTTP 404", "Not here");
                });
    }

    @Test
    void fiveHundredsAreRetriedWithBackoff() {
        AtomicInteger calls = new AtomicInteger();
        stub.answer(request -> calls.incrementAndGet() <= 2
                ? new StubRegistry.Response(503, "{\"error_code\":50003,\"message\":\"busy\"}")
                : new StubRegistry.Response(200, "[\"a\",\"b\"]"));
        assertThat(client().subjects()).containsExactly("a", "b");
        assertThat(stub.requests()).hasSize(3);
    }

    @Test
    void retriesAreBounded() {
        stub.answer(500, "{\"error_code\":50001,\"message\":\"store down\"}");
        assertThatThrownBy(() -> client(stub.url(), Map.of("max.retries", 3)).subjects())
                .isInstanceOfSatisfying(RegistryUnavailableException.class, e -> {
                    assertThat(e.isTransient()).isTrue();
                    assertThat(e.getMessage()).contains("store down", "4 rounds");
                });
        assertThat(stub.requests()).hasSize(4);
    }

    @Test
    void aDeadFirstUrlFailsOverToTheNextAndSticksToIt() throws IOException {
        stub.answer(200, "[1,2]");
        SchemaRegistryClient failover = client(deadUrl() + "," + stub.url(), Map.of());
        assertThat(failover.versions("users-value")).containsExactly(1, 2);
        assertThat(failover.versions("users-value")).containsExactly(1, 2);
        assertThat(stub.requests()).hasSize(2);
    }

    @Test
    void anUnreachableRegistryIsTransient() throws IOException {
        assertThatThrownBy(() -> client(deadUrl(), Map.of("max.retries", 1)).subjects())
                .isInstanceOfSatisfying(RegistryUnavailableException.class, e -> {
                    assertThat(e.isTransient()).isTrue();
                    assertThat(e.status()).isZero();
                    assertThat(e.getMessage()).contains("/subjects", "2 rounds");
                });
    }

    @Test
    void registerSendsTheConfluentContentTypeUnderThePathPrefixAndCaches() throws IOException {
        stub.answer(200, "{\"id\":7}");
        SchemaRegistryClient apicurio = client(stub.url() + "/apis/ccompat/v7/", Map.of());
        assertThat(apicurio.register("orders value", USER, true)).isEqualTo(7);
        assertThat(apicurio.register("orders value", USER, true)).isEqualTo(7);
        // The id is known from registering: no GET for it.
        assertThat(apicurio.schemaById(7)).isEqualTo(USER);
        assertThat(stub.requests()).hasSize(1);
        StubRegistry.Request request = stub.requests().get(0);
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.pathAndQuery()).isEqualTo("/apis/ccompat/v7/subjects/orders%20value/versions?normalize=true");
        assertThat(request.header("Content-Type")).isEqualTo("application/vnd.schemaregistry.v1+json");
        assertThat(request.header("Accept")).startsWith("application/vnd.schemaregistry.v1+json");
        assertThat(new Schema.Parser().parse(JSON.readTree(request.body()).get("schema").asText())).isEqualTo(USER);
        assertThat(request.header("Authorization")).isNull();
    }

    @Test
    void schemaByIdResolvesReferencesAndIsCached() {
        String address = "{\"type\":\"record\",\"name\":\"Address\",\"fields\":[{\"name\":\"city\",\"type\":\"string\"}]}";
        String person = "{\"type\":\"record\",\"name\":\"Person\",\"fields\":[{\"name\":\"home\",\"type\":\"Address\"}]}";
        stub.answer(request -> switch (request.pathAndQuery()) {
            case "/schemas/ids/2" -> new StubRegistry.Response(200, json(Map.of("schema", person,
                    "references", List.of(Map.of("name", "Address", "subject", "address", "version", 1)))));
            case "/subjects/address/versions/1" -> new StubRegistry.Response(200, json(Map.of("subject", "address",
                    "version", 1, "id", 1, "schema", address)));
            default -> new StubRegistry.Response(404, "{\"error_code\":40403,\"message\":\"Schema not found\"}");
        });
        Schema resolved = client().schemaById(2);
        assertThat(resolved.getField("home").schema().getName()).isEqualTo("Address");
        assertThat(client.schemaById(2)).isSameAs(resolved);
        assertThat(stub.requests()).hasSize(2);
        assertThatThrownBy(() -> client.schemaById(3)).isInstanceOf(SchemaNotFoundException.class);
    }

    @Test
    void nonAvroSchemasAreRefusedClearly() {
        stub.answer(200, json(Map.of("schema", "syntax = \"proto3\";", "schemaType", "PROTOBUF")));
        assertThatThrownBy(() -> client().schemaById(4)).isInstanceOf(InvalidSchemaException.class)
                .hasMessageContaining("PROTOBUF");
    }

    @Test
    void lookupVersionsAndLatest() {
        stub.answer(200, json(Map.of("subject", "users-value", "version", 3, "id", 9, "schema", USER.toString())));
        RegisteredSchema latest = client().latest("users-value");
        assertThat(latest).extracting(RegisteredSchema::subject, RegisteredSchema::version, RegisteredSchema::id)
                .containsExactly("users-value", 3, 9);
        assertThat(latest.schema()).isEqualTo(USER);
        assertThat(client.idOf("users-value", USER, false)).isEqualTo(9);
        assertThat(client.version("users-value", 3).version()).isEqualTo(3);
        assertThat(stub.requests()).extracting(StubRegistry.Request::method, StubRegistry.Request::pathAndQuery)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("GET", "/subjects/users-value/versions/latest"),
                        org.assertj.core.groups.Tuple.tuple("POST", "/subjects/users-value?normalize=false"),
                        org.assertj.core.groups.Tuple.tuple("GET", "/subjects/users-value/versions/3"));
    }

    @Test
    void versionOfIsCachedAfterTheFirstLookup() {
        stub.answer(200, json(Map.of("subject", "users-value", "version", 4, "id", 11, "schema", USER.toString())));
        assertThat(client().versionOf("users-value", USER, false)).isEqualTo(4);
        assertThat(client.versionOf("users-value", USER, false)).isEqualTo(4);
        assertThat(client.idOf("users-value", USER, false)).isEqualTo(11);
        assertThat(stub.requests()).hasSize(1);
    }

    @Test
    void compatibilityTestAndConfig() {
        stub.answer(request -> switch (request.method() + " " + request.pathAndQuery()) {
            case "POST /compatibility/subjects/users-value/versions/latest?verbose=true" -> new StubRegistry.Response(
                    200, "{\"is_compatible\":false,\"messages\":[\"field 'country' has no default\"]}");
            case "GET /config/users-value?defaultToGlobal=true" -> new StubRegistry.Response(200,
                    "{\"compatibilityLevel\":\"FULL\"}");
            case "PUT /config" -> new StubRegistry.Response(200, request.body());
            default -> new StubRegistry.Response(404, "{\"error_code\":404,\"message\":\"no route\"}");
        });
        CompatibilityResult result = client().testCompatibility("users-value", USER, "latest");
        assertThat(result.compatible()).isFalse();
        assertThat(result.messages()).containsExactly("field 'country' has no default");
        assertThat(client.compatibility(Optional.of("users-value"))).isEqualTo("FULL");
        assertThat(client.setCompatibility(Optional.empty(), "backward")).isEqualTo("BACKWARD");
        assertThat(stub.requests().get(2).body()).isEqualTo("{\"compatibility\":\"BACKWARD\"}");
    }

    @Test
    void deletes() {
        stub.answer(request -> request.pathAndQuery().contains("/versions/")
                ? new StubRegistry.Response(200, "2") : new StubRegistry.Response(200, "[1,2]"));
        assertThat(client().deleteSubject("users-value", true)).containsExactly(1, 2);
        assertThat(client.deleteVersion("users-value", 2, false)).isEqualTo(2);
        assertThat(stub.requests()).extracting(StubRegistry.Request::method, StubRegistry.Request::pathAndQuery)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("DELETE", "/subjects/users-value?permanent=true"),
                        org.assertj.core.groups.Tuple.tuple("DELETE", "/subjects/users-value/versions/2?permanent=false"));
    }

    @Test
    void basicAuthFromUserInfo() {
        stub.answer(200, "[]");
        client(stub.url(), Map.of("basic.auth.credentials.source", "USER_INFO", "basic.auth.user.info", "kaveri:s3cret"))
                .subjects();
        assertThat(stub.requests().get(0).header("Authorization")).isEqualTo("Basic " + base64("kaveri:s3cret"));
    }

    @Test
    void basicAuthFromTheUrlIsSentButNotPartOfTheUrl() {
        stub.answer(200, "[]");
        client(stub.url().replace("http://", "http://kaveri:p%40ss@"), Map.of()).subjects();
        assertThat(stub.requests().get(0).header("Authorization")).isEqualTo("Basic " + base64("kaveri:p@ss"));
    }

    @Test
    void bearerToken() {
        stub.answer(200, "[]");
        client(stub.url(), Map.of("bearer.auth.credentials.source", "STATIC_TOKEN", "bearer.auth.token", "tok-123"))
                .subjects();
        assertThat(stub.requests().get(0).header("Authorization")).isEqualTo("Bearer tok-123");
    }

    @Test
    void badAuthOrTlsConfigurationNamesTheKey() {
        assertThatThrownBy(() -> client(stub.url(), Map.of("basic.auth.credentials.source", "USER_INFO")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("basic.auth.user.info");
        assertThatThrownBy(() -> client(stub.url(), Map.of("basic.auth.user.info", "a:b", "bearer.auth.token", "t")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("bearer.auth.token");
        assertThatThrownBy(() -> client(stub.url(), Map.of("schema.registry.ssl.truststore.location", "/nowhere.jks",
                "schema.registry.ssl.truststore.password", "secret-pw")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("schema.registry.ssl.truststore.location")
                .hasMessageNotContaining("secret-pw");
        assertThatThrownBy(() -> client("ftp://registry", Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("schema.registry.url");
        assertThatThrownBy(() -> client("mock://a," + stub.url(), Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("mock://");
    }

    private static String deadUrl() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return "http://127.0.0.1:" + socket.getLocalPort();
        }
    }

    private static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
