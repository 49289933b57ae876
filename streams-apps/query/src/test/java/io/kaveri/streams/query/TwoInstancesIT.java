package io.kaveri.streams.query;

import com.fasterxml.jackson.databind.JsonNode;
import io.kaveri.stack.LocalStack;
import io.kaveri.stack.LocalStack.Part;
import io.kaveri.streams.market.MarketApp;
import io.kaveri.streams.runtime.StreamsAppRunner;
import io.kaveri.test.KaveriStack;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two instances of the market app on the real broker and registry, each with its query service: either answers
 * every symbol (forwarding to the owner), both give the same answers, an event-stream client receives a new
 * candle, and while one instance stops and restarts every answer is right or a 503, never a wrong "not found".
 */
@KaveriStack({Part.KAFKA, Part.REGISTRY})
class TwoInstancesIT {

    private static final List<String> SYMBOLS = List.of("ACME", "BOLT", "CORE", "DYNA", "EPIC", "FLUX", "GRID", "HALO");

    @Test
    void instancesAnswerEachOthersKeysAndPushCandles(LocalStack stack) throws Exception {
        ItApps.MarketRun market = ItApps.marketRun(stack);
        MarketApp app = market.app();
        Map<String, Object> settingsA = market.settingsA();
        Map<String, Object> settingsB = market.settingsB();
        String trades = market.trades();

        QueryService a = QueryService.start(settingsA);
        QueryService b = QueryService.start(settingsB);
        try (KafkaProducer<String, SpecificRecord> producer = ItApps.producer(stack)) {
            StreamsAppRunner runnerA = a.run(app, settingsA);
            StreamsAppRunner runnerB = b.run(app, settingsB);
            assertThat(runnerA.awaitRunning(Duration.ofSeconds(60))).isTrue();
            assertThat(runnerB.awaitRunning(Duration.ofSeconds(60))).isTrue();

            Instant now = Instant.now();
            for (int i = 0; i < SYMBOLS.size(); i++) {
                String symbol = SYMBOLS.get(i);
                ItApps.send(producer, trades, symbol, ItApps.trade(symbol + "-1", symbol, "100", "1", now));
                ItApps.send(producer, trades, symbol, ItApps.trade(symbol + "-2", symbol, (101 + i) + ".25", "3", now));
            }

            Set<String> servers = new HashSet<>();
            for (int i = 0; i < SYMBOLS.size(); i++) {
                String symbol = SYMBOLS.get(i);
                BigDecimal close = new BigDecimal((101 + i) + ".25");
                // The 1-minute and hopping candles are separate stores updated one after the other: the two instances
                // agree once both have taken the trades.
                JsonNode[] answers = new JsonNode[2];
                URI urlA = a.url();
                URI urlB = b.url();
                await("instances agree on " + symbol).atMost(Duration.ofSeconds(30)).until(() -> {
                    answers[0] = awaitCandle(urlA, symbol, 2);
                    answers[1] = awaitCandle(urlB, symbol, 2);
                    return answers[0].path("result").equals(answers[1].path("result"));
                });
                JsonNode viaA = answers[0];
                JsonNode viaB = answers[1];
                assertThat(viaA.path("servedBy")).isEqualTo(viaB.path("servedBy"));
                JsonNode candle = viaA.path("result").path("candles").get(0);
                assertThat(candle.path("close").decimalValue()).isEqualByComparingTo(close);
                assertThat(candle.path("high").decimalValue()).isEqualByComparingTo(close);
                assertThat(candle.path("volume").decimalValue()).isEqualByComparingTo("4");
                assertThat(viaA.path("replica").asText()).isEqualTo("active");
                servers.add(viaA.path("servedBy").asText());
            }
            // Symbols spread over both instances, so each instance answered some keys by forwarding.
            assertThat(servers).containsExactlyInAnyOrder(host(a), host(b));

            // A standby replica answers within a freshness bound: B's symbols from A's standby of their partitions.
            String onB = null;
            for (String symbol : SYMBOLS) {
                JsonNode r = Reply.JSON.readTree(ItApps.get(a.url(), "api/market/candles/" + symbol).body());
                if (r.path("servedBy").asText().equals(host(b))) {
                    onB = symbol;
                }
            }
            String standbySymbol = onB;
            JsonNode fromActive = Reply.JSON.readTree(ItApps.get(b.url(), "api/market/candles/" + standbySymbol).body());
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(300)).untilAsserted(() -> {
                HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                                a.url().resolve("api/market/candles/" + standbySymbol + "?maxLagMs=60000"))
                        .header(QueryEngine.FORWARDED_HEADER, "standby").build(), HttpResponse.BodyHandlers.ofString());
                assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
                JsonNode body = Reply.JSON.readTree(r.body());
                assertThat(body.path("servedBy").asText()).isEqualTo(host(a));
                assertThat(body.path("replica").asText()).isEqualTo("standby");
                assertThat(body.path("stalenessMs").asLong()).isBetween(0L, 60_000L);
                assertThat(body.path("result")).isEqualTo(fromActive.path("result"));
            });
            HttpResponse<String> strictStandby = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                            a.url().resolve("api/market/candles/" + standbySymbol))
                    .header(QueryEngine.FORWARDED_HEADER, "standby").build(), HttpResponse.BodyHandlers.ofString());
            assertThat(strictStandby.statusCode()).isEqualTo(503);

            HttpResponse<String> unknown = ItApps.get(b.url(), "api/market/candles/NOPE");
            assertThat(unknown.statusCode()).isEqualTo(404);
            assertThat(unknown.body()).contains("NOPE");

            JsonNode all = Reply.JSON.readTree(ItApps.get(a.url(), "api/market/symbols").body());
            List<String> listed = new ArrayList<>();
            all.path("result").forEach(c -> listed.add(c.path("symbol").asText()));
            assertThat(listed).isEqualTo(SYMBOLS);

            // An event-stream client on B gets the candle of a trade whose symbol A may own.
            List<String> lines = new CopyOnWriteArrayList<>();
            HttpResponse<InputStream> events = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    b.url().resolve("api/events?types=candle")).build(), HttpResponse.BodyHandlers.ofInputStream());
            Thread reader = new Thread(() -> {
                try {
                    new BufferedReader(new InputStreamReader(events.body(), StandardCharsets.UTF_8)).lines().forEach(lines::add);
                } catch (java.io.UncheckedIOException closedByTheTest) {
                    // the stream is closed below once the candle arrived
                }
            });
            reader.setDaemon(true);
            reader.start();
            ItApps.send(producer, trades, "ACME", ItApps.trade("ACME-3", "ACME", "99.5", "2", now));
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(lines).anySatisfy(l -> assertThat(l)
                    .startsWith("data: ").contains("\"symbol\":\"ACME\"").contains("\"tradeCount\":3")
                    .contains("\"close\":99.50000000")));
            events.body().close();

            // Stop B: every query to A is right or 503 until A owns everything, then right.
            b.close();
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(300)).until(() -> {
                boolean allAnswered = true;
                for (String symbol : SYMBOLS) {
                    HttpResponse<String> r = ItApps.get(a.url(), "api/market/candles/" + symbol);
                    assertThat(r.statusCode()).as(symbol + " " + r.body()).isIn(200, 503);
                    if (r.statusCode() == 200) {
                        assertThat(Reply.JSON.readTree(r.body()).path("result").path("candles").get(0)
                                .path("tradeCount").asLong()).isEqualTo(symbol.equals("ACME") ? 3 : 2);
                    } else {
                        assertThat(r.headers().firstValue("Retry-After")).isPresent();
                        allAnswered = false;
                    }
                }
                return allAnswered;
            });

            // Restart B (a new process would do the same): both answer again, identically.
            QueryService b2 = QueryService.start(settingsB);
            b = b2;
            assertThat(b2.run(app, settingsB).awaitRunning(Duration.ofSeconds(60))).isTrue();
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(300)).untilAsserted(() -> {
                for (String symbol : SYMBOLS) {
                    HttpResponse<String> viaA = ItApps.get(a.url(), "api/market/candles/" + symbol);
                    HttpResponse<String> viaB = ItApps.get(b2.url(), "api/market/candles/" + symbol);
                    assertThat(viaA.statusCode()).as(symbol + " " + viaA.body()).isIn(200, 503);
                    assertThat(viaB.statusCode()).as(symbol + " " + viaB.body()).isIn(200, 503);
                    assertThat(viaA.statusCode()).isEqualTo(200);
                    assertThat(viaB.statusCode()).isEqualTo(200);
                    assertThat(Reply.JSON.readTree(viaA.body()).path("result"))
                            .isEqualTo(Reply.JSON.readTree(viaB.body()).path("result"));
                }
            });
        } finally {
            a.close();
            b.close();
        }
    }

    private static JsonNode awaitCandle(URI base, String symbol, int trades) {
        JsonNode[] body = new JsonNode[1];
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
            HttpResponse<String> r = ItApps.get(base, "api/market/candles/" + symbol);
            assertThat(r.statusCode()).as(symbol + " " + r.body()).isEqualTo(200);
            body[0] = Reply.JSON.readTree(r.body());
            // Stores are read one after the other, so wait until the trades reached both, not just the first.
            assertThat(body[0].path("result").path("candles").get(0).path("tradeCount").asLong()).as(r.body()).isEqualTo(trades);
            assertThat(body[0].path("result").path("hopping")).isNotEmpty()
                    .allSatisfy(c -> assertThat(c.path("tradeCount").asLong()).as(r.body()).isEqualTo(trades));
        });
        return body[0];
    }

    private static String host(QueryService service) {
        return service.url().getHost() + ":" + service.url().getPort();
    }
}
