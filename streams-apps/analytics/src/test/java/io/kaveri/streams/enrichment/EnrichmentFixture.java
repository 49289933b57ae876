package io.kaveri.streams.enrichment;

import io.kaveri.schemas.ads.CampaignCtr;
import io.kaveri.schemas.ads.Click;
import io.kaveri.schemas.ads.Impression;
import io.kaveri.schemas.web.EnrichedPageView;
import io.kaveri.schemas.web.PageView;
import io.kaveri.schemas.web.Purchase;
import io.kaveri.schemas.web.UserSession;
import io.kaveri.streams.testkit.KitDriver;
import io.kaveri.streams.testkit.StreamsTestKit;
import io.kaveri.streams.testkit.TestInput;
import io.kaveri.streams.testkit.TestOutput;
import io.kaveri.streams.timeline.AppKit;
import io.kaveri.streams.timeline.CdcEvents;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.test.TestRecord;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Drives an enrichment topology with the demo's topics, small windows and grace (see SETTINGS). */
final class EnrichmentFixture {

    static final long GRACE = 5_000;
    static final long VIEW_GRACE = 2_000;
    static final long CLICK_WINDOW = 60_000;
    static final long GAP = 60_000;
    static final Map<String, String> SETTINGS = Map.of(
            EnrichmentApp.GRACE_MS_CONFIG, Long.toString(GRACE),
            EnrichmentApp.VIEWS_GRACE_MS_CONFIG, Long.toString(VIEW_GRACE),
            EnrichmentApp.CLICK_WINDOW_MS_CONFIG, Long.toString(CLICK_WINDOW),
            EnrichmentApp.SESSION_GAP_MS_CONFIG, Long.toString(GAP));

    static final String PAGEVIEWS = "kaveri.web.pageviews";
    static final String USERS = "kaveri.public.users";
    static final String IMPRESSIONS = "kaveri.ads.impressions";
    static final String CLICKS = "kaveri.ads.clicks";
    static final String PURCHASES = "kaveri.web.purchases";
    static final String ENRICHED = "kaveri.web.pageviews.enriched";
    static final String CTR = "kaveri.ads.ctr";
    static final String SESSIONS = "kaveri.web.sessions";
    static final String LATE = "kaveri-enrichment-late";
    static final String DLQ = "kaveri-enrichment-dlq";

    private static final Schema TIMESTAMP = LogicalTypes.timestampMillis().addToSchema(Schema.create(Schema.Type.LONG));
    static final Schema USER_ROW = SchemaBuilder.record("Value").namespace("kaveri.public.users").fields()
            .requiredLong("id").requiredString("name").optionalString("email").optionalString("country")
            .name("created_at").type(TIMESTAMP).noDefault()
            .name("updated_at").type(TIMESTAMP).noDefault()
            .endRecord();
    static final CdcEvents CDC = new CdcEvents("users", USER_ROW, "id");

    static StreamsTestKit kit(Map<String, String> settings) {
        return AppKit.of(new EnrichmentApp(), settings);
    }

    final KitDriver driver;
    final TestInput<String, PageView> views;
    final TestInput<GenericRecord, GenericRecord> users;
    final TestInput<String, Impression> impressions;
    final TestInput<String, Click> clicks;
    final TestInput<String, Purchase> purchases;
    final TestOutput<String, EnrichedPageView> enriched;
    final TestOutput<String, CampaignCtr> ctr;
    final TestOutput<String, UserSession> sessions;
    final TestOutput<String, SpecificRecord> late;
    final TestOutput<byte[], byte[]> dlq;
    /** Views, clicks and purchases keyed by their user (as the keyed.by.user settings expect), else by their own id. */
    private final boolean keyedByUser;

    EnrichmentFixture(KitDriver driver) {
        this(driver, false);
    }

    EnrichmentFixture(KitDriver driver, boolean keyedByUser) {
        this.driver = driver;
        this.keyedByUser = keyedByUser;
        this.views = driver.input(PAGEVIEWS, Serdes.String(), AppKit.<PageView>specific(driver, false));
        this.users = driver.input(USERS, AppKit.generic(driver, true), AppKit.generic(driver, false));
        this.impressions = driver.input(IMPRESSIONS, Serdes.String(), AppKit.<Impression>specific(driver, false));
        this.clicks = driver.input(CLICKS, Serdes.String(), AppKit.<Click>specific(driver, false));
        this.purchases = driver.input(PURCHASES, Serdes.String(), AppKit.<Purchase>specific(driver, false));
        this.enriched = driver.output(ENRICHED, Serdes.String(), AppKit.<EnrichedPageView>specific(driver, false));
        this.ctr = driver.output(CTR, Serdes.String(), AppKit.<CampaignCtr>specific(driver, false));
        this.sessions = driver.output(SESSIONS, Serdes.String(), AppKit.<UserSession>specific(driver, false));
        this.late = driver.output(LATE, Serdes.String(), AppKit.<SpecificRecord>specific(driver, false));
        this.dlq = driver.rawOutput(DLQ);
    }

    EnrichmentFixture view(String viewId, String user, long atMs) {
        views.pipe(keyedByUser ? user : viewId, PageView.newBuilder().setViewId(viewId).setUserId(user).setUrl("https://shop.example/" + viewId)
                .setTs(Instant.ofEpochMilli(atMs)).build(), atMs);
        return this;
    }

    EnrichmentFixture user(long id, String name, long commitMs) {
        Map<String, Object> row = row(id, name, commitMs);
        users.pipe(CDC.key(row), CDC.create(row, commitMs), commitMs);
        return this;
    }

    EnrichmentFixture renameUser(long id, String name, long commitMs) {
        Map<String, Object> row = row(id, name, commitMs);
        users.pipe(CDC.key(row), CDC.update(null, row, commitMs), commitMs);
        return this;
    }

    EnrichmentFixture deleteUser(long id, long commitMs) {
        Map<String, Object> row = row(id, "gone", commitMs);
        users.pipe(CDC.key(row), CDC.delete(row, commitMs), commitMs);
        users.pipe(CDC.key(row), null, commitMs);
        return this;
    }

    private static Map<String, Object> row(long id, String name, long commitMs) {
        Map<String, Object> row = new HashMap<>();
        row.put("id", id);
        row.put("name", name);
        row.put("country", "IN");
        row.put("created_at", 1_000L);
        row.put("updated_at", commitMs);
        return row;
    }

    EnrichmentFixture impression(String id, String campaign, long atMs) {
        impressions.pipe(id, Impression.newBuilder().setImpressionId(id).setCampaignId(campaign).setAdId("ad-" + campaign)
                .setUserId("u-" + id).setTs(Instant.ofEpochMilli(atMs)).build(), atMs);
        return this;
    }

    EnrichmentFixture click(String id, String impressionId, String campaign, String user, long atMs) {
        clicks.pipe(keyedByUser ? user : id, Click.newBuilder().setClickId(id).setImpressionId(impressionId).setCampaignId(campaign)
                .setAdId("ad-" + campaign).setUserId(user).setTs(Instant.ofEpochMilli(atMs)).build(), atMs);
        return this;
    }

    EnrichmentFixture purchase(String id, String user, String amount, long atMs) {
        purchases.pipe(keyedByUser ? user : id, Purchase.newBuilder().setPurchaseId(id).setUserId(user).setProductId("p1").setQuantity(1)
                .setAmount(new BigDecimal(amount)).setCurrency("EUR").setTs(Instant.ofEpochMilli(atMs)).build(), atMs);
        return this;
    }

    /** The last CTR record of each campaign and window start: the window's final value once it has closed. */
    Map<String, CampaignCtr> finalCtr() {
        Map<String, CampaignCtr> out = new HashMap<>();
        for (TestRecord<String, CampaignCtr> r : ctr.readRecords()) {
            out.put(r.key() + "@" + r.value().getWindowStart().toEpochMilli(), r.value());
        }
        return out;
    }

    List<UserSession> sessions() {
        return sessions.readRecords().stream().map(TestRecord::value).filter(s -> !s.getUserId().equals("clock")).toList();
    }
}
