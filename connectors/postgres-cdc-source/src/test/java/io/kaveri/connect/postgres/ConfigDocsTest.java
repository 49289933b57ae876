package io.kaveri.connect.postgres;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class ConfigDocsTest {

    private static final Path DOC = Path.of("docs", "config.md");

    @Test
    void referenceIsUpToDate() throws Exception {
        String generated = ConfigDocs.markdown(PostgresCdcSourceConfig.configDef());
        if (Boolean.getBoolean("kaveri.docs.update")) {
            Files.writeString(DOC, generated, StandardCharsets.UTF_8);
        }
        assertThat(DOC).as("docs/config.md is stale: run ./mvnw -pl connectors/postgres-cdc-source test "
                + "-Dtest=ConfigDocsTest -Dkaveri.docs.update=true").exists();
        assertThat(Files.readString(DOC, StandardCharsets.UTF_8)).as("docs/config.md is stale: run ./mvnw -pl "
                + "connectors/postgres-cdc-source test -Dtest=ConfigDocsTest -Dkaveri.docs.update=true").isEqualTo(generated);
    }

    @Test
    void everyKeyIsDocumentedWithGroupAndValidDefault() {
        PostgresCdcSourceConfig.configDef().configKeys().values().forEach(k -> {
            assertThat(k.documentation).as(k.name).isNotBlank();
            assertThat(k.group).as(k.name).isNotBlank();
            assertThat(ConfigDocs.markdown(PostgresCdcSourceConfig.configDef())).contains("`" + k.name + "`");
        });
    }
}
