package io.kaveri.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DeployCommandTest {

    @TempDir
    Path dir;

    @Test
    void aConnectRequestBodyGivesNameAndConfig() throws Exception {
        Path f = Files.writeString(dir.resolve("file-name.json"),
                "{\"name\":\"shop-cdc\",\"config\":{\"connector.class\":\"C\",\"tasks.max\":1}}");
        Map.Entry<String, Map<String, String>> c = DeployCommand.readConnectorConfig(f);
        assertThat(c.getKey()).isEqualTo("shop-cdc");
        assertThat(c.getValue()).containsExactly(Map.entry("connector.class", "C"), Map.entry("tasks.max", "1"));
    }

    @Test
    void aFlatJsonConfigOrPropertiesFileIsNamedAfterTheFileUnlessItHasAName() throws Exception {
        Path json = Files.writeString(dir.resolve("hooks.json"), "{\"connector.class\":\"C\"}");
        Path props = Files.writeString(dir.resolve("cdc.properties"), "connector.class=C\nname=orders\n");
        assertThat(DeployCommand.readConnectorConfig(json).getKey()).isEqualTo("hooks");
        Map.Entry<String, Map<String, String>> p = DeployCommand.readConnectorConfig(props);
        assertThat(p.getKey()).isEqualTo("orders");
        assertThat(p.getValue()).containsOnlyKeys("connector.class");
    }

    @Test
    void aConfigWithoutConnectorClassOrThatIsNotJsonIsNamed() throws Exception {
        Path noClass = Files.writeString(dir.resolve("x.properties"), "tasks.max=1\n");
        Path broken = Files.writeString(dir.resolve("y.json"), "{\"connector.class\":");
        assertThatThrownBy(() -> DeployCommand.readConnectorConfig(noClass))
                .hasMessageContaining("connector x").hasMessageContaining("no connector.class");
        assertThatThrownBy(() -> DeployCommand.readConnectorConfig(broken))
                .hasMessageContaining(broken.toString()).hasMessageContaining("not valid JSON");
    }
}
