package io.kaveri.streams.enrichment;

import io.kaveri.schemas.ads.Click;
import io.kaveri.schemas.web.PageView;
import io.kaveri.schemas.web.Purchase;
import io.kaveri.streams.runtime.KeyedInput;
import io.kaveri.streams.testkit.GoldenTopology;
import io.kaveri.streams.testkit.KitDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static io.kaveri.streams.enrichment.EnrichmentFixture.GAP;
import static io.kaveri.streams.enrichment.EnrichmentFixture.GRACE;
import static io.kaveri.streams.enrichment.EnrichmentFixture.VIEW_GRACE;
import static io.kaveri.streams.testkit.KitAssertions.assertDeadLetter;
import static org.assertj.core.api.Assertions.assertThat;

/** Views, clicks and purchases on topics keyed by user (the three keyed.by.user settings): no by-user repartition. */
class EnrichmentKeyedInputTest {

    private static final long T0 = 1_767_225_600_000L; // 2026-01-01T00:00:00Z, a minute boundary

    private static Map<String, String> settings(boolean keyed) {
        Map<String, String> settings = new HashMap<>(EnrichmentFixture.SETTINGS);
        if (keyed) {
            settings.put(EnrichmentApp.PAGEVIEWS_KEYED_CONFIG, "true");
            settings.put(EnrichmentApp.CLICKS_KEYED_CONFIG, "true");
            settings.put(EnrichmentApp.PURCHASES_KEYED_CONFIG, "true");
        }
        return settings;
    }

    /** Everything each output of the app wrote, as text, for the same input keyed by user or by record id. */
    private static Map<String, List<String>> run(boolean keyed) {
        try (KitDriver driver = EnrichmentFixture.kit(settings(keyed)).open()) {
            EnrichmentFixture f = new EnrichmentFixture(driver, keyed);
            f.user(42, "Ann", T0).renameUser(42, "Ann B", T0 + 10_000)
                    .view("v1", "42", T0 + 5_000)              // before the rename, arrives after it
                    .view("v2", "42", T0 + 12_000).view("v2", "42", T0 + 12_000)
                    .view("v3", "7", T0 + 13_000)
                    .impression("i1", "c", T0 + 1_000).click("k1", "i1", "c", "42", T0 + 14_000)
                    .purchase("p1", "42", "19.99", T0 + 15_000).purchase("p1", "42", "19.99", T0 + 15_000)
                    .view("tick", "clock", T0 + 15_000 + VIEW_GRACE)
                    .view("close", "clock", T0 + 15_000 + GAP + GRACE + 60_000 + 2 * GRACE);
            assertThat(f.dlq.readRecords()).isEmpty();
            Map<String, List<String>> out = new TreeMap<>();
            out.put("enriched", f.enriched.readRecords().stream().map(r -> r.key() + ":" + r.value().getViewId() + ":"
                    + (r.value().getUser() == null ? "-" : r.value().getUser().getName())).toList());
            out.put("sessions", f.sessions().stream().map(Object::toString).toList());
            out.put("ctr", f.finalCtr().values().stream().map(Object::toString).sorted().toList());
            out.put("late", f.late.readRecords().stream().map(r -> r.value().toString()).toList());
            return out;
        }
    }

    @Test
    void recordsKeyedByUserGiveTheSameOutputsAsTheRepartitionedDefault() {
        Map<String, List<String>> keyed = run(true);
        assertThat(keyed).isEqualTo(run(false));
        assertThat(keyed.get("enriched")).containsExactly("42:v1:Ann", "42:v2:Ann B", "7:v3:-", "clock:tick:-");
        assertThat(keyed.get("sessions")).hasSize(2).anySatisfy(session -> assertThat(session).contains("\"userId\": \"42\"",
                "\"pageViews\": 2", "\"clicks\": 1", "\"purchases\": 1", "19.9900"));
        try (KitDriver driver = EnrichmentFixture.kit(settings(true)).open()) {
            assertThat(driver.topology().describe().toString())
                    .doesNotContain("by-user-repartition").doesNotContain("join-users-left-repartition")
                    .contains("enrichment-clicks-by-impression-repartition", "enrichment-users-by-id-repartition");
        }
    }

    @Test
    void aRecordKeyedByAnotherUserOrByNothingGoesToTheDeadLetterTopicAndProcessingContinues() {
        try (KitDriver driver = EnrichmentFixture.kit(settings(true)).open()) {
            EnrichmentFixture f = new EnrichmentFixture(driver, true);
            Instant at = Instant.ofEpochMilli(T0 + 1_000);
            f.user(42, "Ann", T0);
            f.views.pipe("7", PageView.newBuilder().setViewId("wrong").setUserId("42").setUrl("u").setTs(at).build(), T0 + 1_000);
            f.views.pipe(null, PageView.newBuilder().setViewId("unkeyed").setUserId("42").setUrl("u").setTs(at).build(), T0 + 1_000);
            f.clicks.pipe("7", Click.newBuilder().setClickId("k").setImpressionId("i").setCampaignId("c").setAdId("a")
                    .setUserId("42").setTs(at).build(), T0 + 1_000);
            f.purchases.pipe(null, Purchase.newBuilder().setPurchaseId("p").setUserId("42").setProductId("x").setQuantity(1)
                    .setAmount(new BigDecimal("1.0000")).setCurrency("EUR").setTs(at).build(), T0 + 1_000);
            f.view("right", "42", T0 + 2_000).view("tick", "clock", T0 + 2_000 + VIEW_GRACE);

            List<TestRecord<byte[], byte[]>> dead = f.dlq.readRecords();
            assertThat(dead).hasSize(4);
            assertDeadLetter(dead.get(0)).hasCause(KeyedInput.KeyMismatchException.class)
                    .hasMessageContaining("topic " + EnrichmentFixture.PAGEVIEWS + ": a record keyed '7' has '42'")
                    .hasMessageContaining(EnrichmentApp.PAGEVIEWS_KEYED_CONFIG + "=true").cameFrom(EnrichmentFixture.PAGEVIEWS);
            assertDeadLetter(dead.get(1)).hasCause(KeyedInput.KeyMismatchException.class).hasMessageContaining("keyed null")
                    .hasMessageContaining(EnrichmentApp.PAGEVIEWS_KEYED_CONFIG);
            assertDeadLetter(dead.get(2)).hasCause(KeyedInput.KeyMismatchException.class)
                    .hasMessageContaining("a record keyed '7' has '42'").hasMessageContaining(EnrichmentApp.CLICKS_KEYED_CONFIG)
                    .cameFrom(EnrichmentFixture.CLICKS);
            assertDeadLetter(dead.get(3)).hasCause(KeyedInput.KeyMismatchException.class).hasMessageContaining("keyed null")
                    .hasMessageContaining(EnrichmentApp.PURCHASES_KEYED_CONFIG).cameFrom(EnrichmentFixture.PURCHASES);
            assertThat(f.enriched.readRecords()).extracting(r -> r.value().getViewId())
                    .as("the tick is still within grace").containsExactly("right");
        }
    }

    @Test
    void keyedTopologyMatchesTheGoldenFile() {
        try (KitDriver driver = EnrichmentFixture.kit(settings(true)).open()) {
            GoldenTopology.assertTopologyMatches(driver.topology(), "src/test/resources/golden/enrichment-keyed.txt");
        }
    }
}
