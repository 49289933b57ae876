package io.kaveri.stack;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StackDirectoriesTest {

    @Test
    void pluginDirectoriesAreTheBuiltPluginFoldersOfEachConnectorModule(@TempDir Path home) throws Exception {
        Files.createDirectories(home.resolve("connectors/webhook-source/target/plugin/kaveri-webhook-source/lib"));
        Files.createDirectories(home.resolve("connectors/postgres-cdc-source/target/plugin/kaveri-postgres-cdc-source/lib"));
        Files.createDirectories(home.resolve("connectors/not-built/src"));

        assertThat(StackDirectories.builtPluginDirectories(home)).containsExactly(
                home.resolve("connectors/postgres-cdc-source/target/plugin"),
                home.resolve("connectors/webhook-source/target/plugin"));
    }

    @Test
    void noConnectorsBuiltMeansAnEmptyPluginPath(@TempDir Path home) {
        assertThat(StackDirectories.builtPluginDirectories(home)).isEmpty();
    }
    @Test
    void aWorkDirectoryUnderARegularFileIsRefusedNamingTheDirectoryAndTheFix(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("not-a-dir"), "x");
        Path work = file.resolve("work");

        assertThatThrownBy(() -> StackDirectories.requireWritable("work directory", work))
                .isInstanceOf(StackStartException.class)
                .hasMessageContaining("work directory " + work)
                .hasMessageContaining("--work-dir");
    }
}
