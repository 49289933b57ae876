package io.kaveri.connect.postgres;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LsnTest {

    @Test
    void parsesAndFormatsThePostgresForm() {
        Lsn lsn = Lsn.parse("16/B374D848");
        assertThat(lsn.value()).isEqualTo(0x16_B374D848L);
        assertThat(lsn).hasToString("16/B374D848");
        assertThat(Lsn.parse("0/0")).isEqualTo(Lsn.INVALID);
        assertThat(Lsn.parse("0/0").isValid()).isFalse();
        assertThat(Lsn.parse("ffffffff/ffffffff").value()).isEqualTo(-1L);
        assertThat(Lsn.parse("ffffffff/ffffffff")).hasToString("FFFFFFFF/FFFFFFFF");
    }

    @Test
    void comparesAsUnsigned() {
        Lsn high = Lsn.parse("FFFFFFFF/0");
        Lsn low = Lsn.parse("1/0");
        assertThat(high).isGreaterThan(low);
        assertThat(high.isAfter(low)).isTrue();
        assertThat(low.max(high)).isEqualTo(high);
        assertThat(Lsn.parse("1/10")).isEqualByComparingTo(Lsn.of(0x1_00000010L));
    }

    @Test
    void arithmetic() {
        Lsn a = Lsn.parse("1/FFFFFFF0");
        assertThat(a.plus(0x20)).hasToString("2/10");
        assertThat(a.plus(0x20).bytesSince(a)).isEqualTo(0x20);
        assertThatThrownBy(() -> Lsn.of(Long.MAX_VALUE).plus(1)).isInstanceOf(ArithmeticException.class);
    }

    @Test
    void rejectsMalformedTextNamingIt() {
        for (String bad : new String[]{"", "16", "/1", "1/", "1/2/3", "G/1", "123456789/0", " 1/0"}) {
            assertThatThrownBy(() -> Lsn.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("'" + bad + "'");
        }
        assertThatThrownBy(() -> Lsn.parse(null)).isInstanceOf(IllegalArgumentException.class);
    }
}
