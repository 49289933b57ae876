package io.kaveri.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class PrivilegesTest {

    private static final String STATUS = "Name:\tjava\nUmask:\t0022\nState:\tS (sleeping)\nTgid:\t42\n"
            + "Uid:\t%s\nGid:\t0\t0\t0\t0\n";

    @Test
    void rootIsReadFromTheEffectiveUid() {
        assertThat(Privileges.effectiveUid(STATUS.formatted("0\t0\t0\t0"))).isEqualTo(OptionalLong.of(0));
    }

    @Test
    void aNormalUserIsNotRoot() {
        assertThat(Privileges.effectiveUid(STATUS.formatted("1000\t1000\t1000\t1000"))).isEqualTo(OptionalLong.of(1000));
    }

    @Test
    void theEffectiveUidCountsNotTheRealOne() {
        assertThat(Privileges.effectiveUid(STATUS.formatted("1000\t0\t0\t0"))).isEqualTo(OptionalLong.of(0));
        assertThat(Privileges.effectiveUid(STATUS.formatted("0\t1000\t1000\t1000"))).isEqualTo(OptionalLong.of(1000));
    }

    @Test
    void anUnreadableStatusGivesNoAnswer() {
        assertThat(Privileges.effectiveUid("Name:\tjava\n")).isEmpty();
        assertThat(Privileges.effectiveUid("Uid:\t0\n")).isEmpty();
        assertThat(Privileges.effectiveUid("Uid:\tx\ty\n")).isEmpty();
    }

    @Test
    void eachModeHasItsCommandPrefix() {
        assertThat(Privileges.Mode.AS_IS.prefix()).isEmpty();
        assertThat(Privileges.Mode.UNSHARE.prefix()).containsExactly("unshare", "-U");
        assertThat(Privileges.Mode.SETPRIV.prefix())
                .containsExactly("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "--");
    }
}
