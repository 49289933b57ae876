package io.kaveri.connect.webhook;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Renders the configuration reference from the ConfigDef, the single source of every key's documentation. */
final class ConfigDocs {

    private ConfigDocs() {
    }

    static String render() {
        return "Webhook source connector configuration\n"
                + "======================================\n\n"
                + "Generated from ``WebhookSourceConfig`` and ``RouteConfig``; do not edit by hand. Every route\n"
                + "declared in ``routes`` takes the ``route.<name>.*`` keys.\n\n"
                + WebhookSourceConfig.documentationDef().toEnrichedRst();
    }

    /** Writes the reference page to the path given as the only argument. */
    public static void main(String[] args) throws IOException {
        Files.writeString(Path.of(args[0]), render(), StandardCharsets.UTF_8);
    }
}
