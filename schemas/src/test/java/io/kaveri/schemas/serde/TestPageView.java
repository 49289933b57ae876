package io.kaveri.schemas.serde;

import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecordBase;

/** A minimal hand-written SpecificRecord, standing in for a generated class in the serde tests. */
public class TestPageView extends SpecificRecordBase {

    public static final Schema SCHEMA$ = new Schema.Parser().parse("""
            {"type": "record", "name": "TestPageView", "namespace": "io.kaveri.schemas.serde", "fields": [
              {"name": "user", "type": {"type": "string", "avro.java.string": "String"}},
              {"name": "page", "type": {"type": "string", "avro.java.string": "String"}},
              {"name": "millis", "type": "long"}
            ]}""");

    private String user;
    private String page;
    private long millis;

    public TestPageView() {
    }

    public TestPageView(String user, String page, long millis) {
        this.user = user;
        this.page = page;
        this.millis = millis;
    }

    public String user() {
        return user;
    }

    public String page() {
        return page;
    }

    public long millis() {
        return millis;
    }

    @Override
    public Schema getSchema() {
        return SCHEMA$;
    }

    @Override
    public Object get(int field) {
        return switch (field) {
            case 0 -> user;
            case 1 -> page;
            case 2 -> millis;
            default -> throw new IndexOutOfBoundsException(field);
        };
    }

    @Override
    public void put(int field, Object value) {
        switch (field) {
            case 0 -> user = value == null ? null : value.toString();
            case 1 -> page = value == null ? null : value.toString();
            case 2 -> millis = (Long) value;
            default -> throw new IndexOutOfBoundsException(field);
        }
    }
}
