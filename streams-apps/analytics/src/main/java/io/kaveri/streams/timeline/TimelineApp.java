package io.kaveri.streams.timeline;

import io.kaveri.schemas.social.Follow;
import io.kaveri.schemas.social.TimelineEntry;
import io.kaveri.schemas.social.Tweet;
import io.kaveri.streams.runtime.AvroSerdes;
import io.kaveri.streams.runtime.EventTime;
import io.kaveri.streams.runtime.GroupedStores;
import io.kaveri.streams.runtime.HashStores;
import io.kaveri.streams.runtime.KeyedInput;
import io.kaveri.streams.runtime.LateRecords;
import io.kaveri.streams.runtime.StreamsApp;
import io.kaveri.streams.runtime.StreamsAppConfig;
import io.kaveri.streams.runtime.TopicSpec;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.Width;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.Stores;

import java.util.ArrayList;
import java.util.List;

/**
 * Personal timelines: every tweet goes to the users who followed its author when it was posted.
 *
 * <pre>
 * tweets (any key) --key by author--> timeline-tweets-by-author --------+
 * (or, keyed by author already: tweets --check key-->)                  |
 *                                                                      +--> timeline-join --> timeline topic
 * follows CDC --unwrap, key by followee--> timeline-follows-by-followee -+    (stores          (keyed by follower)
 *                                                                             timeline-follows,       |
 *                                                                             timeline-pending-tweets) |
 *                                                       timeline-latest (newest N per follower) <------+
 * </pre>
 *
 * <p><b>Why not a versioned KTable.</b> A stream-table join looks up one key as of the record's time, but a
 * tweet needs every follower of its author as of its time, with late follow and unfollow changes merged into
 * their place in history. Kafka Streams 4.3 also has no in-memory versioned store (only
 * {@code Stores.persistentVersionedKeyValueStore}, on RocksDB), and this bundle keeps state in memory. So the
 * follows table is versioned by hand in an in-memory store with a changelog: per followee, the changes within
 * the grace period plus the state at its horizon ({@link FollowerHistory}). Tweets wait in a second in-memory
 * store for the grace period, like the stream side of a versioned join with a grace period, so that follow
 * changes arriving out of order within grace are seen (see {@link TimelineJoin}).
 */
public final class TimelineApp implements StreamsApp {

    public static final String TWEETS_TOPIC_CONFIG = "timeline.tweets.topic";
    private static final String TWEETS_TOPIC_DOC = "Topic of tweets (io.kaveri.schemas.social.Tweet). Any key: the app "
            + "keys tweets by their author itself, unless timeline.tweets.keyed.by.author is true.";

    public static final String TWEETS_KEYED_CONFIG = "timeline.tweets.keyed.by.author";
    private static final String TWEETS_KEYED_DOC = KeyedInput.settingDoc("tweets", "userId")
            + " The tweets topic must then have as many partitions as the follows topic, so that a tweet and the follow "
            + "changes of its author meet in one task (kaveri deploy creates them so).";

    public static final String FOLLOWS_TOPIC_CONFIG = "timeline.follows.topic";
    private static final String FOLLOWS_TOPIC_DOC = "CDC topic of the follows table: Debezium change events "
            + "(before, after, source, op), as the PostgreSQL source connector writes them.";

    public static final String FOLLOWER_COLUMN_CONFIG = "timeline.follows.follower.column";
    private static final String FOLLOWER_COLUMN_DOC = "Column of the follows table holding the id of the user who follows.";

    public static final String FOLLOWEE_COLUMN_CONFIG = "timeline.follows.followee.column";
    private static final String FOLLOWEE_COLUMN_DOC = "Column of the follows table holding the id of the user who is followed.";

    public static final String TIMELINE_TOPIC_CONFIG = "timeline.topic";
    private static final String TIMELINE_TOPIC_DOC = "Output: one io.kaveri.schemas.social.TimelineEntry per tweet and "
            + "follower, keyed by the follower. The app reads it back to fill the timeline-latest store, so, like the "
            + "inputs, it must exist before the app starts (the demo and the deploy command create it).";

    public static final String GRACE_MS_CONFIG = "timeline.grace.ms";
    private static final String GRACE_MS_DOC = "How long, in event time, a tweet waits for follow and unfollow changes "
            + "that happened before it but arrive after it; also how late a tweet may arrive before it goes to the late "
            + "topic. Tweets and follows come through different pipelines (webhooks, CDC) whose lags differ by seconds, "
            + "so the default is 10 s; every timeline entry is delayed by this much.";

    public static final String LATEST_SIZE_CONFIG = "timeline.latest.size";
    private static final String LATEST_SIZE_DOC = "How many of the newest entries per user the timeline-latest store "
            + "keeps for interactive queries; memory grows with users x this.";

    static final String HISTORY_STORE = "timeline-follows";
    static final String PENDING_STORE = "timeline-pending-tweets";

    @Override
    public String name() {
        return "timeline";
    }

    @Override
    public String description() {
        return "tweets joined with who followed their author at the time -> per-follower timelines";
    }

    @Override
    public ConfigDef configDef() {
        String group = "Timeline";
        int order = 0;
        return new ConfigDef()
                .define(TWEETS_TOPIC_CONFIG, Type.STRING, "kaveri.social.tweets", new ConfigDef.NonEmptyString(),
                        Importance.HIGH, TWEETS_TOPIC_DOC, group, ++order, Width.MEDIUM, "Tweets topic")
                .define(TWEETS_KEYED_CONFIG, Type.BOOLEAN, false, Importance.MEDIUM, TWEETS_KEYED_DOC, group, ++order,
                        Width.SHORT, "Tweets keyed by author")
                .define(FOLLOWS_TOPIC_CONFIG, Type.STRING, "kaveri.public.follows", new ConfigDef.NonEmptyString(),
                        Importance.HIGH, FOLLOWS_TOPIC_DOC, group, ++order, Width.MEDIUM, "Follows CDC topic")
                .define(FOLLOWER_COLUMN_CONFIG, Type.STRING, "follower_id", new ConfigDef.NonEmptyString(),
                        Importance.LOW, FOLLOWER_COLUMN_DOC, group, ++order, Width.SHORT, "Follower column")
                .define(FOLLOWEE_COLUMN_CONFIG, Type.STRING, "followee_id", new ConfigDef.NonEmptyString(),
                        Importance.LOW, FOLLOWEE_COLUMN_DOC, group, ++order, Width.SHORT, "Followee column")
                .define(TIMELINE_TOPIC_CONFIG, Type.STRING, "kaveri.social.timeline", new ConfigDef.NonEmptyString(),
                        Importance.HIGH, TIMELINE_TOPIC_DOC, group, ++order, Width.MEDIUM, "Timeline topic")
                .define(GRACE_MS_CONFIG, Type.LONG, 10_000L, ConfigDef.Range.between(0, 24 * 3_600_000L),
                        Importance.MEDIUM, GRACE_MS_DOC, group, ++order, Width.SHORT, "Grace (ms)")
                .define(LATEST_SIZE_CONFIG, Type.INT, 50, ConfigDef.Range.between(1, 10_000),
                        Importance.MEDIUM, LATEST_SIZE_DOC, group, ++order, Width.SHORT, "Latest entries per user");
    }

    @Override
    public Topology build(StreamsAppConfig config) {
        String tweetsTopic = config.getString(TWEETS_TOPIC_CONFIG);
        String followsTopic = config.getString(FOLLOWS_TOPIC_CONFIG);
        String timelineTopic = config.getString(TIMELINE_TOPIC_CONFIG);
        long graceMs = config.getLong(GRACE_MS_CONFIG);
        Serde<Tweet> tweetSerde = AvroSerdes.specificValue(config);
        Serde<Follow> followSerde = AvroSerdes.specificValue(config);
        Serde<TimelineEntry> entrySerde = AvroSerdes.specificValue(config);

        StreamsBuilder builder = new StreamsBuilder();
        // Both are read by key only (the pending tweets whole on init): hash stores, no sorted map to keep.
        builder.addStateStore(Stores.keyValueStoreBuilder(HashStores.inMemory(HISTORY_STORE),
                Serdes.String(), Serdes.ListSerde(ArrayList.class, followSerde)));
        builder.addStateStore(Stores.keyValueStoreBuilder(HashStores.inMemory(PENDING_STORE),
                Serdes.Bytes(), tweetSerde));
        // Rows grouped by follower: an entry's write searches its follower's rows, not every follower's.
        builder.addStateStore(Stores.keyValueStoreBuilder(GroupedStores.inMemory(TimelineQueries.LATEST_STORE,
                TimelineQueries.SLOT_BYTES), Serdes.Bytes(), entrySerde));

        KStream<String, Tweet> tweets = KeyedInput.by(builder
                        .stream(tweetsTopic, Consumed.with(Serdes.ByteArray(), tweetSerde)
                                .withTimestampExtractor(EventTime.of(Tweet.class, Tweet::getCreatedAt))
                                .withName("timeline-tweets-source")),
                tweet -> author(tweetsTopic, tweet), tweetsTopic, TWEETS_KEYED_CONFIG, config.getBoolean(TWEETS_KEYED_CONFIG),
                tweetSerde, "timeline-tweets-key-by-author", "timeline-tweets-by-author");
        // Grace is the whole wait: a tweet is late when its release time has passed.
        KStream<String, Tweet> onTimeTweets = LateRecords.routeLate(tweets, t -> t + graceMs, config.lateTopic(),
                Produced.with(Serdes.String(), AvroSerdes.<Tweet>lateValue(config)), "timeline-tweets");

        KStream<String, Follow> follows = builder
                .stream(followsTopic, Consumed.with(AvroSerdes.generic(config, true), AvroSerdes.generic(config, false))
                        .withName("timeline-follows-source"))
                .process(() -> new FollowChanges(followsTopic, config.getString(FOLLOWER_COLUMN_CONFIG),
                        config.getString(FOLLOWEE_COLUMN_CONFIG)), Named.as("timeline-follows-unwrap"))
                .repartition(Repartitioned.with(Serdes.String(), followSerde).withName("timeline-follows-by-followee"));
        // A late follow change still applies (the follow state must not stay wrong forever); the late topic gets a
        // copy so that it is counted and visible. The on-time branch is not needed.
        LateRecords.routeLate(follows, t -> t + graceMs, config.lateTopic(),
                Produced.with(Serdes.String(), AvroSerdes.<Follow>lateValue(config)), "timeline-follows");

        anyRecord(onTimeTweets).merge(anyRecord(follows), Named.as("timeline-tweets-and-follows"))
                .process(() -> new TimelineJoin(graceMs, HISTORY_STORE, PENDING_STORE), Named.as("timeline-join"),
                        HISTORY_STORE, PENDING_STORE)
                .to(timelineTopic, Produced.with(Serdes.String(), entrySerde).withName("timeline-sink"));
        // The output topic is keyed and partitioned by follower already: the latest-entries store reads it back
        // instead of a repartition topic of the same records, one write per entry fewer.
        builder.stream(timelineTopic, Consumed.with(Serdes.String(), entrySerde).withName("timeline-latest-source"))
                .process(() -> new LatestEntries(config.getInt(LATEST_SIZE_CONFIG), TimelineQueries.LATEST_STORE),
                        Named.as("timeline-latest"), TimelineQueries.LATEST_STORE);
        return builder.build();
    }

    private static String author(String topic, Tweet tweet) {
        if (tweet == null) {
            throw new IllegalArgumentException("topic " + topic + ": record without a tweet (null value)");
        }
        return tweet.getUserId();
    }

    // Both sides go to one processor that tells them apart by type; no serde sees the merged stream.
    @SuppressWarnings("unchecked")
    private static KStream<String, SpecificRecord> anyRecord(KStream<String, ? extends SpecificRecord> stream) {
        return (KStream<String, SpecificRecord>) stream;
    }

    @Override
    public List<TopicSpec> topics(StreamsAppConfig config) {
        return List.of(TopicSpec.input(config.getString(TWEETS_TOPIC_CONFIG)),
                TopicSpec.input(config.getString(FOLLOWS_TOPIC_CONFIG)),
                TopicSpec.output(config.getString(TIMELINE_TOPIC_CONFIG)),
                new TopicSpec(config.deadLetterTopic(), TopicSpec.Role.DEAD_LETTER, -1, java.util.Map.of()),
                new TopicSpec(config.lateTopic(), TopicSpec.Role.LATE, -1, java.util.Map.of()));
    }
}
