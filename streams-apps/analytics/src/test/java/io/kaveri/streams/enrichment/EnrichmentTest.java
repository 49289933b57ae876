package io.kaveri.streams.enrichment;

import io.kaveri.schemas.ads.CampaignCtr;
import io.kaveri.schemas.ads.Click;
import io.kaveri.schemas.web.EnrichedPageView;
import io.kaveri.schemas.web.UserSession;
import io.kaveri.streams.testkit.GoldenTopology;
import io.kaveri.streams.testkit.StreamsTestKit;
import io.kaveri.streams.timeline.AppKit;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.SchemaBuilder;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.kaveri.streams.enrichment.EnrichmentFixture.CLICK_WINDOW;
import static io.kaveri.streams.enrichment.EnrichmentFixture.GAP;
import static io.kaveri.streams.enrichment.EnrichmentFixture.GRACE;
import static io.kaveri.streams.enrichment.EnrichmentFixture.VIEW_GRACE;
import static io.kaveri.streams.testkit.KitAssertions.assertDeadLetter;
import static org.assertj.core.api.Assertions.assertThat;

class EnrichmentTest {

    private static final long T0 = 1_767_225_600_000L; // 2026-01-01T00:00:00Z, a minute boundary

    @RegisterExtension
    final StreamsTestKit kit = EnrichmentFixture.kit(EnrichmentFixture.SETTINGS);

    private EnrichmentFixture f;

    @BeforeEach
    void fixture() {
        f = new EnrichmentFixture(kit.driver());
    }

    private List<String> enrichedNames() {
        return f.enriched.readRecords().stream().filter(r -> !r.key().equals("clock"))
                .map(r -> r.value().getViewId() + ":" + (r.value().getUser() == null ? "-" : r.value().getUser().getName()))
                .toList();
    }

    // ---- page views with users

    @Test
    void aViewGetsTheUserAsOfItsOwnTimeEvenWhenALaterUpdateArrivedFirst() {
        f.user(42, "Ann", T0).renameUser(42, "Ann B", T0 + 10_000)
                .view("v1", "42", T0 + 5_000)     // before the rename, arrives after it
                .view("v2", "42", T0 + 20_000)
                .view("tick", "clock", T0 + 20_000 + VIEW_GRACE);
        assertThat(enrichedNames()).containsExactly("v1:Ann", "v2:Ann B");
    }

    @Test
    void aViewWaitsForGraceSoThatAUserCommittedBeforeItButReadAfterItCounts() {
        f.view("v1", "42", T0 + 1_000)
                .user(42, "Ann", T0)                 // the CDC pipeline lags: committed earlier, read later
                .view("tick", "clock", T0 + 1_000 + VIEW_GRACE - 1);
        assertThat(enrichedNames()).as("still within grace").isEmpty();
        f.view("tick2", "clock", T0 + 1_000 + VIEW_GRACE);
        assertThat(enrichedNames()).containsExactly("v1:Ann");
    }

    @Test
    void aViewOlderThanGraceOnArrivalIsEnrichedAtOnceAsOfItsOwnTimeAndWaitingViewsGoOutInTimeOrder() {
        f.user(42, "Ann", T0).renameUser(42, "Ann B", T0 + 10_000)
                .view("v2", "42", T0 + 12_000)
                .view("v3", "42", T0 + 11_000)                 // out of order within grace: waits, goes out first
                .view("v4", "42", T0 + 12_000 + VIEW_GRACE);    // releases v3 and v2
        assertThat(enrichedNames()).containsExactly("v3:Ann B", "v2:Ann B");
        f.view("old", "42", T0 + 5_000);                       // older than grace: at once, as of its own time
        assertThat(enrichedNames()).containsExactly("old:Ann");
        f.view("tick", "clock", T0 + 12_000 + 2 * VIEW_GRACE);
        assertThat(enrichedNames()).containsExactly("v4:Ann B");
    }

    @Test
    void aViewOfAnUnknownOrDeletedUserIsKeptWithoutAProfile() {
        f.user(42, "Ann", T0).deleteUser(42, T0 + 10_000)
                .view("v1", "7", T0 + 1_000)
                .view("v2", "42", T0 + 5_000)
                .view("v3", "42", T0 + 15_000)
                .view("tick", "clock", T0 + 15_000 + VIEW_GRACE);
        assertThat(enrichedNames()).containsExactly("v1:-", "v2:Ann", "v3:-");
    }

    @Test
    void theGlobalVariantEnrichesWithTheLatestUserWithoutWaiting() {
        Map<String, String> settings = new HashMap<>(EnrichmentFixture.SETTINGS);
        settings.put(EnrichmentApp.USERS_JOIN_CONFIG, EnrichmentApp.JOIN_GLOBAL);
        try (var driver = EnrichmentFixture.kit(settings).open()) {
            EnrichmentFixture g = new EnrichmentFixture(driver);
            g.user(42, "Ann", T0).view("v1", "42", T0 + 1_000)
                    .renameUser(42, "Ann B", T0 + 10_000).view("v0", "42", T0 + 500)
                    .deleteUser(42, T0 + 20_000).view("v2", "42", T0 + 30_000);
            assertThat(g.enriched.readRecords()).extracting(r -> r.value().getViewId() + ":"
                    + (r.value().getUser() == null ? "-" : r.value().getUser().getName()))
                    .containsExactly("v1:Ann", "v0:Ann B", "v2:-");
            GoldenTopology.assertTopologyMatches(driver.topology(), "src/test/resources/golden/enrichment-global.txt");
        }
    }

    @Test
    void aUsersRecordThatIsNotAChangeEventGoesToTheDeadLetterTopic() {
        GenericRecord notAnEnvelope = new GenericData.Record(SchemaBuilder.record("Row").fields().requiredLong("id").endRecord());
        notAnEnvelope.put("id", 42L);
        byte[] value = AppKit.generic(kit.driver(), false).serializer().serialize("elsewhere", notAnEnvelope);
        byte[] key = AppKit.generic(kit.driver(), true).serializer().serialize(EnrichmentFixture.USERS,
                EnrichmentFixture.CDC.key(Map.of("id", 42L)));
        kit.driver().input(EnrichmentFixture.USERS, Serdes.ByteArray(), Serdes.ByteArray()).pipe(key, value, T0);
        f.user(42, "Ann", T0).view("v1", "42", T0 + 1_000).view("tick", "clock", T0 + 1_000 + VIEW_GRACE);

        List<TestRecord<byte[], byte[]>> dead = f.dlq.readRecords();
        assertThat(dead).hasSize(1);
        assertDeadLetter(dead.get(0)).cameFrom(EnrichmentFixture.USERS).hasOriginalValue(value)
                .hasMessageContaining(EnrichmentFixture.USERS).hasMessageContaining("not a change event");
        assertThat(enrichedNames()).containsExactly("v1:Ann");
    }

    @Test
    void anUnreadablePageViewGoesToTheDeadLetterTopicAndTheNextOneIsProcessed() {
        byte[] garbage = "{\"viewId\":1}".getBytes(StandardCharsets.UTF_8);
        kit.driver().input(EnrichmentFixture.PAGEVIEWS, Serdes.String(), Serdes.ByteArray()).pipe("v0", garbage, T0);
        f.view("v1", "7", T0 + 1_000).view("tick", "clock", T0 + 1_000 + VIEW_GRACE);
        assertThat(f.dlq.readRecords()).singleElement()
                .satisfies(r -> assertDeadLetter(r).hasOriginalValue(garbage).cameFrom(EnrichmentFixture.PAGEVIEWS));
        assertThat(enrichedNames()).containsExactly("v1:-");
    }

    // ---- click-through rate

    @Test
    void clicksJoinTheirImpressionAndCountInTheImpressionsMinute() {
        f.impression("i1", "c", T0 + 1_000).impression("i2", "c", T0 + 2_000).impression("i3", "c", T0 + 61_000)
                .click("k1", "i1", "c", "u1", T0 + 60_500)          // next minute, counts for i1's minute
                .click("k2", "unknown", "c", "u1", T0 + 66_000)     // no impression: not counted
                .impression("tick", "clock", T0 + 2 * 60_000 + CLICK_WINDOW + GRACE);
        Map<String, CampaignCtr> ctr = f.finalCtr();
        assertThat(ctr.get("c@" + T0)).satisfies(c -> {
            assertThat(c.getImpressions()).isEqualTo(2);
            assertThat(c.getClicks()).isEqualTo(1);
            assertThat(c.getCtr()).isEqualTo(0.5);
            assertThat(c.getWindowEnd().toEpochMilli()).isEqualTo(T0 + 60_000);
        });
        assertThat(ctr.get("c@" + (T0 + 60_000))).satisfies(c -> {
            assertThat(c.getImpressions()).isEqualTo(1);
            assertThat(c.getClicks()).isZero();
            assertThat(c.getCtr()).isZero();
        });
    }

    @Test
    void redeliveredImpressionsAndRepeatedClicksCountOnce() {
        f.impression("i1", "c", T0 + 1_000).impression("i1", "c", T0 + 1_000).impression("i2", "c", T0 + 2_000)
                .click("k1", "i1", "c", "u1", T0 + 3_000).click("k1", "i1", "c", "u1", T0 + 3_000)
                .click("k2", "i1", "c", "u1", T0 + 4_000);
        CampaignCtr c = f.finalCtr().get("c@" + T0);
        assertThat(c.getImpressions()).isEqualTo(2);
        assertThat(c.getClicks()).isEqualTo(1);
    }

    @Test
    void outOfOrderClicksWithinGraceCountAndAClickAfterItsJoinWindowClosedIsLate() {
        f.impression("i1", "c", T0 + 1_000).impression("i2", "c", T0 + 2_000)
                .impression("later", "c", T0 + CLICK_WINDOW + 4_000)
                .click("k2", "i2", "c", "u1", T0 + 2_500)                    // out of order, within grace
                .impression("tick", "clock", T0 + 1_000 + CLICK_WINDOW + GRACE + 1_000)
                .click("k1", "i1", "c", "u1", T0 + 1_500);                   // its join window has closed
        assertThat(f.finalCtr().get("c@" + T0).getClicks()).isEqualTo(1);
        // The test driver runs all sub-topologies as one task, so the click is also late for its session.
        assertThat(f.late.readRecords()).extracting(TestRecord::value)
                .anySatisfy(v -> assertThat(((Click) v).getClickId()).isEqualTo("k1"));
    }

    // ---- sessions

    @Test
    void viewsClicksAndPurchasesOfOneSessionBecomeOneRecordWhenItCloses() {
        f.view("v1", "u1", T0).click("k1", "i1", "c", "u1", T0 + 10_000)
                .purchase("p1", "u1", "19.99", T0 + 20_000).purchase("p2", "u1", "5.0001", T0 + 30_000)
                .view("v2", "u1", T0 + 40_000)
                .view("v3", "u1", T0 + 40_000 + GAP + 1);                     // after the gap: a new session
        closeSessionsAt(T0 + 40_000 + GAP + GRACE - 1);
        assertThat(f.sessions()).as("not closed yet").isEmpty();

        closeSessionsAt(T0 + 40_000 + GAP + GRACE + 1);
        List<UserSession> sessions = f.sessions();
        assertThat(sessions).singleElement().satisfies(s -> {
            assertThat(s.getUserId()).isEqualTo("u1");
            assertThat(s.getSessionStart().toEpochMilli()).isEqualTo(T0);
            assertThat(s.getSessionEnd().toEpochMilli()).isEqualTo(T0 + 40_000);
            assertThat(s.getPageViews()).isEqualTo(2);
            assertThat(s.getClicks()).isEqualTo(1);
            assertThat(s.getPurchases()).isEqualTo(2);
            assertThat(s.getRevenue()).isEqualByComparingTo(new BigDecimal("24.9901"));
        });
    }

    @Test
    void redeliveredViewsClicksAndPurchasesCountOnce() {
        f.view("v1", "u1", T0).view("v1", "u1", T0)
                .click("k1", "i1", "c", "u1", T0 + 1_000).click("k1", "i1", "c", "u1", T0 + 1_000)
                .purchase("p1", "u1", "10", T0 + 2_000).purchase("p1", "u1", "10", T0 + 2_000);
        closeSessionsAt(T0 + 2_000 + GAP + GRACE + 1);
        assertThat(f.sessions()).singleElement().satisfies(s -> {
            assertThat(s.getPageViews()).isEqualTo(1);
            assertThat(s.getClicks()).isEqualTo(1);
            assertThat(s.getPurchases()).isEqualTo(1);
            assertThat(s.getRevenue()).isEqualByComparingTo("10");
        });
        assertThat(enrichedNames()).containsExactly("v1:-");
    }

    @Test
    void outOfOrderActivityWithinGraceMergesIntoTheSameSessionAndLateActivityGoesToTheLateTopic() {
        f.view("v2", "u1", T0 + 50_000).view("v1", "u1", T0)         // v1 bridges nothing yet: two sessions...
                .click("k1", "i1", "c", "u1", T0 + 25_000)           // ...until this click merges them
                .view("old", "u1", T0 + 10_000);                     // on time: it joins the session
        closeSessionsAt(T0 + 50_000 + GAP + GRACE + 1);
        f.view("late", "u1", T0 + 20_000);                           // its session has closed: late                     // its session has closed: late
        assertThat(f.sessions()).singleElement().satisfies(s -> {
            assertThat(s.getPageViews()).isEqualTo(3);
            assertThat(s.getClicks()).isEqualTo(1);
            assertThat(s.getSessionStart().toEpochMilli()).isEqualTo(T0);
            assertThat(s.getSessionEnd().toEpochMilli()).isEqualTo(T0 + 50_000);
        });
        assertThat(f.late.readRecords()).extracting(TestRecord::value).singleElement()
                .satisfies(v -> assertThat(((UserSession) v).getSessionStart().toEpochMilli()).isEqualTo(T0 + 20_000));
    }

    @Test
    void activityOnTimeButAfterItsSessionWasWrittenStartsANewSessionAndCountsOnce() {
        f.view("v1", "u1", T0);
        closeSessionsAt(T0 + GAP + GRACE);
        assertThat(f.sessions()).singleElement().satisfies(s -> assertThat(s.getPageViews()).isEqualTo(1));
        f.view("v2", "u1", T0 + GAP);                                // within the gap of v1, and still on time
        closeSessionsAt(T0 + 2 * GAP + GRACE);
        assertThat(f.sessions()).singleElement().satisfies(s -> {
            assertThat(s.getSessionStart().toEpochMilli()).isEqualTo(T0 + GAP);
            assertThat(s.getPageViews()).isEqualTo(1);
        });
        assertThat(f.late.readRecords()).isEmpty();
    }

    /** Moves stream time with a view of a user of its own, so that sessions that ended before close. */
    private void closeSessionsAt(long streamTime) {
        f.view("tick-" + streamTime, "clock", streamTime);
    }

    @Test
    void isListedWithDocumentedConfiguration() {
        AppKit.assertListedAndDocumented(new EnrichmentApp());
    }

    @Test
    void topologyMatchesTheGoldenDescription() {
        GoldenTopology.assertTopologyMatches(kit.driver().topology(), "src/test/resources/golden/enrichment.txt");
    }
}
