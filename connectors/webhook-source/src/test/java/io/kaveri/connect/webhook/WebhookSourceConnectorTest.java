package io.kaveri.connect.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.apache.kafka.common.config.ConfigValue;
import org.apache.kafka.connect.errors.ConnectException;
import org.junit.jupiter.api.Test;

class WebhookSourceConnectorTest {

    private static final Map<String, String> BASE = Map.of(
            "routes", "github,stripe,clicks",
            "route.github.topic", "gh",
            "route.github.signature.scheme", "github",
            "route.github.secret", "s1",
            "route.stripe.topic", "payments",
            "route.stripe.signature.scheme", "stripe",
            "route.stripe.secret", "whsec_a,whsec_b",
            "route.clicks.topic", "clicks",
            "route.clicks.content", "ndjson");

    private static Map<String, String> props(String... keyValues) {
        return TaskHarness.with(BASE, keyValues);
    }

    /** Error messages by key, only for keys that have errors. */
    private static Map<String, List<String>> errors(Map<String, String> props) {
        return new WebhookSourceConnector().validate(props).configValues().stream()
                .filter(v -> !v.errorMessages().isEmpty())
                .collect(Collectors.toMap(ConfigValue::name, ConfigValue::errorMessages));
    }

    @Test
    void taskConfigsSplitRoutesAndNeverExceedTheirNumber() {
        WebhookSourceConnector connector = new WebhookSourceConnector();
        connector.start(props());
        List<Map<String, String>> two = connector.taskConfigs(2);
        assertThat(two).extracting(c -> c.get("task.routes")).containsExactly("github,stripe", "clicks");
        assertThat(two).extracting(c -> c.get("task.index")).containsExactly("0", "1");
        assertThat(connector.taskConfigs(10)).extracting(c -> c.get("task.routes")).containsExactly("github", "stripe", "clicks");
        assertThat(connector.taskConfigs(1)).singleElement().extracting(c -> c.get("task.routes")).isEqualTo("github,stripe,clicks");
    }

    @Test
    void validConfigurationHasNoErrors() {
        assertThat(errors(props())).isEmpty();
    }

    @Test
    void routeKeysAreValidatedUnderTheirFullName() {
        Map<String, List<String>> errors = errors(props("route.clicks.backpressure", "sometimes",
            "route.github.key.pointer", "no-slash", "route.stripe.signature.algorithm", "HmacMD17"));
        assertThat(errors).containsKeys("route.clicks.backpressure", "route.github.key.pointer",
            "route.stripe.signature.algorithm");
        assertThat(errors.get("route.github.key.pointer").get(0)).contains("JSON pointer");
    }

    @Test
    void missingTopicIsReportedOnTheRoutesKey() {
        Map<String, String> p = props();
        p.remove("route.clicks.topic");
        assertThat(errors(p)).containsKey("route.clicks.topic");
    }

    @Test
    void crossKeyProblemsNameTheKey() {
        Map<String, List<String>> errors = errors(props("route.github.secret", "",
            "route.stripe.path", "/github", "route.clicks.buffer.max.bytes", "10",
            "route.clicks.split.pointer", "/x"));
        assertThat(errors.get("route.github.secret")).singleElement().asString().contains("needs at least one secret");
        assertThat(errors.get("route.stripe.path")).singleElement().asString().contains("already used by route github");
        assertThat(errors.get("route.clicks.buffer.max.bytes")).singleElement().asString().contains("max.body.bytes");
        assertThat(errors.get("route.clicks.split.pointer")).singleElement().asString().contains("content=json");
    }

    @Test
    void badRouteNamesAndSchemesSpecificSecrets() {
        assertThat(errors(props("routes", "git hub"))).containsKey("routes");
        assertThat(errors(props("routes", "a,a", "route.a.topic", "t"))).containsKey("routes");
        assertThat(errors(props("routes", ""))).containsKey("routes");
        assertThat(errors(props("route.github.signature.scheme", "basic", "route.github.secret", "nocolon")))
                .containsKey("route.github.secret");
        assertThat(errors(props("route.github.signature.scheme", "standard-webhooks", "route.github.secret", "whsec_***")))
                .containsKey("route.github.secret");
        assertThat(errors(props("route.github.signature.scheme", "hmac"))).containsKey("route.github.signature.header");
    }

    @Test
    void idleTimeoutMustOutlastTheLongestWait() {
        assertThat(errors(props("ack.timeout.ms", "40000"))).containsKey("listener.idle.timeout.ms");
    }

    @Test
    void startFailsWithTheKeyInTheMessage() {
        assertThatThrownBy(() -> new WebhookSourceConnector().start(props("route.github.secret", "")))
                .isInstanceOf(ConnectException.class).hasMessageContaining("route.github.secret");
    }

    @Test
    void secretsNeverAppearInConfigToString() {
        WebhookSourceConfig config = new WebhookSourceConfig(props());
        assertThat(config.routes().get("stripe").toString()).doesNotContain("whsec_a");
        assertThat(config.toString()).doesNotContain("whsec_a").doesNotContain("s1,");
    }
}
