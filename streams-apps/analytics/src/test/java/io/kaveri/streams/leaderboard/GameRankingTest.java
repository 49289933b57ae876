package io.kaveri.streams.leaderboard;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** The ranking against a sorted list rebuilt from scratch after every score. */
class GameRankingTest {

    @ParameterizedTest
    @CsvSource({"1,128", "2,128", "3,2", "4,3", "5,8"})
    void ranksNeighboursTopAndEvictionMatchASortedList(long seed, int block) {
        Random random = new Random(seed);
        int max = 40;
        GameRanking ranking = new GameRanking(new RankOrder(block));
        Map<String, Standing> expected = new HashMap<>();
        for (int i = 0; i < 2_000; i++) {
            String player = "p" + random.nextInt(80);
            // Few distinct scores, so that ties are broken by time and then by player.
            Standing s = new Standing(player, random.nextInt(30), random.nextInt(50));
            Standing improved = s.best(ranking.get(player));
            if (improved == ranking.get(player)) {
                continue;
            }
            Standing evicted = ranking.put(improved, max);
            expected.put(player, improved);
            List<Standing> sorted = sorted(expected);
            if (sorted.size() > max) {
                Standing last = sorted.remove(sorted.size() - 1);
                expected.remove(last.playerId());
                assertThat(evicted).isEqualTo(last);
            } else {
                assertThat(evicted).isNull();
            }
            assertThat(ranking.size()).isEqualTo(sorted.size());
            assertThat(ranking.top(5)).isEqualTo(sorted.subList(0, Math.min(5, sorted.size())));
            for (int at = 0; at < sorted.size(); at++) {
                Standing held = sorted.get(at);
                assertThat(ranking.get(held.playerId())).isEqualTo(held);
                assertThat(ranking.indexOf(held)).isEqualTo(at);
                assertThat(ranking.above(at, 3)).isEqualTo(sorted.subList(Math.max(0, at - 3), at));
                assertThat(ranking.below(at, 3)).isEqualTo(sorted.subList(at + 1, Math.min(sorted.size(), at + 4)));
            }
        }
        assertThat(ranking.evicted()).isTrue();
    }

    private static List<Standing> sorted(Map<String, Standing> standings) {
        List<Standing> out = new ArrayList<>(standings.values());
        out.sort(Standing.BEST_FIRST);
        return out;
    }
}
