package io.kaveri.streams.timeline;

import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;

import java.util.Map;

/**
 * Change events of one table in Debezium's envelope, as the PostgreSQL source connector writes them, for
 * feeding a CDC topic in tests. Rows are given as column maps; the key holds the primary key columns.
 */
public final class CdcEvents {

    private final Schema keySchema;
    private final Schema rowSchema;
    private final Schema envelopeSchema;
    private final Schema sourceSchema;
    private final String table;

    /**
     * @param table   e.g. {@code follows}
     * @param row     the row's record schema
     * @param keyColumns the primary key columns (a subset of the row's)
     */
    public CdcEvents(String table, Schema row, String... keyColumns) {
        this.table = table;
        this.rowSchema = row;
        SchemaBuilder.FieldAssembler<Schema> key = SchemaBuilder.record("Key").namespace("kaveri.public." + table).fields();
        for (String column : keyColumns) {
            key = key.name(column).type(row.getField(column).schema()).noDefault();
        }
        this.keySchema = key.endRecord();
        this.sourceSchema = SchemaBuilder.record("Source").namespace("io.debezium.connector.postgresql").fields()
                .requiredString("connector").requiredString("table").requiredLong("ts_ms").endRecord();
        Schema optionalRow = Schema.createUnion(Schema.create(Schema.Type.NULL), row);
        this.envelopeSchema = SchemaBuilder.record("Envelope").namespace("kaveri.public." + table).fields()
                .name("before").type(optionalRow).withDefault(null)
                .name("after").type(optionalRow).withDefault(null)
                .name("source").type(sourceSchema).noDefault()
                .requiredString("op")
                .optionalLong("ts_ms")
                .endRecord();
    }

    public GenericRecord key(Map<String, ?> columns) {
        GenericRecord key = new GenericData.Record(keySchema);
        keySchema.getFields().forEach(f -> key.put(f.name(), columns.get(f.name())));
        return key;
    }

    public GenericRecord create(Map<String, ?> row, long commitMs) {
        return envelope("c", null, row(row), commitMs);
    }

    public GenericRecord update(Map<String, ?> before, Map<String, ?> after, long commitMs) {
        return envelope("u", before == null ? null : row(before), row(after), commitMs);
    }

    public GenericRecord delete(Map<String, ?> before, long commitMs) {
        return envelope("d", row(before), null, commitMs);
    }

    private GenericRecord row(Map<String, ?> columns) {
        GenericRecord row = new GenericData.Record(rowSchema);
        columns.forEach(row::put);
        return row;
    }

    private GenericRecord envelope(String op, GenericRecord before, GenericRecord after, long commitMs) {
        GenericRecord source = new GenericData.Record(sourceSchema);
        source.put("connector", "postgresql");
        source.put("table", table);
        source.put("ts_ms", commitMs);
        GenericRecord envelope = new GenericData.Record(envelopeSchema);
        envelope.put("before", before);
        envelope.put("after", after);
        envelope.put("source", source);
        envelope.put("op", op);
        envelope.put("ts_ms", commitMs + 5);
        return envelope;
    }
}
