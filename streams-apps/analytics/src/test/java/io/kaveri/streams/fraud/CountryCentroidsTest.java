package io.kaveri.streams.fraud;

import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.StringReader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class CountryCentroidsTest {

    @Test
    void greatCircleDistanceMatchesAPublishedOne() {
        // Paris (48.8566 N, 2.3522 E) to Tokyo (35.6762 N, 139.6503 E): 9,712 km on the mean-radius sphere.
        CountryCentroids.Position paris = new CountryCentroids.Position(48.8566, 2.3522);
        CountryCentroids.Position tokyo = new CountryCentroids.Position(35.6762, 139.6503);
        assertThat(paris.kmTo(tokyo)).isCloseTo(9712, within(5.0));
        assertThat(tokyo.kmTo(paris)).isCloseTo(paris.kmTo(tokyo), within(1e-9));
        assertThat(paris.kmTo(paris)).isZero();
    }

    @Test
    void theBuiltInTableHoldsValidPositionsAndIgnoresCase() {
        CountryCentroids table = CountryCentroids.builtIn();
        assertThat(table.size()).isGreaterThan(80);
        assertThat(table.of("fr")).isEqualTo(table.of("FR")).isPresent();
        assertThat(table.of("XX")).isEmpty();
        assertThat(table.of(null)).isEmpty();
        // France's centre lies in France: within 300 km of Bourges (47.08 N, 2.40 E), the textbook centre.
        assertThat(table.of("FR").orElseThrow().kmTo(new CountryCentroids.Position(47.08, 2.40))).isLessThan(300);
    }

    @Test
    void aMalformedLineIsReportedWithItsNumber() {
        assertThatThrownBy(() -> CountryCentroids.parse(new BufferedReader(new StringReader("# header\nFR,north,2.2,France\n"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("line 2");
    }
}
