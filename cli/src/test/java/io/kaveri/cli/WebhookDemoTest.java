package io.kaveri.cli;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class WebhookDemoTest {

    private static final WebhookTraffic.Secrets SECRETS = new WebhookTraffic.Secrets("tok", "whsec_s", "gh");

    private final Map<String, String> config = WebhookDemo.connectorConfig(18080, "http://127.0.0.1:9/apis/ccompat/v7", "", SECRETS, Map.of());

    @Test
    void everyRouteWritesToItsOwnWebhookTopicWithTheDeadLettersAside() {
        assertThat(config.get("routes").split(",")).containsExactlyElementsOf(WebhookDemo.ROUTES);
        for (String route : WebhookDemo.ROUTES) {
            assertThat(config).containsEntry("route." + route + ".topic", "webhook-" + route)
                    .containsEntry("route." + route + ".dead.letter.topic", "webhook-dead-letters");
        }
        assertThat(WebhookDemo.connectorConfig(1, "r", "run42-", SECRETS, Map.of())).containsEntry("route.github.topic", "run42-webhook-github");
        assertThat(config.keySet()).noneMatch(key -> key.endsWith(".value.contract"));
    }

    @Test
    void routesOfAnAppWriteItsContractIntoItsInputTopicAndTheProvidersKeepTheirEnvelopes() {
        Map<String, String> c = WebhookDemo.connectorConfig(1, "r", "run42-", SECRETS,
                Map.of("trades", "market-trades", "clicks", "kaveri.ads.clicks"));

        assertThat(c).containsEntry("route.trades.topic", "run42-market-trades")
                .containsEntry("route.trades.value.contract", "io.kaveri.schemas.market.Trade")
                .containsEntry("route.clicks.topic", "run42-kaveri.ads.clicks")
                .containsEntry("route.clicks.value.contract", "io.kaveri.schemas.ads.Click")
                .containsEntry("route.trades.dead.letter.topic", "run42-webhook-dead-letters")
                .containsEntry("route.scores.topic", "run42-webhook-scores")
                .containsEntry("route.payments.topic", "run42-webhook-payments")
                .doesNotContainKeys("route.scores.value.contract", "route.payments.value.contract", "route.github.value.contract");
    }

    @Test
    void everyAppFedRouteIsARouteOfTheDemo() {
        assertThat(WebhookDemo.ROUTES).containsAll(WebhookDemo.APP_INPUTS.keySet());
        assertThat(WebhookDemo.APP_INPUTS.keySet()).doesNotContain("payments", "github");
    }

    @Test
    void paymentsAreVerifiedAsStripeAndGithubAsGithubWithThisRunsSecrets() {
        assertThat(config).containsEntry("route.payments.signature.scheme", "stripe")
                .containsEntry("route.payments.secret", "whsec_s")
                .containsEntry("route.github.signature.scheme", "github")
                .containsEntry("route.github.secret", "gh")
                .containsEntry("route.tweets.signature.scheme", "bearer")
                .containsEntry("route.tweets.secret", "tok");
    }

    @Test
    void valuesAreAvroThroughTheStacksRegistryOnOneLoopbackPort() {
        assertThat(config).containsEntry("connector.class", "io.kaveri.connect.webhook.WebhookSourceConnector")
                .containsEntry("value.converter", "io.kaveri.schemas.connect.AvroConverter")
                .containsEntry("value.converter.schema.registry.url", "http://127.0.0.1:9/apis/ccompat/v7")
                .containsEntry("listener.host", "127.0.0.1")
                .containsEntry("listener.port", "18080")
                .containsEntry("tasks.max", "1");
    }

    @Test
    void everyConnectorKeyIsOneTheConnectorDocuments() throws Exception {
        Set<String> documented = DocumentedKeys.rst("connectors/webhook-source/docs/config.rst");
        assertThat(documented).contains("listener.port", "route.<name>.signature.scheme");
        Set<String> connectKeys = Set.of("connector.class", "tasks.max", "key.converter", "value.converter",
                "value.converter.schema.registry.url", "value.converter.enhanced.avro.schema.support");

        Map<String, String> everyRouteFeedsAnApp = new HashMap<>();
        WebhookDemo.APP_INPUTS.keySet().forEach(route -> everyRouteFeedsAnApp.put(route, route));
        for (String key : WebhookDemo.connectorConfig(1, "r", "", SECRETS, everyRouteFeedsAnApp).keySet()) {
            if (!connectKeys.contains(key)) {
                assertThat(documented).as("key %s", key).contains(DocumentedKeys.generic(key));
            }
        }
    }

    @Test
    void secretsAreNewForEachRunAndLongEnough() {
        WebhookTraffic.Secrets a = WebhookDemo.newSecrets(new Random(1));
        WebhookTraffic.Secrets b = WebhookDemo.newSecrets(new Random(2));

        assertThat(a).isNotEqualTo(b);
        assertThat(a.bearerToken()).hasSize(32);
        assertThat(a.stripe()).startsWith("whsec_").hasSize(6 + 48);
        assertThat(a.github()).hasSize(40);
    }
}
