package io.kaveri.cli;

import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PostgresCdcDemoTest {

    private static final PostgresCdcDemo.Database DB = new PostgresCdcDemo.Database("127.0.0.1", 15432, "kaveri", "kaveri", "pw");

    @Test
    void topicPrefixIsTheOneOfTheAppsCdcTopics() {
        assertThat(PostgresCdcDemo.topicPrefix(Optional.of("kaveri.public.users"), Optional.of("kaveri.public.follows")))
                .isEqualTo("kaveri");
        assertThat(PostgresCdcDemo.topicPrefix(Optional.empty(), Optional.of("shop.eu.public.follows"))).isEqualTo("shop.eu");
        assertThat(PostgresCdcDemo.topicPrefix(Optional.empty(), Optional.empty())).isEqualTo("kaveri");
    }

    @Test
    void appsThatDisagreeOrNameAnotherFormAreRefusedNamingTheSetting() {
        assertThatThrownBy(() -> PostgresCdcDemo.topicPrefix(Optional.of("a.public.users"), Optional.of("b.public.follows")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("enrichment.users.topic").hasMessageContaining("timeline.follows.topic");
        assertThatThrownBy(() -> PostgresCdcDemo.topicPrefix(Optional.of("users-cdc"), Optional.empty()))
                .hasMessageContaining("enrichment.users.topic is 'users-cdc'").hasMessageContaining("<prefix>.public.users");
    }

    @Test
    void connectorCapturesBothTablesExactlyOnceWithAvroKeysAndValues() {
        Map<String, String> c = PostgresCdcDemo.connectorConfig(DB, "kaveri", "kaveri_demo", "http://r/apis/ccompat/v7");

        assertThat(c).containsEntry("connector.class", "io.kaveri.connect.postgres.PostgresCdcSourceConnector")
                .containsEntry("topic.prefix", "kaveri")
                .containsEntry("database.hostname", "127.0.0.1")
                .containsEntry("database.port", "15432")
                .containsEntry("transaction.boundary", "connector")
                .containsEntry("exactly.once.support", "required")
                .containsEntry("key.converter", "io.kaveri.schemas.connect.AvroConverter")
                .containsEntry("value.converter.schema.registry.url", "http://r/apis/ccompat/v7")
                .containsEntry("slot.name", "kaveri_demo");
        assertThat("public.users").matches(c.get("table.include.list"));
        assertThat("public.follows").matches(c.get("table.include.list"));
        assertThat("public.accounts").doesNotMatch(c.get("table.include.list"));
        assertThat(PostgresCdcDemo.topic("kaveri", "users")).isEqualTo("kaveri.public.users");
    }

    @Test
    void everyConnectorKeyIsOneTheConnectorDocuments() throws Exception {
        Set<String> documented = DocumentedKeys.markdown("connectors/postgres-cdc-source/docs/config.md");
        assertThat(documented).contains("database.hostname", "slot.name");
        Set<String> connectKeys = Set.of("connector.class", "tasks.max", "transaction.boundary", "exactly.once.support",
                "key.converter", "key.converter.schema.registry.url", "value.converter", "value.converter.schema.registry.url");

        for (String key : PostgresCdcDemo.connectorConfig(DB, "kaveri", "s", "r").keySet()) {
            if (!connectKeys.contains(key)) {
                assertThat(documented).as("key %s", key).contains(key);
            }
        }
    }
}
