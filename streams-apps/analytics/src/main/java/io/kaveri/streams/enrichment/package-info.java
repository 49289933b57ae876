/**
 * Enrichment: page views with users from CDC, click-through rate per campaign and minute, and user sessions.
 *
 * <h2>Page views and users</h2>
 * The users table comes from the CDC topic of {@code users(id, name, email, country, created_at, updated_at)}.
 * With {@code enrichment.users.join=versioned} (default) it is a versioned KTable keyed by user id and the views,
 * re-keyed by user, join it as of their own event time: a view gets the user as it was when the page was viewed,
 * even when a later update arrived first. Views wait {@code enrichment.pageviews.grace.ms} (a stream-side join
 * grace) so that a user committed before the view but read after it still counts. With
 * {@code enrichment.users.join=global} every instance holds the whole table in an in-memory global store and
 * enriches with the latest user, at once. A view of an unknown or deleted user is kept, without a profile.
 * Every store is in memory. Kafka Streams 4.3 has no in-memory versioned store and its join grace buffer is
 * RocksDB-only, so the versioned table is Kaveri's in-memory versioned store (its changelog is that of Kafka's
 * RocksDB versioned store, so the table of an earlier release restores into it), and the join is Kaveri's
 * {@code ViewsJoinUsers}, holding the waiting views in the in-memory store {@code enrichment-pageviews-pending}.
 * Upgrading from a release that joined with the DSL: views waiting in the old RocksDB join buffer at that moment
 * (at most one grace period of them) are not carried over; stop the app when the views have paused, or replay
 * the last grace period of views.
 *
 * <h2>Click-through rate</h2>
 * Clicks join their impression (by impression id) within {@code enrichment.click.window.ms}; each clicked
 * impression counts once, in the minute of the impression. {@code CampaignCtr} records (keyed by campaign) are
 * updated as impressions and clicks arrive; a minute's value is final once its window plus the click window plus
 * grace has passed.
 *
 * <h2>Sessions</h2>
 * Page views, clicks and purchases of a user merge into session windows ({@code enrichment.session.gap.ms});
 * one {@code UserSession} per session is written when it closes (gap plus grace after its last event, in stream
 * time) and removed from the store then. Activity that arrives on time but within the gap of a session already
 * written starts a new session (it is not merged into the written one, which would count that session twice).
 * The session store is Kaveri's in-memory {@code KeyOrderedSessionStore}, ordered by user: Kafka's in-memory
 * session store is ordered by session end, and finding one user's sessions there walks the sessions of every
 * user in the last gap.
 *
 * <h2>Keys</h2>
 * Views, clicks and purchases may come with any key: each is re-keyed by user through a repartition topic
 * ({@code enrichment-pageviews-by-user}, {@code enrichment-clicks-by-user}, {@code enrichment-purchases-by-user}).
 * When a topic is keyed by user already (a webhook route with {@code key.pointer=/userId}, a producer keying by
 * user), {@code enrichment.pageviews.keyed.by.user}, {@code enrichment.clicks.keyed.by.user} and
 * {@code enrichment.purchases.keyed.by.user} skip that repartition, one setting per topic since each may come from
 * its own route; every key is then checked and a record keyed otherwise goes to the dead-letter topic, naming the
 * key, the user id and the setting. Clicks are re-keyed by impression for the click-through join either way.
 *
 * <h2>Time and bad input</h2>
 * Event time comes from the values. Records later than grace for their join window, CTR minute or session go to
 * the late topic with the {@code kaveri.late.*} headers; redelivered records (same id and time) count once;
 * unreadable records and values that are not what a topic should hold go to the dead-letter topic, and
 * processing continues.
 */
package io.kaveri.streams.enrichment;
