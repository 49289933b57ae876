package io.kaveri.test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kaveri.stack.LocalStack;
import io.kaveri.stack.LocalStack.Part;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

@KaveriStack(Part.CONNECT)
class ConnectWorkerIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void restApiListsPluginsAndRunsASourceConnectorWhoseRecordsAreConsumed(LocalStack stack, @TempDir Path dir) throws Exception {
        JsonNode plugins = get(stack.connectUrl() + "/connector-plugins?connectorsOnly=true");
        List<String> classes = new ArrayList<>();
        plugins.forEach(p -> classes.add(p.get("class").asText()));
        assertThat(classes).contains("org.apache.kafka.connect.file.FileStreamSourceConnector");

        String name = "file-" + UUID.randomUUID();
        String topic = name + "-lines";
        Path input = dir.resolve("lines.txt");
        Files.write(input, List.of("alpha", "beta", "gamma"));
        // read by the worker, which shares this JVM's user but not necessarily its umask
        dir.toFile().setReadable(true, false);
        input.toFile().setReadable(true, false);

        ConnectClient connect = ConnectClient.of(stack);
        assertThat(connect.putConfig(name, Map.of(
                "connector.class", "org.apache.kafka.connect.file.FileStreamSourceConnector",
                "tasks.max", "1",
                "file", input.toString(),
                "topic", topic,
                "value.converter", "org.apache.kafka.connect.storage.StringConverter"))).as("created").isEqualTo(201);
        connect.awaitRunning(name, Duration.ofSeconds(60));
        // Exactly-once source support is on: the records arrive in committed transactions.
        assertThat(KafkaBrokerIT.consumeUntil(stack, topic, "read_committed", 3)).containsExactly("alpha", "beta", "gamma");

        assertThat(connect.delete(name)).isEqualTo(204);
    }

    private JsonNode get(String url) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as("GET %s: %s", url, r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }
}
