package io.kaveri.connect.webhook;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Turns a request body of one of the route's shapes into events, one per future record. */
final class BodyParser {

    /** One event: its bytes, its JSON text (null for raw content) and its parsed tree (null for raw). */
    record Event(byte[] bytes, String json, JsonNode node) {
    }

    /** The events of a request, and the delivery id found in the body (null when none). */
    record Parsed(List<Event> events, String deliveryId, JsonNode document) {
    }

    /** A body that does not have the route's shape; the message is sent back with 400. */
    static final class BadBody extends Exception {
        BadBody(String message) {
            super(message, null, false, false);
        }
    }

    private static final String CE_BATCH = "application/cloudevents-batch+json";
    private static final String CE_STRUCTURED = "application/cloudevents+json";
    private static final List<String> CE_REQUIRED = List.of("specversion", "id", "source", "type");

    private final ObjectMapper mapper;
    private final RouteConfig.Content content;
    private final JsonPointer split;
    private final JsonPointer dedup;

    BodyParser(ObjectMapper mapper, RouteConfig route) {
        this.mapper = mapper;
        this.content = route.content();
        this.split = route.splitPointer() == null ? null : JsonPointer.compile(route.splitPointer());
        this.dedup = route.dedupPointer() == null ? null : JsonPointer.compile(route.dedupPointer());
    }

    Parsed parse(byte[] body, String contentType, Map<String, String> headers) throws BadBody {
        return switch (content) {
            case RAW -> new Parsed(List.of(new Event(body, null, null)), null, null);
            case JSON -> json(body);
            case NDJSON -> ndjson(body);
            case FORM -> form(body);
            case CLOUDEVENTS -> cloudEvents(body, contentType, headers);
        };
    }

    private Parsed json(byte[] body) throws BadBody {
        JsonNode document = tree(body, "body");
        String deliveryId = text(document, dedup);
        if (split == null) {
            return new Parsed(List.of(new Event(body, new String(body, StandardCharsets.UTF_8), document)), deliveryId, document);
        }
        JsonNode array = document.at(split);
        if (!array.isArray()) {
            throw new BadBody("split pointer " + split + " does not point to an array");
        }
        return new Parsed(elements(array), deliveryId, document);
    }

    private Parsed ndjson(byte[] body) throws BadBody {
        List<Event> events = new ArrayList<>();
        int start = 0;
        int line = 1;
        for (int i = 0; i <= body.length; i++) {
            if (i == body.length || body[i] == '\n') {
                int end = i > start && body[i - 1] == '\r' ? i - 1 : i;
                byte[] bytes = java.util.Arrays.copyOfRange(body, start, end);
                if (!new String(bytes, StandardCharsets.UTF_8).isBlank()) {
                    JsonNode node = tree(bytes, "line " + line);
                    events.add(new Event(bytes, new String(bytes, StandardCharsets.UTF_8), node));
                }
                start = i + 1;
                line++;
            }
        }
        if (events.isEmpty()) {
            throw new BadBody("empty NDJSON body");
        }
        return new Parsed(events, null, null);
    }

    /** application/x-www-form-urlencoded into a JSON object; a repeated field becomes an array. */
    private Parsed form(byte[] body) throws BadBody {
        ObjectNode object = JsonNodeFactory.instance.objectNode();
        String text = new String(body, StandardCharsets.UTF_8);
        try {
            for (String pair : text.split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                JsonNode existing = object.get(name);
                if (existing == null) {
                    object.put(name, value);
                } else if (existing.isArray()) {
                    ((ArrayNode) existing).add(value);
                } else {
                    object.putArray(name).add(existing).add(value);
                }
            }
        } catch (IllegalArgumentException e) {
            throw new BadBody("malformed form encoding: " + e.getMessage());
        }
        String json = object.toString();
        return new Parsed(List.of(new Event(body, json, object)), text(object, dedup), object);
    }

    private Parsed cloudEvents(byte[] body, String contentType, Map<String, String> headers) throws BadBody {
        String type = contentType == null ? "" : contentType.toLowerCase(Locale.ROOT);
        if (type.startsWith(CE_BATCH)) {
            JsonNode array = tree(body, "body");
            if (!array.isArray()) {
                throw new BadBody("a CloudEvents batch must be a JSON array");
            }
            for (JsonNode event : array) {
                requireAttributes(event);
            }
            return new Parsed(elements(array), null, array);
        }
        if (type.startsWith(CE_STRUCTURED)) {
            JsonNode event = tree(body, "body");
            requireAttributes(event);
            return new Parsed(List.of(new Event(body, new String(body, StandardCharsets.UTF_8), event)),
                    event.get("id").asText(), event);
        }
        ObjectNode event = binaryModeEvent(body, contentType, headers);
        requireAttributes(event);
        byte[] bytes = bytes(event);
        return new Parsed(List.of(new Event(bytes, event.toString(), event)), event.get("id").asText(), event);
    }

    /** Binary mode into the structured form, so that every CloudEvents record has one shape downstream. */
    private ObjectNode binaryModeEvent(byte[] body, String contentType, Map<String, String> headers) throws BadBody {
        ObjectNode event = JsonNodeFactory.instance.objectNode();
        for (Map.Entry<String, String> h : headers.entrySet()) {
            String name = h.getKey().toLowerCase(Locale.ROOT);
            if (name.startsWith("ce-") && name.length() > 3) {
                event.put(name.substring(3), h.getValue());
            }
        }
        if (contentType != null) {
            event.put("datacontenttype", contentType);
        }
        if (body.length > 0) {
            if (contentType != null && contentType.toLowerCase(Locale.ROOT).contains("json")) {
                event.set("data", tree(body, "data"));
            } else {
                event.put("data_base64", Base64.getEncoder().encodeToString(body));
            }
        }
        return event;
    }

    private static void requireAttributes(JsonNode event) throws BadBody {
        if (!event.isObject()) {
            throw new BadBody("a CloudEvent must be a JSON object");
        }
        for (String attribute : CE_REQUIRED) {
            JsonNode value = event.get(attribute);
            if (value == null || !value.isTextual() || value.asText().isEmpty()) {
                throw new BadBody("CloudEvent lacks required attribute " + attribute);
            }
        }
    }

    private List<Event> elements(JsonNode array) throws BadBody {
        List<Event> events = new ArrayList<>(array.size());
        for (JsonNode element : array) {
            events.add(new Event(bytes(element), element.toString(), element));
        }
        if (events.isEmpty()) {
            throw new BadBody("the array to split is empty");
        }
        return events;
    }

    private byte[] bytes(JsonNode node) throws BadBody {
        try {
            return mapper.writeValueAsBytes(node);
        } catch (IOException e) {
            throw new BadBody("cannot write event: " + e.getMessage());
        }
    }

    private JsonNode tree(byte[] bytes, String what) throws BadBody {
        try {
            JsonNode node = mapper.readTree(bytes);
            if (node == null || node.isMissingNode()) {
                throw new BadBody("empty JSON " + what);
            }
            return node;
        } catch (IOException e) {
            throw new BadBody("malformed JSON in " + what + ": " + firstLine(e.getMessage()));
        }
    }

    /** The value at pointer as text: a scalar as is, an object or array as compact JSON; null when absent. */
    static String text(JsonNode node, JsonPointer pointer) {
        if (node == null || pointer == null) {
            return null;
        }
        JsonNode value = node.at(pointer);
        if (value.isMissingNode() || value.isNull()) {
            return null;
        }
        return value.isValueNode() ? value.asText() : value.toString();
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }
}
