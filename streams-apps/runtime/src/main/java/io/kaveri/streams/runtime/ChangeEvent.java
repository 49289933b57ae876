package io.kaveri.streams.runtime;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Objects;

/**
 * One row change read from a CDC topic in Debezium's envelope ({@code before}, {@code after}, {@code source},
 * {@code op}, {@code ts_ms}), as Kaveri's PostgreSQL connector and Debezium write it, decoded by the Avro
 * converter into a generic record. Apps read tables from CDC topics through it instead of depending on the
 * envelope's layout; the row's columns are read by name with {@link #string} and {@link #timestamp}, which
 * accept the encodings Debezium's converters choose for them.
 */
public final class ChangeEvent {

    /** Debezium's operation codes. */
    public enum Op {
        CREATE("c"), UPDATE("u"), DELETE("d"), READ("r"), TRUNCATE("t"), MESSAGE("m");

        private final String code;

        Op(String code) {
            this.code = code;
        }

        static Op of(String topic, String code) {
            for (Op op : values()) {
                if (op.code.equals(code)) {
                    return op;
                }
            }
            throw new IllegalArgumentException("topic " + topic + ": unknown change event op '" + code
                    + "'; expected one of c, u, d, r, t, m");
        }
    }

    private final String topic;
    private final Op op;
    private final GenericRecord before;
    private final GenericRecord after;
    private final GenericRecord key;
    private final long timeMs;

    private ChangeEvent(String topic, Op op, GenericRecord before, GenericRecord after, GenericRecord key, long timeMs) {
        this.topic = topic;
        this.op = op;
        this.before = before;
        this.after = after;
        this.key = key;
        this.timeMs = timeMs;
    }

    /**
     * Reads an envelope; {@code key} is the record key (the primary key columns) and may be null.
     *
     * @param fallbackTimeMs the event time when the envelope has neither {@code source.ts_ms} nor {@code ts_ms}
     * @throws IllegalArgumentException naming the topic when {@code envelope} is not a change event
     */
    public static ChangeEvent of(String topic, GenericRecord key, GenericRecord envelope, long fallbackTimeMs) {
        Objects.requireNonNull(envelope, "envelope");
        Schema schema = envelope.getSchema();
        if (schema.getField("op") == null || schema.getField("after") == null || schema.getField("before") == null) {
            throw new IllegalArgumentException("topic " + topic + ": value of type " + schema.getFullName()
                    + " is not a change event envelope (fields before, after, op expected; has "
                    + schema.getFields().stream().map(Schema.Field::name).toList() + ")");
        }
        Object op = envelope.get("op");
        if (op == null) {
            throw new IllegalArgumentException("topic " + topic + ": change event without op");
        }
        return new ChangeEvent(topic, Op.of(topic, op.toString()), record(topic, envelope, "before"),
                record(topic, envelope, "after"), key, commitTime(envelope, fallbackTimeMs));
    }

    private static GenericRecord record(String topic, GenericRecord envelope, String field) {
        Object value = envelope.get(field);
        if (value == null || value instanceof GenericRecord) {
            return (GenericRecord) value;
        }
        throw new IllegalArgumentException("topic " + topic + ": change event field " + field
                + " is not a row but " + value.getClass().getSimpleName());
    }

    // The database commit time is when the change happened; ts_ms is only when the connector saw it.
    private static long commitTime(GenericRecord envelope, long fallback) {
        if (envelope.getSchema().getField("source") != null && envelope.get("source") instanceof GenericRecord source
                && source.getSchema().getField("ts_ms") != null && source.get("ts_ms") instanceof Number n) {
            return n.longValue();
        }
        if (envelope.getSchema().getField("ts_ms") != null && envelope.get("ts_ms") instanceof Number n) {
            return n.longValue();
        }
        return fallback;
    }

    public String topic() {
        return topic;
    }

    public Op op() {
        return op;
    }

    /** True when the row is gone after this change (a delete or a truncate). */
    public boolean isDelete() {
        return op == Op.DELETE || op == Op.TRUNCATE;
    }

    /** The row after the change; null for a delete. */
    public GenericRecord after() {
        return after;
    }

    /** The row before the change, as the table's REPLICA IDENTITY gives it; often null or key columns only. */
    public GenericRecord before() {
        return before;
    }

    /** Event time of the change: the commit time of its transaction, epoch milliseconds. */
    public long timeMs() {
        return timeMs;
    }

    /**
     * A column of the row as a string, looked up in the row after the change, else the row before it, else the
     * key (a delete often has only the key columns): the first of {@code names} that exists.
     *
     * @throws IllegalArgumentException naming the topic and the columns when none holds a value
     */
    public String string(String... names) {
        Object value = column(names);
        if (value == null) {
            throw new IllegalArgumentException("topic " + topic + ": change event (op " + op
                    + ") has no value for column " + String.join(" or ", names));
        }
        return value.toString();
    }

    /** Like {@link #string} but null when no column holds a value. */
    public String optionalString(String... names) {
        Object value = column(names);
        return value == null ? null : value.toString();
    }

    /**
     * A timestamp column as epoch milliseconds: accepts {@code timestamp-millis} (long or Instant),
     * {@code timestamp-micros} as Debezium's {@code MicroTimestamp} (long, flagged by the field's schema), and
     * ISO-8601 strings (Debezium's {@code ZonedTimestamp}). Null when no column holds a value.
     */
    public Long timestamp(String... names) {
        for (GenericRecord row : rows()) {
            for (String name : names) {
                Schema.Field field = row.getSchema().getField(name);
                if (field != null && row.get(name) != null) {
                    return millis(name, field.schema(), row.get(name));
                }
            }
        }
        return null;
    }

    private Long millis(String name, Schema schema, Object value) {
        if (value instanceof Instant instant) {
            return instant.toEpochMilli();
        }
        if (value instanceof Number number) {
            return isMicros(schema) ? Math.floorDiv(number.longValue(), 1000L) : number.longValue();
        }
        if (value instanceof CharSequence text) {
            try {
                return OffsetDateTime.parse(text).toInstant().toEpochMilli();
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("topic " + topic + ": column " + name + " holds '" + text
                        + "', not an ISO-8601 timestamp", e);
            }
        }
        throw new IllegalArgumentException("topic " + topic + ": column " + name + " holds a "
                + value.getClass().getSimpleName() + ", not a timestamp");
    }

    private static boolean isMicros(Schema schema) {
        Schema s = schema.getType() == Schema.Type.UNION
                ? schema.getTypes().stream().filter(t -> t.getType() != Schema.Type.NULL).findFirst().orElse(schema)
                : schema;
        String logical = s.getLogicalType() == null ? "" : s.getLogicalType().getName();
        Object connectName = s.getObjectProp("connect.name");
        return logical.toLowerCase(Locale.ROOT).contains("micros")
                || (connectName != null && connectName.toString().endsWith("MicroTimestamp"));
    }

    private Object column(String... names) {
        for (GenericRecord row : rows()) {
            for (String name : names) {
                if (row.getSchema().getField(name) != null && row.get(name) != null) {
                    return row.get(name);
                }
            }
        }
        return null;
    }

    private java.util.List<GenericRecord> rows() {
        java.util.List<GenericRecord> rows = new java.util.ArrayList<>(3);
        for (GenericRecord row : new GenericRecord[] {after, before, key}) {
            if (row != null) {
                rows.add(row);
            }
        }
        return rows;
    }

    @Override
    public String toString() {
        return "ChangeEvent{topic=" + topic + ", op=" + op + ", timeMs=" + timeMs + ", after=" + after + "}";
    }
}
