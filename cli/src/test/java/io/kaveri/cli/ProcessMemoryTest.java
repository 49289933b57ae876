package io.kaveri.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

import static org.assertj.core.api.Assertions.assertThat;

class ProcessMemoryTest {

    @Test
    void parsesTheKilobytesOfAProcStatusLine() {
        assertThat(ProcessMemory.parseKiloBytes("VmRSS:\t  123456 kB")).isEqualTo(123456L);
    }

    @Test
    @EnabledOnOs(OS.LINUX)
    void thisJvmHasAResidentSizeBetweenItsHeapFloorAndTheMachine() {
        long rss = ProcessMemory.residentBytesWithChildren().orElseThrow();
        assertThat(rss).isGreaterThan(10L << 20).isLessThan(Runtime.getRuntime().maxMemory() + (4L << 30));
    }
}
