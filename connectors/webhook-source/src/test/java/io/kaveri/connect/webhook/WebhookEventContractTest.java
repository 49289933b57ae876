package io.kaveri.connect.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;

import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.connect.data.Struct;
import org.junit.jupiter.api.Test;

import io.kaveri.schemas.connect.AvroConverter;
import io.kaveri.schemas.connect.AvroData;
import io.kaveri.schemas.serde.KaveriAvroDeserializer;
import io.kaveri.schemas.webhook.WebhookEvent;

/** The record value is the WebhookEvent contract once the Kaveri converter has written it. */
class WebhookEventContractTest {

    private static final Map<String, Object> ENHANCED = Map.of("enhanced.avro.schema.support", true);

    private static Struct sample() {
        return WebhookEnvelope.value(new WebhookEnvelope.Fields("github", "d-1", "push", Instant.ofEpochMilli(1_700_000_000_123L),
                Map.of("x-github-event", "push"), "application/json", "{}".getBytes(StandardCharsets.UTF_8), "{}",
                RouteConfig.Scheme.GITHUB));
    }

    @Test
    void connectSchemaIsMutuallyCompatibleWithTheContract() {
        Schema written = new AvroData(ENHANCED).fromConnectSchema(WebhookEnvelope.VALUE_SCHEMA);
        Schema contract = WebhookEvent.getClassSchema();
        assertThat(written.getFullName()).isEqualTo(contract.getFullName());
        assertThat(SchemaCompatibility.checkReaderWriterCompatibility(contract, written).getType())
                .isEqualTo(SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE);
        assertThat(SchemaCompatibility.checkReaderWriterCompatibility(written, contract).getType())
                .isEqualTo(SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE);
        assertThat(written.getField("signature").schema().getField("scheme").schema().getType()).isEqualTo(Schema.Type.ENUM);
    }

    @Test
    void convertedValueReadsBackWithTheKaveriDeserializer() {
        String scope = "mock://webhook-contract-" + System.nanoTime();
        AvroConverter converter = new AvroConverter();
        converter.configure(Map.of("schema.registry.url", scope, "enhanced.avro.schema.support", true), false);
        byte[] bytes = converter.fromConnectData("github-events", WebhookEnvelope.VALUE_SCHEMA, sample());

        try (KaveriAvroDeserializer deserializer = new KaveriAvroDeserializer()) {
            deserializer.configure(Map.of("schema.registry.url", scope), false);
            GenericRecord read = (GenericRecord) deserializer.deserialize("github-events", bytes);
            assertThat(read.get("route").toString()).isEqualTo("github");
            assertThat(read.get("deliveryId").toString()).isEqualTo("d-1");
            assertThat(read.get("eventType").toString()).isEqualTo("push");
            assertThat(read.get("receivedAt")).isIn(1_700_000_000_123L, Instant.ofEpochMilli(1_700_000_000_123L));
            assertThat(((ByteBuffer) read.get("body")).remaining()).isEqualTo(2);
            GenericRecord signature = (GenericRecord) read.get("signature");
            assertThat(signature.get("scheme").toString()).isEqualTo("GITHUB");
            assertThat(signature.get("verified")).isEqualTo(true);
            assertThat(GenericData.get().validate(WebhookEvent.getClassSchema(), read)).isTrue();
        }
    }
}
