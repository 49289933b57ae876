package io.kaveri.schemas.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class MockSchemaRegistryTest {

    private static final Schema V1 = SchemaBuilder.record("User").namespace("io.kaveri.test").fields()
            .requiredString("name").requiredInt("age").endRecord();
    private static final Schema V2_OPTIONAL_EMAIL = SchemaBuilder.record("User").namespace("io.kaveri.test").fields()
            .requiredString("name").requiredInt("age").optionalString("email").endRecord();
    private static final Schema V2_REQUIRED_COUNTRY = SchemaBuilder.record("User").namespace("io.kaveri.test").fields()
            .requiredString("name").requiredInt("age").requiredString("country").endRecord();
    private static final Schema V2_WITHOUT_AGE = SchemaBuilder.record("User").namespace("io.kaveri.test").fields()
            .requiredString("name").endRecord();

    private final MockSchemaRegistry registry = new MockSchemaRegistry();

    @AfterEach
    void dropScopes() {
        MockSchemaRegistry.drop("mock-test");
    }

    @Test
    void idsAreStableAndGlobal() {
        int id = registry.register("users-value", V1, false);
        assertThat(registry.register("users-value", V1, false)).isEqualTo(id);
        assertThat(registry.versions("users-value")).containsExactly(1);
        // The same schema under another subject keeps its id.
        assertThat(registry.register("archive-value", V1, false)).isEqualTo(id);
        int v2 = registry.register("users-value", V2_OPTIONAL_EMAIL, false);
        assertThat(v2).isNotEqualTo(id);
        assertThat(registry.versions("users-value")).containsExactly(1, 2);
        assertThat(registry.schemaById(id)).isEqualTo(V1);
        assertThat(registry.idOf("users-value", V2_OPTIONAL_EMAIL, false)).isEqualTo(v2);
        RegisteredSchema latest = registry.latest("users-value");
        assertThat(latest.version()).isEqualTo(2);
        assertThat(latest.id()).isEqualTo(v2);
        assertThat(latest.schema()).isEqualTo(V2_OPTIONAL_EMAIL);
        assertThat(registry.version("users-value", 1).id()).isEqualTo(id);
        assertThat(registry.subjects()).containsExactly("archive-value", "users-value");
    }

    @Test
    void backwardIsTheDefaultAndRefusesARequiredNewFieldNamingIt() {
        registry.register("users-value", V1, false);
        assertThat(registry.compatibility(Optional.empty())).isEqualTo("BACKWARD");
        assertThatThrownBy(() -> registry.register("users-value", V2_REQUIRED_COUNTRY, false))
                .isInstanceOfSatisfying(IncompatibleSchemaException.class, e -> {
                    assertThat(e.status()).isEqualTo(409);
                    assertThat(e.errorCode()).isEqualTo(409);
                    assertThat(e.getMessage()).contains("users-value", "READER_FIELD_MISSING_DEFAULT_VALUE",
                            "field:'country'");
                });
        assertThat(registry.versions("users-value")).containsExactly(1);
        // Removing a field is backward compatible: the new reader ignores it.
        registry.register("users-value", V2_WITHOUT_AGE, false);
        assertThat(registry.versions("users-value")).containsExactly(1, 2);
    }

    @Test
    void forwardRefusesRemovingAFieldOldReadersNeed() {
        registry.setCompatibility(Optional.of("users-value"), "FORWARD");
        registry.register("users-value", V1, false);
        assertThatThrownBy(() -> registry.register("users-value", V2_WITHOUT_AGE, false))
                .isInstanceOf(IncompatibleSchemaException.class).hasMessageContaining("field:'age'");
        // A new required field is fine for old readers.
        registry.register("users-value", V2_REQUIRED_COUNTRY, false);
    }

    @Test
    void fullNeedsBothDirections() {
        registry.setCompatibility(Optional.of("users-value"), "FULL");
        registry.register("users-value", V1, false);
        assertThatThrownBy(() -> registry.register("users-value", V2_WITHOUT_AGE, false))
                .isInstanceOf(IncompatibleSchemaException.class);
        assertThatThrownBy(() -> registry.register("users-value", V2_REQUIRED_COUNTRY, false))
                .isInstanceOf(IncompatibleSchemaException.class);
        registry.register("users-value", V2_OPTIONAL_EMAIL, false);
    }

    @Test
    void transitiveModesCheckEveryVersionNotJustTheLatest() {
        Schema v1 = SchemaBuilder.record("R").fields().requiredInt("a").endRecord();
        Schema v2 = SchemaBuilder.record("R").fields().endRecord();
        Schema v3 = SchemaBuilder.record("R").fields().name("a").type().stringType().stringDefault("").endRecord();
        for (String subject : List.of("plain", "transitive")) {
            registry.register(subject, v1, false);
            registry.register(subject, v2, false);
        }
        registry.setCompatibility(Optional.of("transitive"), "BACKWARD_TRANSITIVE");
        registry.register("plain", v3, false);
        assertThatThrownBy(() -> registry.register("transitive", v3, false))
                .isInstanceOf(IncompatibleSchemaException.class).hasMessageContaining("field:'a'");
        assertThat(registry.testCompatibility("transitive", v3, "latest").compatible()).isFalse();
        assertThat(registry.testCompatibility("transitive", v3, "2").compatible()).isTrue();
    }

    @Test
    void noneAcceptsAnything() {
        registry.setCompatibility(Optional.empty(), "NONE");
        registry.register("users-value", V1, false);
        registry.register("users-value", V2_REQUIRED_COUNTRY, false);
        assertThat(registry.versions("users-value")).containsExactly(1, 2);
    }

    @Test
    void testCompatibilityGivesVerboseMessages() {
        assertThat(registry.testCompatibility("users-value", V1, SchemaRegistryClient.LATEST).compatible()).isTrue();
        registry.register("users-value", V1, false);
        CompatibilityResult result = registry.testCompatibility("users-value", V2_REQUIRED_COUNTRY, "latest");
        assertThat(result.compatible()).isFalse();
        assertThat(result.messages()).singleElement().asString().contains("country");
        assertThat(registry.testCompatibility("users-value", V2_OPTIONAL_EMAIL, "1"))
                .isEqualTo(new CompatibilityResult(true, List.of()));
    }

    @Test
    void compatibilityPerSubjectFallsBackToGlobal() {
        registry.setCompatibility(Optional.empty(), "FULL");
        assertThat(registry.compatibility(Optional.of("a"))).isEqualTo("FULL");
        assertThat(registry.setCompatibility(Optional.of("a"), "forward_transitive")).isEqualTo("FORWARD_TRANSITIVE");
        assertThat(registry.compatibility(Optional.of("a"))).isEqualTo("FORWARD_TRANSITIVE");
        assertThat(registry.compatibility(Optional.empty())).isEqualTo("FULL");
        assertThatThrownBy(() -> registry.setCompatibility(Optional.empty(), "SIDEWAYS"))
                .isInstanceOfSatisfying(SchemaRegistryException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(42203);
                    assertThat(e.getMessage()).contains("SIDEWAYS");
                });
    }

    @Test
    void softThenHardDelete() {
        int id = registry.register("users-value", V1, false);
        registry.register("users-value", V2_OPTIONAL_EMAIL, false);
        assertErrorCode(() -> registry.deleteSubject("users-value", true), 40405);
        assertThat(registry.deleteSubject("users-value", false)).containsExactly(1, 2);
        assertThat(registry.subjects()).isEmpty();
        assertThatThrownBy(() -> registry.latest("users-value")).isInstanceOf(SubjectNotFoundException.class);
        assertErrorCode(() -> registry.deleteSubject("users-value", false), 40404);
        assertThat(registry.deleteSubject("users-value", true)).containsExactly(1, 2);
        assertThatThrownBy(() -> registry.deleteSubject("users-value", false))
                .isInstanceOf(SubjectNotFoundException.class);
        // Records already written keep resolving their schema.
        assertThat(registry.schemaById(id)).isEqualTo(V1);
        // A new history starts at version 1 with the same id.
        assertThat(registry.register("users-value", V1, false)).isEqualTo(id);
        assertThat(registry.versions("users-value")).containsExactly(1);
    }

    @Test
    void deleteOneVersion() {
        registry.register("users-value", V1, false);
        registry.register("users-value", V2_OPTIONAL_EMAIL, false);
        assertErrorCode(() -> registry.deleteVersion("users-value", 2, true), 40407);
        assertThat(registry.deleteVersion("users-value", 2, false)).isEqualTo(2);
        assertThat(registry.versions("users-value")).containsExactly(1);
        assertThat(registry.latest("users-value").version()).isEqualTo(1);
        assertErrorCode(() -> registry.deleteVersion("users-value", 2, false), 40406);
        // A soft-deleted version number is not reused.
        registry.register("users-value", V2_WITHOUT_AGE, false);
        assertThat(registry.versions("users-value")).containsExactly(1, 3);
        assertThat(registry.deleteVersion("users-value", 2, true)).isEqualTo(2);
        assertThatThrownBy(() -> registry.deleteVersion("users-value", 2, true))
                .isInstanceOf(VersionNotFoundException.class);
        assertThat(registry.versions("users-value")).containsExactly(1, 3);
    }

    @Test
    void everyTypedError() {
        registry.register("users-value", V1, false);
        assertError(() -> registry.latest("nobody"), SubjectNotFoundException.class, 404, 40401, "nobody");
        assertError(() -> registry.version("users-value", 7), VersionNotFoundException.class, 404, 40402, "7");
        assertError(() -> registry.schemaById(999), SchemaNotFoundException.class, 404, 40403, "999");
        assertError(() -> registry.idOf("users-value", V2_OPTIONAL_EMAIL, false), SchemaNotFoundException.class, 404,
                40403, "users-value");
        assertError(() -> registry.register("users-value", new RegisteredSchema.Content("{\"type\": \"recrod\"}",
                List.of())), InvalidSchemaException.class, 422, 42201, "type name");
        assertError(() -> registry.register("users-value", new RegisteredSchema.Content("{\"type\": ", List.of())),
                InvalidSchemaException.class, 422, 42201, "Invalid Avro schema");
        assertError(() -> registry.version("users-value", 0), InvalidVersionException.class, 422, 42202, "'0'");
        assertError(() -> registry.register("users-value", V2_REQUIRED_COUNTRY, false), IncompatibleSchemaException.class,
                409, 409, "country");
    }

    @Test
    void referencesResolveAcrossSubjects() {
        String address = """
                {"type": "record", "name": "Address", "namespace": "io.kaveri.test",
                 "fields": [{"name": "city", "type": "string"}]}""";
        String person = """
                {"type": "record", "name": "Person", "namespace": "io.kaveri.test",
                 "fields": [{"name": "home", "type": "io.kaveri.test.Address"}]}""";
        registry.register("address", new RegisteredSchema.Content(address, List.of()));
        SchemaReference reference = new SchemaReference("io.kaveri.test.Address", "address", 1);
        int id = registry.register("person-value", new RegisteredSchema.Content(person, List.of(reference)));
        Schema resolved = registry.schemaById(id);
        assertThat(resolved.getField("home").schema().getField("city")).isNotNull();
        RegisteredSchema latest = registry.latest("person-value");
        assertThat(latest.references()).containsExactly(reference);
        assertThat(latest.schemaString()).isEqualTo(person);
        assertThatThrownBy(() -> registry.register("other", new RegisteredSchema.Content(person,
                List.of(new SchemaReference("io.kaveri.test.Address", "address", 5)))))
                .isInstanceOf(InvalidSchemaException.class).hasMessageContaining("address");
    }

    @Test
    void mockUrlsShareTheirScope() {
        SchemaRegistryClient a = SchemaRegistryClients.create(Map.of("schema.registry.url", "mock://mock-test"));
        SchemaRegistryClient b = SchemaRegistryClients.create(Map.of("schema.registry.url", "mock://mock-test"));
        int id = a.register("s", V1, false);
        assertThat(b.schemaById(id)).isEqualTo(V1);
        assertThat(b).isSameAs(MockSchemaRegistry.scope("mock-test"));
        MockSchemaRegistry.drop("mock-test");
        assertThat(MockSchemaRegistry.scope("mock-test").subjects()).isEmpty();
    }

    private static void assertErrorCode(Runnable call, int code) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(SchemaRegistryException.class,
                e -> assertThat(e.errorCode()).isEqualTo(code));
    }

    private static void assertError(Runnable call, Class<? extends SchemaRegistryException> type, int status, int code,
                                    String mentioned) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(type, e -> {
            assertThat(e.status()).isEqualTo(status);
            assertThat(e.errorCode()).isEqualTo(code);
            assertThat(e.isTransient()).isFalse();
            assertThat(e.getMessage()).contains(mentioned);
        });
    }
}
