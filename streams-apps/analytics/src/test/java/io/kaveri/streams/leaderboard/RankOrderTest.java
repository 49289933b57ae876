package io.kaveri.streams.leaderboard;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The block layout against a {@link TreeSet} over many adds and removes, so that blocks split, empty and go. */
class RankOrderTest {

    @ParameterizedTest
    @CsvSource({"1,2", "2,4", "3,16", "4,128"})
    void ranksAndRangesMatchASortedSet(long seed, int block) {
        Random random = new Random(seed);
        RankOrder order = new RankOrder(block);
        TreeSet<Standing> expected = new TreeSet<>(Standing.BEST_FIRST);
        for (int i = 0; i < 6_000; i++) {
            // Removes win a third of the time after a while, so the order grows, shrinks and empties blocks.
            if (!expected.isEmpty() && random.nextInt(3) == 0) {
                Standing gone = new ArrayList<>(expected).get(random.nextInt(expected.size()));
                assertThat(order.remove(gone)).isTrue();
                expected.remove(gone);
            } else {
                // Few scores and times, so that ties fall through to the player id.
                Standing s = new Standing("p" + random.nextInt(1_000_000), random.nextInt(40), random.nextInt(5));
                if (expected.add(s)) {
                    order.add(s);
                }
            }
            assertThat(order.size()).isEqualTo(expected.size());
            if (i % 97 == 0) {
                List<Standing> sorted = new ArrayList<>(expected);
                assertThat(order.range(0, sorted.size())).isEqualTo(sorted);
                for (int at = 0; at < sorted.size(); at++) {
                    assertThat(order.rankOf(sorted.get(at))).isEqualTo(at);
                }
                int from = sorted.isEmpty() ? 0 : random.nextInt(sorted.size());
                assertThat(order.range(from - 3, from + 4))
                        .isEqualTo(sorted.subList(Math.max(0, from - 3), Math.min(sorted.size(), from + 4)));
                assertThat(order.last()).isEqualTo(sorted.isEmpty() ? null : sorted.get(sorted.size() - 1));
            }
        }
        for (Standing s : new ArrayList<>(expected)) {
            assertThat(order.remove(s)).isTrue();
        }
        assertThat(order.size()).isZero();
        assertThat(order.last()).isNull();
        assertThat(order.range(0, 10)).isEmpty();
    }

    @Test
    void absentStandingsHaveNoRankAndAreNotRemovedTwice() {
        RankOrder order = new RankOrder(2);
        Standing ann = new Standing("ann", 10, 1);
        assertThat(order.rankOf(ann)).isEqualTo(-1);
        assertThat(order.remove(ann)).isFalse();
        order.add(ann);
        assertThat(order.rankOf(new Standing("ann", 10, 2))).isEqualTo(-1);
        assertThatThrownBy(() -> order.add(ann)).isInstanceOf(IllegalStateException.class).hasMessageContaining("ann");
        assertThat(order.remove(ann)).isTrue();
        assertThat(order.remove(ann)).isFalse();
    }
}
