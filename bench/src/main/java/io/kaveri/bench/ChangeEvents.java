package io.kaveri.bench;

import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;

import java.util.Map;

/**
 * Create events of one table in Debezium's envelope, the shape the PostgreSQL source connector writes to a CDC
 * topic: the load of the stream-table joins' table side.
 */
final class ChangeEvents {

    static final Schema TIMESTAMP = LogicalTypes.timestampMillis().addToSchema(Schema.create(Schema.Type.LONG));

    private final String table;
    private final Schema row;
    private final Schema key;
    private final Schema source;
    private final Schema envelope;

    ChangeEvents(String table, Schema row, String... keyColumns) {
        this.table = table;
        this.row = row;
        SchemaBuilder.FieldAssembler<Schema> k = SchemaBuilder.record("Key").namespace("kaveri.public." + table).fields();
        for (String column : keyColumns) {
            k = k.name(column).type(row.getField(column).schema()).noDefault();
        }
        this.key = k.endRecord();
        this.source = SchemaBuilder.record("Source").namespace("io.debezium.connector.postgresql").fields()
                .requiredString("connector").requiredString("table").requiredLong("ts_ms").endRecord();
        Schema optionalRow = Schema.createUnion(Schema.create(Schema.Type.NULL), row);
        this.envelope = SchemaBuilder.record("Envelope").namespace("kaveri.public." + table).fields()
                .name("before").type(optionalRow).withDefault(null)
                .name("after").type(optionalRow).withDefault(null)
                .name("source").type(source).noDefault()
                .requiredString("op")
                .optionalLong("ts_ms")
                .endRecord();
    }

    GenericRecord key(Map<String, ?> columns) {
        GenericRecord k = new GenericData.Record(key);
        key.getFields().forEach(f -> k.put(f.name(), columns.get(f.name())));
        return k;
    }

    GenericRecord create(Map<String, ?> columns, long commitMs) {
        GenericRecord after = new GenericData.Record(row);
        columns.forEach(after::put);
        GenericRecord s = new GenericData.Record(source);
        s.put("connector", "postgresql");
        s.put("table", table);
        s.put("ts_ms", commitMs);
        GenericRecord e = new GenericData.Record(envelope);
        e.put("after", after);
        e.put("source", s);
        e.put("op", "c");
        e.put("ts_ms", commitMs);
        return e;
    }
}
