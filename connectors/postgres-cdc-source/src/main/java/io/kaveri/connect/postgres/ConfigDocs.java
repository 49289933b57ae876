package io.kaveri.connect.postgres;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.ConfigKey;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/** Renders the configuration reference ({@code docs/config.md}) from the ConfigDef, the one source of truth. */
final class ConfigDocs {

    private ConfigDocs() {
    }

    static String markdown(ConfigDef def) {
        StringBuilder md = new StringBuilder();
        md.append("# PostgreSQL CDC source: configuration reference\n\n")
                .append("Generated from `PostgresCdcSourceConfig`; do not edit by hand.\n")
                .append("Connector class: `").append(PostgresCdcSourceConnector.class.getName()).append("`.\n");
        List<ConfigKey> keys = new ArrayList<>(def.configKeys().values());
        keys.sort(Comparator.comparingInt((ConfigKey k) -> def.groups().indexOf(k.group)).thenComparingInt(k -> k.orderInGroup));
        String group = null;
        for (ConfigKey k : keys) {
            if (!k.group.equals(group)) {
                group = k.group;
                md.append("\n## ").append(group).append("\n\n")
                        .append("| Key | Type | Default | Valid values | Importance | Description |\n")
                        .append("| --- | --- | --- | --- | --- | --- |\n");
            }
            md.append("| `").append(k.name).append("` | ").append(k.type.name().toLowerCase(Locale.ROOT))
                    .append(" | ").append(defaultText(k))
                    .append(" | ").append(k.validator == null ? "" : cell(k.validator.toString()))
                    .append(" | ").append(k.importance.name().toLowerCase(Locale.ROOT))
                    .append(" | ").append(cell(k.documentation)).append(" |\n");
        }
        return md.toString();
    }

    private static String defaultText(ConfigKey k) {
        if (!k.hasDefault()) {
            return "(required)";
        }
        if (k.defaultValue == null) {
            return "null";
        }
        String text = k.defaultValue instanceof List<?> list
                ? String.join(",", list.stream().map(String::valueOf).toList()) : String.valueOf(k.defaultValue);
        return text.isEmpty() ? "\"\"" : "`" + text + "`";
    }

    private static String cell(String text) {
        return text.replace("|", "\\|").replace("\n", " ");
    }
}
