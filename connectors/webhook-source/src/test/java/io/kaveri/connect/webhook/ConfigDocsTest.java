package io.kaveri.connect.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

class ConfigDocsTest {

    /** Run with -Dkaveri.webhook.docs.update=true to rewrite the page after changing a key. */
    @Test
    void referencePageMatchesTheConfigDef() throws Exception {
        Path page = Path.of(System.getProperty("kaveri.webhook.docs", "docs/config.rst"));
        String expected = ConfigDocs.render();
        if (Boolean.getBoolean("kaveri.webhook.docs.update")) {
            Files.writeString(page, expected, StandardCharsets.UTF_8);
        }
        assertThat(page).as("regenerate with -Dkaveri.webhook.docs.update=true").exists();
        assertThat(Files.readString(page, StandardCharsets.UTF_8)).isEqualTo(expected);
    }

    @Test
    void everyRouteKeyIsDocumentedWithItsPrefix() {
        String page = ConfigDocs.render();
        for (String key : RouteConfig.configDef().names()) {
            assertThat(page).contains("route.<name>." + key);
        }
        assertThat(page).doesNotContain(WebhookSourceConfig.TASK_ROUTES_CONFIG);
    }
}
