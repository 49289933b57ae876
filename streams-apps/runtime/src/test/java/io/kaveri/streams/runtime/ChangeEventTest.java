package io.kaveri.streams.runtime;

import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ChangeEventTest {

    private static final Schema ROW = SchemaBuilder.record("Value").namespace("kaveri.public.users").fields()
            .requiredLong("id").optionalString("name")
            .name("created_at").type(LogicalTypes.timestampMillis().addToSchema(Schema.create(Schema.Type.LONG))).noDefault()
            .name("seen_at").type(LogicalTypes.timestampMicros().addToSchema(Schema.create(Schema.Type.LONG))).noDefault()
            .optionalString("updated_at")
            .endRecord();
    private static final Schema KEY = SchemaBuilder.record("Key").namespace("kaveri.public.users").fields()
            .requiredLong("id").endRecord();
    private static final Schema SOURCE = SchemaBuilder.record("Source").fields().requiredLong("ts_ms").endRecord();
    private static final Schema ENVELOPE = SchemaBuilder.record("Envelope").namespace("kaveri.public.users").fields()
            .name("before").type().optional().type(ROW)
            .name("after").type().optional().type(ROW)
            .name("source").type(SOURCE).noDefault()
            .requiredString("op").optionalLong("ts_ms").endRecord();

    private static GenericRecord row(long id, String name) {
        GenericRecord row = new GenericData.Record(ROW);
        row.put("id", id);
        row.put("name", name);
        row.put("created_at", 1_000L);
        row.put("seen_at", 2_000_999L);
        row.put("updated_at", "2026-01-01T00:00:01.5Z");
        return row;
    }

    private static GenericRecord envelope(String op, GenericRecord before, GenericRecord after, Long sourceTs) {
        GenericRecord source = new GenericData.Record(SOURCE);
        source.put("ts_ms", sourceTs == null ? 0L : sourceTs);
        GenericRecord e = new GenericData.Record(ENVELOPE);
        e.put("before", before);
        e.put("after", after);
        e.put("source", source);
        e.put("op", op);
        e.put("ts_ms", 99L);
        return e;
    }

    @Test
    void readsTheRowAfterACreateAndItsColumnsInEveryTimestampEncoding() {
        ChangeEvent e = ChangeEvent.of("users", null, envelope("c", null, row(7, "Ann"), 5_000L), -1);
        assertThat(e.op()).isEqualTo(ChangeEvent.Op.CREATE);
        assertThat(e.isDelete()).isFalse();
        assertThat(e.timeMs()).as("commit time of the source block").isEqualTo(5_000L);
        assertThat(e.string("user_id", "id")).as("first column that exists").isEqualTo("7");
        assertThat(e.optionalString("email", "name")).isEqualTo("Ann");
        assertThat(e.timestamp("created_at")).isEqualTo(1_000L);
        assertThat(e.timestamp("seen_at")).as("micros to millis").isEqualTo(2_000L);
        assertThat(e.timestamp("updated_at")).as("ISO-8601 (ZonedTimestamp)")
                .isEqualTo(Instant.parse("2026-01-01T00:00:01.500Z").toEpochMilli());
        assertThat(e.timestamp("missing")).isNull();
    }

    @Test
    void aDeleteFallsBackToTheRowBeforeAndThenToTheKey() {
        GenericRecord key = new GenericData.Record(KEY);
        key.put("id", 9L);
        ChangeEvent withBefore = ChangeEvent.of("users", key, envelope("d", row(8, "Old"), null, 6_000L), -1);
        assertThat(withBefore.isDelete()).isTrue();
        assertThat(withBefore.after()).isNull();
        assertThat(withBefore.string("id")).isEqualTo("8");

        ChangeEvent keyOnly = ChangeEvent.of("users", key, envelope("d", null, null, 6_000L), -1);
        assertThat(keyOnly.string("id")).isEqualTo("9");
    }

    @Test
    void anythingElseIsRefusedNamingTheTopic() {
        GenericRecord notAnEnvelope = row(1, "x");
        assertThatThrownBy(() -> ChangeEvent.of("kaveri.public.users", null, notAnEnvelope, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("kaveri.public.users").hasMessageContaining("not a change event");
        assertThatThrownBy(() -> ChangeEvent.of("t", null, envelope("x", null, null, 1L), 0))
                .hasMessageContaining("unknown change event op 'x'");
        ChangeEvent e = ChangeEvent.of("t", null, envelope("c", null, row(1, null), 1L), 0);
        assertThatThrownBy(() -> e.string("name", "nick")).hasMessageContaining("topic t").hasMessageContaining("name or nick");
        GenericRecord bad = row(1, "x");
        bad.put("updated_at", "yesterday");
        assertThatThrownBy(() -> ChangeEvent.of("t", null, envelope("c", null, bad, 1L), 0).timestamp("updated_at"))
                .hasMessageContaining("column updated_at holds 'yesterday'");
    }
}
