package io.kaveri.streams.leaderboard;

import io.kaveri.schemas.games.LeaderboardEntry;
import io.kaveri.schemas.games.Neighbour;
import io.kaveri.schemas.games.RelativeRank;
import io.kaveri.schemas.games.Score;
import io.kaveri.stack.LocalStack;
import io.kaveri.stack.LocalStack.Part;
import io.kaveri.streams.RunningApp;
import io.kaveri.test.KaveriStack;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.streams.StoreQueryParameters;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The leaderboard app on the real broker and registry, run by the runtime as the launcher runs it (exactly-once). */
@KaveriStack({Part.KAFKA, Part.REGISTRY})
class LeaderboardIT {

    private static final int K = 3;
    private static final long WINDOW = 60_000;

    @Test
    void topKBoardsAndRelativeRanksEqualABatchComputation(LocalStack stack) throws Exception {
        try (RunningApp app = RunningApp.start(stack, new LeaderboardApp(), Map.of(LeaderboardConfig.TOP_K_CONFIG, Integer.toString(K),
                LeaderboardConfig.WINDOW_CONFIG, Long.toString(WINDOW), LeaderboardConfig.GRACE_CONFIG, "30000"))) {
            Instant t0 = Instant.now().truncatedTo(ChronoUnit.MINUTES).minus(Duration.ofHours(1));
            Random random = new Random(11);
            List<Score> scores = new ArrayList<>();
            for (int i = 0; i < 80; i++) {
                // Over four minutes, in event-time order give or take 5 s (well within grace); few distinct points, so ties.
                Instant ts = t0.plusMillis(i * 3_000L + random.nextInt(5_000));
                scores.add(Score.newBuilder().setGameId(random.nextBoolean() ? "chess" : "go")
                        .setPlayerId("p" + random.nextInt(8)).setScore(random.nextInt(40)).setTs(ts).build());
            }
            for (Score s : scores) {
                app.send(app.topic(LeaderboardConfig.SCORES_TOPIC_CONFIG), s, s.getTs());
            }

            Map<String, String> expected = LeaderboardBatch.topBoards(scores, K, WINDOW);
            Map<String, String> boards = new TreeMap<>();
            List<ConsumerRecord<String, LeaderboardEntry>> changes = new ArrayList<>();
            try (KafkaConsumer<String, LeaderboardEntry> reader = app.reader(app.topic(LeaderboardConfig.TOP_TOPIC_CONFIG))) {
                await().atMost(Duration.ofSeconds(120)).untilAsserted(() -> {
                    RunningApp.pollRecords(reader, changes).forEach(r ->
                            boards.put(r.key(), r.value().getPlayerId() + "=" + r.value().getScore()));
                    assertThat(boards).isEqualTo(expected);
                });
            }

            LeaderboardQueries.Rankings rankings = app.streams().store(
                    StoreQueryParameters.fromNameAndType(LeaderboardQueries.STORE, LeaderboardQueries.storeType()));
            LeaderboardBatch.allTime(scores).forEach((game, standings) -> {
                for (int i = 0; i < standings.size(); i++) {
                    RelativeRank rank = LeaderboardQueries.relative(rankings, game, standings.get(i).playerId(), 1).orElseThrow();
                    assertThat(rank.getRank()).as("rank of %s in %s", standings.get(i).playerId(), game).isEqualTo(i + 1);
                    assertThat(rank.getScore()).isEqualTo(standings.get(i).score());
                    assertThat(rank.getTotalPlayers()).isEqualTo(standings.size());
                    assertThat(rank.getApproximate()).isFalse();
                    assertThat(rank.getAbove()).extracting(Neighbour::getPlayerId).containsExactlyElementsOf(
                            standings.subList(Math.max(0, i - 1), i).stream().map(Standing::playerId).toList());
                    assertThat(rank.getBelow()).extracting(Neighbour::getPlayerId).containsExactlyElementsOf(
                            standings.subList(i + 1, Math.min(standings.size(), i + 2)).stream().map(Standing::playerId).toList());
                }
            });
        }
    }
}
