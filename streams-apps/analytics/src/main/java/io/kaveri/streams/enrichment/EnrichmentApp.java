package io.kaveri.streams.enrichment;

import io.kaveri.schemas.ads.CampaignCtr;
import io.kaveri.schemas.ads.Click;
import io.kaveri.schemas.ads.Impression;
import io.kaveri.schemas.web.EnrichedPageView;
import io.kaveri.schemas.web.PageView;
import io.kaveri.schemas.web.Purchase;
import io.kaveri.schemas.web.User;
import io.kaveri.schemas.web.UserSession;
import io.kaveri.streams.runtime.AvroSerdes;
import io.kaveri.streams.runtime.EventTime;
import io.kaveri.streams.runtime.HashStores;
import io.kaveri.streams.runtime.KeyedInput;
import io.kaveri.streams.runtime.LateRecords;
import io.kaveri.streams.runtime.StreamsApp;
import io.kaveri.streams.runtime.StreamsAppConfig;
import io.kaveri.streams.runtime.TopicSpec;
import io.kaveri.streams.runtime.VersionedStores;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.Width;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.JoinWindows;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.kstream.StreamJoined;
import org.apache.kafka.streams.kstream.TimeWindows;
import org.apache.kafka.streams.state.BuiltInDslStoreSuppliers;
import org.apache.kafka.streams.state.Stores;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Web and ads analytics on the demo traffic, three topologies in one app:
 * <ol>
 *   <li>page views joined with the user as of the view's time (users come from the CDC topic of the
 *       {@code users} table) into {@link EnrichedPageView}s. By default the users table is a versioned KTable,
 *       co-partitioned with the views; {@code enrichment.users.join=global} reads it into a global store on
 *       every instance instead (no repartition of the views, but the latest user rather than the one as of the
 *       view's time);</li>
 *   <li>clicks joined with their impression within a window, into the click-through rate per campaign and
 *       minute of the impression ({@link CampaignCtr}, updated as clicks come in);</li>
 *   <li>page views, clicks and purchases of a user merged into session windows ({@link UserSession}, one
 *       record per session once it has closed).</li>
 * </ol>
 *
 * <p><b>Stores.</b> Every store is in memory, with a changelog. Kafka Streams 4.3 has no in-memory versioned
 * store and its stream-table join buffer is RocksDB-only, so the versioned users table is Kaveri's
 * ({@code VersionedStores.inMemory}, bounded by the history retention) and the views waiting for their grace period
 * are held by {@link ViewsJoinUsers}. Sessions are in {@link KeyOrderedSessionStore}, ordered by user (Kafka's
 * in-memory session store is ordered by session end).
 */
public final class EnrichmentApp implements StreamsApp {

    public static final String PAGEVIEWS_TOPIC_CONFIG = "enrichment.pageviews.topic";
    public static final String PAGEVIEWS_KEYED_CONFIG = "enrichment.pageviews.keyed.by.user";
    public static final String CLICKS_KEYED_CONFIG = "enrichment.clicks.keyed.by.user";
    public static final String PURCHASES_KEYED_CONFIG = "enrichment.purchases.keyed.by.user";
    public static final String USERS_TOPIC_CONFIG = "enrichment.users.topic";
    public static final String USERS_ID_COLUMN_CONFIG = "enrichment.users.id.column";
    public static final String USERS_JOIN_CONFIG = "enrichment.users.join";
    public static final String USERS_HISTORY_MS_CONFIG = "enrichment.users.history.ms";
    public static final String VIEWS_GRACE_MS_CONFIG = "enrichment.pageviews.grace.ms";
    public static final String ENRICHED_TOPIC_CONFIG = "enrichment.enriched.topic";
    public static final String IMPRESSIONS_TOPIC_CONFIG = "enrichment.impressions.topic";
    public static final String CLICKS_TOPIC_CONFIG = "enrichment.clicks.topic";
    public static final String CLICK_WINDOW_MS_CONFIG = "enrichment.click.window.ms";
    public static final String CTR_TOPIC_CONFIG = "enrichment.ctr.topic";
    public static final String PURCHASES_TOPIC_CONFIG = "enrichment.purchases.topic";
    public static final String SESSION_GAP_MS_CONFIG = "enrichment.session.gap.ms";
    public static final String SESSIONS_TOPIC_CONFIG = "enrichment.sessions.topic";
    public static final String GRACE_MS_CONFIG = "enrichment.grace.ms";

    public static final String JOIN_VERSIONED = "versioned";
    public static final String JOIN_GLOBAL = "global";

    static final String USERS_STORE = "enrichment-users";
    static final String PENDING_VIEWS_STORE = "enrichment-pageviews-pending";
    static final String CTR_STORE = "enrichment-ctr";
    static final String SESSIONS_STORE = "enrichment-sessions";
    static final Duration CTR_WINDOW = Duration.ofMinutes(1);

    @Override
    public String name() {
        return "enrichment";
    }

    @Override
    public String description() {
        return "page views + users, clicks + impressions -> CTR per campaign-minute, user sessions";
    }

    @Override
    public ConfigDef configDef() {
        String g = "Enrichment";
        int o = 0;
        ConfigDef.Validator topic = new ConfigDef.NonEmptyString();
        return new ConfigDef()
                .define(PAGEVIEWS_TOPIC_CONFIG, Type.STRING, "kaveri.web.pageviews", topic, Importance.HIGH,
                        "Topic of page views (io.kaveri.schemas.web.PageView), any key unless "
                                + PAGEVIEWS_KEYED_CONFIG + " is true.", g, ++o, Width.MEDIUM, "Page views topic")
                .define(PAGEVIEWS_KEYED_CONFIG, Type.BOOLEAN, false, Importance.MEDIUM, keyedDoc("page views"),
                        g, ++o, Width.SHORT, "Page views keyed by user")
                .define(USERS_TOPIC_CONFIG, Type.STRING, "kaveri.public.users", topic, Importance.HIGH,
                        "CDC topic of the users table: Debezium change events, as the PostgreSQL source connector "
                                + "writes them.", g, ++o, Width.MEDIUM, "Users CDC topic")
                .define(USERS_ID_COLUMN_CONFIG, Type.STRING, "id", topic, Importance.LOW,
                        "Column of the users table holding the user id that page views, clicks and purchases carry.",
                        g, ++o, Width.SHORT, "User id column")
                .define(USERS_JOIN_CONFIG, Type.STRING, JOIN_VERSIONED, ConfigDef.ValidString.in(JOIN_VERSIONED, JOIN_GLOBAL),
                        Importance.MEDIUM, "versioned: the users table is a versioned KTable partitioned like the "
                                + "views, and a view gets the user as of its own time. global: every instance holds "
                                + "the whole table (latest version only) and views are enriched without a repartition.",
                        g, ++o, Width.SHORT, "Users join")
                .define(USERS_HISTORY_MS_CONFIG, Type.LONG, 3_600_000L, ConfigDef.Range.atLeast(0), Importance.LOW,
                        "How far back the versioned users table keeps old versions: a page view older than this (in "
                                + "event time, behind the newest change) gets the oldest version kept. One hour covers "
                                + "replays of an hour's traffic; never less than the page-view grace is kept.",
                        g, ++o, Width.SHORT, "Users history (ms)")
                .define(VIEWS_GRACE_MS_CONFIG, Type.LONG, 5_000L, ConfigDef.Range.atLeast(0), Importance.MEDIUM,
                        "How long a page view waits for user changes committed before it but not yet read (the CDC "
                                + "pipeline lags the page-view pipeline by a few seconds); every enriched view is "
                                + "delayed by this much. Versioned join only.", g, ++o, Width.SHORT, "Page-view grace (ms)")
                .define(ENRICHED_TOPIC_CONFIG, Type.STRING, "kaveri.web.pageviews.enriched", topic, Importance.HIGH,
                        "Output: page views with their user, keyed by user id.", g, ++o, Width.MEDIUM, "Enriched views topic")
                .define(IMPRESSIONS_TOPIC_CONFIG, Type.STRING, "kaveri.ads.impressions", topic, Importance.HIGH,
                        "Topic of ad impressions (io.kaveri.schemas.ads.Impression), any key.", g, ++o, Width.MEDIUM, "Impressions topic")
                .define(CLICKS_TOPIC_CONFIG, Type.STRING, "kaveri.ads.clicks", topic, Importance.HIGH,
                        "Topic of ad clicks (io.kaveri.schemas.ads.Click), any key unless " + CLICKS_KEYED_CONFIG
                                + " is true.", g, ++o, Width.MEDIUM, "Clicks topic")
                .define(CLICKS_KEYED_CONFIG, Type.BOOLEAN, false, Importance.MEDIUM, keyedDoc("clicks")
                                + " Clicks are still re-keyed by impression for the click-through join.",
                        g, ++o, Width.SHORT, "Clicks keyed by user")
                .define(CLICK_WINDOW_MS_CONFIG, Type.LONG, 600_000L, ConfigDef.Range.atLeast(1), Importance.MEDIUM,
                        "A click counts for an impression up to this long apart in event time (either way, for "
                                + "clock skew between ad servers). 10 minutes: later clicks are rare and mostly from "
                                + "reopened tabs. The CTR of a minute is final this long plus the grace after it.",
                        g, ++o, Width.SHORT, "Click window (ms)")
                .define(CTR_TOPIC_CONFIG, Type.STRING, "kaveri.ads.ctr", topic, Importance.HIGH,
                        "Output: click-through rate per campaign and minute, keyed by campaign id, updated as "
                                + "impressions and clicks arrive (the last record of a window is final).",
                        g, ++o, Width.MEDIUM, "CTR topic")
                .define(PURCHASES_TOPIC_CONFIG, Type.STRING, "kaveri.web.purchases", topic, Importance.HIGH,
                        "Topic of purchases (io.kaveri.schemas.web.Purchase), any key unless " + PURCHASES_KEYED_CONFIG
                                + " is true.", g, ++o, Width.MEDIUM, "Purchases topic")
                .define(PURCHASES_KEYED_CONFIG, Type.BOOLEAN, false, Importance.MEDIUM, keyedDoc("purchases"),
                        g, ++o, Width.SHORT, "Purchases keyed by user")
                .define(SESSION_GAP_MS_CONFIG, Type.LONG, 1_800_000L, ConfigDef.Range.atLeast(1), Importance.MEDIUM,
                        "A session ends after this much inactivity; 30 minutes is the web analytics convention.",
                        g, ++o, Width.SHORT, "Session gap (ms)")
                .define(SESSIONS_TOPIC_CONFIG, Type.STRING, "kaveri.web.sessions", topic, Importance.HIGH,
                        "Output: one io.kaveri.schemas.web.UserSession per closed session, keyed by user id.",
                        g, ++o, Width.MEDIUM, "Sessions topic")
                .define(GRACE_MS_CONFIG, Type.LONG, 30_000L, ConfigDef.Range.atLeast(0), Importance.MEDIUM,
                        "How late (in event time, behind the newest record) a record may arrive and still count in "
                                + "its join window, CTR minute or session; later ones go to the late topic. 30 s covers "
                                + "producer retries and a connector restart.", g, ++o, Width.SHORT, "Grace (ms)");
    }

    /** One setting per input, since each topic may come from its own route or producer. */
    private static String keyedDoc(String records) {
        return KeyedInput.settingDoc(records, "userId") + " The topic must then have as many partitions as the other "
                + "inputs (kaveri deploy creates them so).";
    }

    @Override
    public Topology build(StreamsAppConfig config) {
        StreamsBuilder builder = new StreamsBuilder();
        // Views keyed by user serve both the users join and the sessions; clicks are read once for CTR and sessions.
        Duration dedup = Duration.ofMillis(config.getLong(SESSION_GAP_MS_CONFIG) + config.getLong(GRACE_MS_CONFIG));
        // Views read with String keys: in place, their key check keeps the key, so the users join adds no repartition.
        String viewsTopic = config.getString(PAGEVIEWS_TOPIC_CONFIG);
        KStream<String, PageView> viewsByUser = KeyedInput.byStringKey(builder.stream(viewsTopic,
                        Consumed.with(Serdes.String(), AvroSerdes.<PageView>specificValue(config))
                                .withTimestampExtractor(EventTime.of(PageView.class, PageView::getTs))
                                .withName("enrichment-pageviews-source")),
                v -> required(viewsTopic, v).getUserId(), viewsTopic, PAGEVIEWS_KEYED_CONFIG,
                config.getBoolean(PAGEVIEWS_KEYED_CONFIG), AvroSerdes.specificValue(config), "enrichment-pageviews-key",
                "enrichment-pageviews-by-user");
        KStream<String, PageView> views = dedup(builder, viewsByUser, "enrichment-pageviews", dedup,
                v -> v.getTs().toEpochMilli(), PageView::getViewId);
        enrichViews(builder, config, views);
        KStream<byte[], Click> clicks = builder.stream(config.getString(CLICKS_TOPIC_CONFIG),
                consumed(config, Click.class, Click::getTs, "enrichment-clicks-source"));
        String clicksTopic = config.getString(CLICKS_TOPIC_CONFIG);
        boolean clicksKeyed = config.getBoolean(CLICKS_KEYED_CONFIG);
        Supplier<KStream<String, Click>> byUser = () -> KeyedInput.by(clicks, click -> required(clicksTopic, click).getUserId(),
                clicksTopic, CLICKS_KEYED_CONFIG, clicksKeyed, AvroSerdes.specificValue(config),
                "enrichment-clicks-key-by-user", "enrichment-clicks-by-user");
        KStream<String, Click> clicksByUser;
        if (clicksKeyed) {
            // A click keyed otherwise fails its check before the click-through join sees it: it counts nowhere,
            // rather than in one output and not the other.
            clicksByUser = byUser.get();
            clickThrough(builder, config, clicksByUser);
        } else {
            // In this order, the source's children are those of earlier releases (golden enrichment.txt).
            clickThrough(builder, config, clicks);
            clicksByUser = byUser.get();
        }
        sessions(builder, config, views, clicksByUser);
        return builder.build();
    }

    private void enrichViews(StreamsBuilder builder, StreamsAppConfig config, KStream<String, PageView> views) {
        String usersTopic = config.getString(USERS_TOPIC_CONFIG);
        String idColumn = config.getString(USERS_ID_COLUMN_CONFIG);
        Serde<User> userSerde = AvroSerdes.specificValue(config);
        Serde<EnrichedPageView> enrichedSerde = AvroSerdes.specificValue(config);
        KStream<String, EnrichedPageView> enriched;
        if (JOIN_GLOBAL.equals(config.getString(USERS_JOIN_CONFIG))) {
            // The source topic is the global store's changelog: no second copy of it. The store's serde names that
            // topic, which holds change events, so users get a subject of their own.
            builder.addGlobalStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(USERS_STORE),
                            Serdes.String(), AvroSerdes.<User>perRecordTypeValue(config)).withLoggingDisabled(), usersTopic,
                    Consumed.with(AvroSerdes.generic(config, true), AvroSerdes.generic(config, false))
                            .withName("enrichment-users-source"),
                    () -> new GlobalUsers(USERS_STORE, usersTopic, idColumn));
            enriched = views.processValues(() -> new GlobalUserLookup(USERS_STORE), Named.as("enrichment-pageviews-join-users"));
        } else {
            long history = config.getLong(USERS_HISTORY_MS_CONFIG);
            long viewGrace = config.getLong(VIEWS_GRACE_MS_CONFIG);
            // Kaveri's in-memory versioned store: the changelog of Kafka's RocksDB one, so earlier releases' tables
            // restore into it. The join is a processor of ours because the DSL's join grace buffer is RocksDB-only.
            builder.stream(usersTopic, Consumed.with(AvroSerdes.generic(config, true), AvroSerdes.generic(config, false))
                            .withName("enrichment-users-source"))
                    .process(() -> new UserRows(usersTopic, idColumn), Named.as("enrichment-users-unwrap"))
                    .repartition(Repartitioned.with(Serdes.String(), userSerde).withName("enrichment-users-by-id"))
                    .toTable(Named.as("enrichment-users-table"), Materialized.<String, User>as(
                                    VersionedStores.inMemory(USERS_STORE, Duration.ofMillis(Math.max(history, viewGrace))))
                            .withKeySerde(Serdes.String()).withValueSerde(userSerde));
            builder.addStateStore(Stores.keyValueStoreBuilder(HashStores.inMemory(PENDING_VIEWS_STORE), Serdes.Bytes(),
                    AvroSerdes.<PageView>specificValue(config)));
            enriched = views.process(() -> new ViewsJoinUsers(viewGrace, USERS_STORE, PENDING_VIEWS_STORE),
                    Named.as("enrichment-pageviews-join-users"), USERS_STORE, PENDING_VIEWS_STORE);
        }
        enriched.to(config.getString(ENRICHED_TOPIC_CONFIG), Produced.with(Serdes.String(), enrichedSerde)
                .withName("enrichment-enriched-sink"));
    }

    private void clickThrough(StreamsBuilder builder, StreamsAppConfig config, KStream<?, Click> clickSource) {
        long windowMs = config.getLong(CLICK_WINDOW_MS_CONFIG);
        long graceMs = config.getLong(GRACE_MS_CONFIG);
        // A minute's CTR can change until the last click of its last impression can no longer arrive.
        Duration ctrGrace = Duration.ofMillis(windowMs + graceMs);
        Duration dedupRetention = CTR_WINDOW.plus(ctrGrace);
        Serde<Impression> impressionSerde = AvroSerdes.specificValue(config);
        Serde<Click> clickSerde = AvroSerdes.specificValue(config);
        Serde<CampaignCtr> ctrSerde = AvroSerdes.specificValue(config);

        String impressionsTopic = config.getString(IMPRESSIONS_TOPIC_CONFIG);
        KStream<String, Impression> impressions = byKey(builder, config, impressionsTopic, Impression.class,
                Impression::getTs, Impression::getImpressionId, "enrichment-impressions", "enrichment-impressions-by-id");
        KStream<String, Click> clicks = clickSource
                .selectKey((k, click) -> required(config.getString(CLICKS_TOPIC_CONFIG), click).getImpressionId(),
                        Named.as("enrichment-clicks-key-by-impression"))
                .repartition(Repartitioned.with(Serdes.String(), clickSerde).withName("enrichment-clicks-by-impression"));

        // Records the join can no longer match are late: their join window has closed.
        LateRecords.WindowClose joinClose = ts -> ts + windowMs + graceMs;
        impressions = LateRecords.routeLate(impressions, joinClose, config.lateTopic(),
                Produced.with(Serdes.String(), AvroSerdes.<Impression>lateValue(config)), "enrichment-impressions");
        clicks = LateRecords.routeLate(clicks, joinClose, config.lateTopic(),
                Produced.with(Serdes.String(), AvroSerdes.<Click>lateValue(config)), "enrichment-clicks");
        KStream<String, Impression> uniqueImpressions = dedup(builder, impressions, "enrichment-impressions",
                dedupRetention, i -> i.getTs().toEpochMilli(), Impression::getImpressionId);

        KStream<String, Impression> joined = clicks
                .join(uniqueImpressions, (click, impression) -> impression,
                        JoinWindows.ofTimeDifferenceAndGrace(Duration.ofMillis(windowMs), Duration.ofMillis(graceMs)),
                        StreamJoined.<String, Click, Impression>with(Serdes.String(), clickSerde, impressionSerde)
                                .withName("enrichment-clicks-join-impressions")
                                .withStoreName("enrichment-clicks-join-impressions")
                                .withDslStoreSuppliers(new BuiltInDslStoreSuppliers.InMemoryDslStoreSuppliers()));
        // One click per impression counts, at the impression's time (the join stamps the later of the two).
        KStream<String, Impression> clicked = dedup(builder, joined, "enrichment-clicked-impressions", dedupRetention,
                i -> i.getTs().toEpochMilli(), Impression::getImpressionId);

        KStream<String, CampaignCtr> counts = uniqueImpressions
                .map((id, i) -> KeyValue.pair(i.getCampaignId(), Enrich.impression(i)), Named.as("enrichment-impressions-count"))
                .merge(clicked.map((id, i) -> KeyValue.pair(i.getCampaignId(), Enrich.clicked(i)),
                        Named.as("enrichment-clicks-count")), Named.as("enrichment-ctr-counts"))
                .repartition(Repartitioned.with(Serdes.String(), ctrSerde).withName("enrichment-ctr-by-campaign"));
        LateRecords.routeLate(counts, LateRecords.tumbling(CTR_WINDOW, ctrGrace), config.lateTopic(),
                        Produced.with(Serdes.String(), AvroSerdes.<CampaignCtr>lateValue(config)), "enrichment-ctr")
                .groupByKey(Grouped.<String, CampaignCtr>as("enrichment-ctr-group").withKeySerde(Serdes.String()).withValueSerde(ctrSerde))
                .windowedBy(TimeWindows.ofSizeAndGrace(CTR_WINDOW, ctrGrace))
                .reduce(Enrich::add, Named.as("enrichment-ctr-sum"), Materialized.<String, CampaignCtr>as(
                                Stores.inMemoryWindowStore(CTR_STORE, CTR_WINDOW.plus(ctrGrace), CTR_WINDOW, false))
                        .withKeySerde(Serdes.String()).withValueSerde(ctrSerde))
                .toStream(Named.as("enrichment-ctr-updates"))
                .map((w, counts1) -> KeyValue.pair(w.key(), Enrich.inWindow(counts1, w.window())), Named.as("enrichment-ctr-rate"))
                .to(config.getString(CTR_TOPIC_CONFIG), Produced.with(Serdes.String(), ctrSerde).withName("enrichment-ctr-sink"));
    }

    private void sessions(StreamsBuilder builder, StreamsAppConfig config, KStream<String, PageView> views,
                          KStream<String, Click> clicksByUser) {
        Duration gap = Duration.ofMillis(config.getLong(SESSION_GAP_MS_CONFIG));
        Duration grace = Duration.ofMillis(config.getLong(GRACE_MS_CONFIG));
        Serde<UserSession> sessionSerde = AvroSerdes.specificValue(config);
        // Views are deduplicated where they are read; a redelivered click or purchase must not count twice either.
        Duration dedup = gap.plus(grace);
        KStream<String, UserSession> clicks = dedup(builder, clicksByUser, "enrichment-clicks", dedup,
                c -> c.getTs().toEpochMilli(), Click::getClickId)
                .mapValues(Enrich::click, Named.as("enrichment-clicks-as-session"));
        String purchasesTopic = config.getString(PURCHASES_TOPIC_CONFIG);
        KStream<String, Purchase> purchasesByUser = KeyedInput.by(builder.stream(purchasesTopic,
                        consumed(config, Purchase.class, Purchase::getTs, "enrichment-purchases-source")),
                p -> required(purchasesTopic, p).getUserId(), purchasesTopic, PURCHASES_KEYED_CONFIG,
                config.getBoolean(PURCHASES_KEYED_CONFIG), AvroSerdes.specificValue(config), "enrichment-purchases-key",
                "enrichment-purchases-by-user");
        KStream<String, UserSession> purchases = dedup(builder, purchasesByUser,
                "enrichment-purchases", dedup, p -> p.getTs().toEpochMilli(), Purchase::getPurchaseId)
                .mapValues(Enrich::purchase, Named.as("enrichment-purchases-as-session"));
        KStream<String, UserSession> activity = views.mapValues(Enrich::pageView, Named.as("enrichment-pageviews-as-session"))
                .merge(clicks, Named.as("enrichment-session-views-clicks"))
                .merge(purchases, Named.as("enrichment-session-activity"));
        // Late activity goes to the late topic as the partial session it would have added (user, time, counts).
        // One processor merges activity into sessions and writes each session once it has closed, from a session
        // store of Kaveri's ordered by user: Kafka's in-memory session store is ordered by session end, so finding
        // one user's sessions walks the sessions of every user of the last gap, and the DSL's suppression would
        // keep a second copy of every open session in a buffer with a changelog of its own. Closed sessions are
        // removed, so the store holds the open ones only; its retention (twice gap plus grace) is a safety net.
        builder.addStateStore(Stores.sessionStoreBuilder(
                        KeyOrderedSessionStore.supplier(SESSIONS_STORE, 2 * gap.plus(grace).toMillis()),
                        Serdes.String(), sessionSerde)
                .withCachingDisabled().withLoggingEnabled(Map.of()));
        // Late activity goes to the late topic as the partial session it would have added (user, time, counts).
        LateRecords.routeLate(activity, LateRecords.session(gap, grace), config.lateTopic(),
                        Produced.with(Serdes.String(), AvroSerdes.<UserSession>lateValue(config)), "enrichment-sessions")
                .process(() -> new SessionsUntilClosed(SESSIONS_STORE, gap, grace), Named.as("enrichment-sessions-aggregate"),
                        SESSIONS_STORE)
                .to(config.getString(SESSIONS_TOPIC_CONFIG), Produced.with(Serdes.String(), sessionSerde)
                        .withName("enrichment-sessions-sink"));
    }

    /**
     * Drops redeliveries (same id and event time) for {@code retention} of stream time, with an in-memory window
     * store {@code <name>-seen}; later than that a record is late for every window it could count in.
     */
    private static <V> KStream<String, V> dedup(StreamsBuilder builder, KStream<String, V> stream, String name,
            Duration retention, java.util.function.ToLongFunction<V> time, Function<V, String> id) {
        String store = name + "-seen";
        builder.addStateStore(Stores.windowStoreBuilder(Stores.inMemoryWindowStore(store, retention, Duration.ofMillis(1),
                false), Serdes.String(), Serdes.Long()));
        return stream.processValues(() -> new FirstSeen<>(store, time, id), Named.as(name + "-dedup"), store);
    }

    /** A topic read with its event time, keyed by one of its fields through a named repartition. */
    private static <V extends SpecificRecord> KStream<String, V> byKey(StreamsBuilder builder, StreamsAppConfig config,
            String topic, Class<V> type, Function<V, java.time.Instant> time, Function<V, String> key,
            String name, String repartition) {
        Serde<V> serde = AvroSerdes.specificValue(config);
        return builder.stream(topic, consumed(config, type, time, name + "-source"))
                .selectKey((k, v) -> key.apply(required(topic, v)), Named.as(name + "-key"))
                .repartition(Repartitioned.with(Serdes.String(), serde).withName(repartition));
    }

    private static <V extends SpecificRecord> Consumed<byte[], V> consumed(StreamsAppConfig config, Class<V> type,
            Function<V, java.time.Instant> time, String name) {
        return Consumed.with(Serdes.ByteArray(), AvroSerdes.<V>specificValue(config))
                .withTimestampExtractor(EventTime.of(type, time)).withName(name);
    }

    private static <V> V required(String topic, V value) {
        if (value == null) {
            throw new IllegalArgumentException("topic " + topic + ": record without a value (null)");
        }
        return value;
    }

    @Override
    public List<TopicSpec> topics(StreamsAppConfig config) {
        return List.of(TopicSpec.input(config.getString(PAGEVIEWS_TOPIC_CONFIG)),
                TopicSpec.input(config.getString(USERS_TOPIC_CONFIG)),
                TopicSpec.input(config.getString(IMPRESSIONS_TOPIC_CONFIG)),
                TopicSpec.input(config.getString(CLICKS_TOPIC_CONFIG)),
                TopicSpec.input(config.getString(PURCHASES_TOPIC_CONFIG)),
                TopicSpec.output(config.getString(ENRICHED_TOPIC_CONFIG)),
                TopicSpec.output(config.getString(CTR_TOPIC_CONFIG)),
                TopicSpec.output(config.getString(SESSIONS_TOPIC_CONFIG)),
                new TopicSpec(config.deadLetterTopic(), TopicSpec.Role.DEAD_LETTER, -1, Map.of()),
                new TopicSpec(config.lateTopic(), TopicSpec.Role.LATE, -1, Map.of()));
    }
}
