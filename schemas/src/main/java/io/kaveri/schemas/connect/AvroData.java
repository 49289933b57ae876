package io.kaveri.schemas.connect;

import io.kaveri.schemas.registry.LruCache;
import java.util.Map;

import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaAndValue;
import org.apache.kafka.connect.errors.DataException;

/**
 * Maps Kafka Connect schemas and values to Avro and back with the conventions of Confluent's
 * AvroConverter ({@code connect.name}, {@code connect.version}, {@code connect.doc},
 * {@code connect.default}, {@code connect.parameters}, {@code connect.type}, {@code ConnectDefault}
 * record names, {@code MapEntry} arrays for maps without string keys, optional fields as unions with
 * null), so that Kaveri and Confluent converters read each other's topics and register the same
 * schemas. Thread-safe; converted schemas are cached (bounded, least recently used first out).
 */
public final class AvroData {

    private final ConnectToAvro toAvro;
    private final AvroToConnect toConnect;
    private final LruCache<Schema, org.apache.avro.Schema> avroSchemas;
    private final LruCache<VersionedSchema, Schema> connectSchemas;
    // Connectors usually hand the same Schema instance again and again: an identity check on the
    // last one skips hashing a whole Connect schema tree for every record.
    private volatile Converted last = new Converted(null, null);

    private record VersionedSchema(org.apache.avro.Schema schema, Integer version) {
    }

    private record Converted(Schema connect, org.apache.avro.Schema avro) {
    }

    public AvroData(AvroDataConfig config) {
        this.toAvro = new ConnectToAvro(config);
        this.toConnect = new AvroToConnect(config);
        this.avroSchemas = new LruCache<>(config.schemaCacheSize());
        this.connectSchemas = new LruCache<>(config.schemaCacheSize());
    }

    /** With Confluent's defaults and the given properties ({@link AvroDataConfig} keys). */
    public AvroData(Map<String, ?> props) {
        this(new AvroDataConfig(props));
    }

    /**
     * The Avro schema Confluent's converter would derive from this Connect schema; for schemaless
     * data (a null schema), Confluent's self-referencing {@code io.confluent.connect.avro.Anything} record.
     */
    public org.apache.avro.Schema fromConnectSchema(Schema schema) {
        if (schema == null) {
            return Schemaless.ANYTHING_SCHEMA;
        }
        Converted cached = last;
        if (cached.connect == schema) {
            return cached.avro;
        }
        org.apache.avro.Schema avro = avroSchemas.computeIfAbsent(schema, toAvro::schema);
        last = new Converted(schema, avro);
        return avro;
    }

    /**
     * The Avro value (GenericRecord, Integer, String, ByteBuffer, List, Map, GenericFixed,
     * EnumSymbol...) for a Connect value of the given schema; null stays null.
     *
     * @throws DataException when the value does not match the schema, naming the path to the bad field
     */
    public Object fromConnectData(Schema schema, Object value) {
        return fromConnectData(schema, fromConnectSchema(schema), value);
    }

    /** As {@link #fromConnectData(Schema, Object)}, with the Avro schema already derived by {@link #fromConnectSchema}. */
    public Object fromConnectData(Schema schema, org.apache.avro.Schema avroSchema, Object value) {
        if (schema == null) {
            return value == null ? null : Schemaless.wrap(value);
        }
        return toAvro.value(schema, avroSchema, value);
    }

    /** The Connect schema Confluent's converter would give for this Avro schema. */
    public Schema toConnectSchema(org.apache.avro.Schema avroSchema) {
        return toConnectSchema(avroSchema, null);
    }

    /**
     * @param version the registry's version of the schema, which becomes the Connect schema's
     *                version unless the schema carries {@code connect.version}; may be null
     */
    public Schema toConnectSchema(org.apache.avro.Schema avroSchema, Integer version) {
        return connectSchemas.computeIfAbsent(new VersionedSchema(avroSchema, version),
                key -> toConnect.schema(key.schema(), key.version()));
    }

    /** The Connect schema and value for an Avro value of the given schema; a null value gives {@link SchemaAndValue#NULL}. */
    public SchemaAndValue toConnectData(org.apache.avro.Schema avroSchema, Object value) {
        return toConnectData(avroSchema, value, null);
    }

    /** As {@link #toConnectData(org.apache.avro.Schema, Object)}, with the registry's version of the schema. */
    public SchemaAndValue toConnectData(org.apache.avro.Schema avroSchema, Object value, Integer version) {
        if (value == null) {
            return SchemaAndValue.NULL;
        }
        if (avroSchema.equals(Schemaless.ANYTHING_SCHEMA)) {
            return new SchemaAndValue(null, Schemaless.unwrap(value));
        }
        Schema schema = toConnectSchema(avroSchema, version);
        return new SchemaAndValue(schema, toConnect.value(schema, avroSchema, value));
    }
}
