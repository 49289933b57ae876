package io.kaveri.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kaveri.schemas.ads.Click;
import io.kaveri.schemas.ads.Impression;
import io.kaveri.schemas.games.Score;
import io.kaveri.schemas.market.Trade;
import io.kaveri.schemas.social.Tweet;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class WebhookTrafficTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final WebhookTraffic.Secrets SECRETS = new WebhookTraffic.Secrets("token-1", "whsec_abc", "gh-secret");
    private static final Instant NOW = Instant.parse("2026-01-02T03:04:05Z");

    private final WebhookTraffic traffic = new WebhookTraffic(SECRETS, new Random(1));

    @Test
    void everyRouteGetsOneDeliveryPerRound() {
        List<String> routes = new ArrayList<>();
        for (int i = 0; i < 2 * WebhookDemo.ROUTES.size(); i++) {
            routes.add(traffic.next(NOW).route());
        }

        assertThat(routes.subList(0, WebhookDemo.ROUTES.size())).containsExactlyElementsOf(WebhookDemo.ROUTES);
        assertThat(routes.subList(WebhookDemo.ROUTES.size(), routes.size())).containsExactlyElementsOf(WebhookDemo.ROUTES);
    }

    @Test
    void eventsHaveTheFieldsOfTheContractsTheAppsRead() throws Exception {
        for (int round = 0; round < 20; round++) {
            for (String route : WebhookDemo.ROUTES) {
                WebhookTraffic.Delivery d = traffic.next(NOW);
                switch (d.route()) {
                    case "tweets" -> assertFields(d, json(d), Tweet.getClassSchema());
                    case "impressions" -> assertFields(d, json(d), Impression.getClassSchema());
                    case "trades" -> assertFields(d, json(d), Trade.getClassSchema());
                    case "scores" -> assertFields(d, json(d), Score.getClassSchema());
                    case "clicks" -> {
                        List<String> lines = lines(d);
                        assertThat(lines).hasSizeBetween(1, 3);
                        for (String line : lines) {
                            assertFields(d, JSON.readTree(line), Click.getClassSchema());
                        }
                    }
                    default -> assertThat(json(d).isObject()).isTrue();
                }
            }
        }
    }

    @Test
    void clicksAreOnImpressionsShownBefore() throws Exception {
        Set<String> shown = new HashSet<>();
        int clicks = 0;
        for (int i = 0; i < 30 * WebhookDemo.ROUTES.size(); i++) {
            WebhookTraffic.Delivery d = traffic.next(NOW);
            if (d.route().equals("impressions")) {
                shown.add(json(d).get("impressionId").asText());
            } else if (d.route().equals("clicks")) {
                for (String line : lines(d)) {
                    JsonNode click = JSON.readTree(line);
                    assertThat(shown).as("impressions shown before click %s", line).contains(click.get("impressionId").asText());
                    clicks++;
                }
            }
        }
        assertThat(clicks).isGreaterThanOrEqualTo(30);
    }

    @Test
    void paymentsAreSignedLikeStripeAndGithubLikeGithub() throws Exception {
        int checked = 0;
        for (int i = 0; i < 3 * WebhookDemo.ROUTES.size(); i++) {
            WebhookTraffic.Delivery d = traffic.next(NOW);
            if (d.route().equals("payments")) {
                String expected = hex(hmac(SECRETS.stripe(), NOW.getEpochSecond() + "." + new String(d.body(), StandardCharsets.UTF_8)));
                assertThat(d.headers()).containsEntry("Stripe-Signature", "t=" + NOW.getEpochSecond() + ",v1=" + expected);
                JsonNode event = json(d);
                assertThat(event.get("id").asText()).startsWith("evt_");
                assertThat(event.at("/data/object/customer").asText()).startsWith("cus_");
                checked++;
            } else if (d.route().equals("github")) {
                String expected = hex(hmac(SECRETS.github(), new String(d.body(), StandardCharsets.UTF_8)));
                assertThat(d.headers()).containsEntry("X-Hub-Signature-256", "sha256=" + expected)
                        .containsKeys("X-GitHub-Event", "X-GitHub-Delivery");
                assertThat(json(d).at("/repository/full_name").asText()).contains("/");
                checked++;
            } else if (!d.route().equals("clicks")) {
                assertThat(d.headers()).containsEntry("Authorization", "Bearer " + SECRETS.bearerToken());
            }
        }
        assertThat(checked).isEqualTo(6);
    }

    private static void assertFields(WebhookTraffic.Delivery d, JsonNode event, Schema contract) {
        List<String> names = new ArrayList<>();
        event.fieldNames().forEachRemaining(names::add);
        assertThat(names).as("%s event %s vs %s", d.route(), event, contract.getFullName())
                .containsExactlyInAnyOrderElementsOf(contract.getFields().stream().map(Schema.Field::name).toList());
    }

    private static JsonNode json(WebhookTraffic.Delivery d) throws Exception {
        return JSON.readTree(d.body());
    }

    private static List<String> lines(WebhookTraffic.Delivery d) {
        return new String(d.body(), StandardCharsets.UTF_8).lines().toList();
    }

    private static byte[] hmac(String secret, String data) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
    }

    private static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }
}
