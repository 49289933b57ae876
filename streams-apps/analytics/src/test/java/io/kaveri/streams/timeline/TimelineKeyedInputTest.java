package io.kaveri.streams.timeline;

import io.kaveri.streams.runtime.KeyedInput;
import io.kaveri.streams.testkit.GoldenTopology;
import io.kaveri.streams.testkit.KitDriver;
import io.kaveri.streams.testkit.StreamsTestKit;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import static io.kaveri.streams.testkit.KitAssertions.assertDeadLetter;
import static org.assertj.core.api.Assertions.assertThat;

/** Tweets on a topic keyed by author ({@code timeline.tweets.keyed.by.author=true}): no repartition, every key checked. */
class TimelineKeyedInputTest {

    private static final long GRACE = 10_000;
    private static final long T0 = 1_767_225_600_000L; // 2026-01-01T00:00:00Z
    private static final Map<String, String> KEYED = Map.of(TimelineApp.TWEETS_KEYED_CONFIG, "true",
            TimelineApp.LATEST_SIZE_CONFIG, "3");

    /** Follows, tweets out of order within grace, a racing unfollow, a redelivery: each tweet keyed by its author. */
    private static void traffic(TimelineFixture f) {
        f.follow("alice", "bob", T0).follow("carol", "bob", T0 + 1).follow("bob", "alice", T0 + 2)
                .tweet("t2", "bob", T0 + 3_000)
                .tweet("t1", "bob", T0 + 1_000)
                .unfollow("carol", "bob", T0 + 2_000)
                .tweet("a1", "alice", T0 + 2_500)
                .follow("dave", "alice", T0 + 2_400)
                .tweet("t1", "bob", T0 + 1_000)
                .tick(T0 + 3_000 + GRACE);
    }

    private static List<String> run(Map<String, String> settings, Consumer<TimelineFixture> input) {
        try (KitDriver driver = AppKit.of(new TimelineApp(), settings).open()) {
            TimelineFixture f = new TimelineFixture(driver);
            input.accept(f);
            assertThat(f.deadLetters()).isEmpty();
            return f.entries();
        }
    }

    @Test
    void tweetsKeyedByTheirAuthorMakeTheSameTimelinesWithoutARepartitionTopic() {
        List<String> keyed = run(KEYED, TimelineKeyedInputTest::traffic);
        assertThat(keyed).as("same as the repartitioned default")
                .isEqualTo(run(Map.of(TimelineApp.LATEST_SIZE_CONFIG, "3"), TimelineKeyedInputTest::traffic))
                .containsExactly("alice<-t1", "carol<-t1", "bob<-a1", "dave<-a1", "alice<-t2");
        try (KitDriver driver = AppKit.of(new TimelineApp(), KEYED).open()) {
            assertThat(driver.topology().describe().toString()).doesNotContain("tweets-by-author");
        }
    }

    @Test
    void aTweetKeyedByAnotherUserOrByNothingGoesToTheDeadLetterTopicAndProcessingContinues() {
        try (KitDriver driver = AppKit.of(new TimelineApp(), KEYED).open()) {
            TimelineFixture f = new TimelineFixture(driver);
            f.follow("alice", "bob", T0);
            f.tweets.pipe("carol", TimelineFixture.newTweet("wrong", "bob", T0 + 1_000), T0 + 1_000);
            f.tweets.pipe(null, TimelineFixture.newTweet("unkeyed", "bob", T0 + 1_500), T0 + 1_500);
            f.tweet("right", "bob", T0 + 2_000).tick(T0 + 2_000 + GRACE);

            List<TestRecord<byte[], byte[]>> dead = f.deadLetters();
            assertThat(dead).hasSize(2);
            assertDeadLetter(dead.get(0)).hasCause(KeyedInput.KeyMismatchException.class)
                    .hasMessageContaining("topic " + TimelineFixture.TWEETS + ": a record keyed 'carol' has 'bob'")
                    .hasMessageContaining(TimelineApp.TWEETS_KEYED_CONFIG + "=true").cameFrom(TimelineFixture.TWEETS);
            assertDeadLetter(dead.get(1)).hasCause(KeyedInput.KeyMismatchException.class)
                    .hasMessageContaining("keyed null").hasMessageContaining(TimelineApp.TWEETS_KEYED_CONFIG);
            assertThat(f.entries()).containsExactly("alice<-right");
        }
    }

    @Test
    void keyedTopologyMatchesTheGoldenFile() {
        try (KitDriver driver = AppKit.of(new TimelineApp(), KEYED).open()) {
            GoldenTopology.assertTopologyMatches(driver.topology(), "src/test/resources/golden/timeline-keyed.txt");
        }
    }
}
