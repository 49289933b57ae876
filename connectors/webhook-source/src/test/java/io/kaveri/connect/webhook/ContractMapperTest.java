package io.kaveri.connect.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Map;

import org.apache.kafka.connect.data.Struct;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.kaveri.schemas.connect.AvroConverter;
import io.kaveri.schemas.games.Score;
import io.kaveri.schemas.market.Side;
import io.kaveri.schemas.market.Trade;
import io.kaveri.schemas.serde.SpecificAvroSerde;

class ContractMapperTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final ContractMapper trades = ContractMapper.forContract(Trade.class.getName());

    private static JsonNode json(String text) throws Exception {
        return JSON.readTree(text);
    }

    @Test
    void jsonTradeBecomesTheTradeTheAppReads() throws Exception {
        Object value = trades.toConnect(json("""
                {"tradeId":"t-1","symbol":"ACME","price":"101.25","quantity":3,"side":"SELL",
                 "ts":"2026-11-25T10:15:30.123+01:00","venue":"XNAS","extra":"ignored"}"""));

        AvroConverter converter = new AvroConverter();
        converter.configure(Map.of("schema.registry.url", "mock://contract-mapper",
                "enhanced.avro.schema.support", "true"), false);
        byte[] bytes = converter.fromConnectData("trades", trades.connectSchema(), value);
        SpecificAvroSerde<Trade> serde = new SpecificAvroSerde<>();
        serde.configure(Map.of("schema.registry.url", "mock://contract-mapper"), false);
        Trade trade = serde.deserializer().deserialize("trades", bytes);

        assertThat(trade.getTradeId()).isEqualTo("t-1");
        assertThat(trade.getSymbol()).isEqualTo("ACME");
        assertThat(trade.getPrice()).isEqualTo(new BigDecimal("101.25000000"));
        assertThat(trade.getQuantity()).isEqualTo(new BigDecimal("3.00000000"));
        assertThat(trade.getSide()).isEqualTo(Side.SELL);
        assertThat(trade.getTs()).isEqualTo(Instant.parse("2026-11-25T09:15:30.123Z"));
        assertThat(trade.getVenue()).isEqualTo("XNAS");
    }

    @Test
    void defaultsFillMissingFieldsAndEpochMillisAreTimestamps() throws Exception {
        Struct value = (Struct) trades.toConnect(json("""
                {"tradeId":"t-2","symbol":"BOLT","price":1,"quantity":"0.5","ts":1764065730123}"""));
        assertThat(value.get("side")).isEqualTo("UNKNOWN");
        assertThat(value.get("venue")).isNull();
        assertThat(value.get("ts")).isEqualTo(java.util.Date.from(Instant.ofEpochMilli(1764065730123L)));
        assertThat(value.get("quantity")).isEqualTo(new BigDecimal("0.50000000"));
    }

    @Test
    void missingRequiredFieldIsNamed() {
        assertThatThrownBy(() -> trades.toAvro(json("{\"tradeId\":\"t\",\"price\":1,\"quantity\":1,\"ts\":0}")))
                .isInstanceOf(ContractMapper.Mismatch.class)
                .hasMessageContaining("missing required field 'symbol'")
                .satisfies(e -> assertThat(((ContractMapper.Mismatch) e).field()).isEqualTo("symbol"));
    }

    @Test
    void wrongTypesAreNamedWithWhatWasExpected() {
        assertThatThrownBy(() -> trades.toAvro(json(
                "{\"tradeId\":7,\"symbol\":\"A\",\"price\":1,\"quantity\":1,\"ts\":0}")))
                .hasMessageContaining("field 'tradeId' must be a string, got number 7");
        assertThatThrownBy(() -> trades.toAvro(json(
                "{\"tradeId\":\"t\",\"symbol\":\"A\",\"price\":\"cheap\",\"quantity\":1,\"ts\":0}")))
                .hasMessageContaining("field 'price' must be a decimal number");
        assertThatThrownBy(() -> trades.toAvro(json(
                "{\"tradeId\":\"t\",\"symbol\":\"A\",\"price\":1,\"quantity\":1,\"ts\":\"yesterday\"}")))
                .hasMessageContaining("field 'ts' must be an ISO-8601 instant");
        assertThatThrownBy(() -> trades.toAvro(json(
                "{\"tradeId\":\"t\",\"symbol\":\"A\",\"price\":1,\"quantity\":1,\"ts\":0,\"side\":\"HOLD\"}")))
                .hasMessageContaining("field 'side' must be one of [BUY, SELL, UNKNOWN]");
        assertThatThrownBy(() -> trades.toAvro(json(
                "{\"tradeId\":\"t\",\"symbol\":\"A\",\"price\":1,\"quantity\":1,\"ts\":0,\"venue\":false}")))
                .hasMessageContaining("field 'venue' must be one of [string]");
        assertThatThrownBy(() -> trades.toAvro(json("[1,2]")))
                .hasMessageContaining("the event must be a JSON object to become a io.kaveri.schemas.market.Trade");
    }

    @Test
    void decimalsAreNeverRounded() {
        assertThatThrownBy(() -> trades.toAvro(json(
                "{\"tradeId\":\"t\",\"symbol\":\"A\",\"price\":\"1.123456789\",\"quantity\":1,\"ts\":0}")))
                .hasMessageContaining("field 'price' has more than 8 fractional digits");
        assertThatThrownBy(() -> trades.toAvro(json(
                "{\"tradeId\":\"t\",\"symbol\":\"A\",\"price\":\"12345678901\",\"quantity\":1,\"ts\":0}")))
                .hasMessageContaining("field 'price' has more than 18 digits");
    }

    @Test
    void integersMustFitTheirType() throws Exception {
        ContractMapper scores = ContractMapper.forContract(Score.class.getName());
        assertThat(scores.toAvro(json("{\"gameId\":\"g\",\"playerId\":\"p\",\"score\":42,\"ts\":0}")).get("score"))
                .isEqualTo(42L);
        assertThatThrownBy(() -> scores.toAvro(json("{\"gameId\":\"g\",\"playerId\":\"p\",\"score\":1.5,\"ts\":0}")))
                .hasMessageContaining("field 'score' must be an integer within 64 bits, got number 1.5");
    }

    @Test
    void unknownContractIsRefusedWithAHint() {
        assertThatThrownBy(() -> ContractMapper.forContract("io.kaveri.schemas.market.Nope"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no contract class io.kaveri.schemas.market.Nope");
        assertThatThrownBy(() -> ContractMapper.forContract("java.lang.String"))
                .hasMessageContaining("java.lang.String is not an Avro record contract");
    }
}
