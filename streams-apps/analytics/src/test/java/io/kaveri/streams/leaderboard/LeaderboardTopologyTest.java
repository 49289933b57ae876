package io.kaveri.streams.leaderboard;

import io.kaveri.schemas.games.LeaderboardEntry;
import io.kaveri.schemas.games.RelativeRank;
import io.kaveri.schemas.games.Score;
import io.kaveri.schemas.serde.SpecificAvroSerde;
import io.kaveri.streams.runtime.KeyedInput;
import io.kaveri.streams.runtime.StreamsAppConfig;
import io.kaveri.streams.testkit.GoldenTopology;
import io.kaveri.streams.testkit.KitDriver;
import io.kaveri.streams.testkit.StreamsTestKit;
import io.kaveri.streams.testkit.TestInput;
import io.kaveri.streams.testkit.TestOutput;
import io.kaveri.streams.testkit.TimedRecord;
import io.kaveri.streams.testkit.Topic;
import io.kaveri.streams.testkit.Variants;
import io.kaveri.streams.timeline.AppKit;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static io.kaveri.streams.testkit.KitAssertions.assertDeadLetter;
import static org.assertj.core.api.Assertions.assertThat;

class LeaderboardTopologyTest {

    private static final Instant T0 = StreamsTestKit.DEFAULT_START;
    private static final long HOUR = 3_600_000;
    private static final long WINDOW = 300_000;
    private static final Duration GRACE = Duration.ofMinutes(1);
    private static final Map<String, Object> KEYED = Map.of(LeaderboardConfig.SCORES_KEYED_BY_GAME_CONFIG, true);
    private static final Map<String, Object> SMALL = Map.of(LeaderboardConfig.TOP_K_CONFIG, 3,
            LeaderboardConfig.MAX_PLAYERS_CONFIG, 4, LeaderboardConfig.NEIGHBOURS_CONFIG, 1);

    /** The app with the runtime's dead-letter topic and exception handlers. */
    private static StreamsTestKit kit(Map<String, Object> appConfig) {
        Map<String, String> settings = new HashMap<>();
        appConfig.forEach((key, value) -> settings.put(key, String.valueOf(value)));
        return AppKit.of(new LeaderboardApp(), settings);
    }

    private static <T extends SpecificRecord> Serde<T> avro(KitDriver driver) {
        SpecificAvroSerde<T> serde = new SpecificAvroSerde<>();
        serde.configure(Map.of(StreamsAppConfig.SCHEMA_REGISTRY_URL_CONFIG, driver.context().registryUrl()), false);
        return serde;
    }

    private static Score score(String game, String player, long points, long offsetMs) {
        return Score.newBuilder().setGameId(game).setPlayerId(player).setScore(points).setTs(T0.plusMillis(offsetMs)).build();
    }

    private record Run(KitDriver driver, TestInput<byte[], Score> in, TestOutput<String, LeaderboardEntry> top,
                       TestOutput<String, RelativeRank> ranks) implements AutoCloseable {
        static Run open(StreamsTestKit kit) {
            KitDriver d = kit.open();
            return new Run(d, d.input(Topic.of("game-scores", Serdes.ByteArray(), avro(d))),
                    d.output(Topic.of("leaderboard-top", Serdes.String(), avro(d))),
                    d.output(Topic.of("leaderboard-ranks", Serdes.String(), avro(d))));
        }

        void pipe(Score s) {
            in.pipe(null, s, s.getTs().toEpochMilli());
        }

        void pipeKeyed(String key, Score s) {
            in.pipe(key.getBytes(StandardCharsets.UTF_8), s, s.getTs().toEpochMilli());
        }

        LeaderboardQueries.Rankings rankings() {
            return (LeaderboardQueries.Rankings) driver.driver().getStateStore(LeaderboardQueries.STORE);
        }

        @Override
        public void close() {
            driver.close();
        }
    }

    @Test
    void topKAllTimeAndPerWindowFollowBestScoresWithTiesToTheEarliest() {
        try (Run run = Run.open(kit(SMALL))) {
            run.pipe(score("g", "ann", 50, 1_000));
            run.pipe(score("g", "bob", 70, 2_000));
            run.pipe(score("g", "cat", 50, 500));   // ties ann, reached earlier: ranks above her
            run.pipe(score("g", "dan", 10, 3_000)); // outside the top 3
            run.pipe(score("g", "ann", 40, 4_000)); // not her best: no change
            Map<String, LeaderboardEntry> board = run.top().readFinal();
            assertThat(board.get("g#1").getPlayerId()).isEqualTo("bob");
            assertThat(board.get("g#2").getPlayerId()).isEqualTo("cat");
            assertThat(board.get("g#3").getPlayerId()).isEqualTo("ann");
            assertThat(board.get("g@" + T0.toEpochMilli() + "#3").getWindowEnd()).isEqualTo(T0.plusMillis(HOUR));
            assertThat(board).doesNotContainKey("g#4");
        }
    }

    @Test
    void relativeRankGivesNeighboursAndEvictsBeyondTheBound() {
        try (Run run = Run.open(kit(SMALL))) {
            for (String p : List.of("a:10", "b:20", "c:30", "d:40")) {
                run.pipe(score("g", p.split(":")[0], Long.parseLong(p.split(":")[1]), 1_000));
            }
            RelativeRank c = LeaderboardQueries.relative(run.rankings(), "g", "c", 1).orElseThrow();
            assertThat(c.getRank()).isEqualTo(2);
            assertThat(c.getAbove()).extracting(n -> n.getPlayerId()).containsExactly("d");
            assertThat(c.getBelow()).extracting(n -> n.getPlayerId()).containsExactly("b");
            assertThat(c.getApproximate()).isFalse();

            run.pipe(score("g", "e", 25, 2_000)); // fifth player: "a" (lowest) is evicted
            assertThat(LeaderboardQueries.relative(run.rankings(), "g", "a", 1)).isEmpty();
            RelativeRank e = LeaderboardQueries.relative(run.rankings(), "g", "e", 1).orElseThrow();
            assertThat(e.getRank()).isEqualTo(3);
            assertThat(e.getTotalPlayers()).isEqualTo(4);
            assertThat(e.getApproximate()).isTrue();
            assertThat(run.ranks().readFinal().get("g/e").getRank()).isEqualTo(3);
        }
    }

    @Test
    void aLateScoreMissesItsWindowButCountsAllTimeAndDuplicatesChangeNothing() {
        try (Run run = Run.open(kit(SMALL))) {
            run.pipe(score("g", "ann", 10, 1_000));
            run.pipe(score("g", "ann", 10, 1_000)); // redelivered
            run.pipe(score("g", "bob", 5, HOUR + 61_000)); // closes the first hour (grace 1 min)
            run.pipe(score("g", "cat", 99, 2_000));
            List<TestRecord<String, LeaderboardEntry>> changes = run.top().readRecords();
            assertThat(changes).filteredOn(r -> r.key().equals("g#1")).extracting(r -> r.value().getPlayerId())
                    .containsExactly("ann", "cat");
            assertThat(changes).filteredOn(r -> r.key().startsWith("g@" + T0.toEpochMilli()))
                    .extracting(r -> r.value().getPlayerId()).containsExactly("ann");
            List<TestRecord<String, Score>> late = run.driver().output(Topic.of("kaveri-leaderboard-late",
                    Serdes.String(), LeaderboardTopologyTest.<Score>avro(run.driver()))).readRecords();
            assertThat(late).extracting(r -> r.value().getPlayerId()).containsExactly("cat");
        }
    }

    @Test
    void anInvalidScoreGoesToTheDeadLetterTopicAndProcessingContinues() {
        try (Run run = Run.open(kit(SMALL))) {
            run.pipe(score("g", " ", 10, 1_000));
            run.pipe(score("g", "ann", 10, 2_000));
            assertDeadLetter(run.driver().rawOutput("kaveri-leaderboard-dlq").readOne())
                    .hasCause(LeaderboardTopology.InvalidScoreException.class).hasMessageContaining("blank gameId or playerId");
            assertThat(run.top().readFinal().get("g#1").getPlayerId()).isEqualTo("ann");
        }
    }

    @Test
    void topologyMatchesTheGoldenFile() {
        try (Run run = Run.open(kit(Map.of()))) {
            GoldenTopology.assertTopologyMatches(run.driver().topology(), "src/test/resources/golden/leaderboard.txt");
        }
    }

    @Test
    void keyedTopologyMatchesItsGoldenFile() {
        try (Run run = Run.open(kit(KEYED))) {
            GoldenTopology.assertTopologyMatches(run.driver().topology(), "src/test/resources/golden/leaderboard-keyed.txt");
        }
    }

    @Test
    void scoresKeyedByGameAreRankedWithoutARepartitionAndAMiskeyedScoreGoesToTheDeadLetterTopic() {
        Map<String, Object> config = new HashMap<>(SMALL);
        config.putAll(KEYED);
        try (Run run = Run.open(kit(config))) {
            run.pipeKeyed("g", score("g", "ann", 50, 1_000));
            run.pipeKeyed("h", score("g", "bob", 70, 2_000)); // keyed by another game: may sit in another task
            run.pipeKeyed("g", score("g", "cat", 60, 3_000));
            assertDeadLetter(run.driver().rawOutput("kaveri-leaderboard-dlq").readOne())
                    .hasCause(KeyedInput.KeyMismatchException.class)
                    .hasMessageContaining("game-scores").hasMessageContaining("'h'").hasMessageContaining("'g'")
                    .hasMessageContaining(LeaderboardConfig.SCORES_KEYED_BY_GAME_CONFIG);
            Map<String, LeaderboardEntry> board = run.top().readFinal();
            assertThat(board.get("g#1").getPlayerId()).isEqualTo("cat");
            assertThat(board.get("g#2").getPlayerId()).isEqualTo("ann");
            assertThat(board).doesNotContainKey("g#3");
            RelativeRank ann = LeaderboardQueries.relative(run.rankings(), "g", "ann", 1).orElseThrow();
            assertThat(ann.getRank()).isEqualTo(2);
            assertThat(ann.getAbove()).extracting(n -> n.getPlayerId()).containsExactly("cat");
            assertThat(run.ranks().readFinal()).containsOnlyKeys("g/ann", "g/cat");
        }
    }

    @Property(tries = 25)
    void windowedAndAllTimeTopKDoNotDependOnArrivalOrderWithinGrace(@ForAll("scores") List<Score> scores, @ForAll long seed) {
        List<TimedRecord<byte[], Score>> records = scores.stream()
                .map(s -> TimedRecord.<byte[], Score>of(null, s, s.getTs().toEpochMilli())).toList();
        Map<String, String> actual = new TreeMap<>();
        try (Run run = Run.open(kit(Map.of(LeaderboardConfig.TOP_K_CONFIG, 3, LeaderboardConfig.WINDOW_CONFIG, WINDOW,
                LeaderboardConfig.GRACE_CONFIG, GRACE.toMillis())))) {
            Variants.shuffledWithinGrace(GRACE).apply(records, seed).forEach(r -> run.pipe(r.value()));
            run.top().readFinal().forEach((k, v) -> actual.put(k, v.getPlayerId() + "=" + v.getScore()));
        }
        assertThat(actual).isEqualTo(LeaderboardBatch.topBoards(scores, 3, WINDOW));
    }

    @Provide
    Arbitrary<List<Score>> scores() {
        return Combinators.combine(Arbitraries.of("g1", "g2"), Arbitraries.of("p1", "p2", "p3", "p4", "p5"),
                        Arbitraries.longs().between(0, 20), Arbitraries.longs().between(0, 1_200).map(s -> s * 1_000))
                .as((g, p, points, offset) -> score(g, p, points, offset)).list().ofMinSize(1).ofMaxSize(30);
    }
}
