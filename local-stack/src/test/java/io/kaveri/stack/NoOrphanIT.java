package io.kaveri.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** SIGTERM to a JVM that never closed its registry and PostgreSQL leaves neither running. */
class NoOrphanIT {

    /** The line the child prints once both are up; fails the wait at once if the child JVM died. */
    private static String startedLine(Process jvm, Path log) throws Exception {
        assertThat(jvm.isAlive()).as("child JVM alive; see %s", log).isTrue();
        return Files.readAllLines(log).stream().filter(l -> l.startsWith("started ")).findFirst().orElse("");
    }

    @Test
    void aTerminatedJvmTakesItsChildProcessesWithIt() throws Exception {
        Path work = StackDirs.work("no-orphan-it");
        Path log = work.resolve("jvm.log");
        Files.createDirectories(work);
        Process jvm = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                "-Dkaveri.maven.repo=" + StackDirectories.defaultMavenRepository(),
                ChildrenOfAKilledJvm.class.getName(), work.toString(), StackDirs.cache().toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            String line = await().atMost(Duration.ofSeconds(180)).until(() -> startedLine(jvm, log),
                    started -> !started.isEmpty());
            List<Long> numbers = Arrays.stream(line.substring("started ".length()).split(" "))
                    .map(Long::parseLong).toList();
            long registryPid = numbers.get(0);
            long postgresPid = numbers.get(2);
            assertThat(StackDirs.gone(registryPid)).isFalse();
            assertThat(StackDirs.gone(postgresPid)).isFalse();

            jvm.destroy();

            assertThat(jvm.waitFor(60, TimeUnit.SECONDS)).as("the JVM exits on SIGTERM").isTrue();
            assertThat(StackDirs.gone(registryPid)).as("registry %d is gone", registryPid).isTrue();
            assertThat(StackDirs.gone(postgresPid)).as("postmaster %d is gone", postgresPid).isTrue();
            assertThat(FreePorts.isListening(numbers.get(1).intValue())).isFalse();
            assertThat(FreePorts.isListening(numbers.get(3).intValue())).isFalse();
        } finally {
            jvm.destroyForcibly();
        }
    }
}
