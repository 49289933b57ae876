package io.kaveri.schemas.serde;

import io.kaveri.schemas.registry.SchemaRegistryClientConfig;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.Width;
import org.apache.kafka.common.config.ConfigException;

/**
 * Configuration of the Avro serializer, deserializer and serdes. Key names and defaults are Confluent's
 * ({@code KafkaAvroSerializerConfig}/{@code KafkaAvroDeserializerConfig}), plus the registry client's keys
 * ({@link SchemaRegistryClientConfig}: URL, auth, TLS, retries), which are passed to the client.
 */
public final class AvroSerdeConfig extends AbstractConfig {

    public static final String SCHEMA_REGISTRY_URL_CONFIG = SchemaRegistryClientConfig.SCHEMA_REGISTRY_URL_CONFIG;

    public static final String AUTO_REGISTER_SCHEMAS_CONFIG = "auto.register.schemas";
    static final String AUTO_REGISTER_SCHEMAS_DOC = "Register a record's schema under its subject the first time it "
            + "is seen (the registry refuses it when it breaks the subject's compatibility mode). When false, the "
            + "schema must already be registered.";

    public static final String USE_LATEST_VERSION_CONFIG = "use.latest.version";
    static final String USE_LATEST_VERSION_DOC = "Write every record with the subject's latest registered schema "
            + "instead of registering the record's own (set auto.register.schemas=false with it).";

    public static final String LATEST_COMPATIBILITY_STRICT_CONFIG = "latest.compatibility.strict";
    static final String LATEST_COMPATIBILITY_STRICT_DOC = "With use.latest.version, refuse a record whose schema "
            + "the latest version cannot read (backward check), naming the breaking field.";

    public static final String LATEST_CACHE_TTL_SEC_CONFIG = "latest.cache.ttl.sec";
    static final String LATEST_CACHE_TTL_SEC_DOC = "With use.latest.version, how long the latest version is kept "
            + "before it is asked again; -1 keeps it until restart.";

    public static final String NORMALIZE_SCHEMAS_CONFIG = "normalize.schemas";
    static final String NORMALIZE_SCHEMAS_DOC = "Ask the registry to normalize schemas before registering or looking "
            + "them up, so that equivalent texts share an id.";

    public static final String SPECIFIC_AVRO_READER_CONFIG = "specific.avro.reader";
    static final String SPECIFIC_AVRO_READER_DOC = "Deserialize records into the generated SpecificRecord class "
            + "named by the writer schema (it must be on the class path) instead of GenericRecord.";

    public static final String KEY_SUBJECT_NAME_STRATEGY_CONFIG = "key.subject.name.strategy";
    static final String KEY_SUBJECT_NAME_STRATEGY_DOC = "Subject of record keys: TopicNameStrategy (<topic>-key), "
            + "RecordNameStrategy (<full name>), TopicRecordNameStrategy (<topic>-<full name>), or a class "
            + "implementing io.kaveri.schemas.serde.SubjectNameStrategy. Confluent's class names are accepted.";

    public static final String VALUE_SUBJECT_NAME_STRATEGY_CONFIG = "value.subject.name.strategy";
    static final String VALUE_SUBJECT_NAME_STRATEGY_DOC = "Subject of record values; same choices as "
            + KEY_SUBJECT_NAME_STRATEGY_CONFIG + " (<topic>-value by default).";

    public static final String AVRO_USE_LOGICAL_TYPE_CONVERTERS_CONFIG = "avro.use.logical.type.converters";
    static final String AVRO_USE_LOGICAL_TYPE_CONVERTERS_DOC = "Map Avro logical types of generic records to Java "
            + "types (decimal to BigDecimal, timestamp-millis to Instant, date to LocalDate, uuid to UUID, ...) instead "
            + "of their underlying Avro types.";

    public static final String AVRO_READER_SCHEMA_CONFIG = "avro.reader.schema";
    static final String AVRO_READER_SCHEMA_DOC = "Kaveri extension: an Avro schema (JSON) that generic records are "
            + "read into, resolving each writer's schema against it (a consumer built on one version reads every "
            + "compatible version). Empty: read with the writer's schema, as Confluent does.";

    static final String GROUP = "Avro serde";

    private static final ConfigDef.Validator STRATEGY = new ConfigDef.Validator() {
        @Override
        public void ensureValid(String name, Object value) {
            try {
                SubjectNameStrategy.named((String) value);
            } catch (IllegalArgumentException e) {
                throw new ConfigException(name, value, e.getMessage());
            }
        }

        @Override
        public String toString() {
            return "TopicNameStrategy, RecordNameStrategy, TopicRecordNameStrategy or a SubjectNameStrategy class";
        }
    };

    private static final ConfigDef.Validator AVRO_SCHEMA = new ConfigDef.Validator() {
        @Override
        public void ensureValid(String name, Object value) {
            String text = (String) value;
            if (text != null && !text.isBlank()) {
                try {
                    new Schema.Parser().parse(text);
                } catch (SchemaParseException e) {
                    throw new ConfigException(name, value, "not an Avro schema: " + e.getMessage());
                }
            }
        }

        @Override
        public String toString() {
            return "an Avro schema as JSON, or empty";
        }
    };

    public AvroSerdeConfig(Map<?, ?> originals) {
        super(configDef(), originals, false);
    }

    /** Every key of the serde, the registry client's included (for documentation and for the converter). */
    public static ConfigDef configDef() {
        int order = 0;
        String topicName = TopicNameStrategy.class.getName();
        return SchemaRegistryClientConfig.define(new ConfigDef())
                .define(AUTO_REGISTER_SCHEMAS_CONFIG, Type.BOOLEAN, true, Importance.MEDIUM, AUTO_REGISTER_SCHEMAS_DOC,
                        GROUP, ++order, Width.SHORT, "Auto-register schemas")
                .define(USE_LATEST_VERSION_CONFIG, Type.BOOLEAN, false, Importance.MEDIUM, USE_LATEST_VERSION_DOC,
                        GROUP, ++order, Width.SHORT, "Use latest version")
                .define(LATEST_COMPATIBILITY_STRICT_CONFIG, Type.BOOLEAN, true, Importance.LOW,
                        LATEST_COMPATIBILITY_STRICT_DOC, GROUP, ++order, Width.SHORT, "Strict latest check")
                .define(LATEST_CACHE_TTL_SEC_CONFIG, Type.LONG, -1L, ConfigDef.Range.atLeast(-1), Importance.LOW,
                        LATEST_CACHE_TTL_SEC_DOC, GROUP, ++order, Width.SHORT, "Latest cache TTL")
                .define(NORMALIZE_SCHEMAS_CONFIG, Type.BOOLEAN, false, Importance.LOW, NORMALIZE_SCHEMAS_DOC,
                        GROUP, ++order, Width.SHORT, "Normalize schemas")
                .define(SPECIFIC_AVRO_READER_CONFIG, Type.BOOLEAN, false, Importance.LOW, SPECIFIC_AVRO_READER_DOC,
                        GROUP, ++order, Width.SHORT, "Specific reader")
                .define(KEY_SUBJECT_NAME_STRATEGY_CONFIG, Type.STRING, topicName, STRATEGY, Importance.MEDIUM,
                        KEY_SUBJECT_NAME_STRATEGY_DOC, GROUP, ++order, Width.LONG, "Key subject strategy")
                .define(VALUE_SUBJECT_NAME_STRATEGY_CONFIG, Type.STRING, topicName, STRATEGY, Importance.MEDIUM,
                        VALUE_SUBJECT_NAME_STRATEGY_DOC, GROUP, ++order, Width.LONG, "Value subject strategy")
                .define(AVRO_USE_LOGICAL_TYPE_CONVERTERS_CONFIG, Type.BOOLEAN, false, Importance.LOW,
                        AVRO_USE_LOGICAL_TYPE_CONVERTERS_DOC, GROUP, ++order, Width.SHORT, "Logical type converters")
                .define(AVRO_READER_SCHEMA_CONFIG, Type.STRING, "", AVRO_SCHEMA, Importance.LOW, AVRO_READER_SCHEMA_DOC,
                        GROUP, ++order, Width.LONG, "Generic reader schema");
    }

    /** The subject name strategy for keys or values. */
    public SubjectNameStrategy subjectNameStrategy(boolean isKey) {
        return SubjectNameStrategy.named(getString(isKey ? KEY_SUBJECT_NAME_STRATEGY_CONFIG
                : VALUE_SUBJECT_NAME_STRATEGY_CONFIG));
    }

    /** The generic reader schema, or null to read with each writer's schema. */
    Schema readerSchema() {
        String text = getString(AVRO_READER_SCHEMA_CONFIG);
        return text == null || text.isBlank() ? null : new Schema.Parser().parse(text);
    }
}
