package io.kaveri.schemas.connect;

import java.util.Map;

import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;

/**
 * How Connect data maps to Avro. Names and defaults are Confluent's AvroConverter's, so a worker
 * configuration written for Confluent's converter means the same here.
 */
public class AvroDataConfig extends AbstractConfig {

    private static final String GROUP = "Avro data";

    public static final String ENHANCED_AVRO_SCHEMA_SUPPORT_CONFIG = "enhanced.avro.schema.support";
    public static final boolean ENHANCED_AVRO_SCHEMA_SUPPORT_DEFAULT = false;
    public static final String ENHANCED_AVRO_SCHEMA_SUPPORT_DOC = "Whether Avro enums keep their symbols (Connect "
            + "strings with 'io.confluent.connect.avro.Enum' parameters become Avro enums again) and whether "
            + "union branches of named types are named by their full name (package aware).";

    public static final String CONNECT_META_DATA_CONFIG = "connect.meta.data";
    public static final boolean CONNECT_META_DATA_DEFAULT = true;
    public static final String CONNECT_META_DATA_DOC = "Whether the Avro schema carries the Connect schema's "
            + "metadata (connect.name, connect.version, connect.doc, connect.default, connect.parameters), so "
            + "that reading it back gives the same Connect schema.";

    public static final String SCRUB_INVALID_NAMES_CONFIG = "scrub.invalid.names";
    public static final boolean SCRUB_INVALID_NAMES_DEFAULT = false;
    public static final String SCRUB_INVALID_NAMES_DOC = "Whether Connect field and schema names that are not "
            + "valid Avro names are rewritten (invalid characters become '_') instead of failing.";

    public static final String SCHEMAS_CACHE_SIZE_CONFIG = "schemas.cache.config";
    public static final int SCHEMAS_CACHE_SIZE_DEFAULT = 1000;
    public static final String SCHEMAS_CACHE_SIZE_DOC = "How many converted schemas are kept, in each direction "
            + "(least recently used are dropped first).";

    public static final String ALLOW_OPTIONAL_MAP_KEYS_CONFIG = "allow.optional.map.keys";
    public static final boolean ALLOW_OPTIONAL_MAP_KEYS_DEFAULT = false;
    public static final String ALLOW_OPTIONAL_MAP_KEYS_DOC = "Whether a Connect map with optional string keys "
            + "becomes an Avro map (true) or an array of MapEntry records (false).";

    public static final String FLATTEN_SINGLETON_UNIONS_CONFIG = "flatten.singleton.unions";
    public static final boolean FLATTEN_SINGLETON_UNIONS_DEFAULT = true;
    public static final String FLATTEN_SINGLETON_UNIONS_DOC = "Whether an Avro union of one type reads as that "
            + "type rather than as a one-field union struct.";

    public static final String IGNORE_DEFAULT_FOR_NULLABLES_CONFIG = "ignore.default.for.nullables";
    public static final boolean IGNORE_DEFAULT_FOR_NULLABLES_DEFAULT = false;
    public static final String IGNORE_DEFAULT_FOR_NULLABLES_DOC = "Whether a null in an optional field with a "
            + "default is written as null rather than replaced by the default.";

    /** The cache size must allow at least one schema. */
    static final ConfigDef.Validator CACHE_SIZE_VALIDATOR = ConfigDef.Range.atLeast(1);

    public AvroDataConfig(Map<?, ?> props) {
        this(props, true);
    }

    /** Without logging the values, when a wider config (the converter's) has logged them already. */
    AvroDataConfig(Map<?, ?> props, boolean logValues) {
        super(configDef(), props, logValues);
    }

    /** The keys of this config, to be merged into the converter's. */
    public static ConfigDef configDef() {
        return addTo(new ConfigDef());
    }

    static ConfigDef addTo(ConfigDef def) {
        int order = 0;
        return def
                .define(CONNECT_META_DATA_CONFIG, Type.BOOLEAN, CONNECT_META_DATA_DEFAULT, Importance.LOW,
                        CONNECT_META_DATA_DOC, GROUP, ++order, ConfigDef.Width.SHORT, "Connect metadata")
                .define(ENHANCED_AVRO_SCHEMA_SUPPORT_CONFIG, Type.BOOLEAN, ENHANCED_AVRO_SCHEMA_SUPPORT_DEFAULT,
                        Importance.MEDIUM, ENHANCED_AVRO_SCHEMA_SUPPORT_DOC, GROUP, ++order, ConfigDef.Width.SHORT,
                        "Enhanced Avro schemas")
                .define(SCRUB_INVALID_NAMES_CONFIG, Type.BOOLEAN, SCRUB_INVALID_NAMES_DEFAULT, Importance.MEDIUM,
                        SCRUB_INVALID_NAMES_DOC, GROUP, ++order, ConfigDef.Width.SHORT, "Scrub invalid names")
                .define(SCHEMAS_CACHE_SIZE_CONFIG, Type.INT, SCHEMAS_CACHE_SIZE_DEFAULT, CACHE_SIZE_VALIDATOR,
                        Importance.LOW, SCHEMAS_CACHE_SIZE_DOC, GROUP, ++order, ConfigDef.Width.SHORT,
                        "Schema cache size")
                .define(ALLOW_OPTIONAL_MAP_KEYS_CONFIG, Type.BOOLEAN, ALLOW_OPTIONAL_MAP_KEYS_DEFAULT, Importance.LOW,
                        ALLOW_OPTIONAL_MAP_KEYS_DOC, GROUP, ++order, ConfigDef.Width.SHORT, "Optional map keys")
                .define(FLATTEN_SINGLETON_UNIONS_CONFIG, Type.BOOLEAN, FLATTEN_SINGLETON_UNIONS_DEFAULT,
                        Importance.LOW, FLATTEN_SINGLETON_UNIONS_DOC, GROUP, ++order, ConfigDef.Width.SHORT,
                        "Flatten singleton unions")
                .define(IGNORE_DEFAULT_FOR_NULLABLES_CONFIG, Type.BOOLEAN, IGNORE_DEFAULT_FOR_NULLABLES_DEFAULT,
                        Importance.MEDIUM, IGNORE_DEFAULT_FOR_NULLABLES_DOC, GROUP, ++order, ConfigDef.Width.SHORT,
                        "Ignore defaults for nullables");
    }

    boolean connectMetaData() {
        return getBoolean(CONNECT_META_DATA_CONFIG);
    }

    boolean enhancedSchemaSupport() {
        return getBoolean(ENHANCED_AVRO_SCHEMA_SUPPORT_CONFIG);
    }

    boolean scrubInvalidNames() {
        return getBoolean(SCRUB_INVALID_NAMES_CONFIG);
    }

    int schemaCacheSize() {
        return getInt(SCHEMAS_CACHE_SIZE_CONFIG);
    }

    boolean allowOptionalMapKeys() {
        return getBoolean(ALLOW_OPTIONAL_MAP_KEYS_CONFIG);
    }

    boolean flattenSingletonUnions() {
        return getBoolean(FLATTEN_SINGLETON_UNIONS_CONFIG);
    }

    boolean ignoreDefaultForNullables() {
        return getBoolean(IGNORE_DEFAULT_FOR_NULLABLES_CONFIG);
    }
}
