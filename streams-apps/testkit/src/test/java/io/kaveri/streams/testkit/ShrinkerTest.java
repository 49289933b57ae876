package io.kaveri.streams.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ShrinkerTest {

    private static final List<Integer> HUNDRED = IntStream.range(0, 100).boxed().toList();

    @Test
    void shrinksToTheRecordsThatMatterInTheirOrder() {
        Shrinker<Integer> shrinker = new Shrinker<>(list -> list.indexOf(71) >= 0 && list.indexOf(3) >= 0
                && list.indexOf(42) > list.indexOf(3), 1_000);

        assertThat(shrinker.shrink(HUNDRED)).containsExactly(3, 42, 71);
        assertThat(shrinker.exhausted()).isFalse();
    }

    @Test
    void anInputThatFailsWhenEmptyShrinksToNothing() {
        assertThat(new Shrinker<Integer>(list -> true, 100).shrink(HUNDRED)).isEmpty();
    }

    @Test
    void stopsAtItsBudgetWithAStillFailingInput() {
        Shrinker<Integer> shrinker = new Shrinker<>(list -> list.contains(3) && list.contains(97), 4);
        List<Integer> smaller = shrinker.shrink(HUNDRED);

        assertThat(shrinker.exhausted()).isTrue();
        assertThat(shrinker.runs()).isEqualTo(4);
        assertThat(smaller).contains(3, 97).hasSizeLessThan(HUNDRED.size());
    }
}
