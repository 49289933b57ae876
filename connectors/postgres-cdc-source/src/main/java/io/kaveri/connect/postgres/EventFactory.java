package io.kaveri.connect.postgres;

import io.kaveri.connect.postgres.PgOutputMessage.TupleData;
import io.kaveri.connect.postgres.PgOutputMessage.Value;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.ConnectException;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Builds events in Debezium's PostgreSQL envelope: key = primary key struct; value = {@code before}, {@code after},
 * {@code source}, {@code op} (c, u, d, r, t), {@code ts_ms}. A delete is followed by a tombstone (if configured); an
 * update that changes the primary key becomes a delete (+ tombstone) of the old key and a create of the new one, so
 * that compacted topics and keyed consumers forget the old key.
 */
final class EventFactory {

    /** What an unchanged TOASTed column holds when PostgreSQL did not send its value and no old image has it. */
    static final String UNAVAILABLE_VALUE = "__kaveri_unavailable_value";

    static final Schema SOURCE_SCHEMA = SchemaBuilder.struct().name("io.debezium.connector.postgresql.Source")
            .field("version", Schema.STRING_SCHEMA)
            .field("connector", Schema.STRING_SCHEMA)
            .field("name", Schema.STRING_SCHEMA)
            .field("ts_ms", Schema.INT64_SCHEMA)
            .field("snapshot", SchemaBuilder.string().optional().name(TypeMapper.ENUM)
                    .parameter("allowed", "true,last,false,incremental").defaultValue("false").build())
            .field("db", Schema.STRING_SCHEMA)
            .field("sequence", Schema.OPTIONAL_STRING_SCHEMA)
            .field("schema", Schema.STRING_SCHEMA)
            .field("table", Schema.STRING_SCHEMA)
            .field("txId", Schema.OPTIONAL_INT64_SCHEMA)
            .field("lsn", Schema.OPTIONAL_INT64_SCHEMA)
            .field("xmin", Schema.OPTIONAL_INT64_SCHEMA)
            .build();

    /**
     * Where and when an event happened. {@code snapshot} is "true", "last" or "false" as in Debezium;
     * {@code lastCommitLsn} is the commit LSN of the previous transaction (Debezium's {@code sequence}).
     */
    record SourceInfo(Instant commitTime, String snapshot, Long txId, Lsn lsn, Lsn lastCommitLsn) {
    }

    private final String serverName;
    private final String database;
    private final boolean tombstones;
    private final Clock clock;

    EventFactory(String serverName, String database, boolean tombstones, Clock clock) {
        this.serverName = serverName;
        this.database = database;
        this.tombstones = tombstones;
        this.clock = clock;
    }

    private static final String VERSION =
            Objects.requireNonNullElse(EventFactory.class.getPackage().getImplementationVersion(), "dev");

    static String version() {
        return VERSION;
    }

    /** A snapshot row, already converted. */
    ChangeEvent read(TableSchema t, Object[] values, SourceInfo source) {
        return event(t, values, null, t.row(values), "r", source, List.of());
    }

    List<ChangeEvent> insert(TableSchema t, TupleData newTuple, SourceInfo source) {
        Row after = row(t, newTuple, null);
        return List.of(event(t, after.values, null, t.row(after.values), "c", source, after.unavailable));
    }

    /**
     * @param oldKind {@code K}, {@code O} or {@code 0} as in the Update message; {@code oldTuple} null for {@code 0}
     */
    List<ChangeEvent> update(TableSchema t, char oldKind, TupleData oldTuple, TupleData newTuple, SourceInfo source) {
        Row before = oldTuple == null ? null : row(t, oldTuple, null);
        Row after = row(t, newTuple, oldKind == 'O' ? oldTuple : null);
        Struct oldKey = before == null ? null : t.key(before.values);
        Struct newKey = t.key(after.values);
        if (oldKey != null && !oldKey.equals(newKey)) {
            List<ChangeEvent> events = new ArrayList<>(3);
            events.add(event(t, before.values, t.row(before.values), null, "d", source, before.unavailable));
            if (tombstones) {
                events.add(new ChangeEvent(t.topic(), t.keySchema(), oldKey, t.envelopeSchema(), null,
                        source.commitTime().toEpochMilli(), List.of()));
            }
            events.add(event(t, after.values, null, t.row(after.values), "c", source, after.unavailable));
            return events;
        }
        // Only REPLICA IDENTITY FULL sends the old row; a 'K' image with an unchanged key is not a before image.
        Struct beforeRow = oldKind == 'O' ? t.row(before.values) : null;
        return List.of(event(t, after.values, beforeRow, t.row(after.values), "u", source, after.unavailable));
    }

    List<ChangeEvent> delete(TableSchema t, TupleData oldTuple, SourceInfo source) {
        Row before = row(t, oldTuple, null);
        ChangeEvent delete = event(t, before.values, t.row(before.values), null, "d", source, before.unavailable);
        if (!tombstones || t.keySchema() == null) {
            return List.of(delete);
        }
        return List.of(delete, new ChangeEvent(t.topic(), t.keySchema(), delete.key(), t.envelopeSchema(), null,
                source.commitTime().toEpochMilli(), List.of()));
    }

    ChangeEvent truncate(TableSchema t, SourceInfo source) {
        Struct value = envelope(t, null, null, "t", source);
        return new ChangeEvent(t.topic(), null, null, t.envelopeSchema(), value, source.commitTime().toEpochMilli(), List.of());
    }

    private ChangeEvent event(TableSchema t, Object[] keyValues, Struct before, Struct after, String op, SourceInfo source,
                              List<String> unavailable) {
        return new ChangeEvent(t.topic(), t.keySchema(), t.key(keyValues), t.envelopeSchema(),
                envelope(t, before, after, op, source), source.commitTime().toEpochMilli(), unavailable);
    }

    private Struct envelope(TableSchema t, Struct before, Struct after, String op, SourceInfo source) {
        return new Struct(t.envelopeSchema())
                .put("before", before)
                .put("after", after)
                .put("source", source(t, source))
                .put("op", op)
                .put("ts_ms", clock.millis());
    }

    private Struct source(TableSchema t, SourceInfo s) {
        Struct source = new Struct(SOURCE_SCHEMA)
                .put("version", version())
                .put("connector", "postgresql")
                .put("name", serverName)
                .put("ts_ms", s.commitTime().toEpochMilli())
                .put("snapshot", s.snapshot())
                .put("db", database)
                .put("schema", t.id().schema())
                .put("table", t.id().table())
                .put("txId", s.txId())
                .put("lsn", s.lsn() == null ? null : s.lsn().value());
        if (s.lsn() != null) {
            String last = s.lastCommitLsn() == null || !s.lastCommitLsn().isValid() ? "null" : "\"" + s.lastCommitLsn().value() + "\"";
            source.put("sequence", "[" + last + ",\"" + s.lsn().value() + "\"]");
        }
        return source;
    }

    private record Row(Object[] values, List<String> unavailable) {
    }

    /** Converts a tuple; an unchanged TOAST value is taken from {@code fallback} (a full old row) when it has it. */
    private static Row row(TableSchema t, TupleData tuple, TupleData fallback) {
        if (tuple.size() != t.columnCount()) {
            throw new ConnectException("table " + t.id() + ": a change has " + tuple.size() + " columns, the table's schema "
                    + t.columnCount() + "; the Relation message for it was not seen (restart the connector)");
        }
        Object[] values = new Object[tuple.size()];
        List<String> unavailable = new ArrayList<>(0);
        for (int i = 0; i < values.length; i++) {
            Value v = tuple.get(i);
            if (v.isUnchangedToast() && fallback != null && !fallback.get(i).isUnchangedToast()) {
                v = fallback.get(i);
            }
            if (v.isUnchangedToast()) {
                unavailable.add(t.columnName(i));
                values[i] = unavailableMarker(t.fieldSchema(i));
            } else {
                values[i] = t.convert(i, v.text());
            }
        }
        return new Row(values, unavailable);
    }

    /** The marker in the column's own type where it can hold one; otherwise null, and the header names the column. */
    static Object unavailableMarker(Schema schema) {
        return switch (schema.type()) {
            case STRING -> UNAVAILABLE_VALUE;
            case BYTES -> schema.name() == null ? UNAVAILABLE_VALUE.getBytes(StandardCharsets.UTF_8) : null;
            case ARRAY -> schema.valueSchema().type() == Schema.Type.STRING ? List.of(UNAVAILABLE_VALUE) : null;
            default -> null;
        };
    }
}
