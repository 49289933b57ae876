package io.kaveri.connect.webhook;

import static io.kaveri.connect.webhook.SignaturesTest.hex;
import static io.kaveri.connect.webhook.SignaturesTest.hmac;
import static io.kaveri.connect.webhook.SignaturesTest.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.kaveri.schemas.connect.AvroConverter;
import io.kaveri.schemas.serde.KaveriAvroDeserializer;
import io.kaveri.schemas.webhook.WebhookEvent;
import io.kaveri.stack.LocalStack;
import io.kaveri.stack.LocalStack.Part;
import io.kaveri.test.KaveriStack;

/** The packaged plugin in the local stack's Connect worker (exactly-once source support enabled). */
@KaveriStack({Part.CONNECT, Part.REGISTRY})
class WebhookSourceIT {

    private static final String SECRET = "it-secret";

    @Test
    void signedEventsAreInTheTopicWhenAnswered200(LocalStack stack) throws Exception {
        StackClient client = new StackClient(stack);
        String name = "webhooks-" + UUID.randomUUID().toString().substring(0, 8);
        int port = StackClient.freePorts(2);
        Map<String, String> config = StackClient.connectorConfig(port, 2, "github,clicks");
        config.put("route.github.topic", name + "-github");
        config.put("route.github.signature.scheme", "github");
        config.put("route.github.secret", SECRET);
        config.put("route.github.key.pointer", "/repository/full_name");
        config.put("route.github.dead.letter.topic", name + "-dlq");
        config.put("route.clicks.topic", name + "-clicks");
        config.put("route.clicks.content", "ndjson");
        client.deploy(name, config);

        String event = "{\"repository\":{\"full_name\":\"kaveri/kaveri\"},\"action\":\"opened\"}";
        HttpResponse<String> ok = post(client, "http://127.0.0.1:" + port + "/github", event,
                "X-Hub-Signature-256", "sha256=" + hex(hmac("HmacSHA256", utf8(SECRET), "", utf8(event))),
                "X-GitHub-Delivery", "delivery-1", "Content-Type", "application/json");
        assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
        HttpResponse<String> again = post(client, "http://127.0.0.1:" + port + "/github", event,
                "X-Hub-Signature-256", "sha256=" + hex(hmac("HmacSHA256", utf8(SECRET), "", utf8(event))),
                "X-GitHub-Delivery", "delivery-1");
        assertThat(again.body()).isEqualTo("{\"duplicate\":true}");
        assertThat(post(client, "http://127.0.0.1:" + port + "/github", event, "X-Hub-Signature-256", "sha256=00").statusCode())
                .isEqualTo(401);
        HttpResponse<String> clicks = post(client, "http://127.0.0.1:" + (port + 1) + "/clicks", "{\"n\":1}\n{\"n\":2}\n{\"n\":3}\n");
        assertThat(clicks.body()).isEqualTo("{\"records\":3}");

        List<ConsumerRecord<String, String>> github = client.consume(name + "-github", 1);
        assertThat(github).hasSize(1);
        assertThat(github.get(0).key()).contains("kaveri/kaveri");
        JsonNode payload = StackClient.JSON.readTree(github.get(0).value()).path("payload");
        assertThat(payload.path("route").asText()).isEqualTo("github");
        assertThat(payload.path("deliveryId").asText()).isEqualTo("delivery-1");
        assertThat(payload.path("json").asText()).isEqualTo(event);
        assertThat(StackClient.JSON.readTree(github.get(0).value()).path("schema").path("name").asText())
                .isEqualTo("io.kaveri.schemas.webhook.WebhookEvent");
        assertThat(client.consume(name + "-clicks", 3)).hasSize(3);
        ConsumerRecord<String, String> dead = client.consume(name + "-dlq", 1).get(0);
        assertThat(new String(dead.headers().lastHeader("kaveri.webhook.error.reason").value()))
                .contains("signature mismatch");

        assertThat(client.delete(name)).isEqualTo(204);
    }

    @Test
    void avroThroughTheKaveriConverterReadsBackAsTheContract(LocalStack stack) throws Exception {
        StackClient client = new StackClient(stack);
        String name = "webhooks-avro-" + UUID.randomUUID().toString().substring(0, 8);
        int port = StackClient.freePorts(1);
        Map<String, String> config = StackClient.connectorConfig(port, 1, "stripe");
        config.put("route.stripe.topic", name);
        config.put("route.stripe.signature.scheme", "stripe");
        config.put("route.stripe.secret", SECRET);
        config.put("route.stripe.key.pointer", "/data/object/customer");
        config.put("route.stripe.body.format", "both");
        config.put("value.converter", AvroConverter.class.getName());
        config.put("value.converter.schema.registry.url", stack.registryUrl());
        config.put("value.converter.enhanced.avro.schema.support", "true");
        client.deploy(name, config);

        String event = "{\"id\":\"evt_1\",\"type\":\"charge.succeeded\",\"data\":{\"object\":{\"customer\":\"cus_9\"}}}";
        long t = System.currentTimeMillis() / 1000;
        String signature = "t=" + t + ",v1=" + hex(hmac("HmacSHA256", utf8(SECRET), t + ".", utf8(event)));
        HttpResponse<String> ok = post(client, "http://127.0.0.1:" + port + "/stripe", event, "Stripe-Signature", signature,
                "Content-Type", "application/json");
        assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);

        ConsumerRecord<String, byte[]> record = client.consumeBytes(name, 1).get(0);
        assertThat(record.key()).contains("cus_9");
        try (KaveriAvroDeserializer deserializer = new KaveriAvroDeserializer()) {
            deserializer.configure(Map.of("schema.registry.url", stack.registryUrl()), false);
            GenericRecord value = (GenericRecord) deserializer.deserialize(name, record.value());
            assertThat(GenericData.get().validate(WebhookEvent.getClassSchema(), value)).isTrue();
            assertThat(value.get("deliveryId").toString()).isEqualTo("evt_1");
            assertThat(value.get("eventType").toString()).isEqualTo("charge.succeeded");
            assertThat(value.get("json").toString()).isEqualTo(event);
            assertThat(((GenericRecord) value.get("signature")).get("scheme").toString()).isEqualTo("STRIPE");
        }
        assertThat(client.delete(name)).isEqualTo(204);
    }

    private static HttpResponse<String> post(StackClient client, String url, String body, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (headers.length > 0) {
            b.headers(headers);
        }
        return client.http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
