package io.kaveri.connect.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.apache.kafka.common.config.ConfigValue;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A route with value.contract: records carry the contract, events that do not fit it are 400 and dead letters. */
class ContractRouteTest {

    private static final Map<String, String> ROUTE = Map.of(
            "routes", "trades",
            "route.trades.topic", "market-trades",
            "route.trades.key.pointer", "/symbol",
            "route.trades.value.contract", "io.kaveri.schemas.market.Trade",
            "route.trades.dead.letter.topic", "trades-dlq");
    private TaskHarness harness;

    @AfterEach
    void stop() {
        if (harness != null) {
            harness.close();
        }
    }

    private static HttpResponse<String> answer(CompletableFuture<HttpResponse<String>> response) {
        await().atMost(Duration.ofSeconds(10)).until(response::isDone);
        return response.join();
    }

    @Test
    void eachEventIsARecordOfTheContract() {
        harness = new TaskHarness(ROUTE);
        CompletableFuture<HttpResponse<String>> response = harness.post("/trades",
                "{\"tradeId\":\"t-1\",\"symbol\":\"ACME\",\"price\":\"101.5\",\"quantity\":2,\"side\":\"BUY\","
                        + "\"ts\":\"2026-11-25T10:00:00Z\"}", "Content-Type", "application/json");
        List<SourceRecord> records = harness.pollUntil(1);
        SourceRecord record = records.get(0);
        assertThat(record.topic()).isEqualTo("market-trades");
        assertThat(record.key()).isEqualTo("ACME");
        assertThat(record.valueSchema().name()).isEqualTo("io.kaveri.schemas.market.Trade");
        Struct value = (Struct) record.value();
        value.validate();
        assertThat(value.get("price")).isEqualTo(new BigDecimal("101.50000000"));
        assertThat(value.get("side")).isEqualTo("BUY");
        harness.commitAll(records);
        assertThat(answer(response).statusCode()).isEqualTo(200);
    }

    @Test
    void eventThatDoesNotFitIs400NamingTheFieldAndADeadLetter() {
        harness = new TaskHarness(ROUTE);
        HttpResponse<String> r = answer(harness.post("/trades",
                "{\"tradeId\":\"t-2\",\"price\":1,\"quantity\":1,\"ts\":0}", "Content-Type", "application/json"));
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).contains("missing required field 'symbol' of io.kaveri.schemas.market.Trade");
        SourceRecord dlq = harness.pollUntil(1).get(0);
        assertThat(dlq.topic()).isEqualTo("trades-dlq");
        assertThat(dlq.headers().lastWithName("kaveri.webhook.error.reason").value().toString())
                .contains("'symbol'");
        assertThat(dlq.headers().lastWithName("kaveri.webhook.error.status").value()).isEqualTo("400");
    }

    @Test
    void aDeliveryTheContractRejectsTakesNoDedupSlot() {
        Map<String, String> props = new java.util.HashMap<>(ROUTE);
        props.put("route.trades.dedup.header", "X-Delivery");
        harness = new TaskHarness(props);
        assertThat(answer(harness.post("/trades", "{\"tradeId\":\"t-3\",\"price\":1,\"quantity\":1,\"ts\":0}",
                "Content-Type", "application/json", "X-Delivery", "d-rejected")).statusCode()).isEqualTo(400);
        harness.commitAll(harness.pollUntil(1));
        CompletableFuture<HttpResponse<String>> accepted = harness.post("/trades",
                "{\"tradeId\":\"t-4\",\"symbol\":\"ACME\",\"price\":\"1\",\"quantity\":1,\"side\":\"BUY\","
                        + "\"ts\":0}", "Content-Type", "application/json", "X-Delivery", "d-accepted");
        SourceRecord record = harness.pollUntil(1).get(0);
        assertThat(Map.<String, Object>copyOf(record.sourceOffset())).containsEntry(DedupOffsets.OFFSET_DELIVERY_ID, "d-accepted")
                .containsEntry(DedupOffsets.OFFSET_SEQUENCE, 0L);
        harness.commitAll(List.of(record));
        assertThat(answer(accepted).statusCode()).isEqualTo(200);
    }

    private static Map<String, ConfigValue> validate(Map<String, String> props) {
        return new WebhookSourceConnector().validate(props).configValues().stream()
                .collect(java.util.stream.Collectors.toMap(ConfigValue::name, v -> v));
    }

    @Test
    void unknownContractOrRawContentIsAConfigError() {
        Map<String, ConfigValue> unknown = validate(TaskHarness.with(ROUTE,
                "route.trades.value.contract", "io.kaveri.schemas.market.Nope"));
        assertThat(unknown.get("route.trades.value.contract").errorMessages())
                .anySatisfy(m -> assertThat(m).contains("no contract class io.kaveri.schemas.market.Nope"));
        Map<String, ConfigValue> raw = validate(TaskHarness.with(ROUTE,
                "route.trades.content", "raw"));
        assertThat(raw.get("route.trades.value.contract").errorMessages())
                .anySatisfy(m -> assertThat(m).contains("content=raw"));
    }
}
