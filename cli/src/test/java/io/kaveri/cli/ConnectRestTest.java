package io.kaveri.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConnectRestTest {

    @Test
    void connectorNamesAreOnePathSegment() {
        assertThat(ConnectRest.encode("shop cdc/v1?x=1#a+b")).isEqualTo("shop%20cdc%2Fv1%3Fx%3D1%23a%2Bb");
    }

    @Test
    void theConnectKeysOfAClientFileLoseTheirPrefixAndTheOthersStay() {
        Map<String, String> file = Map.of("security.protocol", "SASL_SSL", "connect.basic.auth.user.info", "u:p",
                "connect.ssl.truststore.location", "/t.p12", "basic.auth.user.info", "registry:pw");
        assertThat(ConnectRest.settingsOf(file)).containsOnly(Map.entry("basic.auth.user.info", "u:p"),
                Map.entry("ssl.truststore.location", "/t.p12"));
    }

    @Test
    void anUnknownTlsSettingValueIsNamed() {
        assertThatThrownBy(() -> new ConnectRest("https://connect:8083", Map.of("ssl.truststore.type", "NOPE",
                "ssl.truststore.location", "/nowhere.p12")))
                .isInstanceOf(ConnectRest.ConnectRestException.class)
                .hasMessageContaining("https://connect:8083").hasMessageContaining("connect.ssl.truststore.location");
    }

    @Test
    void runningMeansTheConnectorAndEveryTaskRun() throws Exception {
        ObjectMapper json = new ObjectMapper();
        assertThat(ConnectRest.isRunning(json.readTree("""
                {"connector":{"state":"RUNNING"},"tasks":[{"id":0,"state":"RUNNING"}]}"""))).isTrue();
        assertThat(ConnectRest.isRunning(json.readTree("""
                {"connector":{"state":"RUNNING"},"tasks":[{"id":0,"state":"RUNNING"},{"id":1,"state":"UNASSIGNED"}]}"""))).isFalse();
        assertThat(ConnectRest.isRunning(json.readTree("""
                {"connector":{"state":"RUNNING"},"tasks":[]}"""))).isFalse();
    }
}
