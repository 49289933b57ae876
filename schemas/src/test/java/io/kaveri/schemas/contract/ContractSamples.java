package io.kaveri.schemas.contract;

import io.kaveri.schemas.ads.CampaignCtr;
import io.kaveri.schemas.ads.Click;
import io.kaveri.schemas.ads.Impression;
import io.kaveri.schemas.games.LeaderboardEntry;
import io.kaveri.schemas.games.Neighbour;
import io.kaveri.schemas.games.RelativeRank;
import io.kaveri.schemas.games.Score;
import io.kaveri.schemas.market.Candle;
import io.kaveri.schemas.market.Side;
import io.kaveri.schemas.market.Trade;
import io.kaveri.schemas.payments.FraudAlert;
import io.kaveri.schemas.payments.FraudRule;
import io.kaveri.schemas.payments.Payment;
import io.kaveri.schemas.sensors.SensorAlert;
import io.kaveri.schemas.sensors.SensorAlertKind;
import io.kaveri.schemas.sensors.SensorReading;
import io.kaveri.schemas.sensors.SensorStats;
import io.kaveri.schemas.social.Follow;
import io.kaveri.schemas.social.TimelineEntry;
import io.kaveri.schemas.social.Tweet;
import io.kaveri.schemas.web.EnrichedPageView;
import io.kaveri.schemas.web.PageView;
import io.kaveri.schemas.web.Purchase;
import io.kaveri.schemas.web.User;
import io.kaveri.schemas.web.UserProfile;
import io.kaveri.schemas.web.UserSession;
import io.kaveri.schemas.webhook.SignatureCheck;
import io.kaveri.schemas.webhook.SignatureScheme;
import io.kaveri.schemas.webhook.WebhookEvent;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecordBase;

/** One realistic record per contract, built through the generated builders as an app would. */
final class ContractSamples {

  private static final Instant T = Instant.parse("2025-03-14T09:26:53.589Z");

  private ContractSamples() {
  }

  static List<SpecificRecordBase> all() {
    return List.of(
        WebhookEvent.newBuilder()
            .setRoute("github").setDeliveryId("72d3162e-cc78-11e3-81ab-4c9367dc0958").setEventType("push")
            .setReceivedAt(T).setHeaders(Map.of("user-agent", "GitHub-Hookshot/044aadd"))
            .setContentType("application/json")
            .setBody(ByteBuffer.wrap("{\"ref\":\"refs/heads/main\"}".getBytes(StandardCharsets.UTF_8)))
            .setJson("{\"ref\":\"refs/heads/main\"}")
            .setSignature(new SignatureCheck(SignatureScheme.GITHUB, true))
            .build(),
        Tweet.newBuilder().setTweetId("t1").setUserId("ada").setText("Streams all the way down #kafka")
            .setLang("en").setHashtags(List.of("kafka")).setCreatedAt(T).build(),
        Follow.newBuilder().setFollowerId("bob").setFolloweeId("ada").setSince(T).build(),
        TimelineEntry.newBuilder().setFollowerId("bob").setTweetId("t1").setAuthorId("ada")
            .setText("Streams all the way down #kafka").setCreatedAt(T).build(),
        PageView.newBuilder().setViewId("v1").setUserId("ada").setSessionId("s1").setUrl("https://shop.example/p/42")
            .setReferrer(null).setTs(T).setUserAgent("Mozilla/5.0").build(),
        User.newBuilder().setUserId("ada").setName("Ada Lovelace").setEmail(null).setCountry("GB")
            .setCreatedAt(T.minusSeconds(86_400)).setUpdatedAt(T).build(),
        EnrichedPageView.newBuilder().setViewId("v1").setUserId("ada").setSessionId(null)
            .setUrl("https://shop.example/p/42").setReferrer("https://search.example/").setTs(T)
            .setUser(new UserProfile("Ada Lovelace", "GB", T.minusSeconds(86_400))).build(),
        Purchase.newBuilder().setPurchaseId("o1").setUserId("ada").setSessionId("s1").setProductId("p42")
            .setQuantity(2).setAmount(new BigDecimal("39.9800")).setCurrency("EUR").setTs(T).build(),
        UserSession.newBuilder().setUserId("ada").setSessionStart(T).setSessionEnd(T.plusSeconds(300))
            .setPageViews(7).setClicks(1).setPurchases(1).setRevenue(new BigDecimal("39.9800")).build(),
        Impression.newBuilder().setImpressionId("i1").setCampaignId("spring").setAdId("a1").setUserId("ada")
            .setPlacement("sidebar").setTs(T).build(),
        Click.newBuilder().setClickId("c1").setImpressionId("i1").setCampaignId("spring").setAdId("a1")
            .setUserId("ada").setTs(T.plusSeconds(4)).build(),
        CampaignCtr.newBuilder().setCampaignId("spring").setWindowStart(T).setWindowEnd(T.plusSeconds(60))
            .setImpressions(400).setClicks(9).setCtr(0.0225).build(),
        Trade.newBuilder().setTradeId("x1").setSymbol("BTC-USD").setPrice(new BigDecimal("64123.12345678"))
            .setQuantity(new BigDecimal("0.00100000")).setSide(Side.BUY).setTs(T).setVenue("XCME").build(),
        Candle.newBuilder().setSymbol("BTC-USD").setWindowStart(T).setWindowEnd(T.plusSeconds(60))
            .setOpen(new BigDecimal("64123.12345678")).setHigh(new BigDecimal("64200.00000000"))
            .setLow(new BigDecimal("64000.50000000")).setClose(new BigDecimal("64150.00000000"))
            .setVolume(new BigDecimal("12.34500000")).setVwap(new BigDecimal("64111.11111111"))
            .setTradeCount(57).setClosed(true).build(),
        Score.newBuilder().setGameId("tetris").setPlayerId("ada").setScore(12_000).setTs(T).build(),
        LeaderboardEntry.newBuilder().setGameId("tetris").setWindowStart(null).setWindowEnd(null).setRank(1)
            .setPlayerId("ada").setScore(12_000).setUpdatedAt(T).build(),
        RelativeRank.newBuilder().setGameId("tetris").setPlayerId("bob").setRank(2).setScore(11_000)
            .setTotalPlayers(3).setAbove(List.of(new Neighbour("ada", 1L, 12_000L)))
            .setBelow(List.of(new Neighbour("eve", 3L, 900L))).setApproximate(false).setAsOf(T).build(),
        Payment.newBuilder().setPaymentId("p1").setCardId("tok_4242").setCustomerId("ada").setMerchantId("m1")
            .setAmount(new BigDecimal("1250.0000")).setCurrency("EUR").setCountry("FR")
            .setLatitude(48.8566).setLongitude(2.3522).setTs(T).build(),
        FraudAlert.newBuilder().setAlertId("f1").setPaymentId("p2").setCardId("tok_4242")
            .setRule(FraudRule.IMPOSSIBLE_TRAVEL).setExplanation("Paris then Sydney 20 min apart: 50400 km/h")
            .setMeasures(Map.of("speedKmh", 50_400.0, "maxSpeedKmh", 1_000.0))
            .setRelatedPaymentIds(List.of("p1")).setPaymentTs(T.plusSeconds(1200)).setDetectedAt(T.plusSeconds(1201))
            .build(),
        SensorReading.newBuilder().setDeviceId("d7").setMetric("temperature").setValue(21.5).setUnit("Cel")
            .setTs(T).build(),
        SensorAlert.newBuilder().setAlertId("a1").setDeviceId("d7").setMetric("temperature")
            .setKind(SensorAlertKind.Z_SCORE).setValue(48.0).setThreshold(null).setZScore(6.2)
            .setMean(21.4).setStddev(4.3).setFaultStart(T).setSuppressedCount(3).setTs(T.plusSeconds(30)).build(),
        SensorStats.newBuilder().setDeviceId("d7").setMetric("temperature").setWindowStart(T)
            .setWindowEnd(T.plusSeconds(60)).setCount(4).setMean(21.5).setMin(20.0).setMax(23.0).setStddev(1.1).build());
  }
}
