package io.kaveri.cli;

import org.junit.jupiter.api.Test;

import java.util.EnumMap;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class DemoChangesTest {

    private final Random random = new Random(3);

    @Test
    void tablesStayWithinTheirBounds() {
        for (int i = 0; i < 2_000; i++) {
            assertThat(DemoChanges.next(DemoChanges.MIN_USERS, 10, random)).isNotEqualTo(DemoChanges.Kind.REMOVE_USER);
            assertThat(DemoChanges.next(DemoChanges.MAX_USERS, 10, random)).isNotEqualTo(DemoChanges.Kind.ADD_USER);
            assertThat(DemoChanges.next(50, 0, random)).isNotEqualTo(DemoChanges.Kind.UNFOLLOW);
            assertThat(DemoChanges.next(50, DemoChanges.MAX_FOLLOWS, random)).isNotEqualTo(DemoChanges.Kind.FOLLOW);
            assertThat(DemoChanges.next(0, 0, random)).isEqualTo(DemoChanges.Kind.ADD_USER);
        }
    }

    @Test
    void everyKindHappensInAboutItsShare() {
        Map<DemoChanges.Kind, Integer> counts = new EnumMap<>(DemoChanges.Kind.class);
        int n = 20_000;
        for (int i = 0; i < n; i++) {
            counts.merge(DemoChanges.next(60, 200, random), 1, Integer::sum);
        }
        int total = 0;
        for (DemoChanges.Kind kind : DemoChanges.Kind.values()) {
            total += kind.weight;
        }
        for (DemoChanges.Kind kind : DemoChanges.Kind.values()) {
            double expected = (double) kind.weight / total;
            assertThat(counts.getOrDefault(kind, 0) / (double) n).as(kind.name()).isCloseTo(expected,
                    org.assertj.core.data.Offset.offset(0.02));
        }
    }

    @Test
    void madeUpPeopleHaveDocumentationMailboxesAndKnownCountries() {
        for (int i = 0; i < 200; i++) {
            DemoChanges.Person p = DemoChanges.person(random);
            assertThat(p.name()).matches("[A-Z][a-z]+ [A-Z][a-z]+");
            assertThat(p.email()).matches("[a-z]+\\.[a-z]+\\d{1,3}@example\\.com");
            assertThat(DemoChanges.COUNTRIES).contains(p.country());
        }
    }
}
