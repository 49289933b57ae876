package io.kaveri.connect.postgres;

import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The Connect schemas of one table's events, in Debezium's naming: {@code <prefix>.<schema>.<table>.Key},
 * {@code .Value} (the row) and {@code .Envelope}. Key columns are required, every other column optional: a
 * delete's before image under REPLICA IDENTITY DEFAULT carries the key columns only, and must still be a valid
 * struct.
 */
final class TableSchema {

    /** A column as the catalog or a Relation message describes it. */
    record ColumnSpec(String name, int typeOid, int typeModifier, boolean key) {
    }

    private record MappedColumn(String name, boolean key, Function<String, Object> fromText) {
    }

    private final TableId id;
    private final String topic;
    private final List<ColumnSpec> specs;
    private final List<MappedColumn> columns;
    private final Schema keySchema;
    private final Schema rowSchema;
    private final Schema envelopeSchema;

    TableSchema(TableId id, String topicPrefix, List<ColumnSpec> specs, TypeMapper types, Schema sourceSchema) {
        this.id = id;
        this.topic = topicPrefix + "." + id.schema() + "." + id.table();
        this.specs = List.copyOf(specs);
        SchemaBuilder key = SchemaBuilder.struct().name(topic + ".Key");
        SchemaBuilder row = SchemaBuilder.struct().name(topic + ".Value").optional();
        List<MappedColumn> mapped = new ArrayList<>();
        for (ColumnSpec c : specs) {
            String qualified = id + "." + c.name();
            TypeMapper.Mapping m = types.map(qualified, c.typeOid(), c.typeModifier(), !c.key());
            row.field(c.name(), m.schema());
            if (c.key()) {
                key.field(c.name(), m.schema());
            }
            mapped.add(new MappedColumn(c.name(), c.key(), m.fromText()));
        }
        this.columns = List.copyOf(mapped);
        this.keySchema = mapped.stream().anyMatch(MappedColumn::key) ? key.build() : null;
        this.rowSchema = row.build();
        this.envelopeSchema = SchemaBuilder.struct().name(topic + ".Envelope").version(1)
                .field("before", rowSchema)
                .field("after", rowSchema)
                .field("source", sourceSchema)
                .field("op", Schema.STRING_SCHEMA)
                .field("ts_ms", Schema.OPTIONAL_INT64_SCHEMA)
                .build();
    }

    private TableSchema(TableSchema source, String topic) {
        this.id = source.id;
        this.topic = topic;
        this.specs = source.specs;
        this.columns = source.columns;
        this.keySchema = source.keySchema;
        this.rowSchema = source.rowSchema;
        this.envelopeSchema = source.envelopeSchema;
    }

    /** The same schemas, sent to another topic (a new subject after an incompatible change). */
    TableSchema routedTo(String otherTopic) {
        return new TableSchema(this, otherTopic);
    }

    TableId id() {
        return id;
    }

    String topic() {
        return topic;
    }

    List<ColumnSpec> specs() {
        return specs;
    }

    int columnCount() {
        return columns.size();
    }

    String columnName(int i) {
        return columns.get(i).name();
    }

    /** Null when the table has neither primary key nor replica identity index: its events have a null key. */
    Schema keySchema() {
        return keySchema;
    }

    Schema rowSchema() {
        return rowSchema;
    }

    Schema envelopeSchema() {
        return envelopeSchema;
    }

    Schema fieldSchema(int i) {
        return rowSchema.fields().get(i).schema();
    }

    Object convert(int i, String text) {
        return text == null ? null : columns.get(i).fromText().apply(text);
    }

    /** The row struct of already converted values, in column order. */
    Struct row(Object[] values) {
        Struct s = new Struct(rowSchema);
        for (int i = 0; i < values.length; i++) {
            s.put(columns.get(i).name(), values[i]);
        }
        return s;
    }

    /** The key struct of a row, or null for a keyless table. */
    Struct key(Object[] values) {
        if (keySchema == null) {
            return null;
        }
        Struct s = new Struct(keySchema);
        for (int i = 0; i < values.length; i++) {
            if (columns.get(i).key()) {
                s.put(columns.get(i).name(), values[i]);
            }
        }
        return s;
    }
}
