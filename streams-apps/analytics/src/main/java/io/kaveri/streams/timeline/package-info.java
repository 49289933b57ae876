/**
 * Timeline: personal timelines from tweets and the CDC topic of the {@code follows} table.
 *
 * <h2>Data</h2>
 * Tweets ({@code io.kaveri.schemas.social.Tweet}, any key) are keyed by their author (through the repartition topic
 * {@code timeline-tweets-by-author}, or in place, each key checked, with {@code timeline.tweets.keyed.by.author=true}
 * when the topic is keyed by author already, e.g. by a webhook route with {@code key.pointer=/userId}); change events of
 * {@code follows(follower_id, followee_id, created_at, ...)} become {@code Follow} changes keyed by the followee
 * (a deleted row is a {@code Follow} with {@code until} set). Both meet in one task per user. Each tweet becomes
 * one {@code TimelineEntry} per follower on {@code timeline.topic}, keyed by the follower, stamped with the tweet's
 * event time; the newest {@code timeline.latest.size} entries per follower are in the {@code timeline-latest} store
 * (one row per entry, fed from the timeline topic itself; an in-memory store of Kaveri's that finds a follower's
 * rows by hash, {@code GroupedStores}, with the row layout and changelog of before), read with
 * {@link io.kaveri.streams.timeline.TimelineQueries#latest}.
 *
 * <h2>Time</h2>
 * A tweet reaches the users whose last follow change for its author, at or before the tweet's event time, is a
 * follow. Tweets wait {@code timeline.grace.ms} of stream time before they are fanned out, so that follow and
 * unfollow changes that happened earlier but arrive later still count:
 * <ul>
 *   <li>a tweet that arrives before a follow that happened before it still reaches the new follower, if the
 *       follow arrives within grace;</li>
 *   <li>a tweet posted before a follow never reaches that follower, whatever the arrival order; an unfollow
 *       stops tweets posted after it, not before;</li>
 *   <li>a follow change later than grace still takes effect (a copy goes to the late topic) for tweets not yet
 *       fanned out; entries already written are not revisited;</li>
 *   <li>a tweet later than grace goes to the late topic, counted in the {@code late-records} metric;</li>
 *   <li>a redelivered tweet (same id and time) within grace is fanned out once.</li>
 * </ul>
 * Entries appear once stream time has moved past the tweet plus grace: on a quiet topic, the next record moves it.
 *
 * <h2>Why no versioned KTable</h2>
 * A stream-table join looks up one key as of a time; a tweet needs all followers of its author as of its time,
 * with late changes merged into their place. Kafka Streams 4.3 also has no in-memory versioned store
 * ({@code Stores.persistentVersionedKeyValueStore} is RocksDB). The follows table is therefore versioned in an
 * in-memory key-value store with a changelog, {@code timeline-follows}: per followee, the changes within grace
 * plus each follower's state at the grace horizon, which answers "followers as of t" exactly for any t a waiting
 * tweet can ask about. Tweets wait in {@code timeline-pending-tweets}, in memory with a changelog too.
 */
package io.kaveri.streams.timeline;
