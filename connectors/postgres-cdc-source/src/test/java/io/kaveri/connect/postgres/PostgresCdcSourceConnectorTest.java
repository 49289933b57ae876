package io.kaveri.connect.postgres;

import org.apache.kafka.common.config.Config;
import org.apache.kafka.common.config.ConfigValue;
import org.apache.kafka.connect.source.ConnectorTransactionBoundaries;
import org.apache.kafka.connect.source.ExactlyOnceSupport;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class PostgresCdcSourceConnectorTest {

    private final PostgresCdcSourceConnector connector = new PostgresCdcSourceConnector();

    @Test
    void oneTaskWhateverTheMaximum() {
        connector.start(Fixtures.minimalConfig());
        List<Map<String, String>> tasks = connector.taskConfigs(8);
        assertThat(tasks).singleElement().satisfies(t -> {
            assertThat(t).containsAllEntriesOf(Fixtures.minimalConfig());
            assertThat(t).containsEntry(PostgresCdcSourceConnector.TASK_ID, "0");
        });
        assertThat(connector.taskClass()).isEqualTo(PostgresCdcSourceTask.class);
    }

    @Test
    void supportsExactlyOnceAndDefinesTransactionBoundaries() {
        assertThat(connector.exactlyOnceSupport(Fixtures.minimalConfig())).isEqualTo(ExactlyOnceSupport.SUPPORTED);
        assertThat(connector.canDefineTransactionBoundaries(Fixtures.minimalConfig()))
                .isEqualTo(ConnectorTransactionBoundaries.SUPPORTED);
    }

    @Test
    void validateReportsAnUnreachableDatabaseOnTheHostKey() throws IOException {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        Map<String, String> props = new HashMap<>(Fixtures.minimalConfig());
        props.put(PostgresCdcSourceConfig.HOSTNAME_CONFIG, "127.0.0.1");
        props.put(PostgresCdcSourceConfig.PORT_CONFIG, String.valueOf(closedPort));
        Config result = connector.validate(props);
        ConfigValue host = value(result, PostgresCdcSourceConfig.HOSTNAME_CONFIG);
        assertThat(host.errorMessages()).singleElement().asString().contains("cannot connect").contains(String.valueOf(closedPort));
    }

    @Test
    void validateReportsKeyErrorsWithoutTouchingTheDatabase() {
        Map<String, String> props = new HashMap<>(Fixtures.minimalConfig());
        props.put(PostgresCdcSourceConfig.SLOT_NAME_CONFIG, "Bad Slot");
        Config result = connector.validate(props);
        assertThat(value(result, PostgresCdcSourceConfig.SLOT_NAME_CONFIG).errorMessages()).isNotEmpty();
        // db.example is never resolved: the database checks run only on valid keys.
        assertThat(value(result, PostgresCdcSourceConfig.HOSTNAME_CONFIG).errorMessages()).isEmpty();
    }

    private static ConfigValue value(Config config, String name) {
        return config.configValues().stream().filter(v -> v.name().equals(name)).findFirst().orElseThrow();
    }
}
