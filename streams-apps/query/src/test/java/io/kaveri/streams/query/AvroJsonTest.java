package io.kaveri.streams.query;

import com.fasterxml.jackson.databind.JsonNode;
import io.kaveri.schemas.games.Neighbour;
import io.kaveri.schemas.games.RelativeRank;
import io.kaveri.schemas.market.Candle;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class AvroJsonTest {

    @Test
    void decimalsKeepTheirDigitsAndTimestampsAreEpochMillis() {
        BigDecimal price = new BigDecimal("12345678.12345678");
        Candle candle = Candle.newBuilder().setSymbol("ACME").setWindowStart(Instant.ofEpochMilli(60_000))
                .setWindowEnd(Instant.ofEpochMilli(120_000)).setOpen(price).setHigh(price).setLow(price).setClose(price)
                .setVolume(new BigDecimal("0.00000001")).setVwap(price).setTradeCount(3).setClosed(true).build();
        JsonNode json = AvroJson.toJson(candle);
        assertThat(json.toString()).contains("\"open\":12345678.12345678").contains("\"volume\":1E-8")
                .contains("\"windowStart\":60000").contains("\"closed\":true").contains("\"symbol\":\"ACME\"");
        assertThat(json.path("volume").decimalValue()).isEqualByComparingTo("0.00000001");
        assertThat(json.path("tradeCount").asLong()).isEqualTo(3);
    }

    @Test
    void nestedRecordsListsAndNulls() {
        RelativeRank rank = RelativeRank.newBuilder().setGameId("g").setPlayerId("p").setRank(2).setScore(10)
                .setTotalPlayers(3).setAbove(List.of(new Neighbour("a", 1L, 20L))).setBelow(List.of())
                .setApproximate(false).setAsOf(Instant.ofEpochMilli(5)).build();
        JsonNode json = AvroJson.toJson(rank);
        assertThat(json.path("above").get(0).path("playerId").asText()).isEqualTo("a");
        assertThat(json.path("above").get(0).path("rank").asLong()).isEqualTo(1);
        assertThat(json.path("below")).isEmpty();
        assertThat(AvroJson.toJson(null).isNull()).isTrue();
    }
}
