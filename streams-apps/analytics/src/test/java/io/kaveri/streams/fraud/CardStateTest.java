package io.kaveri.streams.fraud;

import io.kaveri.streams.runtime.RunningStats;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** The per-card lists insert in place; checked against sorting the whole list again, in any arrival order. */
class CardStateTest {

    private static final Comparator<CardProfile.Visit> VISITS =
            Comparator.comparingLong(CardProfile.Visit::ts).thenComparing(CardProfile.Visit::paymentId);

    private final Random random = new Random();

    @RepeatedTest(20)
    void aVelocityWindowListsTheNewestPaymentsInOrderWhateverTheArrivalOrder() {
        VelocityWindow w = VelocityWindow.empty();
        List<VelocityWindow.Seen> all = new ArrayList<>();
        int n = 1 + random.nextInt(2 * VelocityWindow.MAX_LISTED);
        for (int i = 0; i < n; i++) {
            long ts = random.nextInt(60_000);
            w = w.add("p" + i, ts);
            all.add(new VelocityWindow.Seen(ts, "p" + i));
        }
        all.sort(VelocityWindow.ORDER);
        assertThat(w.count()).isEqualTo(n);
        assertThat(w.oldestTs()).isEqualTo(all.get(0).ts());
        assertThat(w.newest()).containsExactlyElementsOf(all.subList(Math.max(0, n - VelocityWindow.MAX_LISTED), n));
    }

    @RepeatedTest(20)
    void aWindowChangedAsBytesEqualsTheWindowChangedDecoded() {
        VelocityWindow w = VelocityWindow.empty();
        byte[] body = null;
        int n = 1 + random.nextInt(2 * VelocityWindow.MAX_LISTED);
        for (int i = 0; i < n; i++) {
            long ts = random.nextInt(200); // many payments of one millisecond, ordered by id
            String id = "p" + random.nextInt(1_000) + (i % 5 == 0 ? "-ü" : "");
            byte[] utf8 = id.getBytes(StandardCharsets.UTF_8);
            w = w.add(id, ts);
            body = body == null ? FraudSerdes.firstBody(ts, utf8) : FraudSerdes.added(body, 0, body.length, ts, id, utf8);
            assertThat(FraudSerdes.window("t", body, 0, body.length)).isEqualTo(w);
        }
    }

    @RepeatedTest(20)
    void aProfileKeepsTheNewestVisitsWithinTheHorizonInOrderWhateverTheArrivalOrder() {
        int max = 1 + random.nextInt(40);
        long horizon = 1 + random.nextInt(100_000);
        CardProfile p = CardProfile.EMPTY;
        List<CardProfile.Visit> expected = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            CardProfile.Visit v = new CardProfile.Visit("p" + i, random.nextInt(200_000), "FR", 46.2, 2.2, false);
            p = p.withVisit(v, max, horizon);
            expected.add(v);
            expected.sort(VISITS);
            long newest = expected.get(expected.size() - 1).ts();
            expected.removeIf(e -> e.ts() < newest - horizon);
            if (expected.size() > max) {
                expected = new ArrayList<>(expected.subList(expected.size() - max, expected.size()));
            }
            assertThat(p.visits().asList()).containsExactlyElementsOf(expected);
        }
    }

    @Test
    void aVisitKeepsTheAmountsAndMovesLastSeenOnlyForward() {
        CardProfile p = new CardProfile(new RunningStats(3, 10, 2), List.of(), 5_000)
                .withVisit(new CardProfile.Visit("p", 1_000, "FR", 46.2, 2.2, false), 32, 60_000);
        assertThat(p.amounts()).isEqualTo(new RunningStats(3, 10, 2));
        assertThat(p.lastSeen()).isEqualTo(5_000);
    }
}
