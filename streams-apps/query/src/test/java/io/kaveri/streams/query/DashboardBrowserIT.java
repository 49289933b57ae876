package io.kaveri.streams.query;

import io.kaveri.stack.LocalStack;
import io.kaveri.stack.LocalStack.Part;
import io.kaveri.schemas.ads.Click;
import io.kaveri.schemas.ads.Impression;
import io.kaveri.streams.enrichment.EnrichmentApp;
import io.kaveri.streams.leaderboard.LeaderboardApp;
import io.kaveri.streams.market.MarketApp;
import io.kaveri.test.KaveriStack;
import com.fasterxml.jackson.databind.JsonNode;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The dashboard in headless Chromium against the market, leaderboard and enrichment apps on the real broker: the
 * page shows the candle, the board and the CTR derived from the records this test produced, then moves when a new trade arrives,
 * without a reload. Leaves {@code target/dashboard.png}.
 */
@KaveriStack({Part.KAFKA, Part.REGISTRY})
class DashboardBrowserIT {

    @Test
    void dashboardShowsLiveDataFromProducedRecords(LocalStack stack) throws Exception {
        Path chromium = Chromium.binary().orElse(null);
        Assumptions.assumeTrue(chromium != null, "no Chromium binary at /usr/bin/chromium (or -Dkaveri.chromium): "
                + "install the Debian package chromium to run the dashboard browser test");

        String run = Long.toString(System.nanoTime(), 36);
        MarketApp market = new MarketApp();
        LeaderboardApp leaderboard = new LeaderboardApp();
        Map<String, Object> marketSettings = ItApps.settings(stack, market, run);
        Map<String, Object> boardSettings = ItApps.settings(stack, leaderboard, run);
        ItApps.createTopics(stack, market, marketSettings);
        ItApps.createTopics(stack, leaderboard, boardSettings);
        EnrichmentApp enrichment = new EnrichmentApp();
        Map<String, Object> adSettings = ItApps.settings(stack, enrichment, run);
        ItApps.createTopics(stack, enrichment, adSettings);
        Map<String, Object> serviceSettings = new HashMap<>(marketSettings);

        try (QueryService queries = QueryService.start(serviceSettings);
             KafkaProducer<String, SpecificRecord> producer = ItApps.producer(stack)) {
            assertThat(queries.run(market, marketSettings).awaitRunning(Duration.ofSeconds(60))).isTrue();
            assertThat(queries.run(leaderboard, boardSettings).awaitRunning(Duration.ofSeconds(60))).isTrue();
            assertThat(queries.run(enrichment, adSettings).awaitRunning(Duration.ofSeconds(60))).isTrue();

            Instant now = Instant.now();
            String trades = (String) marketSettings.get("market.trades.topic");
            ItApps.send(producer, trades, "KAV", ItApps.trade("k1", "KAV", "100", "1", now));
            ItApps.send(producer, trades, "KAV", ItApps.trade("k2", "KAV", "104.5", "2", now));
            ItApps.send(producer, trades, "KAV", ItApps.trade("k3", "KAV", "101.25", "1", now.plusMillis(1)));
            String scores = (String) boardSettings.get("leaderboard.scores.topic");
            ItApps.send(producer, scores, "river", ItApps.score("river", "ana", 900, now));
            ItApps.send(producer, scores, "river", ItApps.score("river", "bo", 700, now));
            ItApps.send(producer, scores, "river", ItApps.score("river", "cy", 500, now));
            ItApps.send(producer, scores, "river", ItApps.score("river", "bo", 650, now)); // not a best: no change
            String impressions = (String) adSettings.get(EnrichmentApp.IMPRESSIONS_TOPIC_CONFIG);
            for (int i = 1; i <= 4; i++) {
                ItApps.send(producer, impressions, "i" + i, Impression.newBuilder().setImpressionId("i" + i)
                        .setCampaignId("spring").setAdId("ad").setUserId("u" + i).setTs(now).build());
            }
            ItApps.send(producer, (String) adSettings.get(EnrichmentApp.CLICKS_TOPIC_CONFIG), "c1", Click.newBuilder()
                    .setClickId("c1").setImpressionId("i2").setCampaignId("spring").setAdId("ad").setUserId("u2")
                    .setTs(now.plusSeconds(1)).build());

            try (Chromium browser = new Chromium(chromium, queries.url())) {
                String quote = "document.querySelector('#quotes tr[data-symbol=\"KAV\"] .%s')?.textContent ?? ''";
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300)).untilAsserted(() -> {
                    assertThat(browser.eval(quote.formatted("close")).asText()).isEqualTo("101.25");
                    assertThat(browser.eval(quote.formatted("high")).asText()).isEqualTo("104.5");
                    assertThat(browser.eval(quote.formatted("low")).asText()).isEqualTo("100");
                    assertThat(browser.eval(quote.formatted("volume")).asText()).isEqualTo("4");
                    assertThat(browser.eval(quote.formatted("trades")).asText()).isEqualTo("3");
                });
                assertThat(browser.eval("document.querySelectorAll('#candle-chart canvas').length").asInt()).isPositive();

                String score = "document.querySelector('#top tr[data-player=\"%s\"] .score')?.textContent ?? ''";
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300)).untilAsserted(() -> {
                    assertThat(browser.eval(score.formatted("ana")).asText()).isEqualTo("900");
                    assertThat(browser.eval(score.formatted("bo")).asText()).isEqualTo("700");
                    assertThat(browser.eval(score.formatted("cy")).asText()).isEqualTo("500");
                });

                String ctr = "document.querySelector('#ctr-table tr[data-campaign=\"spring\"] .%s')?.textContent ?? ''";
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300)).untilAsserted(() -> {
                    assertThat(browser.eval(ctr.formatted("impressions")).asText()).isEqualTo("4");
                    assertThat(browser.eval(ctr.formatted("clicks")).asText()).isEqualTo("1");
                    assertThat(browser.eval(ctr.formatted("ctr")).asText()).isEqualTo("25.00%");
                });
                JsonNode spring = Reply.JSON.readTree(ItApps.get(queries.url(), "api/enrichment/campaigns/spring/ctr").body());
                assertThat(spring.path("result").get(0).path("impressions").asLong()).isEqualTo(4);
                assertThat(spring.path("result").get(0).path("ctr").asDouble()).isEqualTo(0.25);

                browser.eval("document.querySelector('#game').value = 'river';"
                        + "document.querySelector('#player').value = 'bo';"
                        + "document.querySelector('#find-me').requestSubmit(); true");
                await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
                        browser.eval("document.querySelector('#my-rank')?.textContent ?? ''").asText())
                        .isEqualTo("bo is #2 of 3 in river"));

                // Live: a new trade and a new leader reach the page over the event stream, without a reload.
                browser.eval("window.kaveriLoaded = true");
                ItApps.send(producer, trades, "KAV", ItApps.trade("k4", "KAV", "99", "5", now.plusMillis(2)));
                ItApps.send(producer, scores, "river", ItApps.score("river", "cy", 1000, now.plusMillis(2)));
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300)).untilAsserted(() -> {
                    assertThat(browser.eval(quote.formatted("close")).asText()).isEqualTo("99");
                    assertThat(browser.eval(quote.formatted("trades")).asText()).isEqualTo("4");
                    assertThat(browser.eval("document.querySelector('#top tbody tr .score')?.textContent").asText())
                            .isEqualTo("1000");
                    assertThat(browser.eval("document.querySelector('#my-rank')?.textContent ?? ''").asText())
                            .isEqualTo("bo is #3 of 3 in river");
                });
                assertThat(browser.eval("window.kaveriLoaded === true").asBoolean()).as("no reload").isTrue();
                assertThat(browser.eval("document.querySelector('#status').dataset.state").asText()).isEqualTo("live");
                browser.screenshot(ItApps.target().resolve("dashboard.png"));
            }
        }
    }
}
