package io.kaveri.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs small shell commands (no servers) to exercise launch, readiness failure and stop. */
class ChildProcessTest {

    @TempDir
    Path tmp;

    @Test
    void tailQuotesOnlyTheLastLines() throws IOException {
        Path log = Files.writeString(tmp.resolve("a.log"), "one\ntwo\r\nthree\nfour\n\n");

        assertThat(ChildProcess.tail(log, 2)).isEqualTo("three\nfour");
        assertThat(ChildProcess.tail(log, 10)).isEqualTo("one\ntwo\nthree\nfour");
    }

    @Test
    void tailOfALargeLogReadsItsEnd() throws IOException {
        String lines = IntStream.range(0, 50_000).mapToObj(i -> "line " + i).collect(Collectors.joining("\n"));
        Path log = Files.writeString(tmp.resolve("big.log"), lines);

        assertThat(ChildProcess.tail(log, 3)).isEqualTo("line 49997\nline 49998\nline 49999");
    }

    @Test
    void tailOfAMissingLogSaysSo() {
        assertThat(ChildProcess.tail(tmp.resolve("none.log"), 3)).isEqualTo("(no log at " + tmp.resolve("none.log") + ")");
    }

    @Test
    void aDeathByTakenPortNamesThePortFromQuarkusLog() {
        String tail = "ERROR Port 41234 seems to be in use by another process. Quarkus may already be running";

        String message = ChildProcess.diedMessage("registry", 1, List.of(41234, 41235), Path.of("r.log"), tail);

        assertThat(message).startsWith("registry: exited with code 1 before it was ready. registry: port 41234 on"
                + " 127.0.0.1 is taken by another process").endsWith("Last lines of r.log:\n" + tail);
    }

    @Test
    void aDeathByTakenPortNamesThePortFromPostgresLog() {
        String tail = "LOG:  could not bind IPv4 address \"127.0.0.1\": Address already in use\n"
                + "HINT:  Is another postmaster already running on port 5433?";

        String message = ChildProcess.diedMessage("postgres", 1, List.of(5433), Path.of("p.log"), tail);

        assertThat(message).contains("postgres: port 5433 on 127.0.0.1 is taken");
    }

    @Test
    void anOtherDeathQuotesTheLogWithoutBlamingAPort() {
        String message = ChildProcess.diedMessage("registry", 137, List.of(1234), Path.of("r.log"), "OutOfMemoryError");

        assertThat(message).isEqualTo("registry: exited with code 137 before it was ready. Last lines of r.log:\n"
                + "OutOfMemoryError");
    }

    @Test
    void aProcessThatDiesFailsTheReadinessWaitAtOnceQuotingItsLog() {
        Path log = tmp.resolve("died.log");
        ChildProcess child = ChildProcess.launch("demo", List.of("sh", "-c", "echo starting; echo boom >&2; exit 3"),
                tmp, Map.of(), log, ChildProcess.StopSignal.TERM);
        long started = System.nanoTime();

        assertThatThrownBy(() -> child.awaitReady(Duration.ofSeconds(60), List.of(), () -> false))
                .isInstanceOf(StackStartException.class)
                .hasMessage("demo: exited with code 3 before it was ready. Last lines of " + log + ":\nstarting\nboom");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(30));
    }

    @Test
    void aProcessThatNeverGetsReadyIsStoppedAfterTheTimeout() {
        ChildProcess child = ChildProcess.launch("demo", List.of("sleep", "600"), tmp, Map.of(), tmp.resolve("s.log"),
                ChildProcess.StopSignal.TERM);

        assertThatThrownBy(() -> child.awaitReady(Duration.ofMillis(300), List.of(), () -> false))
                .isInstanceOf(StackStartException.class)
                .hasMessageStartingWith("demo: not ready within 0 s");
        assertThat(child.handle().isAlive()).isFalse();
    }

    @Test
    void readinessWaitsForTheProbeAndTreatsItsExceptionsAsNotYet() {
        ChildProcess child = ChildProcess.launch("demo", List.of("sleep", "600"), tmp, Map.of(), tmp.resolve("s.log"),
                ChildProcess.StopSignal.TERM);
        int[] calls = new int[1];
        try {
            child.awaitReady(Duration.ofSeconds(30), List.of(), () -> {
                if (++calls[0] < 3) {
                    throw new IOException("connection refused");
                }
                return true;
            });
            assertThat(calls[0]).isEqualTo(3);
        } finally {
            child.stop(Duration.ofSeconds(5));
        }
    }

    @Test
    void stopWithSigintLetsTheProcessExitCleanly() {
        Path log = tmp.resolve("int.log");
        ChildProcess child = ChildProcess.launch("demo",
                // perl, not sh: a shell cannot trap a signal ignored when it started, as SIGINT is for every
                // child of a build run in the background without job control (nohup ... &).
                List.of("perl", "-e", "$| = 1; $SIG{INT} = sub { print qq(got INT\\n); exit 0 }; print qq(up\\n); "
                        + "select(undef, undef, undef, 0.05) while 1;"), tmp,
                Map.of(), log, ChildProcess.StopSignal.INT);
        child.awaitReady(Duration.ofSeconds(30), List.of(), () -> Files.readString(log).contains("up"));

        child.stop(Duration.ofSeconds(20));

        assertThat(child.handle().isAlive()).isFalse();
        assertThat(log).content().contains("got INT");
    }

    @Test
    void stopKillsAProcessThatIgnoresItsSignalAndItsChildren() {
        Path log = tmp.resolve("stubborn.log");
        ChildProcess child = ChildProcess.launch("demo",
                List.of("sh", "-c", "trap '' TERM; sleep 600 & echo up; wait"), tmp, Map.of(), log,
                ChildProcess.StopSignal.TERM);
        child.awaitReady(Duration.ofSeconds(30), List.of(), () -> Files.readString(log).contains("up"));
        List<ProcessHandle> descendants = child.handle().descendants().toList();

        child.stop(Duration.ofMillis(500));

        assertThat(child.handle().isAlive()).isFalse();
        assertThat(descendants).isNotEmpty().noneMatch(ChildProcess::isRunning);
        child.stop(Duration.ofMillis(500));
    }

    @Test
    void runReportsAFailingCommandWithItsLog() {
        Path log = tmp.resolve("init.log");

        assertThatThrownBy(() -> ChildProcess.run("postgres", "initdb", List.of("sh", "-c", "cat; exit 2"), tmp, log,
                "fed through stdin\n", Duration.ofSeconds(30)))
                .isInstanceOf(StackStartException.class)
                .hasMessage("postgres: initdb failed with exit code 2; last lines of " + log + ":\nfed through stdin");
    }

    @Test
    void aCommandThatExitsBeforeReadingItsInputIsReportedByItsExitCode() {
        Path log = tmp.resolve("early.log");

        assertThatThrownBy(() -> ChildProcess.run("postgres", "creating database", List.of("sh", "-c",
                "echo refused; exit 4"), tmp, log, "x".repeat(4 << 20), Duration.ofSeconds(30)))
                .isInstanceOf(StackStartException.class)
                .hasMessage("postgres: creating database failed with exit code 4; last lines of " + log + ":\nrefused");
    }
}
