package io.kaveri.streams.runtime;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class RunningStatsTest {

    @Test
    void meanAndVarianceOfAKnownSeries() {
        // 2, 4, 4, 4, 5, 5, 7, 9: mean 5, squared deviations sum to 32, population variance 4, sample 32 / 7.
        RunningStats s = RunningStats.EMPTY;
        for (double x : new double[] {2, 4, 4, 4, 5, 5, 7, 9}) {
            s = s.add(x);
        }
        assertThat(s.count()).isEqualTo(8);
        assertThat(s.mean()).isCloseTo(5.0, within(1e-12));
        assertThat(s.populationVariance()).isCloseTo(4.0, within(1e-12));
        assertThat(s.populationStddev()).isCloseTo(2.0, within(1e-12));
        assertThat(s.sampleVariance()).isCloseTo(32.0 / 7, within(1e-12));
        assertThat(s.zScore(9, 0)).isCloseTo(4 / Math.sqrt(32.0 / 7), within(1e-12));
    }

    @Test
    void staysAccurateForLargeValuesWithASmallSpread() {
        // The sum-of-squares formula loses every digit here; Welford keeps the variance of 1e9 + {0, 1, 2} (2/3).
        RunningStats s = RunningStats.EMPTY.add(1e9).add(1e9 + 1).add(1e9 + 2);
        assertThat(s.populationVariance()).isCloseTo(2.0 / 3, within(1e-6));
    }

    @Test
    void zScoreNeedsTwoValuesAndSomeSpreadOrAFloor() {
        assertThat(RunningStats.EMPTY.add(5).zScore(9, 0)).isNaN();
        RunningStats flat = RunningStats.EMPTY.add(10).add(10).add(10);
        assertThat(flat.zScore(20, 0)).isNaN();
        assertThat(flat.zScore(20, 0.5)).isCloseTo(20.0, within(1e-12));
    }

    @Test
    void pastTheBoundTheCountStopsAndNewValuesWeighOneOverTheBound() {
        RunningStats s = RunningStats.EMPTY.add(10, 4).add(10, 4).add(10, 4).add(10, 4);
        assertThat(s.count()).isEqualTo(4);
        s = s.add(20, 4);
        assertThat(s.count()).isEqualTo(4);
        // Exponential weighting with alpha 1/4: mean 10 + (20 - 10) / 4; variance (1 - 1/4) * (0 + 10 * 2.5).
        assertThat(s.mean()).isCloseTo(12.5, within(1e-12));
        assertThat(s.populationVariance()).isCloseTo(18.75, within(1e-12));
    }
}
