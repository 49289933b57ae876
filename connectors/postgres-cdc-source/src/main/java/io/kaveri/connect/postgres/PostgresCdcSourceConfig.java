package io.kaveri.connect.postgres;

import io.kaveri.schemas.registry.SchemaRegistryClient;
import io.kaveri.schemas.registry.SchemaRegistryClients;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.Width;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Every setting of the PostgreSQL CDC source. Key names follow Debezium's PostgreSQL connector where the meaning is
 * the same, so that a Debezium configuration moves over with few edits.
 */
public final class PostgresCdcSourceConfig extends AbstractConfig {

    private static final String GROUP_DATABASE = "Database";
    private static final String GROUP_REPLICATION = "Replication";
    private static final String GROUP_EVENTS = "Events";
    private static final String GROUP_SNAPSHOT = "Snapshot";
    private static final String GROUP_RUNTIME = "Runtime";
    private static final String GROUP_TRANSACTIONS = "Kafka transactions";
    private static final String GROUP_SCHEMA_CHANGES = "Schema changes";

    public static final String HOSTNAME_CONFIG = "database.hostname";
    private static final String HOSTNAME_DOC = "Host name or address of the PostgreSQL server (the primary: logical "
            + "replication slots live on it).";
    public static final String PORT_CONFIG = "database.port";
    private static final String PORT_DOC = "Port of the PostgreSQL server.";
    public static final String DBNAME_CONFIG = "database.dbname";
    private static final String DBNAME_DOC = "The database to capture; a replication slot belongs to one database.";
    public static final String USER_CONFIG = "database.user";
    private static final String USER_DOC = "User to connect as; needs the REPLICATION attribute (or superuser), SELECT on "
            + "the captured tables, and CREATE on the database if the publication is created by the connector.";
    public static final String PASSWORD_CONFIG = "database.password";
    private static final String PASSWORD_DOC = "Password of the user.";
    public static final String SSLMODE_CONFIG = "database.sslmode";
    private static final String SSLMODE_DOC = "The JDBC driver's sslmode: disable, allow, prefer, require, verify-ca, verify-full.";

    public static final String SLOT_NAME_CONFIG = "slot.name";
    private static final String SLOT_NAME_DOC = "Name of the logical replication slot (pgoutput). Created if absent. One "
            + "slot is one ordered stream of the database's changes; two connectors must not share one.";
    public static final String PUBLICATION_NAME_CONFIG = "publication.name";
    private static final String PUBLICATION_NAME_DOC = "Name of the publication that selects the tables the slot sends.";
    public static final String PUBLICATION_AUTOCREATE_MODE_CONFIG = "publication.autocreate.mode";
    private static final String PUBLICATION_AUTOCREATE_MODE_DOC = "What to do when the publication does not exist: "
            + "'all_tables' creates it FOR ALL TABLES (needs superuser); 'filtered' creates it for the tables that "
            + "table.include.list and table.exclude.list select; 'disabled' fails, naming the publication to create. "
            + "An existing publication is used as it is.";
    public static final String STATUS_INTERVAL_CONFIG = "status.update.interval.ms";
    private static final String STATUS_INTERVAL_DOC = "How often the connector sends a standby status update (the LSN "
            + "Kafka has durably) to the server, which lets it recycle WAL.";
    public static final String HEARTBEAT_INTERVAL_CONFIG = "heartbeat.interval.ms";
    private static final String HEARTBEAT_INTERVAL_DOC = "How often, on a database with no captured changes, the slot is "
            + "advanced to the latest position the server reported, so that an idle slot does not hold WAL. 0 turns it off.";
    public static final String HEARTBEAT_EMIT_MESSAGE_CONFIG = "heartbeat.emit.message";
    private static final String HEARTBEAT_EMIT_MESSAGE_DOC = "Also write a non-transactional pg_logical_emit_message on "
            + "each heartbeat of an idle stream. Only needed when the server itself writes no WAL at all for long "
            + "periods; it writes to the WAL, never to a table.";

    public static final String TABLE_INCLUDE_LIST_CONFIG = "table.include.list";
    private static final String TABLE_INCLUDE_LIST_DOC = "Comma-separated regular expressions matched against "
            + "'schema.table'; only matching tables are captured. Empty: every table of the publication.";
    public static final String TABLE_EXCLUDE_LIST_CONFIG = "table.exclude.list";
    private static final String TABLE_EXCLUDE_LIST_DOC = "Comma-separated regular expressions matched against "
            + "'schema.table'; matching tables are not captured.";
    public static final String TOPIC_PREFIX_CONFIG = "topic.prefix";
    private static final String TOPIC_PREFIX_DOC = "Logical name of the database server: the prefix of every topic "
            + "('<prefix>.<schema>.<table>'), the source.name of every event and the key of the connector's offsets. "
            + "Changing it starts over.";
    public static final String DECIMAL_HANDLING_MODE_CONFIG = "decimal.handling.mode";
    private static final String DECIMAL_HANDLING_MODE_DOC = "How numeric columns are represented: 'precise' (Connect "
            + "Decimal, exact; unconstrained numeric as a scale/value struct), 'double' (may lose precision) or "
            + "'string'.";
    public static final String INTERVAL_HANDLING_MODE_CONFIG = "interval.handling.mode";
    private static final String INTERVAL_HANDLING_MODE_DOC = "How interval columns are represented: 'numeric' "
            + "(microseconds, a month counted as 30.4375 days) or 'string' (ISO-8601, exact).";
    public static final String TOMBSTONES_ON_DELETE_CONFIG = "tombstones.on.delete";
    private static final String TOMBSTONES_ON_DELETE_DOC = "Follow each delete with a tombstone (the key with a null "
            + "value), so that log compaction removes the key.";

    public static final String SNAPSHOT_MODE_CONFIG = "snapshot.mode";
    private static final String SNAPSHOT_MODE_DOC = "'initial': snapshot the tables when there is no stored offset, "
            + "then stream; 'initial_only': snapshot, then stop capturing; 'never': only stream, from the slot's "
            + "position; 'when_needed': like initial, and snapshot again when the stored position is no longer in the "
            + "slot (the slot was dropped).";
    public static final String SNAPSHOT_FETCH_SIZE_CONFIG = "snapshot.fetch.size";
    private static final String SNAPSHOT_FETCH_SIZE_DOC = "Rows read from the server per round trip during a snapshot; "
            + "also the number of snapshot rows per Kafka transaction.";

    public static final String MAX_BATCH_SIZE_CONFIG = "max.batch.size";
    private static final String MAX_BATCH_SIZE_DOC = "Most records one poll returns.";
    public static final String MAX_QUEUE_SIZE_CONFIG = "max.queue.size";
    private static final String MAX_QUEUE_SIZE_DOC = "Most records held between the replication stream and Kafka; "
            + "when full, reading the stream waits.";
    public static final String MAX_QUEUE_SIZE_BYTES_CONFIG = "max.queue.size.bytes";
    private static final String MAX_QUEUE_SIZE_BYTES_DOC = "Most bytes (estimated) held between the replication stream "
            + "and Kafka; when reached, reading the stream waits.";
    public static final String POLL_INTERVAL_CONFIG = "poll.interval.ms";
    private static final String POLL_INTERVAL_DOC = "Longest a poll waits for records before it returns none.";
    public static final String RETRY_BACKOFF_CONFIG = "retriable.restart.wait.ms";
    private static final String RETRY_BACKOFF_DOC = "Wait before reconnecting after the connection to PostgreSQL was lost.";
    public static final String RETRY_MAX_ATTEMPTS_CONFIG = "retriable.restart.max.attempts";
    private static final String RETRY_MAX_ATTEMPTS_DOC = "Reconnects in a row before the task fails; -1: no limit.";

    public static final String TRANSACTION_GROUPING_CONFIG = "transaction.grouping";
    private static final String TRANSACTION_GROUPING_DOC = "What one Kafka transaction carries when the worker lets "
            + "the connector define transaction boundaries (exactly.once.source.support=enabled, "
            + "transaction.boundary=connector). 'none': exactly one PostgreSQL transaction (1:1; each costs a Kafka "
            + "transaction commit, a few milliseconds, which caps streaming at a few hundred transactions a second). "
            + "'drain': one or more whole PostgreSQL transactions, consecutive ones that are already decoded and in the "
            + "same poll when one ends, up to transaction.group.max.records records; a read_committed consumer still "
            + "sees each database transaction whole or not at all, and a transaction alone in a poll (low change rates) "
            + "is committed at once. Under 'drain' the Kafka transaction boundaries no longer mark the database ones: "
            + "use source.txId for those. Snapshot chunks count as units like transactions.";
    public static final String TRANSACTION_GROUP_MAX_RECORDS_CONFIG = "transaction.group.max.records";
    private static final String TRANSACTION_GROUP_MAX_RECORDS_DOC = "Under transaction.grouping=drain, most records "
            + "of one Kafka transaction that carries several database transactions; a next transaction that would "
            + "exceed it starts a new Kafka transaction. A single database transaction larger than this is never split: "
            + "it is one Kafka transaction of its own. Groups are also bounded by max.batch.size, since a group is made "
            + "only of records that one poll already holds (hence no time bound is needed: a group never waits).";

    /** Snapshot modes. */
    public static final String SCHEMA_REGISTRY_URL_CONFIG = "schema.registry.url";
    private static final String SCHEMA_REGISTRY_URL_DOC = "Schema registry (Confluent REST API) that the value "
            + "converter registers to: before the first record of a new table schema (a table seen for the first time in "
            + "a session, or changed by ALTER TABLE), the connector asks it whether the schema is compatible with the "
            + "latest version of the subject '<topic>-value' (TopicNameStrategy), under the subject's compatibility level. "
            + "Usually the same URL as value.converter.schema.registry.url, which a connector cannot see. The registry "
            + "client's other settings (basic.auth.user.info, basic.auth.credentials.source, schema.registry.ssl.*) are "
            + "read from the connector configuration too. Empty: no check (logged once at start).";
    public static final String SCHEMA_CHANGE_POLICY_CONFIG = "schema.change.policy";
    private static final String SCHEMA_CHANGE_POLICY_DOC = "What an incompatible table schema does: 'fail' stops the "
            + "task with an error naming the table and the columns (nothing of the new schema is sent; fix the table or "
            + "the subject, then restart the task); 'new_subject' sends the table's events from then on to the topic "
            + "'<topic>-v<N>' (subject '<topic>-v<N>-value'), N being the first of 2, 3, ... whose subject accepts the "
            + "schema, so that consumers of the old topic keep reading a schema they know.";

    enum SnapshotMode { INITIAL, INITIAL_ONLY, NEVER, WHEN_NEEDED }

    /** Publication auto-creation modes. */
    enum PublicationMode { ALL_TABLES, FILTERED, DISABLED }

    static final ConfigDef CONFIG_DEF = configDef();

    PostgresCdcSourceConfig(Map<?, ?> props) {
        super(CONFIG_DEF, props);
    }

    public static ConfigDef configDef() {
        ConfigDef def = new ConfigDef();
        int o = 0;
        def.define(HOSTNAME_CONFIG, Type.STRING, ConfigDef.NO_DEFAULT_VALUE, new ConfigDef.NonEmptyStringWithoutControlChars(),
                        Importance.HIGH, HOSTNAME_DOC, GROUP_DATABASE, ++o, Width.MEDIUM, "Host")
                .define(PORT_CONFIG, Type.INT, 5432, ConfigDef.Range.between(1, 65535), Importance.HIGH, PORT_DOC,
                        GROUP_DATABASE, ++o, Width.SHORT, "Port")
                .define(DBNAME_CONFIG, Type.STRING, ConfigDef.NO_DEFAULT_VALUE, new ConfigDef.NonEmptyStringWithoutControlChars(),
                        Importance.HIGH, DBNAME_DOC, GROUP_DATABASE, ++o, Width.MEDIUM, "Database")
                .define(USER_CONFIG, Type.STRING, ConfigDef.NO_DEFAULT_VALUE, new ConfigDef.NonEmptyStringWithoutControlChars(),
                        Importance.HIGH, USER_DOC, GROUP_DATABASE, ++o, Width.MEDIUM, "User")
                .define(PASSWORD_CONFIG, Type.PASSWORD, null, Importance.HIGH, PASSWORD_DOC, GROUP_DATABASE, ++o,
                        Width.MEDIUM, "Password")
                .define(SSLMODE_CONFIG, Type.STRING, "prefer", caseInsensitiveOneOf("disable", "allow", "prefer", "require",
                        "verify-ca", "verify-full"), Importance.MEDIUM, SSLMODE_DOC, GROUP_DATABASE, ++o, Width.SHORT, "SSL mode");
        o = 0;
        def.define(SLOT_NAME_CONFIG, Type.STRING, "kaveri", new SqlName("replication slot names", "[a-z0-9_]{1,63}"),
                        Importance.HIGH, SLOT_NAME_DOC, GROUP_REPLICATION, ++o, Width.MEDIUM, "Slot")
                .define(PUBLICATION_NAME_CONFIG, Type.STRING, "kaveri_publication",
                        new SqlName("publication names", "[A-Za-z_][A-Za-z0-9_$]{0,62}"), Importance.HIGH,
                        PUBLICATION_NAME_DOC, GROUP_REPLICATION, ++o, Width.MEDIUM, "Publication")
                .define(PUBLICATION_AUTOCREATE_MODE_CONFIG, Type.STRING, "all_tables", enumValidator(PublicationMode.class),
                        Importance.MEDIUM, PUBLICATION_AUTOCREATE_MODE_DOC, GROUP_REPLICATION, ++o, Width.SHORT,
                        "Publication auto-create")
                .define(STATUS_INTERVAL_CONFIG, Type.INT, 10_000, ConfigDef.Range.between(100, 3_600_000), Importance.LOW,
                        STATUS_INTERVAL_DOC, GROUP_REPLICATION, ++o, Width.SHORT, "Status interval")
                .define(HEARTBEAT_INTERVAL_CONFIG, Type.INT, 10_000, ConfigDef.Range.between(0, 3_600_000), Importance.MEDIUM,
                        HEARTBEAT_INTERVAL_DOC, GROUP_REPLICATION, ++o, Width.SHORT, "Heartbeat interval")
                .define(HEARTBEAT_EMIT_MESSAGE_CONFIG, Type.BOOLEAN, false, Importance.LOW, HEARTBEAT_EMIT_MESSAGE_DOC,
                        GROUP_REPLICATION, ++o, Width.SHORT, "Heartbeat message");
        o = 0;
        def.define(TOPIC_PREFIX_CONFIG, Type.STRING, ConfigDef.NO_DEFAULT_VALUE, new TopicPrefix(), Importance.HIGH,
                        TOPIC_PREFIX_DOC, GROUP_EVENTS, ++o, Width.MEDIUM, "Topic prefix")
                .define(TABLE_INCLUDE_LIST_CONFIG, Type.LIST, "", new RegexList(), Importance.HIGH, TABLE_INCLUDE_LIST_DOC,
                        GROUP_EVENTS, ++o, Width.LONG, "Tables to include")
                .define(TABLE_EXCLUDE_LIST_CONFIG, Type.LIST, "", new RegexList(), Importance.MEDIUM, TABLE_EXCLUDE_LIST_DOC,
                        GROUP_EVENTS, ++o, Width.LONG, "Tables to exclude")
                .define(DECIMAL_HANDLING_MODE_CONFIG, Type.STRING, "precise", enumValidator(TypeMapper.DecimalMode.class),
                        Importance.MEDIUM, DECIMAL_HANDLING_MODE_DOC, GROUP_EVENTS, ++o, Width.SHORT, "Decimal handling")
                .define(INTERVAL_HANDLING_MODE_CONFIG, Type.STRING, "numeric", enumValidator(TypeMapper.IntervalMode.class),
                        Importance.LOW, INTERVAL_HANDLING_MODE_DOC, GROUP_EVENTS, ++o, Width.SHORT, "Interval handling")
                .define(TOMBSTONES_ON_DELETE_CONFIG, Type.BOOLEAN, true, Importance.MEDIUM, TOMBSTONES_ON_DELETE_DOC,
                        GROUP_EVENTS, ++o, Width.SHORT, "Tombstones");
        o = 0;
        def.define(SNAPSHOT_MODE_CONFIG, Type.STRING, "initial", enumValidator(SnapshotMode.class), Importance.HIGH,
                        SNAPSHOT_MODE_DOC, GROUP_SNAPSHOT, ++o, Width.SHORT, "Snapshot mode")
                .define(SNAPSHOT_FETCH_SIZE_CONFIG, Type.INT, 10_240, ConfigDef.Range.between(1, 1_000_000), Importance.LOW,
                        SNAPSHOT_FETCH_SIZE_DOC, GROUP_SNAPSHOT, ++o, Width.SHORT, "Snapshot fetch size");
        o = 0;
        def.define(MAX_BATCH_SIZE_CONFIG, Type.INT, 2048, ConfigDef.Range.between(1, 1_000_000), Importance.LOW,
                        MAX_BATCH_SIZE_DOC, GROUP_RUNTIME, ++o, Width.SHORT, "Batch size")
                .define(MAX_QUEUE_SIZE_CONFIG, Type.INT, 8192, ConfigDef.Range.between(1, 10_000_000), Importance.LOW,
                        MAX_QUEUE_SIZE_DOC, GROUP_RUNTIME, ++o, Width.SHORT, "Queue size")
                .define(MAX_QUEUE_SIZE_BYTES_CONFIG, Type.LONG, 64L * 1024 * 1024, ConfigDef.Range.atLeast(1024),
                        Importance.LOW, MAX_QUEUE_SIZE_BYTES_DOC, GROUP_RUNTIME, ++o, Width.SHORT, "Queue bytes")
                .define(POLL_INTERVAL_CONFIG, Type.INT, 500, ConfigDef.Range.between(1, 60_000), Importance.LOW,
                        POLL_INTERVAL_DOC, GROUP_RUNTIME, ++o, Width.SHORT, "Poll interval")
                .define(RETRY_BACKOFF_CONFIG, Type.INT, 5_000, ConfigDef.Range.between(0, 600_000), Importance.LOW,
                        RETRY_BACKOFF_DOC, GROUP_RUNTIME, ++o, Width.SHORT, "Reconnect wait")
                .define(RETRY_MAX_ATTEMPTS_CONFIG, Type.INT, 60, ConfigDef.Range.atLeast(-1), Importance.LOW,
                        RETRY_MAX_ATTEMPTS_DOC, GROUP_RUNTIME, ++o, Width.SHORT, "Reconnect attempts");
        o = 0;
        def.define(TRANSACTION_GROUPING_CONFIG, Type.STRING, "drain", enumValidator(TransactionGroups.Grouping.class),
                        Importance.MEDIUM, TRANSACTION_GROUPING_DOC, GROUP_TRANSACTIONS, ++o, Width.SHORT,
                        "Transaction grouping")
                .define(TRANSACTION_GROUP_MAX_RECORDS_CONFIG, Type.INT, 2048, ConfigDef.Range.between(1, 1_000_000),
                        Importance.LOW, TRANSACTION_GROUP_MAX_RECORDS_DOC, GROUP_TRANSACTIONS, ++o, Width.SHORT,
                        "Records per transaction group");
        o = 0;
        def.define(SCHEMA_REGISTRY_URL_CONFIG, Type.STRING, "", new RegistryUrl(), Importance.MEDIUM,
                        SCHEMA_REGISTRY_URL_DOC, GROUP_SCHEMA_CHANGES, ++o, Width.LONG, "Schema registry URL")
                .define(SCHEMA_CHANGE_POLICY_CONFIG, Type.STRING, "fail", enumValidator(SchemaChangeGate.Policy.class),
                        Importance.MEDIUM, SCHEMA_CHANGE_POLICY_DOC, GROUP_SCHEMA_CHANGES, ++o, Width.SHORT,
                        "Schema change policy");
        return def;
    }

    String hostname() {
        return getString(HOSTNAME_CONFIG);
    }

    int port() {
        return getInt(PORT_CONFIG);
    }

    String database() {
        return getString(DBNAME_CONFIG);
    }

    String user() {
        return getString(USER_CONFIG);
    }

    String password() {
        Password p = getPassword(PASSWORD_CONFIG);
        return p == null ? null : p.value();
    }

    String slotName() {
        return getString(SLOT_NAME_CONFIG);
    }

    String publicationName() {
        return getString(PUBLICATION_NAME_CONFIG);
    }

    PublicationMode publicationMode() {
        return enumValue(PublicationMode.class, PUBLICATION_AUTOCREATE_MODE_CONFIG);
    }

    String topicPrefix() {
        return getString(TOPIC_PREFIX_CONFIG);
    }

    TableFilter tableFilter() {
        return new TableFilter(getList(TABLE_INCLUDE_LIST_CONFIG), getList(TABLE_EXCLUDE_LIST_CONFIG));
    }

    TypeMapper.DecimalMode decimalMode() {
        return enumValue(TypeMapper.DecimalMode.class, DECIMAL_HANDLING_MODE_CONFIG);
    }

    TypeMapper.IntervalMode intervalMode() {
        return enumValue(TypeMapper.IntervalMode.class, INTERVAL_HANDLING_MODE_CONFIG);
    }

    boolean tombstonesOnDelete() {
        return getBoolean(TOMBSTONES_ON_DELETE_CONFIG);
    }

    SnapshotMode snapshotMode() {
        return enumValue(SnapshotMode.class, SNAPSHOT_MODE_CONFIG);
    }

    int snapshotFetchSize() {
        return getInt(SNAPSHOT_FETCH_SIZE_CONFIG);
    }

    int maxBatchSize() {
        return getInt(MAX_BATCH_SIZE_CONFIG);
    }

    int maxQueueSize() {
        return getInt(MAX_QUEUE_SIZE_CONFIG);
    }

    long maxQueueBytes() {
        return getLong(MAX_QUEUE_SIZE_BYTES_CONFIG);
    }

    int pollIntervalMs() {
        return getInt(POLL_INTERVAL_CONFIG);
    }

    int statusIntervalMs() {
        return getInt(STATUS_INTERVAL_CONFIG);
    }

    int heartbeatIntervalMs() {
        return getInt(HEARTBEAT_INTERVAL_CONFIG);
    }

    boolean heartbeatEmitMessage() {
        return getBoolean(HEARTBEAT_EMIT_MESSAGE_CONFIG);
    }

    int retryBackoffMs() {
        return getInt(RETRY_BACKOFF_CONFIG);
    }

    int retryMaxAttempts() {
        return getInt(RETRY_MAX_ATTEMPTS_CONFIG);
    }

    /** Empty when the schema change check is off. */
    String schemaRegistryUrl() {
        return getString(SCHEMA_REGISTRY_URL_CONFIG).trim();
    }

    SchemaChangeGate.Policy schemaChangePolicy() {
        return enumValue(SchemaChangeGate.Policy.class, SCHEMA_CHANGE_POLICY_CONFIG);
    }

    /** Where {@code poll()} ends Kafka transactions, from the grouping settings. */
    TransactionGroups transactionGroups() {
        return new TransactionGroups(enumValue(TransactionGroups.Grouping.class, TRANSACTION_GROUPING_CONFIG),
                getInt(TRANSACTION_GROUP_MAX_RECORDS_CONFIG));
    }

    /** The gate for table schemas, with a registry client made from this configuration (its keys as Confluent's). */
    SchemaChangeGate schemaChangeGate() {
        String url = schemaRegistryUrl();
        SchemaRegistryClient client = url.isEmpty() ? null : SchemaRegistryClients.create(originals());
        return new SchemaChangeGate(client, url, schemaChangePolicy());
    }

    String jdbcUrl() {
        return "jdbc:postgresql://" + hostname() + ":" + port() + "/" + database();
    }

    /** Connection properties; {@code replication} makes it a walsender connection for the replication protocol. */
    Properties jdbcProperties(boolean replication) {
        Properties p = new Properties();
        p.setProperty("user", user());
        if (password() != null) {
            p.setProperty("password", password());
        }
        p.setProperty("sslmode", getString(SSLMODE_CONFIG).toLowerCase(Locale.ROOT));
        p.setProperty("ApplicationName", "kaveri-postgres-cdc-" + topicPrefix());
        // Text output formats the type mapper reads, whatever the server's or role's defaults are.
        p.setProperty("options", "-c IntervalStyle=postgres -c bytea_output=hex -c extra_float_digits=3");
        p.setProperty("binaryTransfer", "false");
        p.setProperty("tcpKeepAlive", "true");
        if (replication) {
            p.setProperty("replication", "database");
            p.setProperty("preferQueryMode", "simple");
            p.setProperty("assumeMinServerVersion", "14");
        }
        return p;
    }

    private <E extends Enum<E>> E enumValue(Class<E> type, String key) {
        return Enum.valueOf(type, getString(key).toUpperCase(Locale.ROOT));
    }

    static <E extends Enum<E>> ConfigDef.Validator enumValidator(Class<E> type) {
        String[] names = java.util.Arrays.stream(type.getEnumConstants()).map(e -> e.name().toLowerCase(Locale.ROOT))
                .toArray(String[]::new);
        return caseInsensitiveOneOf(names);
    }

    private static ConfigDef.Validator caseInsensitiveOneOf(String... values) {
        return new OneOf(List.of(values));
    }

    /** One of a fixed list of words, any case; lists them in order in errors and in the reference. */
    static final class OneOf implements ConfigDef.Validator {
        private final List<String> allowed;

        OneOf(List<String> allowed) {
            this.allowed = List.copyOf(allowed);
        }

        @Override
        public void ensureValid(String name, Object value) {
            if (value == null || allowed.stream().noneMatch(a -> a.equalsIgnoreCase((String) value))) {
                throw new ConfigException(name, value, "must be one of " + this);
            }
        }

        @Override
        public String toString() {
            return String.join(", ", allowed);
        }
    }

    /** A PostgreSQL object name the connector creates and quotes nowhere: a strict pattern keeps it safe in SQL. */
    static final class SqlName implements ConfigDef.Validator {
        private final String what;
        private final Pattern pattern;

        SqlName(String what, String regex) {
            this.what = what;
            this.pattern = Pattern.compile(regex);
        }

        @Override
        public void ensureValid(String name, Object value) {
            if (value == null || !pattern.matcher((String) value).matches()) {
                throw new ConfigException(name, value, what + " must match " + pattern.pattern());
            }
        }

        @Override
        public String toString() {
            return pattern.pattern();
        }
    }

    /** Topic names allow letters, digits, '.', '_' and '-' (Kafka's rule), at most 249 with the table name after. */
    static final class TopicPrefix implements ConfigDef.Validator {
        private static final Pattern LEGAL = Pattern.compile("[a-zA-Z0-9._-]{1,200}");

        @Override
        public void ensureValid(String name, Object value) {
            if (value == null || !LEGAL.matcher((String) value).matches()) {
                throw new ConfigException(name, value, "a topic prefix is 1 to 200 of the characters a-z A-Z 0-9 . _ -");
            }
        }

        @Override
        public String toString() {
            return LEGAL.pattern();
        }
    }

    /** Empty, or comma-separated http(s) or mock:// URLs, as the registry client takes them. */
    static final class RegistryUrl implements ConfigDef.Validator {
        private static final Pattern URL = Pattern.compile("(https?|mock)://\\S+");

        @Override
        public void ensureValid(String name, Object value) {
            String text = value == null ? "" : ((String) value).trim();
            if (text.isEmpty()) {
                return;
            }
            for (String url : text.split(",")) {
                if (!URL.matcher(url.trim()).matches()) {
                    throw new ConfigException(name, value, "each URL must start with http://, https:// or mock://");
                }
            }
        }

        @Override
        public String toString() {
            return "empty, or comma-separated http(s):// or mock:// URLs";
        }
    }

    /** Each entry must compile as a Java regular expression. */
    static final class RegexList implements ConfigDef.Validator {
        @Override
        public void ensureValid(String name, Object value) {
            @SuppressWarnings("unchecked")
            List<String> patterns = (List<String>) value;
            for (String p : patterns) {
                try {
                    Pattern.compile(p);
                } catch (PatternSyntaxException e) {
                    throw new ConfigException(name, p, "not a regular expression: " + e.getDescription());
                }
            }
        }

        @Override
        public String toString() {
            return "comma-separated regular expressions";
        }
    }
}
