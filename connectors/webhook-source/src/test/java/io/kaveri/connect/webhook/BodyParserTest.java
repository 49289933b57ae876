package io.kaveri.connect.webhook;

import static io.kaveri.connect.webhook.SignaturesTest.headers;
import static io.kaveri.connect.webhook.SignaturesTest.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Base64;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

class BodyParserTest {

    private static BodyParser parser(String... keyValues) {
        return new BodyParser(new ObjectMapper(), new RouteConfig("r", TaskHarness.with(Map.of("topic", "t"), keyValues)));
    }

    @Test
    void jsonKeepsTheExactTextAndFindsTheDeliveryIdByPointer() throws Exception {
        String body = "{ \"id\" : \"evt_1\", \"type\": \"charge.succeeded\" }";
        BodyParser.Parsed parsed = parser("signature.scheme", "stripe", "secret", "s").parse(utf8(body), "application/json", headers());
        assertThat(parsed.events()).singleElement().satisfies(e -> {
            assertThat(e.json()).isEqualTo(body);
            assertThat(e.bytes()).isEqualTo(utf8(body));
        });
        assertThat(parsed.deliveryId()).isEqualTo("evt_1");
    }

    @Test
    void jsonTopLevelArraySplitsWithTheEmptyPointer() throws Exception {
        BodyParser.Parsed parsed = parser("split.pointer", "").parse(utf8("[{\"a\":1},{\"a\":2}]"), null, headers());
        assertThat(parsed.events()).extracting(BodyParser.Event::json).containsExactly("{\"a\":1}", "{\"a\":2}");
    }

    @Test
    void emptyArrayToSplitIsABadBody() {
        assertThatThrownBy(() -> parser("split.pointer", "/items").parse(utf8("{\"items\":[]}"), null, headers()))
                .isInstanceOf(BodyParser.BadBody.class).hasMessageContaining("empty");
    }

    @Test
    void ndjsonIsOneEventPerNonBlankLine() throws Exception {
        String body = "{\"n\":1}\r\n\n{\"n\":2}\n{\"n\":3}";
        BodyParser.Parsed parsed = parser("content", "ndjson").parse(utf8(body), "application/x-ndjson", headers());
        assertThat(parsed.events()).extracting(BodyParser.Event::json).containsExactly("{\"n\":1}", "{\"n\":2}", "{\"n\":3}");
    }

    @Test
    void ndjsonNamesTheBadLine() {
        assertThatThrownBy(() -> parser("content", "ndjson").parse(utf8("{\"n\":1}\n{oops}\n"), null, headers()))
                .isInstanceOf(BodyParser.BadBody.class).hasMessageContaining("line 2");
    }

    @Test
    void formBecomesAJsonObjectWithRepeatedFieldsAsArrays() throws Exception {
        String body = "command=%2Fdeploy&text=hello+world&tag=a&tag=b&empty";
        BodyParser.Parsed parsed = parser("content", "form").parse(utf8(body), "application/x-www-form-urlencoded", headers());
        assertThat(parsed.events().get(0).json())
                .isEqualTo("{\"command\":\"/deploy\",\"text\":\"hello world\",\"tag\":[\"a\",\"b\"],\"empty\":\"\"}");
        assertThat(parsed.events().get(0).bytes()).isEqualTo(utf8(body));
    }

    @Test
    void cloudEventsBinaryModeBecomesStructured() throws Exception {
        Map<String, String> h = headers("ce-specversion", "1.0", "ce-id", "A234-1234-1234", "ce-source", "/sensors/7",
                "ce-type", "com.example.reading", "Content-Type", "application/json");
        BodyParser.Parsed parsed = parser("content", "cloudevents").parse(utf8("{\"celsius\":21.5}"), "application/json", h);
        assertThat(parsed.deliveryId()).isEqualTo("A234-1234-1234");
        assertThat(new ObjectMapper().readTree(parsed.events().get(0).json())).isEqualTo(new ObjectMapper().readTree(
                "{\"specversion\":\"1.0\",\"id\":\"A234-1234-1234\",\"source\":\"/sensors/7\",\"type\":\"com.example.reading\","
                        + "\"datacontenttype\":\"application/json\",\"data\":{\"celsius\":21.5}}"));
    }

    @Test
    void cloudEventsBinaryModeKeepsNonJsonDataAsBase64() throws Exception {
        Map<String, String> h = headers("ce-specversion", "1.0", "ce-id", "1", "ce-source", "s", "ce-type", "t");
        BodyParser.Parsed parsed = parser("content", "cloudevents").parse(new byte[] {1, 2, 3}, "application/octet-stream", h);
        assertThat(parsed.events().get(0).node().get("data_base64").asText())
                .isEqualTo(Base64.getEncoder().encodeToString(new byte[] {1, 2, 3}));
    }

    @Test
    void cloudEventsStructuredAndBatch() throws Exception {
        String event = "{\"specversion\":\"1.0\",\"id\":\"e1\",\"source\":\"s\",\"type\":\"t\",\"data\":{}}";
        BodyParser p = parser("content", "cloudevents");
        assertThat(p.parse(utf8(event), "application/cloudevents+json; charset=utf-8", headers()).deliveryId()).isEqualTo("e1");
        BodyParser.Parsed batch = p.parse(utf8("[" + event + "," + event.replace("e1", "e2") + "]"),
                "application/cloudevents-batch+json", headers());
        assertThat(batch.events()).hasSize(2);
        assertThat(batch.events().get(1).node().get("id").asText()).isEqualTo("e2");
    }

    @Test
    void cloudEventsWithoutRequiredAttributeIsABadBody() {
        assertThatThrownBy(() -> parser("content", "cloudevents").parse(utf8("{\"specversion\":\"1.0\",\"id\":\"x\",\"source\":\"s\"}"),
                "application/cloudevents+json", headers()))
                .isInstanceOf(BodyParser.BadBody.class).hasMessageContaining("type");
        assertThatThrownBy(() -> parser("content", "cloudevents").parse(utf8("{}"), "application/json", headers("ce-id", "1")))
                .isInstanceOf(BodyParser.BadBody.class).hasMessageContaining("specversion");
    }

    @Test
    void rawIsNotParsed() throws Exception {
        byte[] body = {(byte) 0xff, 0, 1};
        BodyParser.Parsed parsed = parser("content", "raw").parse(body, "application/octet-stream", headers());
        assertThat(parsed.events()).singleElement().satisfies(e -> {
            assertThat(e.bytes()).isEqualTo(body);
            assertThat(e.json()).isNull();
        });
    }
}
