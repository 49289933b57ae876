package io.kaveri.streams.enrichment;

import io.kaveri.schemas.web.UserSession;
import io.kaveri.streams.testkit.KitDriver;
import io.kaveri.streams.testkit.StreamsTestKit;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;

import static io.kaveri.streams.enrichment.EnrichmentFixture.GAP;
import static io.kaveri.streams.enrichment.EnrichmentFixture.GRACE;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Views and clicks shuffled within grace give the sessions of a batch computation: per user, events in time
 * order, a new session wherever two consecutive events are more than the gap apart.
 */
class SessionPropertyTest {

    private static final long T0 = 1_767_225_600_000L;

    private final StreamsTestKit kit = EnrichmentFixture.kit(EnrichmentFixture.SETTINGS);

    record Event(boolean click, String user, long time) {
    }

    @Property(tries = 15)
    void shuffledWithinGraceEqualsTheBatchSessions(@ForAll("activity") List<Event> events, @ForAll long seed) {
        Random random = new Random(seed);
        List<Event> arrivals = new ArrayList<>(events);
        long[] delay = new long[arrivals.size()];
        for (int i = 0; i < delay.length; i++) {
            delay[i] = arrivals.get(i).time() + random.nextInt((int) GRACE);
        }
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < delay.length; i++) {
            order.add(i);
        }
        order.sort(Comparator.comparingLong(i -> delay[i]));

        TreeSet<String> actual = new TreeSet<>();
        try (KitDriver driver = kit.open()) {
            EnrichmentFixture f = new EnrichmentFixture(driver);
            long last = 0;
            for (int i : order) {
                Event e = arrivals.get(i);
                last = Math.max(last, e.time());
                if (e.click()) {
                    f.click("k" + i, "i" + i, "c", e.user(), e.time());
                } else {
                    f.view("v" + i, e.user(), e.time());
                }
            }
            f.view("tick", "clock", last + GAP + GRACE + 1);
            for (UserSession s : f.sessions()) {
                actual.add(show(s.getUserId(), s.getSessionStart().toEpochMilli(), s.getSessionEnd().toEpochMilli(),
                        s.getPageViews(), s.getClicks()));
            }
            assertThat(f.late.isEmpty()).as("nothing is late").isTrue();
        }
        assertThat(actual).isEqualTo(batch(events));
    }

    static TreeSet<String> batch(List<Event> events) {
        Map<String, List<Event>> byUser = new TreeMap<>();
        events.forEach(e -> byUser.computeIfAbsent(e.user(), u -> new ArrayList<>()).add(e));
        TreeSet<String> sessions = new TreeSet<>();
        byUser.forEach((user, list) -> {
            list.sort(Comparator.comparingLong(Event::time));
            int from = 0;
            for (int i = 1; i <= list.size(); i++) {
                if (i == list.size() || list.get(i).time() - list.get(i - 1).time() > GAP) {
                    List<Event> s = list.subList(from, i);
                    long clicks = s.stream().filter(Event::click).count();
                    sessions.add(show(user, s.get(0).time(), s.get(s.size() - 1).time(), s.size() - clicks, clicks));
                    from = i;
                }
            }
        });
        return sessions;
    }

    private static String show(String user, long start, long end, long views, long clicks) {
        return user + "[" + (start - T0) + ".." + (end - T0) + "] views=" + views + " clicks=" + clicks;
    }

    @Provide
    Arbitrary<List<Event>> activity() {
        return Combinators.combine(Arbitraries.of(true, false), Arbitraries.of("ann", "bob", "cid"),
                        Arbitraries.longs().between(0, 6 * GAP))
                .as((click, user, offset) -> new Event(click, user, T0 + offset))
                .list().ofMinSize(1).ofMaxSize(30);
    }
}
