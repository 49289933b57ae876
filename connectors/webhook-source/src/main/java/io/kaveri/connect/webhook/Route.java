package io.kaveri.connect.webhook;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import org.apache.kafka.connect.header.ConnectHeaders;
import org.apache.kafka.connect.source.SourceRecord;

import com.fasterxml.jackson.core.JsonPointer;

/** A route at run time: its configuration and what it needs to turn an authentic request into records. */
final class Route {

    /** Headers that authenticate a request: copied only with headers.allow.credentials=true. */
    static final Set<String> CREDENTIAL_HEADERS = Set.of(
            "authorization", "proxy-authorization", "cookie", "set-cookie", "x-api-key",
            "x-hub-signature", "x-hub-signature-256", "stripe-signature", "x-shopify-hmac-sha256",
            "x-slack-signature", "webhook-signature");

    final RouteConfig config;
    final Signatures.Verifier verifier;
    final BodyParser parser;
    final DedupCache dedup;
    final RouteMetrics metrics;
    /** Null when delivery ids are remembered in memory only. */
    final DedupOffsets dedupOffsets;
    private final Set<String> copiedHeaders;
    private final JsonPointer keyPointer;
    private final JsonPointer eventTypePointer;
    /** Null when the route writes the envelope. */
    private final ContractMapper contract;

    Route(RouteConfig config, BodyParser parser, DedupCache dedup, RouteMetrics metrics) {
        this.config = config;
        this.verifier = Signatures.forRoute(config);
        this.parser = parser;
        this.dedup = dedup;
        this.metrics = metrics;
        this.dedupOffsets = dedup.enabled() && config.dedupPersistedIds() > 0
                ? new DedupOffsets(config.name(), config.dedupPersistedIds()) : null;
        this.keyPointer = config.keyPointer() == null ? null : JsonPointer.compile(config.keyPointer());
        this.eventTypePointer = config.eventTypePointer() == null ? null : JsonPointer.compile(config.eventTypePointer());
        this.contract = config.valueContract() == null ? null : ContractMapper.forContract(config.valueContract());
        Set<String> copied = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        for (String header : config.headersAllow()) {
            String lower = header.toLowerCase(Locale.ROOT);
            boolean credential = CREDENTIAL_HEADERS.contains(lower)
                    || (config.signatureHeader() != null && lower.equalsIgnoreCase(config.signatureHeader()));
            if (!credential || config.headersAllowCredentials()) {
                copied.add(lower);
            }
        }
        this.copiedHeaders = copied;
    }

    String name() {
        return config.name();
    }

    /** The allowed request headers, names in lower case. */
    Map<String, String> copiedHeaders(Map<String, String> headers) {
        Map<String, String> out = new TreeMap<>();
        headers.forEach((name, value) -> {
            if (copiedHeaders.contains(name)) {
                out.put(name.toLowerCase(Locale.ROOT), value);
            }
        });
        return out;
    }

    /** The delivery id of a request: the dedup header when present, else what the body carries. */
    String deliveryId(Map<String, String> headers, BodyParser.Parsed parsed) {
        String header = config.dedupHeader();
        String fromHeader = header == null ? null : headers.get(header);
        return fromHeader != null && !fromHeader.isBlank() ? fromHeader.trim() : parsed.deliveryId();
    }

    /** One record per event, all answering to ack; with value.contract, Mismatch when an event does not fit it. */
    List<SourceRecord> records(BodyParser.Parsed parsed, Map<String, String> headers, String contentType,
                               String deliveryId, Instant receivedAt, PendingAck ack) throws ContractMapper.Mismatch {
        Map<String, String> copied = copiedHeaders(headers);
        RouteConfig.BodyFormat format = config.bodyFormat();
        String headerKey = config.keyHeader() == null ? null : headers.get(config.keyHeader());
        String headerType = config.eventTypeHeader() == null ? null : headers.get(config.eventTypeHeader());
        // Mapped before a dedup slot is taken: a delivery the contract rejects must not use one.
        List<Object> mapped = new ArrayList<>(parsed.events().size());
        if (contract != null) {
            for (BodyParser.Event event : parsed.events()) {
                mapped.add(contract.toConnect(event.node()));
            }
        }
        DedupOffsets.Position position = deliveryId == null || dedupOffsets == null ? null
                : dedupOffsets.next(deliveryId, receivedAt.toEpochMilli());
        List<SourceRecord> out = new ArrayList<>(parsed.events().size());
        for (int i = 0; i < parsed.events().size(); i++) {
            BodyParser.Event event = parsed.events().get(i);
            boolean raw = event.json() == null;
            byte[] body = raw || format != RouteConfig.BodyFormat.JSON ? event.bytes() : null;
            String json = raw || format == RouteConfig.BodyFormat.BYTES ? null : event.json();
            String key = BodyParser.text(event.node(), keyPointer);
            if (key == null) {
                key = headerKey;
            }
            String eventType = BodyParser.text(event.node(), eventTypePointer);
            if (eventType == null) {
                eventType = headerType;
            }
            ConnectHeaders recordHeaders = new ConnectHeaders();
            copied.forEach(recordHeaders::addString);
            if (contract != null) {
                out.add(WebhookEnvelope.record(ack, name(), position, config.topic(), key, contract.connectSchema(),
                        mapped.get(i), receivedAt, recordHeaders));
                continue;
            }
            out.add(WebhookEnvelope.record(ack, name(), position, config.topic(), key, WebhookEnvelope.value(new WebhookEnvelope.Fields(
                    name(), deliveryId, eventType, receivedAt, copied, contentType, body, json, config.scheme())),
                    receivedAt, recordHeaders));
        }
        return out;
    }
}
