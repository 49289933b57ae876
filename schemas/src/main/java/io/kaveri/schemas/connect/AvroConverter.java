package io.kaveri.schemas.connect;

import io.kaveri.schemas.registry.LruCache;
import java.util.HashMap;
import java.util.Map;

import io.kaveri.schemas.registry.SchemaNotFoundException;
import io.kaveri.schemas.registry.SchemaRegistryClient;
import io.kaveri.schemas.registry.SchemaRegistryClients;
import io.kaveri.schemas.registry.SchemaRegistryException;
import io.kaveri.schemas.registry.SubjectNotFoundException;
import io.kaveri.schemas.serde.AvroSerdeConfig;
import io.kaveri.schemas.serde.DeserializedAvro;
import io.kaveri.schemas.serde.KaveriAvroDeserializer;
import io.kaveri.schemas.serde.KaveriAvroSerializer;
import io.kaveri.schemas.serde.SubjectNameStrategy;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaAndValue;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.errors.RetriableException;
import org.apache.kafka.connect.storage.Converter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Kafka Connect converter between Connect data and Avro in Confluent's wire format, through a
 * schema registry: a drop-in for {@code io.confluent.connect.avro.AvroConverter} (same keys, same
 * schemas registered, same Connect schemas read back). Configure it as
 * {@code value.converter=io.kaveri.schemas.connect.AvroConverter} with {@code value.converter.schema.registry.url}.
 *
 * <p>It is not a {@code HeaderConverter}: Confluent's converter is not one either, a registry subject
 * per header has no convention any other component could read, and header values are small scalars
 * that Connect's {@code SimpleHeaderConverter} already handles.
 *
 * <p>Errors: data that does not fit its schema, or a schema the registry refuses, gives a
 * {@link DataException} naming the topic (and subject and schema id where known); a registry that
 * cannot be reached gives a {@link RetriableException}, so that Connect tries again.
 */
public class AvroConverter implements Converter {

    private static final Logger log = LoggerFactory.getLogger(AvroConverter.class);
    private static final int NO_VERSION = -1;

    private final boolean clientGiven;
    private SchemaRegistryClient client;
    private KaveriAvroSerializer serializer;
    private KaveriAvroDeserializer deserializer;
    private AvroData avroData;
    private SubjectNameStrategy subjectNameStrategy;
    private boolean isKey;
    // The registry version of each (subject, id) read, which Connect sinks see as the schema version.
    private LruCache<SubjectAndId, Integer> versions;

    private record SubjectAndId(String subject, int id) {
    }

    /** The converter Connect instantiates; it makes its registry client from its configuration. */
    public AvroConverter() {
        this.clientGiven = false;
    }

    /** A converter on the given client, which it does not close. */
    public AvroConverter(SchemaRegistryClient client) {
        this.client = client;
        this.clientGiven = true;
    }

    @Override
    public ConfigDef config() {
        return AvroConverterConfig.configDef();
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        AvroConverterConfig config = new AvroConverterConfig(configs);
        this.isKey = isKey;
        if (client == null) {
            client = SchemaRegistryClients.create(configs);
        }
        // AvroData works on Avro's own representations, read with the writer's schema, as Confluent's converter does.
        Map<String, Object> serdeConfigs = new HashMap<>(configs);
        serdeConfigs.put(AvroSerdeConfig.AVRO_USE_LOGICAL_TYPE_CONVERTERS_CONFIG, false);
        serdeConfigs.put(AvroSerdeConfig.SPECIFIC_AVRO_READER_CONFIG, false);
        serdeConfigs.put(AvroSerdeConfig.AVRO_READER_SCHEMA_CONFIG, "");
        serializer = new KaveriAvroSerializer(client);
        serializer.configure(serdeConfigs, isKey);
        deserializer = new KaveriAvroDeserializer(client);
        deserializer.configure(serdeConfigs, isKey);
        subjectNameStrategy = new AvroSerdeConfig(serdeConfigs).subjectNameStrategy(isKey);
        avroData = new AvroData(new AvroDataConfig(configs, false));
        versions = new LruCache<>(config.getInt(AvroDataConfig.SCHEMAS_CACHE_SIZE_CONFIG));
    }

    @Override
    public byte[] fromConnectData(String topic, Schema schema, Object value) {
        return fromConnectData(topic, null, schema, value);
    }

    @Override
    public byte[] fromConnectData(String topic, Headers headers, Schema schema, Object value) {
        if (value == null) {
            return null;
        }
        org.apache.avro.Schema avroSchema;
        Object avroValue;
        try {
            avroSchema = avroData.fromConnectSchema(schema);
            avroValue = avroData.fromConnectData(schema, avroSchema, value);
        } catch (DataException e) {
            throw new DataException("Cannot convert Connect data to Avro for topic '" + topic + "': " + e.getMessage(), e);
        }
        try {
            return serializer.serialize(topic, headers, avroValue, avroSchema);
        } catch (SerializationException e) {
            throw translate("Failed to serialize Avro data for topic '" + topic + "'", e);
        }
    }

    @Override
    public SchemaAndValue toConnectData(String topic, byte[] value) {
        return toConnectData(topic, null, value);
    }

    @Override
    public SchemaAndValue toConnectData(String topic, Headers headers, byte[] value) {
        if (value == null) {
            return SchemaAndValue.NULL;
        }
        DeserializedAvro read;
        try {
            read = deserializer.deserializeWithSchema(topic, headers, value);
        } catch (SerializationException e) {
            throw translate("Failed to deserialize Avro data of topic '" + topic + "'", e);
        }
        Integer version = registryVersion(topic, read);
        try {
            return avroData.toConnectData(read.writerSchema(), read.value(), version);
        } catch (DataException e) {
            throw new DataException("Cannot convert Avro data of topic '" + topic + "' (schema id " + read.schemaId()
                    + ") to Connect data: " + e.getMessage(), e);
        }
    }

    /**
     * The version of the writer's schema under the topic's subject, as Confluent's converter reports
     * it; null when the subject does not hold that schema (e.g. written under another naming strategy).
     */
    private Integer registryVersion(String topic, DeserializedAvro read) {
        String subject = subjectNameStrategy.subjectName(topic, isKey, read.writerSchema());
        int version = versions.computeIfAbsent(new SubjectAndId(subject, read.schemaId()), key -> {
            try {
                return client.versionOf(key.subject(), read.writerSchema(), false);
            } catch (SubjectNotFoundException | SchemaNotFoundException e) {
                log.debug("Schema not under its subject, no version topic={} subject={} id={}", topic, key.subject(), key.id());
                return NO_VERSION;
            } catch (SchemaRegistryException e) {
                String what = "Cannot look up the version of schema id " + key.id() + " under subject '" + key.subject()
                        + "' for topic '" + topic + "': " + e.getMessage();
                throw e.isTransient() ? new RetriableException(what, e) : new DataException(what, e);
            }
        });
        return version == NO_VERSION ? null : version;
    }

    /** Registry outages become retriable, anything else is bad data. */
    private static RuntimeException translate(String what, SerializationException e) {
        for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
            if (cause instanceof SchemaRegistryException registry && registry.isTransient()) {
                return new RetriableException(what + ": " + e.getMessage(), e);
            }
        }
        return new DataException(what + ": " + e.getMessage(), e);
    }

    @Override
    public void close() {
        if (serializer != null) {
            serializer.close();
            deserializer.close();
        }
        if (!clientGiven && client != null) {
            client.close();
        }
    }
}
