package io.kaveri.schemas.serde;

import io.kaveri.schemas.registry.AvroCompatibility;
import io.kaveri.schemas.registry.IncompatibleSchemaException;
import io.kaveri.schemas.registry.RegisteredSchema;
import io.kaveri.schemas.registry.SchemaRegistryClient;
import io.kaveri.schemas.registry.SchemaRegistryException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.IndexedRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.Encoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Serializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes Avro values in Confluent's wire format, byte for byte as Confluent's {@code KafkaAvroSerializer} does.
 *
 * <p>The first record of each new schema (per topic) resolves it against the registry before any byte is
 * written: registered ({@code auto.register.schemas}), looked up, or checked against the subject's latest version
 * ({@code use.latest.version}). A schema the registry refuses, or that the latest version cannot read, fails that
 * record with a {@link SerializationException} naming topic, subject and the breaking field; later records of
 * known schemas cost two map lookups. When the registry is unreachable the exception's cause is a
 * {@link SchemaRegistryException} whose {@link SchemaRegistryException#isTransient()} is true.
 */
public class KaveriAvroSerializer extends AvroSerdeBase implements Serializer<Object> {

    private static final Logger LOG = LoggerFactory.getLogger(KaveriAvroSerializer.class);
    private static final long NEVER = Long.MAX_VALUE;

    private boolean autoRegister;
    private boolean useLatest;
    private boolean latestStrict;
    private boolean normalize;
    private long latestTtlNanos;

    private final Map<String, Map<Schema, Target>> targets = new ConcurrentHashMap<>();
    private final ThreadLocal<Encoding> encodings = ThreadLocal.withInitial(Encoding::new);

    /** Where a schema's records go: the id in the header and the writer that encodes them. */
    private record Target(int id, DatumWriter<Object> writer, long expiresAt) {
    }

    /** Per thread: the output buffer and the encoder reused across records. */
    private static final class Encoding {
        final WireBuffer buffer = new WireBuffer();
        BinaryEncoder encoder;
    }

    /** A serializer that makes its registry client from its configuration. */
    public KaveriAvroSerializer() {
        super(null);
    }

    /** A serializer on the given client, which it does not close. */
    public KaveriAvroSerializer(SchemaRegistryClient client) {
        super(client);
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        AvroSerdeConfig config = configureBase(configs, isKey);
        this.autoRegister = config.getBoolean(AvroSerdeConfig.AUTO_REGISTER_SCHEMAS_CONFIG);
        this.useLatest = config.getBoolean(AvroSerdeConfig.USE_LATEST_VERSION_CONFIG);
        this.latestStrict = config.getBoolean(AvroSerdeConfig.LATEST_COMPATIBILITY_STRICT_CONFIG);
        this.normalize = config.getBoolean(AvroSerdeConfig.NORMALIZE_SCHEMAS_CONFIG);
        long ttlSeconds = config.getLong(AvroSerdeConfig.LATEST_CACHE_TTL_SEC_CONFIG);
        this.latestTtlNanos = ttlSeconds < 0 ? NEVER : TimeUnit.SECONDS.toNanos(ttlSeconds);
        targets.clear();
    }

    @Override
    public byte[] serialize(String topic, Object value) {
        return serialize(topic, null, value, null);
    }

    @Override
    public byte[] serialize(String topic, Headers headers, Object value) {
        return serialize(topic, headers, value, null);
    }

    /**
     * Writes a value with a given schema (the Connect converter's entry point), or with the value's own schema
     * when {@code schema} is null. A null value gives null (a tombstone), as in Confluent.
     *
     * @throws SerializationException naming topic, subject and cause when the schema is refused or the value
     *     does not fit it
     */
    public byte[] serialize(String topic, Headers headers, Object value, Schema schema) {
        if (value == null) {
            return null;
        }
        checkConfigured();
        Schema valueSchema;
        try {
            valueSchema = schema != null ? schema : AvroModels.schemaOf(value);
        } catch (IllegalArgumentException e) {
            throw AvroWireFormat.failure(e.getMessage(), topic, null, null, null);
        }
        Target target = target(topic, valueSchema, value);
        Encoding encoding = encodings.get();
        WireBuffer buffer = encoding.buffer;
        buffer.startRecord(target.id());
        try {
            if (valueSchema.getType() == Schema.Type.BYTES && value instanceof byte[] bytes) {
                buffer.write(bytes, 0, bytes.length);
            } else if (valueSchema.getType() == Schema.Type.BYTES && value instanceof ByteBuffer bytes) {
                ByteBuffer view = bytes.duplicate();
                while (view.hasRemaining()) {
                    buffer.write(view.get());
                }
            } else {
                BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(buffer, encoding.encoder);
                encoding.encoder = encoder;
                target.writer().write(value, encoder);
            }
        } catch (IOException | RuntimeException e) {
            throw AvroWireFormat.failure("Cannot write the value with schema " + valueSchema.getFullName(), topic,
                    subjectOrNull(topic, valueSchema), target.id(), e);
        }
        return buffer.toByteArray();
    }

    private Target target(String topic, Schema schema, Object value) {
        Map<Schema, Target> byTopic = targets.computeIfAbsent(topic, t -> new ConcurrentHashMap<>());
        Target target = byTopic.get(schema);
        if (target == null || (target.expiresAt() != NEVER && System.nanoTime() - target.expiresAt() > 0)) {
            target = resolve(topic, schema, value);
            if (byTopic.size() >= cacheCapacity) {
                // A producer that makes a new schema per record must not exhaust memory; known ones are re-resolved.
                byTopic.clear();
            }
            byTopic.put(schema, target);
        }
        return target;
    }

    private Target resolve(String topic, Schema schema, Object value) {
        String subject;
        try {
            subject = strategy.subjectName(topic, isKey, schema);
        } catch (RuntimeException e) {
            throw AvroWireFormat.failure("Cannot name the subject of schema " + schema.getFullName(), topic, null, null, e);
        }
        try {
            if (useLatest) {
                return latestTarget(topic, subject, schema, value);
            }
            int id = autoRegister ? client.register(subject, schema, normalize) : client.idOf(subject, schema, normalize);
            LOG.info("Avro schema resolved topic={} subject={} id={} autoRegister={}", topic, subject, id, autoRegister);
            return new Target(id, new GenericDatumWriter<>(schema, dataFor(value)), NEVER);
        } catch (IncompatibleSchemaException e) {
            throw AvroWireFormat.failure("The registry refuses the record's schema " + schema.getFullName()
                    + ": it breaks the subject's compatibility mode", topic, subject, null, e);
        } catch (SchemaRegistryException e) {
            throw AvroWireFormat.failure((autoRegister && !useLatest ? "Cannot register" : "Cannot look up")
                    + " the record's schema " + schema.getFullName(), topic, subject, null, e);
        }
    }

    private Target latestTarget(String topic, String subject, Schema schema, Object value) {
        RegisteredSchema latest = client.latest(subject);
        long expiresAt = latestTtlNanos == NEVER ? NEVER : System.nanoTime() + latestTtlNanos;
        if (latest.schema().equals(schema)) {
            return new Target(latest.id(), new GenericDatumWriter<>(schema, dataFor(value)), expiresAt);
        }
        if (latestStrict) {
            List<String> problems = AvroCompatibility.canRead(latest.schema(), schema);
            if (!problems.isEmpty()) {
                throw AvroWireFormat.failure("The record's schema " + schema.getFullName() + " cannot be read by the "
                        + "latest version " + latest.version() + " of the subject (use.latest.version, "
                        + "latest.compatibility.strict): " + problems, topic, subject, latest.id(), null);
            }
        }
        LOG.info("Avro schema resolved topic={} subject={} id={} latestVersion={}", topic, subject, latest.id(),
                latest.version());
        return new Target(latest.id(), new ByNameDatumWriter(latest.schema(), dataFor(value)), expiresAt);
    }

    private GenericData dataFor(Object value) {
        // Generated classes carry their own model with the logical-type conversions they were generated with.
        return value instanceof SpecificRecord ? SpecificData.getForClass(value.getClass()) : genericData;
    }

    /**
     * Writes a record with the latest registered schema when the record's own schema differs from it: fields are
     * taken by name, not position, and a field the record lacks gets its default (the strict check made sure
     * it has one).
     */
    private static final class ByNameDatumWriter extends GenericDatumWriter<Object> {
        ByNameDatumWriter(Schema schema, GenericData data) {
            super(schema, data);
        }

        @Override
        protected void writeField(Object datum, Schema.Field field, Encoder out, Object state) throws IOException {
            IndexedRecord record = (IndexedRecord) datum;
            Schema.Field own = record.getSchema().getField(field.name());
            Object value = own != null ? record.get(own.pos()) : getData().getDefaultValue(field);
            write(field.schema(), value, out);
        }
    }
}
