package io.kaveri.connect.postgres;

import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PostgresCdcSourceConfigTest {

    private static PostgresCdcSourceConfig config(String... overrides) {
        Map<String, String> props = new HashMap<>(Fixtures.minimalConfig());
        for (int i = 0; i < overrides.length; i += 2) {
            props.put(overrides[i], overrides[i + 1]);
        }
        return new PostgresCdcSourceConfig(props);
    }

    @Test
    void defaults() {
        PostgresCdcSourceConfig c = config();
        assertThat(c.port()).isEqualTo(5432);
        assertThat(c.slotName()).isEqualTo("kaveri");
        assertThat(c.publicationName()).isEqualTo("kaveri_publication");
        assertThat(c.snapshotMode()).isEqualTo(PostgresCdcSourceConfig.SnapshotMode.INITIAL);
        assertThat(c.decimalMode()).isEqualTo(TypeMapper.DecimalMode.PRECISE);
        assertThat(c.tombstonesOnDelete()).isTrue();
        assertThat(c.password()).isNull();
        assertThat(c.jdbcUrl()).isEqualTo("jdbc:postgresql://db.example:5432/shopdb");
        assertThat(c.jdbcProperties(true)).containsEntry("replication", "database").containsEntry("user", "cdc");
        assertThat(c.jdbcProperties(false)).doesNotContainKey("replication");
    }

    @Test
    void enumsAreCaseInsensitive() {
        assertThat(config("snapshot.mode", "WHEN_NEEDED").snapshotMode()).isEqualTo(PostgresCdcSourceConfig.SnapshotMode.WHEN_NEEDED);
        assertThat(config("decimal.handling.mode", "String").decimalMode()).isEqualTo(TypeMapper.DecimalMode.STRING);
        assertThat(config("publication.autocreate.mode", "filtered").publicationMode())
                .isEqualTo(PostgresCdcSourceConfig.PublicationMode.FILTERED);
    }

    @Test
    void transactionGroupingDrainsByDefaultAndNoneKeepsOneKafkaTransactionPerDatabaseTransaction() {
        List<Emission> twoTransactions = List.of(
                new Emission(new org.apache.kafka.connect.source.SourceRecord(Map.of(), Map.of(), "t", null, 1), true, null, 1),
                new Emission(new org.apache.kafka.connect.source.SourceRecord(Map.of(), Map.of(), "t", null, 2), true, null, 1));
        TransactionGroups drain = config().transactionGroups();
        drain.hand(twoTransactions, null);
        assertThat(drain.commits()).isEqualTo(1);
        TransactionGroups strict = config("transaction.grouping", "NONE").transactionGroups();
        strict.hand(twoTransactions, null);
        assertThat(strict.commits()).isEqualTo(2);
        TransactionGroups small = config("transaction.group.max.records", "1").transactionGroups();
        small.hand(twoTransactions, null);
        assertThat(small.commits()).isEqualTo(2);
    }

    @Test
    void badValuesAreRejectedNamingTheKey() {
        assertBad("snapshot.mode", "sometimes", "initial, initial_only, never, when_needed");
        assertBad("decimal.handling.mode", "float", "precise, double, string");
        assertBad("slot.name", "My-Slot", "[a-z0-9_]{1,63}");
        assertBad("slot.name", "a".repeat(64), "[a-z0-9_]{1,63}");
        assertBad("publication.name", "pub; drop table x", "publication names");
        assertBad("topic.prefix", "has space", "topic prefix");
        assertBad("table.include.list", "public.(users", "not a regular expression");
        assertBad("database.port", "0", "database.port");
        assertBad("max.queue.size.bytes", "10", "max.queue.size.bytes");
        assertBad("transaction.grouping", "sometimes", "none, drain");
        assertBad("transaction.group.max.records", "0", "transaction.group.max.records");
    }

    @Test
    void requiredKeysAreRequired() {
        Map<String, String> props = new HashMap<>(Fixtures.minimalConfig());
        props.remove(PostgresCdcSourceConfig.TOPIC_PREFIX_CONFIG);
        assertThatThrownBy(() -> new PostgresCdcSourceConfig(props)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("topic.prefix");
    }

    @Test
    void tableFilterMatchesSchemaDotTable() {
        TableFilter f = config("table.include.list", "shop\\..*, public.users", "table.exclude.list", "shop\\.audit").tableFilter();
        assertThat(f.test(new TableId("shop", "orders"))).isTrue();
        assertThat(f.test(new TableId("public", "users"))).isTrue();
        assertThat(f.test(new TableId("shop", "audit"))).isFalse();
        assertThat(f.test(new TableId("public", "users2"))).isFalse();
        assertThat(config().tableFilter().test(new TableId("any", "table"))).isTrue();
        assertThat(config().tableFilter().hasIncludes()).isFalse();
    }

    @Test
    void passwordIsASecret() {
        PostgresCdcSourceConfig c = config("database.password", "s3cret");
        assertThat(c.password()).isEqualTo("s3cret");
        assertThat(c.toString()).doesNotContain("s3cret");
        assertThat(PostgresCdcSourceConfig.CONFIG_DEF.configKeys().get("database.password").type)
                .isEqualTo(org.apache.kafka.common.config.ConfigDef.Type.PASSWORD);
    }

    private static void assertBad(String key, String value, String messagePart) {
        assertThatThrownBy(() -> config(key, value)).as(key + "=" + value).isInstanceOf(ConfigException.class)
                .hasMessageContaining(key).hasMessageContaining(messagePart);
    }

    @Test
    void validatorsHaveReadableDescriptions() {
        assertThat(List.of(new PostgresCdcSourceConfig.TopicPrefix().toString(), new PostgresCdcSourceConfig.RegexList().toString()))
                .allSatisfy(s -> assertThat(s).isNotBlank().doesNotContain("@"));
    }
}
