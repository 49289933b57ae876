package io.kaveri.streams.testkit;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Delta debugging (Zeller's ddmin) over a failing input: removes ever smaller chunks while the
 * input still fails, ending with an input from which no single record can be removed (unless the
 * run budget ends first). Relative order is kept, since arrival order is what is being tested.
 */
final class Shrinker<T> {

    private final Predicate<List<T>> fails;
    private final int maxRuns;
    private int runs;

    Shrinker(Predicate<List<T>> fails, int maxRuns) {
        this.fails = fails;
        this.maxRuns = maxRuns;
    }

    List<T> shrink(List<T> failing) {
        List<T> current = new ArrayList<>(failing);
        int granularity = 2;
        while (current.size() >= 2 && runs < maxRuns) {
            int chunk = (current.size() + granularity - 1) / granularity;
            boolean reduced = false;
            for (int start = 0; start < current.size() && runs < maxRuns; start += chunk) {
                List<T> complement = new ArrayList<>(current.subList(0, start));
                complement.addAll(current.subList(Math.min(current.size(), start + chunk), current.size()));
                runs++;
                if (fails.test(complement)) {
                    current = complement;
                    granularity = Math.max(granularity - 1, 2);
                    reduced = true;
                    break;
                }
            }
            if (!reduced) {
                if (granularity >= current.size()) {
                    break;
                }
                granularity = Math.min(granularity * 2, current.size());
            }
        }
        if (current.size() == 1 && runs < maxRuns) {
            runs++;
            if (fails.test(List.of())) {
                return List.of();
            }
        }
        return current;
    }

    int runs() {
        return runs;
    }

    boolean exhausted() {
        return runs >= maxRuns;
    }
}
