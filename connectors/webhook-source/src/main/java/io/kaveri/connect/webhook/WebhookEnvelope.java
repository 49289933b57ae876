package io.kaveri.connect.webhook;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Date;
import java.util.Map;

import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Timestamp;
import org.apache.kafka.connect.header.ConnectHeaders;
import org.apache.kafka.connect.source.SourceRecord;

/**
 * The record shapes this connector writes: the webhook envelope (Avro name
 * {@code io.kaveri.schemas.webhook.WebhookEvent} through the Kaveri converter) and the dead-letter record.
 */
final class WebhookEnvelope {

    static final String SCHEMA_NAME = "io.kaveri.schemas.webhook.WebhookEvent";


    static final String ROUTE = "route";
    static final String DELIVERY_ID = "deliveryId";
    static final String EVENT_TYPE = "eventType";
    static final String RECEIVED_AT = "receivedAt";
    static final String HEADERS = "headers";
    static final String CONTENT_TYPE = "contentType";
    static final String BODY = "body";
    static final String JSON = "json";
    static final String SIGNATURE = "signature";
    static final String SCHEME = "scheme";
    static final String VERIFIED = "verified";

    /** Confluent's Connect representation of an Avro enum, which the Kaveri converter writes back as an enum. */
    private static final String AVRO_ENUM = "io.confluent.connect.avro.Enum";
    private static final String SCHEME_ENUM = "io.kaveri.schemas.webhook.SignatureScheme";

    static final Schema SCHEME_SCHEMA = schemeSchema();

    static final Schema SIGNATURE_SCHEMA = SchemaBuilder.struct().name("io.kaveri.schemas.webhook.SignatureCheck")
            .doc("How the request was authenticated.")
            .field(SCHEME, SCHEME_SCHEMA)
            .field(VERIFIED, Schema.BOOLEAN_SCHEMA)
            .build();

    /** The Connect form of the contract io.kaveri.schemas.webhook.WebhookEvent (schemas/src/main/contracts). */
    static final Schema VALUE_SCHEMA = SchemaBuilder.struct().name(SCHEMA_NAME)
            .doc("One event received by a webhook route.")
            .field(ROUTE, Schema.STRING_SCHEMA)
            .field(DELIVERY_ID, Schema.OPTIONAL_STRING_SCHEMA)
            .field(EVENT_TYPE, Schema.OPTIONAL_STRING_SCHEMA)
            .field(RECEIVED_AT, Timestamp.SCHEMA)
            .field(HEADERS, SchemaBuilder.map(Schema.STRING_SCHEMA, Schema.STRING_SCHEMA).build())
            .field(CONTENT_TYPE, Schema.OPTIONAL_STRING_SCHEMA)
            .field(BODY, Schema.OPTIONAL_BYTES_SCHEMA)
            .field(JSON, Schema.OPTIONAL_STRING_SCHEMA)
            .field(SIGNATURE, SIGNATURE_SCHEMA)
            .build();

    private static Schema schemeSchema() {
        SchemaBuilder builder = SchemaBuilder.string().name(SCHEME_ENUM).parameter(AVRO_ENUM, SCHEME_ENUM);
        for (RouteConfig.Scheme scheme : RouteConfig.Scheme.values()) {
            builder.parameter(AVRO_ENUM + "." + scheme.name(), scheme.name());
        }
        // Readers on an older contract map a scheme they do not know to UNKNOWN.
        builder.parameter(AVRO_ENUM + ".UNKNOWN", "UNKNOWN");
        builder.parameter("io.confluent.connect.avro.enum.default.SignatureScheme", "UNKNOWN");
        return builder.build();
    }

    /** Header names of dead-letter records. */
    static final String ERROR_REASON_HEADER = "kaveri.webhook.error.reason";
    static final String ERROR_STATUS_HEADER = "kaveri.webhook.error.status";
    static final String ROUTE_HEADER = "kaveri.webhook.route";
    static final String RECEIVED_AT_HEADER = "kaveri.webhook.received.at";
    static final String CONTENT_TYPE_HEADER = "kaveri.webhook.content.type";
    static final String BODY_SIZE_HEADER = "kaveri.webhook.body.size";
    static final String BODY_TRUNCATED_HEADER = "kaveri.webhook.body.truncated";

    /**
     * Source partition key: one partition per route, whose offset only records the last receive time, plus the
     * dedup slots of {@link DedupOffsets}.
     */
    static final String PARTITION_ROUTE = "route";
    static final String OFFSET_RECEIVED_AT = "received_at";

    private WebhookEnvelope() {
    }

    /** A record that remembers the request waiting for it, so that commitRecord can answer that request. */
    static final class WebhookRecord extends SourceRecord {
        private final PendingAck ack;

        WebhookRecord(PendingAck ack, Map<String, ?> partition, Map<String, ?> offset, String topic, Schema keySchema,
                      Object key, Schema valueSchema, Object value, Long timestamp, ConnectHeaders headers) {
            super(partition, offset, topic, null, keySchema, key, valueSchema, value, timestamp, headers);
            this.ack = ack;
        }

        PendingAck ack() {
            return ack;
        }
    }

    /** What the body parser and the route found out about one event. */
    record Fields(String route, String deliveryId, String eventType, Instant receivedAt, Map<String, String> headers,
                  String contentType, byte[] body, String json, RouteConfig.Scheme scheme) {
    }

    static Struct value(Fields f) {
        return new Struct(VALUE_SCHEMA)
                .put(ROUTE, f.route())
                .put(DELIVERY_ID, f.deliveryId())
                .put(EVENT_TYPE, f.eventType())
                .put(RECEIVED_AT, Date.from(f.receivedAt()))
                .put(HEADERS, f.headers())
                .put(CONTENT_TYPE, f.contentType())
                .put(BODY, f.body())
                .put(JSON, f.json())
                .put(SIGNATURE, new Struct(SIGNATURE_SCHEMA)
                        .put(SCHEME, f.scheme().name())
                        .put(VERIFIED, f.scheme() != RouteConfig.Scheme.NONE));
    }

    /** A record in the route's source partition, or in the dedup slot of position when its delivery has an id. */
    static WebhookRecord record(PendingAck ack, String route, DedupOffsets.Position position, String topic, String key,
                                Struct value, Instant receivedAt, ConnectHeaders headers) {
        return record(ack, route, position, topic, key, VALUE_SCHEMA, value, receivedAt, headers);
    }

    /** As above, with a value that is not the envelope (a route's value.contract). */
    static WebhookRecord record(PendingAck ack, String route, DedupOffsets.Position position, String topic, String key,
                                Schema valueSchema, Object value, Instant receivedAt, ConnectHeaders headers) {
        Map<String, ?> partition = position == null ? Map.of(PARTITION_ROUTE, route) : position.partition();
        Map<String, ?> offset = position == null ? Map.of(OFFSET_RECEIVED_AT, receivedAt.toEpochMilli()) : position.offset();
        return new WebhookRecord(ack, partition, offset, topic, Schema.OPTIONAL_STRING_SCHEMA, key, valueSchema, value,
                receivedAt.toEpochMilli(), headers);
    }

    /** A rejected request for the dead-letter topic: the body, truncated, with why it was rejected in headers. */
    static SourceRecord deadLetter(String topic, String route, int status, String reason, Instant receivedAt,
                                   String contentType, byte[] body, long bodySize, int maxBytes) {
        byte[] kept = body.length > maxBytes ? Arrays.copyOf(body, maxBytes) : body;
        ConnectHeaders headers = new ConnectHeaders();
        headers.addString(ERROR_REASON_HEADER, reason);
        headers.addString(ERROR_STATUS_HEADER, Integer.toString(status));
        headers.addString(ROUTE_HEADER, route);
        headers.addString(RECEIVED_AT_HEADER, receivedAt.toString());
        if (contentType != null) {
            headers.addString(CONTENT_TYPE_HEADER, contentType);
        }
        headers.addString(BODY_SIZE_HEADER, Long.toString(bodySize));
        headers.addString(BODY_TRUNCATED_HEADER, Boolean.toString(kept.length < bodySize));
        return new SourceRecord(Map.of(PARTITION_ROUTE, route), Map.of(OFFSET_RECEIVED_AT, receivedAt.toEpochMilli()),
                topic, null, Schema.STRING_SCHEMA, route, Schema.BYTES_SCHEMA, kept, receivedAt.toEpochMilli(), headers);
    }

    static String utf8(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
