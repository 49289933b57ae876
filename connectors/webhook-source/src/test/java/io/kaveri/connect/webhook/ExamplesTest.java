package io.kaveri.connect.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigValue;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Every example under examples/ is a configuration the connector accepts, without a misspelt key. */
class ExamplesTest {

    /** Keys Connect itself reads, which the connector does not define. */
    private static final Set<String> FRAMEWORK_PREFIXES = Set.of("connector.class", "tasks.max", "name",
            "key.converter", "value.converter", "header.converter", "transforms", "errors.", "exactly.once.support");

    static Stream<Path> examples() throws IOException {
        return Files.list(Path.of("examples")).filter(p -> p.toString().endsWith(".json")).sorted();
    }

    @ParameterizedTest
    @MethodSource("examples")
    void exampleIsValid(Path example) throws IOException {
        Map<String, Object> file = new ObjectMapper().readValue(example.toFile(), new TypeReference<>() { });
        @SuppressWarnings("unchecked")
        Map<String, String> config = new LinkedHashMap<>((Map<String, String>) file.get("config"));
        // A config provider resolves these on the worker; any base64 value stands in for every scheme here.
        config.replaceAll((k, v) -> v.replaceAll("\\$\\{[^}]+}", "whsec_dGVzdA=="));

        List<ConfigValue> values = new WebhookSourceConnector().validate(config).configValues();
        assertThat(values).allSatisfy(v -> assertThat(v.errorMessages()).as(v.name()).isEmpty());

        ConfigDef known = WebhookSourceConfig.enrich(config);
        assertThat(config.keySet()).allSatisfy(key -> assertThat(known.names().contains(key)
                || FRAMEWORK_PREFIXES.stream().anyMatch(key::startsWith)).as("known key " + key).isTrue());
    }
}
