package io.kaveri.connect.webhook;

import static io.kaveri.connect.webhook.SignaturesTest.b64;
import static io.kaveri.connect.webhook.SignaturesTest.hex;
import static io.kaveri.connect.webhook.SignaturesTest.hmac;
import static io.kaveri.connect.webhook.SignaturesTest.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Stream;

import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.connect.storage.StringConverter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.JsonNode;

import io.kaveri.schemas.connect.AvroConverter;
import io.kaveri.schemas.serde.KaveriAvroDeserializer;
import io.kaveri.schemas.webhook.WebhookEvent;
import io.kaveri.stack.LocalStack;
import io.kaveri.stack.LocalStack.Part;
import io.kaveri.test.KaveriStack;

/**
 * Every provider route of one connector, end to end: requests signed here with the JDK's Mac (not with the
 * connector's Signatures), records read back as Avro with the Kaveri deserializer against the stack's registry,
 * and one forged request per scheme answered 401 and recorded in the dead-letter topic with its reason.
 */
@KaveriStack({Part.CONNECT, Part.REGISTRY})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WebhookProvidersIT {

    private static final String GITHUB_SECRET = "gh-secret";
    private static final String STRIPE_SECRET = "whsec_stripe";
    private static final String SHOPIFY_SECRET = "shopify-secret";
    private static final String SLACK_SECRET = "slack-secret";
    private static final byte[] STD_OLD_KEY = utf8("standard-webhooks-old-key");
    private static final byte[] STD_NEW_KEY = utf8("standard-webhooks-new-key");
    private static final String GATEWAY_SECRET = "gateway-secret";
    private static final String TOKEN = "device-token";
    private static final String VERIFY_TOKEN = "meta-verify";

    private final String name = "providers-" + UUID.randomUUID().toString().substring(0, 8);
    private LocalStack stack;
    private StackClient client;
    private String base;

    /** One HTTP request of a case, with the answer it must get. */
    record Req(String path, Map<String, String> headers, String body, int status, String answer) {
    }

    /** A record the case must find in its route's topic, in order. */
    record Expect(String key, String eventType, String deliveryId, String json, Map<String, String> headers) {
    }

    /** A provider route: authentic requests and their records, then one forged request. */
    record Case(String route, List<Req> requests, List<Expect> records, Req forged) {
        @Override
        public String toString() {
            return route;
        }
    }

    @BeforeAll
    void deploy(LocalStack stack) throws Exception {
        this.stack = stack;
        client = new StackClient(stack);
        int port = StackClient.freePorts(1);
        base = "http://127.0.0.1:" + port;
        Map<String, String> config = StackClient.connectorConfig(port, 1,
                "github,stripe,shopify,slack,slack-commands,standard,gateway,devices,partners,sensors,meta,beacons");
        config.put("key.converter", StringConverter.class.getName());
        config.put("value.converter", AvroConverter.class.getName());
        config.put("value.converter.schema.registry.url", stack.registryUrl());
        config.put("value.converter.enhanced.avro.schema.support", "true");
        route(config, "github", "github", GITHUB_SECRET, "key.pointer", "/repository/full_name",
                "headers.allow", "X-GitHub-Event,X-Hub-Signature-256,User-Agent");
        route(config, "stripe", "stripe", STRIPE_SECRET, "key.pointer", "/data/object/customer");
        route(config, "shopify", "shopify", SHOPIFY_SECRET, "key.pointer", "/id",
                "headers.allow", "X-Shopify-Topic,X-Shopify-Shop-Domain,X-Shopify-Hmac-Sha256");
        route(config, "slack", "slack", SLACK_SECRET, "path", "/slack/events", "key.pointer", "/event/channel");
        route(config, "slack-commands", "slack", SLACK_SECRET, "path", "/slack/commands", "content", "form",
                "key.pointer", "/user_id");
        route(config, "standard", "standard-webhooks", "whsec_" + b64(STD_OLD_KEY) + ",whsec_" + b64(STD_NEW_KEY),
                "key.pointer", "/data/account_id", "headers.allow", "webhook-id,webhook-signature");
        route(config, "gateway", "hmac", GATEWAY_SECRET, "signature.header", "X-Gateway-Signature",
                "signature.algorithm", "HmacSHA512", "signature.encoding", "base64", "signature.prefix", "sha512=",
                "dedup.header", "X-Gateway-Delivery", "key.header", "X-Merchant", "headers.allow", "X-Merchant");
        route(config, "devices", "bearer", TOKEN, "key.header", "X-Device",
                "headers.allow", "Authorization,Cookie,X-Device");
        route(config, "partners", "basic", "acme:s3cret,globex:hunter2", "split.pointer", "", "key.pointer", "/k");
        route(config, "sensors", "bearer", TOKEN, "content", "cloudevents", "cloudevents.allowed.origins",
                "eventgrid.example.net", "key.pointer", "/source");
        route(config, "meta", "github", GITHUB_SECRET, "verify.token", VERIFY_TOKEN, "split.pointer", "/entry",
                "key.pointer", "/id");
        route(config, "beacons", "none", null, "content", "ndjson", "key.pointer", "/user");
        client.deploy(name, config);
    }

    private void route(Map<String, String> config, String route, String scheme, String secret, String... more) {
        String p = "route." + route + ".";
        config.put(p + "topic", name + "-" + route);
        config.put(p + "signature.scheme", scheme);
        if (secret != null) {
            config.put(p + "secret", secret);
        }
        config.put(p + "dead.letter.topic", name + "-dlq");
        for (int i = 0; i < more.length; i += 2) {
            config.put(p + more[i], more[i + 1]);
        }
    }

    @AfterAll
    void remove() throws Exception {
        assertThat(client.delete(name)).isEqualTo(204);
    }

    Stream<Case> providers() {
        long now = System.currentTimeMillis() / 1000;
        List<Case> cases = new ArrayList<>();

        String push = "{\"ref\":\"refs/heads/main\",\"repository\":{\"full_name\":\"kaveri/kaveri\"}}";
        cases.add(new Case("github",
                List.of(req("/github", push, 200, "{\"records\":1}", "X-Hub-Signature-256", github(push),
                        "X-GitHub-Event", "push", "X-GitHub-Delivery", "gh-1", "User-Agent", "GitHub-Hookshot/1",
                        "Cookie", "session=1", "Content-Type", "application/json"),
                        req("/github", push, 200, "{\"duplicate\":true}", "X-Hub-Signature-256", github(push),
                                "X-GitHub-Event", "push", "X-GitHub-Delivery", "gh-1")),
                List.of(new Expect("kaveri/kaveri", "push", "gh-1", push,
                        Map.of("x-github-event", "push", "user-agent", "GitHub-Hookshot/1"))),
                req("/github", push, 401, null, "X-Hub-Signature-256", "sha256=" + hex(hmac("HmacSHA256",
                        utf8("wrong"), "", utf8(push))))));

        String charge = "{\"id\":\"evt_1\",\"type\":\"charge.succeeded\",\"data\":{\"object\":{\"customer\":\"cus_9\"}}}";
        cases.add(new Case("stripe",
                List.of(req("/stripe", charge, 200, "{\"records\":1}", "Stripe-Signature", stripe(now, charge))),
                List.of(new Expect("cus_9", "charge.succeeded", "evt_1", charge, Map.of())),
                req("/stripe", charge, 401, null, "Stripe-Signature", stripe(now - 3600, charge))));

        String order = "{\"id\":\"820982911946154508\",\"email\":\"jon@example.com\"}";
        cases.add(new Case("shopify",
                List.of(req("/shopify", order, 200, "{\"records\":1}", "X-Shopify-Hmac-Sha256",
                        b64(hmac("HmacSHA256", utf8(SHOPIFY_SECRET), "", utf8(order))), "X-Shopify-Topic", "orders/create",
                        "X-Shopify-Shop-Domain", "kaveri.myshopify.com", "X-Shopify-Webhook-Id", "shop-1")),
                List.of(new Expect("820982911946154508", "orders/create", "shop-1", order,
                        Map.of("x-shopify-topic", "orders/create", "x-shopify-shop-domain", "kaveri.myshopify.com"))),
                req("/shopify", order, 401, null, "X-Shopify-Hmac-Sha256",
                        b64(hmac("HmacSHA256", utf8(SHOPIFY_SECRET), "", utf8(order + " "))))));

        String message = "{\"type\":\"event_callback\",\"event_id\":\"Ev1\",\"event\":{\"type\":\"message\",\"channel\":\"C1\"}}";
        cases.add(new Case("slack",
                List.of(req("/slack/events", message, 200, "{\"records\":1}", slack(now, message))),
                List.of(new Expect("C1", "message", "Ev1", message, Map.of())),
                req("/slack/events", message, 401, null, "X-Slack-Request-Timestamp", Long.toString(now),
                        "X-Slack-Signature", "v0=" + hex(hmac("HmacSHA256", utf8(SLACK_SECRET), "v0:" + (now + 1) + ":",
                                utf8(message))))));

        String command = "command=%2Fdeploy&user_id=U42&text=prod+now";
        cases.add(new Case("slack-commands",
                List.of(req("/slack/commands", command, 200, "{\"records\":1}",
                        concat(slack(now, command), "Content-Type", "application/x-www-form-urlencoded"))),
                List.of(new Expect("U42", null, null, "{\"command\":\"/deploy\",\"user_id\":\"U42\",\"text\":\"prod now\"}",
                        Map.of())),
                req("/slack/commands", command, 401, null, "X-Slack-Request-Timestamp", Long.toString(now))));

        String invoice = "{\"type\":\"invoice.paid\",\"data\":{\"account_id\":\"acct_7\"}}";
        String invoice2 = "{\"type\":\"invoice.created\",\"data\":{\"account_id\":\"acct_8\"}}";
        cases.add(new Case("standard",
                List.of(req("/standard", invoice, 200, "{\"records\":1}", standard("msg_1", now, invoice, STD_OLD_KEY)),
                        // A sender that rotated sends both signatures; the new one alone verifies too.
                        req("/standard", invoice2, 200, "{\"records\":1}", "webhook-id", "msg_2", "webhook-timestamp",
                                Long.toString(now), "webhook-signature", standardSignature("msg_2", now, invoice2, utf8("gone"))
                                        + " " + standardSignature("msg_2", now, invoice2, STD_NEW_KEY))),
                List.of(new Expect("acct_7", "invoice.paid", "msg_1", invoice, Map.of("webhook-id", "msg_1")),
                        new Expect("acct_8", "invoice.created", "msg_2", invoice2, Map.of("webhook-id", "msg_2"))),
                req("/standard", invoice, 401, null, standard("msg_3", now, invoice, utf8("never-configured")))));

        String payment = "{\"amount\":1200,\"currency\":\"EUR\"}";
        cases.add(new Case("gateway",
                List.of(req("/gateway", payment, 200, "{\"records\":1}", "X-Gateway-Signature", "sha512="
                        + b64(hmac("HmacSHA512", utf8(GATEWAY_SECRET), "", utf8(payment))), "X-Gateway-Delivery", "pay-1",
                        "X-Merchant", "m-5")),
                List.of(new Expect("m-5", null, "pay-1", payment, Map.of("x-merchant", "m-5"))),
                req("/gateway", payment, 401, null, "X-Gateway-Signature", "sha512="
                        + b64(hmac("HmacSHA256", utf8(GATEWAY_SECRET), "", utf8(payment))))));

        String reading = "{\"temp\":21.5}";
        cases.add(new Case("devices",
                List.of(req("/devices", reading, 200, "{\"records\":1}", "Authorization", "Bearer " + TOKEN,
                        "X-Device", "dev-3", "Cookie", "c=1")),
                List.of(new Expect("dev-3", null, null, reading, Map.of("x-device", "dev-3"))),
                req("/devices", reading, 401, null, "Authorization", "Bearer " + TOKEN + "x")));

        String batch = "[{\"k\":\"a\",\"n\":1},{\"k\":\"b\",\"n\":2}]";
        cases.add(new Case("partners",
                List.of(req("/partners", batch, 200, "{\"records\":2}", "Authorization", basic("globex:hunter2"))),
                List.of(new Expect("a", null, null, "{\"k\":\"a\",\"n\":1}", Map.of()),
                        new Expect("b", null, null, "{\"k\":\"b\",\"n\":2}", Map.of())),
                req("/partners", batch, 401, null, "Authorization", basic("acme:hunter2"))));

        String structured = "{\"specversion\":\"1.0\",\"id\":\"ce-1\",\"source\":\"/sensors/1\",\"type\":\"reading\","
                + "\"data\":{\"temp\":20}}";
        cases.add(new Case("sensors",
                List.of(req("/sensors", structured, 200, "{\"records\":1}", "Authorization", "Bearer " + TOKEN,
                                "Content-Type", "application/cloudevents+json"),
                        req("/sensors", "{\"temp\":22}", 200, "{\"records\":1}", "Authorization", "Bearer " + TOKEN,
                                "Content-Type", "application/json", "ce-specversion", "1.0", "ce-id", "ce-2",
                                "ce-source", "/sensors/2", "ce-type", "reading")),
                List.of(new Expect("/sensors/1", "reading", "ce-1", structured, Map.of()),
                        new Expect("/sensors/2", "reading", "ce-2", "{\"specversion\":\"1.0\",\"id\":\"ce-2\","
                                + "\"source\":\"/sensors/2\",\"type\":\"reading\",\"datacontenttype\":\"application/json\","
                                + "\"data\":{\"temp\":22}}", Map.of())),
                req("/sensors", structured, 401, null, "Content-Type", "application/cloudevents+json")));

        String entries = "{\"object\":\"whatsapp_business_account\",\"entry\":[{\"id\":\"wa-1\",\"changes\":[]},"
                + "{\"id\":\"wa-2\",\"changes\":[]}]}";
        cases.add(new Case("meta",
                List.of(req("/meta", entries, 200, "{\"records\":2}", "X-Hub-Signature-256", github(entries))),
                List.of(new Expect("wa-1", null, null, "{\"id\":\"wa-1\",\"changes\":[]}", Map.of()),
                        new Expect("wa-2", null, null, "{\"id\":\"wa-2\",\"changes\":[]}", Map.of())),
                req("/meta", entries, 401, null, "X-Hub-Signature-256", "sha256=zz")));

        String lines = "{\"user\":\"u1\",\"page\":\"/\"}\n{\"user\":\"u2\",\"page\":\"/a\"}\n\n{\"user\":\"u3\",\"page\":\"/b\"}\n";
        cases.add(new Case("beacons",
                List.of(req("/beacons", lines, 200, "{\"records\":3}")),
                List.of(new Expect("u1", null, null, "{\"user\":\"u1\",\"page\":\"/\"}", Map.of()),
                        new Expect("u2", null, null, "{\"user\":\"u2\",\"page\":\"/a\"}", Map.of()),
                        new Expect("u3", null, null, "{\"user\":\"u3\",\"page\":\"/b\"}", Map.of())),
                // No signature on this route: the forged request is a malformed line, answered 400.
                req("/beacons", "{\"user\":\"u4\"}\n{\"user\":", 400, null)));
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("providers")
    void routeEndToEnd(Case c) throws Exception {
        for (Req r : c.requests()) {
            HttpResponse<String> response = send("POST", r);
            assertThat(response.statusCode()).as(c.route() + ": " + response.body()).isEqualTo(r.status());
            assertThat(response.body()).isEqualTo(r.answer());
        }
        HttpResponse<String> forged = send("POST", c.forged());
        assertThat(forged.statusCode()).as(forged.body()).isEqualTo(c.forged().status());
        assertThat(forged.body()).startsWith("{\"error\":");

        String topic = name + "-" + c.route();
        List<ConsumerRecord<String, byte[]>> records = client.consumeBytes(topic, c.records().size());
        // Nothing beyond the expected records: the duplicate and the forged request produced nothing.
        assertThat(client.consumeBytes(topic, records.size(), Duration.ofSeconds(2))).hasSize(c.records().size());
        try (KaveriAvroDeserializer avro = deserializer()) {
            for (int i = 0; i < records.size(); i++) {
                ConsumerRecord<String, byte[]> record = records.get(i);
                Expect expected = c.records().get(i);
                GenericRecord value = (GenericRecord) avro.deserialize(topic, record.value());
                assertThat(GenericData.get().validate(WebhookEvent.getClassSchema(), value)).isTrue();
                assertThat(record.key()).isEqualTo(expected.key());
                assertThat(string(value.get("route"))).isEqualTo(c.route());
                assertThat(string(value.get("eventType"))).isEqualTo(expected.eventType());
                assertThat(string(value.get("deliveryId"))).isEqualTo(expected.deliveryId());
                assertThat(StackClient.JSON.readTree(string(value.get("json"))))
                        .isEqualTo(StackClient.JSON.readTree(expected.json()));
                Map<String, String> envelopeHeaders = new TreeMap<>();
                ((Map<?, ?>) value.get("headers")).forEach((k, v) -> envelopeHeaders.put(k.toString(), v.toString()));
                assertThat(envelopeHeaders).isEqualTo(expected.headers());
                Map<String, String> kafkaHeaders = new TreeMap<>();
                for (Header h : record.headers()) {
                    kafkaHeaders.put(h.key(), new String(h.value(), StandardCharsets.UTF_8));
                }
                assertThat(kafkaHeaders).isEqualTo(expected.headers());
                GenericRecord signature = (GenericRecord) value.get("signature");
                assertThat((Boolean) signature.get("verified")).isEqualTo(!c.route().equals("beacons"));
            }
        }

        try (KaveriAvroDeserializer avro = deserializer()) {
            String dlq = name + "-dlq";
            ConsumerRecord<String, byte[]> dead = client.consumeBytes(dlq,
                    all -> all.stream().anyMatch(r -> isForged(avro, dlq, r, c)), Duration.ZERO)
                    .stream().filter(r -> isForged(avro, dlq, r, c)).findFirst().orElseThrow();
            assertThat(dead.key()).isEqualTo(c.route());
            assertThat(header(dead, "kaveri.webhook.error.status")).isEqualTo(Integer.toString(c.forged().status()));
            assertThat(header(dead, "kaveri.webhook.error.reason")).isNotBlank();
        }
    }

    /** The dead-letter record of c's forged request: its route, its body. */
    private static boolean isForged(KaveriAvroDeserializer avro, String topic, ConsumerRecord<String, byte[]> r, Case c) {
        if (!c.route().equals(header(r, "kaveri.webhook.route"))) {
            return false;
        }
        Object body = avro.deserialize(topic, r.value());
        byte[] bytes = body instanceof ByteBuffer b ? toArray(b) : (byte[]) body;
        return new String(bytes, StandardCharsets.UTF_8).equals(c.forged().body());
    }

    @Test
    void slackUrlVerificationIsAnsweredWithTheChallenge() throws Exception {
        long now = System.currentTimeMillis() / 1000;
        String body = "{\"token\":\"t\",\"challenge\":\"3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P\","
                + "\"type\":\"url_verification\"}";
        HttpResponse<String> ok = send("POST", req("/slack/events", body, 200, null, slack(now, body)));
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(ok.body()).isEqualTo("3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P");
        HttpResponse<String> unsigned = send("POST", req("/slack/events", body, 401, null));
        assertThat(unsigned.statusCode()).isEqualTo(401);
    }

    @Test
    void metaSubscriptionIsAnsweredWithTheChallenge() throws Exception {
        HttpResponse<String> ok = send("GET", req("/meta?hub.mode=subscribe&hub.verify_token=" + VERIFY_TOKEN
                + "&hub.challenge=1158201444", "", 200, null));
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(ok.body()).isEqualTo("1158201444");
        HttpResponse<String> wrong = send("GET", req("/meta?hub.mode=subscribe&hub.verify_token=guess"
                + "&hub.challenge=1158201444", "", 403, null));
        assertThat(wrong.statusCode()).isEqualTo(403);
        assertThat(wrong.body()).doesNotContain("1158201444");
    }

    @Test
    void cloudEventsValidationAllowsOnlyTheConfiguredOrigin() throws Exception {
        HttpResponse<String> ok = send("OPTIONS", req("/sensors", "", 200, null,
                "WebHook-Request-Origin", "eventgrid.example.net"));
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(ok.headers().firstValue("WebHook-Allowed-Origin")).hasValue("eventgrid.example.net");
        HttpResponse<String> other = send("OPTIONS", req("/sensors", "", 403, null,
                "WebHook-Request-Origin", "evil.example.com"));
        assertThat(other.statusCode()).isEqualTo(403);
        assertThat(other.headers().firstValue("WebHook-Allowed-Origin")).isEmpty();
    }

    private HttpResponse<String> send(String method, Req r) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + r.path())).timeout(Duration.ofSeconds(60))
                .method(method, r.body().isEmpty() ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(r.body()));
        r.headers().forEach(b::header);
        return client.http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private KaveriAvroDeserializer deserializer() {
        KaveriAvroDeserializer d = new KaveriAvroDeserializer();
        d.configure(Map.of("schema.registry.url", stack.registryUrl()), false);
        return d;
    }

    private static Req req(String path, String body, int status, String answer, String... headers) {
        Map<String, String> h = new LinkedHashMap<>();
        for (int i = 0; i < headers.length; i += 2) {
            h.put(headers[i], headers[i + 1]);
        }
        return new Req(path, h, body, status, answer);
    }

    private static String[] concat(String[] a, String... b) {
        return Stream.concat(Stream.of(a), Stream.of(b)).toArray(String[]::new);
    }

    private static String github(String body) {
        return "sha256=" + hex(hmac("HmacSHA256", utf8(GITHUB_SECRET), "", utf8(body)));
    }

    private static String stripe(long t, String body) {
        return "t=" + t + ",v1=" + hex(hmac("HmacSHA256", utf8(STRIPE_SECRET), t + ".", utf8(body)));
    }

    private static String[] slack(long t, String body) {
        return new String[] {"X-Slack-Request-Timestamp", Long.toString(t),
                "X-Slack-Signature", "v0=" + hex(hmac("HmacSHA256", utf8(SLACK_SECRET), "v0:" + t + ":", utf8(body)))};
    }

    private static String standardSignature(String id, long t, String body, byte[] key) {
        return "v1," + b64(hmac("HmacSHA256", key, id + "." + t + ".", utf8(body)));
    }

    private static String[] standard(String id, long t, String body, byte[] key) {
        return new String[] {"webhook-id", id, "webhook-timestamp", Long.toString(t),
                "webhook-signature", standardSignature(id, t, body, key)};
    }

    private static String basic(String pair) {
        return "Basic " + Base64.getEncoder().encodeToString(utf8(pair));
    }

    private static String string(Object avro) {
        return avro == null ? null : avro.toString();
    }

    private static String header(ConsumerRecord<?, ?> record, String name) {
        Header h = record.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    private static byte[] toArray(ByteBuffer b) {
        byte[] out = new byte[b.remaining()];
        b.duplicate().get(out);
        return out;
    }
}
