package io.kaveri.streams;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.kaveri.stack.FreePorts;
import io.kaveri.stack.LocalStack;
import org.apache.avro.specific.SpecificRecord;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A webhook connector feeding apps as a deployment feeds them: each bearer-authenticated route writes an app's Avro
 * contract ({@code route.<name>.value.contract}) into that app's input topic, keyed by a field of the event.
 */
final class WebhookFeed {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(120);

    private final int port = FreePorts.pick();
    private final String token;
    private final List<String> names = new ArrayList<>();
    private final Map<String, String> routes = new LinkedHashMap<>();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    /** @param token the bearer token every route demands */
    WebhookFeed(String token) {
        this.token = token;
    }

    /** A route {@code /<name>} writing {@code contract} records into {@code topic}, keyed by {@code keyPointer}. */
    WebhookFeed route(String name, String topic, Class<? extends SpecificRecord> contract, String keyPointer) {
        names.add(name);
        routes.put("route." + name + ".topic", topic);
        routes.put("route." + name + ".value.contract", contract.getName());
        routes.put("route." + name + ".signature.scheme", "bearer");
        routes.put("route." + name + ".secret", token);
        routes.put("route." + name + ".key.pointer", keyPointer);
        return this;
    }

    /** The connector's configuration: one task listening on loopback, string keys, Avro values in the stack's registry. */
    Map<String, String> config(LocalStack stack) {
        Map<String, String> c = new LinkedHashMap<>();
        c.put("connector.class", "io.kaveri.connect.webhook.WebhookSourceConnector");
        c.put("tasks.max", "1");
        c.put("listener.host", "127.0.0.1");
        c.put("listener.port", Integer.toString(port));
        c.put("routes", String.join(",", names));
        c.putAll(routes);
        c.put("key.converter", "org.apache.kafka.connect.storage.StringConverter");
        c.put("value.converter", "io.kaveri.schemas.connect.AvroConverter");
        c.put("value.converter.schema.registry.url", stack.registryUrl());
        // Keeps the contracts' enums Avro enums (a trade's side).
        c.put("value.converter.enhanced.avro.schema.support", "true");
        return c;
    }

    /** POSTs {@code event} as JSON to the route and waits for a 2xx; a 4xx (the event does not fit) fails at once. */
    void post(String route, Map<String, ?> event) throws IOException {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/" + route))
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + token)
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(event))).build();
        // The listener binds after the task reports RUNNING: retry until it answers.
        await("route " + route + " answers 2xx").atMost(TIMEOUT).ignoreExceptionsInstanceOf(IOException.class).until(() -> {
            HttpResponse<String> answer = http.send(request, HttpResponse.BodyHandlers.ofString());
            assertThat(answer.statusCode() / 100).as("route %s refused %s: %s", route, event, answer.body()).isNotEqualTo(4);
            return answer.statusCode() / 100 == 2;
        });
    }
}
