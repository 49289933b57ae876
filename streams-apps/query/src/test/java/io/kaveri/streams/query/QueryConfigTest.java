package io.kaveri.streams.query;

import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class QueryConfigTest {

    @Test
    void defaultsServeOnTheDocumentedPort() {
        QueryConfig c = new QueryConfig(Map.of());
        assertThat(c.port()).isEqualTo(7070);
        assertThat(c.advertisedHost()).isEqualTo("localhost");
    }

    @Test
    void badValuesNameTheirKey() {
        assertThatThrownBy(() -> new QueryConfig(Map.of(QueryConfig.LISTENER_PORT_CONFIG, "70000")))
                .isInstanceOf(ConfigException.class).hasMessageContaining(QueryConfig.LISTENER_PORT_CONFIG);
        assertThatThrownBy(() -> new QueryConfig(Map.of(QueryConfig.ADVERTISED_HOST_CONFIG, "host:7070")))
                .isInstanceOf(ConfigException.class).hasMessageContaining(QueryConfig.ADVERTISED_HOST_CONFIG)
                .hasMessageContaining("without port");
        assertThatThrownBy(() -> new QueryConfig(Map.of(QueryConfig.SSE_CLIENT_QUEUE_CONFIG, "0")))
                .isInstanceOf(ConfigException.class).hasMessageContaining(QueryConfig.SSE_CLIENT_QUEUE_CONFIG);
    }

    @Test
    void everyKeyIsDocumented() {
        QueryConfig.configDef().configKeys().values().forEach(k ->
                assertThat(k.documentation).as(k.name).isNotBlank());
    }
}
