package io.kaveri.schemas.serde;

import io.kaveri.schemas.registry.SchemaNotFoundException;
import io.kaveri.schemas.registry.SchemaRegistryClient;
import io.kaveri.schemas.registry.SchemaRegistryException;
import java.io.IOException;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Reads Avro values in Confluent's wire format. The writer's schema comes from the registry by the id in the
 * header (fetched once per id) and is resolved against the reader's: the generated class's schema with
 * {@code specific.avro.reader}, {@code avro.reader.schema} when set, else the writer's own. Strings at the top
 * level come back as {@link String}, {@code bytes} as {@code byte[]}, as Confluent's deserializer gives them.
 *
 * <p>A bad payload (unknown magic byte, too short, unknown schema id, not decodable) gives a
 * {@link SerializationException} naming the topic, the subject where it can be known, and the id. The partition
 * and offset are not given to a Kafka {@code Deserializer}; the consumer's own error adds them.
 */
public class KaveriAvroDeserializer extends AvroSerdeBase implements Deserializer<Object> {

    private boolean specific;
    private Schema readerSchema;
    private SpecificData specificData;

    private final Map<Integer, Reader> readers = new ConcurrentHashMap<>();
    private final ThreadLocal<Decoding> decodings = ThreadLocal.withInitial(Decoding::new);

    /** How the records of one schema id are read. */
    private record Reader(Schema writer, DatumReader<Object> datumReader) {
    }

    /** Per thread: the decoder reused across records. */
    private static final class Decoding {
        BinaryDecoder decoder;
    }

    /** A deserializer that makes its registry client from its configuration. */
    public KaveriAvroDeserializer() {
        super(null);
    }

    /** A deserializer on the given client, which it does not close. */
    public KaveriAvroDeserializer(SchemaRegistryClient client) {
        super(client);
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        AvroSerdeConfig config = configureBase(configs, isKey);
        this.specific = config.getBoolean(AvroSerdeConfig.SPECIFIC_AVRO_READER_CONFIG);
        this.readerSchema = config.readerSchema();
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        this.specificData = new SpecificData(loader != null ? loader : getClass().getClassLoader());
        readers.clear();
    }

    @Override
    public Object deserialize(String topic, byte[] data) {
        return data == null ? null : read(topic, data).value();
    }

    @Override
    public Object deserialize(String topic, Headers headers, byte[] data) {
        return deserialize(topic, data);
    }

    /**
     * Reads a value together with its writer schema and id (the Connect converter's entry point); null for a
     * null payload.
     *
     * @throws SerializationException naming topic, subject and id when the payload cannot be read
     */
    public DeserializedAvro deserializeWithSchema(String topic, Headers headers, byte[] data) {
        return data == null ? null : read(topic, data);
    }

    private DeserializedAvro read(String topic, byte[] data) {
        checkConfigured();
        int id = AvroWireFormat.schemaId(topic, subjectOrNull(topic, null), data);
        Reader reader = readers.get(id);
        if (reader == null) {
            reader = reader(topic, id);
            if (readers.size() >= cacheCapacity) {
                readers.clear();
            }
            readers.put(id, reader);
        }
        Schema.Type type = reader.writer().getType();
        if (type == Schema.Type.BYTES) {
            return new DeserializedAvro(Arrays.copyOfRange(data, AvroWireFormat.HEADER_SIZE, data.length),
                    reader.writer(), id);
        }
        Decoding decoding = decodings.get();
        try {
            BinaryDecoder decoder = DecoderFactory.get().binaryDecoder(data, AvroWireFormat.HEADER_SIZE,
                    data.length - AvroWireFormat.HEADER_SIZE, decoding.decoder);
            decoding.decoder = decoder;
            Object value = reader.datumReader().read(null, decoder);
            return new DeserializedAvro(type == Schema.Type.STRING ? value.toString() : value, reader.writer(), id);
        } catch (IOException | RuntimeException e) {
            throw AvroWireFormat.failure("Cannot decode the payload (" + data.length + " bytes) with writer schema "
                    + reader.writer().getFullName() + ": truncated, corrupt, or not readable with the reader schema",
                    topic, subjectOrNull(topic, reader.writer()), id, e);
        }
    }

    private Reader reader(String topic, int id) {
        Schema writer;
        try {
            writer = client.schemaById(id);
        } catch (SchemaNotFoundException e) {
            throw AvroWireFormat.failure("Unknown schema id " + id + ": the registry has no such schema", topic,
                    subjectOrNull(topic, null), id, e);
        } catch (SchemaRegistryException e) {
            throw AvroWireFormat.failure("Cannot fetch schema " + id + " from the registry", topic,
                    subjectOrNull(topic, null), id, e);
        }
        if (specific && isNamed(writer)) {
            Class<?> type = specificData.getClass(writer);
            if (type == null) {
                throw AvroWireFormat.failure("No generated class " + writer.getFullName() + " on the class path "
                        + "(specific.avro.reader=true)", topic, subjectOrNull(topic, writer), id, null);
            }
            SpecificData model = SpecificData.getForClass(type);
            return new Reader(writer, new SpecificDatumReader<>(writer, model.getSchema(type), model));
        }
        Schema reading = readerSchema != null && isNamed(writer) ? readerSchema : writer;
        return new Reader(writer, new GenericDatumReader<>(writer, reading, genericData));
    }

    private static boolean isNamed(Schema schema) {
        return schema.getType() == Schema.Type.RECORD || schema.getType() == Schema.Type.ENUM
                || schema.getType() == Schema.Type.FIXED;
    }
}
