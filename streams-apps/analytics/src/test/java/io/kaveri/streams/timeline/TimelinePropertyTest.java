package io.kaveri.streams.timeline;

import io.kaveri.schemas.social.TimelineEntry;
import io.kaveri.streams.testkit.KitDriver;
import io.kaveri.streams.testkit.StreamsTestKit;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.state.KeyValueStore;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Whatever order tweets and follow changes arrive in, as long as none is later than grace, the timelines equal
 * a straightforward batch computation: a tweet reaches each user whose last follow change for its author at or
 * before the tweet's time is a follow. Redeliveries do not change the result either, and the latest-entries store
 * holds each user's newest entries of that result.
 */
class TimelinePropertyTest {

    private static final long GRACE = 10_000;
    private static final long T0 = 1_767_225_600_000L;
    private static final List<String> USERS = List.of("ann", "bob", "cid", "dee");

    private static final int LATEST = 3;

    private final StreamsTestKit kit = AppKit.of(new TimelineApp(), Map.of(TimelineApp.GRACE_MS_CONFIG, Long.toString(GRACE),
            TimelineApp.LATEST_SIZE_CONFIG, Integer.toString(LATEST)));

    /** A follow change or a tweet; times are distinct, so event-time order is total. */
    record Event(boolean tweet, boolean follow, String a, String b, long time) {
        String id() {
            return "tw" + time;
        }
    }

    @Property(tries = 40)
    void shuffledWithinGraceEqualsTheBatchComputation(@ForAll("histories") List<Event> events,
                                                      @ForAll("seeds") long seed) {
        Random random = new Random(seed);
        List<long[]> arrivals = new ArrayList<>(); // {arrival key, index}
        for (int i = 0; i < events.size(); i++) {
            // Delays below grace: no record is ever later than grace, whatever overtakes it.
            arrivals.add(new long[] {events.get(i).time() + random.nextInt((int) GRACE), i});
            if (random.nextInt(8) == 0) {
                arrivals.add(new long[] {events.get(i).time() + random.nextInt((int) GRACE), i});
            }
        }
        arrivals.sort(Comparator.comparingLong((long[] a) -> a[0]).thenComparingLong(a -> a[1]));

        List<String> actual;
        Map<String, List<String>> latest = new HashMap<>();
        try (KitDriver driver = kit.open()) {
            TimelineFixture f = new TimelineFixture(driver);
            long last = 0;
            for (long[] arrival : arrivals) {
                Event e = events.get((int) arrival[1]);
                last = Math.max(last, e.time());
                if (e.tweet()) {
                    f.tweet(e.id(), e.a(), e.time());
                } else if (e.follow()) {
                    f.follow(e.a(), e.b(), e.time());
                } else {
                    f.unfollow(e.a(), e.b(), e.time());
                }
            }
            f.tick(last + GRACE);
            actual = f.entries();
            assertThat(f.late.isEmpty()).as("nothing is late").isTrue();
            KeyValueStore<Bytes, TimelineEntry> store = driver.driver().getKeyValueStore(TimelineQueries.LATEST_STORE);
            for (String user : USERS) {
                latest.put(user, TimelineQueries.latest(store, user, Integer.MAX_VALUE).stream()
                        .map(e -> user + "<-" + e.getTweetId()).toList());
            }
        }
        assertThat(actual).as("no entry twice").doesNotHaveDuplicates();
        TreeSet<String> expected = batch(events);
        assertThat(new TreeSet<>(actual)).isEqualTo(expected);
        for (String user : USERS) {
            // Tweet ids are "tw" + time and times are distinct: the newest entries have the greatest time.
            List<String> newest = expected.stream().filter(e -> e.startsWith(user + "<-"))
                    .sorted(Comparator.comparingLong((String e) -> Long.parseLong(e.substring(e.indexOf("<-tw") + 4)))
                            .reversed())
                    .limit(LATEST).toList();
            assertThat(latest.get(user)).as("latest entries of " + user).isEqualTo(newest);
        }
    }

    /** The definition, over the whole input at once. */
    static TreeSet<String> batch(List<Event> events) {
        List<Event> byTime = events.stream().sorted(Comparator.comparingLong(Event::time)).toList();
        TreeSet<String> entries = new TreeSet<>();
        for (Event tweet : byTime) {
            if (!tweet.tweet()) {
                continue;
            }
            Map<String, Boolean> following = new HashMap<>();
            for (Event change : byTime) {
                if (!change.tweet() && change.b().equals(tweet.a()) && change.time() <= tweet.time()) {
                    following.put(change.a(), change.follow());
                }
            }
            following.forEach((follower, yes) -> {
                if (yes) {
                    entries.add(follower + "<-" + tweet.id());
                }
            });
        }
        return entries;
    }

    @Provide
    Arbitrary<List<Event>> histories() {
        Arbitrary<String> user = Arbitraries.of(USERS);
        Arbitrary<Event> event = Combinators.combine(Arbitraries.integers().between(0, 2), user, user)
                .as((kind, a, b) -> new Event(kind == 0, kind == 1, a, b, 0));
        return event.list().ofMinSize(1).ofMaxSize(40).flatMap(list -> Arbitraries.longs().between(0, 60_000)
                .set().ofSize(list.size()).map(times -> {
                    List<Long> sorted = new ArrayList<>(times);
                    java.util.Collections.shuffle(sorted, new Random(list.size()));
                    List<Event> timed = new ArrayList<>();
                    for (int i = 0; i < list.size(); i++) {
                        Event e = list.get(i);
                        timed.add(new Event(e.tweet(), e.follow(), e.a(), e.b(), T0 + sorted.get(i)));
                    }
                    return timed;
                }));
    }

    @Provide
    Arbitrary<Long> seeds() {
        return Arbitraries.longs();
    }
}
