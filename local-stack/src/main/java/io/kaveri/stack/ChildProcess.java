package io.kaveri.stack;

import java.io.IOException;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A server started as a child process: output to a log file, a readiness wait that fails fast (quoting the
 * log) when the process dies, a bounded stop, and a JVM shutdown hook so that no child outlives the JVM.
 */
final class ChildProcess {

    private static final Logger LOG = LoggerFactory.getLogger(ChildProcess.class);

    /** How many log lines a failure message quotes: enough for a stack trace's head, short enough to read. */
    static final int TAIL_LINES = 25;

    /** The signal that asks the server to stop cleanly. */
    enum StopSignal {
        /** {@code SIGTERM}: the JVM's own {@link Process#destroy()}; a clean stop for Java servers. */
        TERM,
        /** {@code SIGINT}: PostgreSQL's "fast" shutdown (its SIGTERM waits for every client to leave). */
        INT
    }

    /** One readiness probe; returns true once the server serves. May throw: that counts as "not yet". */
    @FunctionalInterface
    interface Probe {
        boolean ready() throws Exception;
    }

    private final String component;
    private final Process process;
    private final Path logFile;
    private final StopSignal stopSignal;
    private final Thread shutdownHook;
    private boolean stopped;

    private ChildProcess(String component, Process process, Path logFile, StopSignal stopSignal) {
        this.component = component;
        this.process = process;
        this.logFile = logFile;
        this.stopSignal = stopSignal;
        this.shutdownHook = new Thread(() -> stop(Duration.ofSeconds(10)), "kaveri-stop-" + component);
    }

    /**
     * Starts {@code command} with stdout and stderr appended to {@code logFile}. The caller must {@link #stop}
     * it; if it does not, the JVM's shutdown hook does.
     */
    static ChildProcess launch(String component, List<String> command, Path workingDir, Map<String, String> env,
            Path logFile, StopSignal stopSignal) {
        Process process = startProcess(component, command, workingDir, env, logFile);
        ChildProcess child = new ChildProcess(component, process, logFile, stopSignal);
        try {
            Runtime.getRuntime().addShutdownHook(child.shutdownHook);
        } catch (IllegalStateException shuttingDown) {
            destroyTree(process.toHandle());
            throw new StackStartException(component + ": not started because the JVM is shutting down", shuttingDown);
        }
        LOG.info("component={} event=launched pid={} log={}", component, process.pid(), logFile);
        return child;
    }

    /**
     * Runs a short command (e.g. {@code initdb}) to completion with {@code stdin} as its input, appending its
     * output to {@code logFile}. Fails with the log's tail if it exits non-zero or overruns.
     */
    static void run(String component, String what, List<String> command, Path workingDir, Path logFile,
            String stdin, Duration timeout) {
        Process process = startProcess(component, command, workingDir, Map.of(), logFile);
        try (OutputStream in = process.getOutputStream()) {
            in.write(stdin.getBytes(StandardCharsets.UTF_8));
        } catch (IOException exitedEarly) {
            // Its exit code and log say why, below.
        }
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                destroyTree(process.toHandle());
                throw new StackStartException(component + ": " + what + " did not finish within " + timeout.toSeconds()
                        + " s; last lines of " + logFile + ":\n" + tail(logFile, TAIL_LINES));
            }
        } catch (InterruptedException e) {
            destroyTree(process.toHandle());
            Thread.currentThread().interrupt();
            throw new StackStartException(component + ": interrupted during " + what, e);
        }
        if (process.exitValue() != 0) {
            throw new StackStartException(component + ": " + what + " failed with exit code " + process.exitValue()
                    + "; last lines of " + logFile + ":\n" + tail(logFile, TAIL_LINES));
        }
    }

    private static Process startProcess(String component, List<String> command, Path workingDir,
            Map<String, String> env, Path logFile) {
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(workingDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
        builder.environment().putAll(env);
        try {
            Files.createDirectories(logFile.getParent());
            return builder.start();
        } catch (IOException e) {
            throw new StackStartException(component + ": cannot start " + command.get(0) + " (log " + logFile + "): "
                    + e.getMessage(), e);
        }
    }

    /**
     * Polls {@code probe} until it answers true. Fails at once when the process exits (quoting its log and
     * naming a port it could not bind), and after {@code timeout} otherwise; either failure stops the process.
     */
    void awaitReady(Duration timeout, Collection<Integer> ports, Probe probe) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            if (!process.isAlive()) {
                String tail = tail(logFile, TAIL_LINES);
                stop(Duration.ofSeconds(5));
                throw new StackStartException(diedMessage(component, process.exitValue(), ports, logFile, tail));
            }
            if (probeOnce(probe)) {
                return;
            }
            if (System.nanoTime() > deadline) {
                stop(Duration.ofSeconds(5));
                throw new StackStartException(component + ": not ready within " + timeout.toSeconds()
                        + " s; last lines of " + logFile + ":\n" + tail(logFile, TAIL_LINES));
            }
            try {
                // Waiting on the process (not sleeping) returns at once if it dies between two probes.
                process.waitFor(100, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                stop(Duration.ofSeconds(5));
                Thread.currentThread().interrupt();
                throw new StackStartException(component + ": interrupted while waiting for it to be ready", e);
            }
        }
    }

    private boolean probeOnce(Probe probe) {
        try {
            return probe.ready();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (Exception e) {
            LOG.debug("component={} event=not-ready reason={}", component, e.toString());
            return false;
        }
    }

    /** The message for a child that exited before it was ready. */
    static String diedMessage(String component, int exitCode, Collection<Integer> ports, Path logFile, String tail) {
        String lower = tail.toLowerCase(Locale.ROOT);
        String cause = "";
        if (lower.contains("address already in use") || lower.contains("in use by another process")) {
            Optional<Integer> named = ports.stream().filter(p -> tail.contains(String.valueOf(p))).findFirst();
            cause = named.map(p -> " " + FreePorts.portTakenMessage(component, p) + ".")
                    .orElse(" One of its ports " + ports + " on 127.0.0.1 is taken by another process.");
        }
        return component + ": exited with code " + exitCode + " before it was ready." + cause
                + " Last lines of " + logFile + ":\n" + tail;
    }

    /** The last {@code lines} lines of a log (read from its end, so a large log costs nothing). */
    static String tail(Path logFile, int lines) {
        if (!Files.isRegularFile(logFile)) {
            return "(no log at " + logFile + ")";
        }
        try (RandomAccessFile file = new RandomAccessFile(logFile.toFile(), "r")) {
            long length = file.length();
            int window = (int) Math.min(length, 64 * 1024);
            byte[] bytes = new byte[window];
            file.seek(length - window);
            file.readFully(bytes);
            return lastLines(new String(bytes, StandardCharsets.UTF_8), lines);
        } catch (IOException e) {
            return "(cannot read " + logFile + ": " + e.getMessage() + ")";
        }
    }

    static String lastLines(String text, int lines) {
        List<String> all = new ArrayList<>(List.of(text.split("\\R", -1)));
        while (!all.isEmpty() && all.get(all.size() - 1).isBlank()) {
            all.remove(all.size() - 1);
        }
        return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    }

    long pid() {
        return process.pid();
    }

    ProcessHandle handle() {
        return process.toHandle();
    }

    /**
     * Asks the process to stop with its stop signal, waits up to {@code grace}, then kills it and what it
     * spawned. Idempotent, and safe to call from the shutdown hook and from {@code close()} at once.
     */
    synchronized void stop(Duration grace) {
        if (stopped) {
            return;
        }
        stopped = true;
        if (Thread.currentThread() != shutdownHook) {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException shuttingDown) {
                // The JVM is exiting and the hook will find this process already stopped.
            }
        }
        if (!process.isAlive()) {
            return;
        }
        List<ProcessHandle> descendants = process.descendants().toList();
        signal(stopSignal);
        try {
            if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warn("component={} event=forced-stop pid={} graceSeconds={}", component, process.pid(),
                        grace.toSeconds());
                destroyTree(process.toHandle());
                process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            destroyTree(process.toHandle());
            Thread.currentThread().interrupt();
        }
        // Children of a server (PostgreSQL backends) leave on their own when it exits; make sure of it.
        descendants.stream().filter(ChildProcess::isRunning).forEach(ProcessHandle::destroyForcibly);
        awaitExit(descendants, grace);
        LOG.info("component={} event=stopped pid={} exitCode={}", component, process.pid(),
                process.isAlive() ? "alive" : String.valueOf(process.exitValue()));
    }

    private void signal(StopSignal signal) {
        if (signal == StopSignal.TERM) {
            process.destroy();
            return;
        }
        try {
            // Java can only send SIGTERM and SIGKILL itself.
            Process kill = new ProcessBuilder("kill", "-INT", String.valueOf(process.pid()))
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!kill.waitFor(5, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                process.destroy();
            }
        } catch (IOException e) {
            process.destroy();
        } catch (InterruptedException e) {
            process.destroy();
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Kills what the process spawned first, so that the process (if still alive) reaps them, then the
     * process itself.
     */
    private static void destroyTree(ProcessHandle handle) {
        List<ProcessHandle> descendants = handle.descendants().toList();
        descendants.forEach(ProcessHandle::destroyForcibly);
        awaitExit(descendants, Duration.ofSeconds(2));
        handle.destroyForcibly();
    }

    private static void awaitExit(List<ProcessHandle> handles, Duration bound) {
        long deadline = System.nanoTime() + bound.toNanos();
        while (handles.stream().anyMatch(ChildProcess::isRunning)) {
            if (System.nanoTime() > deadline) {
                LOG.warn("component=child event=still-running pids={}",
                        handles.stream().filter(ChildProcess::isRunning).map(ProcessHandle::pid).toList());
                return;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /**
     * Whether a process still runs. A killed process whose parent died stays a zombie until init reaps it
     * (some container inits never do); {@link ProcessHandle#isAlive()} counts it, this does not.
     */
    static boolean isRunning(ProcessHandle handle) {
        if (!handle.isAlive()) {
            return false;
        }
        try {
            String stat = Files.readString(Path.of("/proc", String.valueOf(handle.pid()), "stat"));
            int name = stat.lastIndexOf(')');
            return !(name > 0 && name + 2 < stat.length() && stat.charAt(name + 2) == 'Z');
        } catch (IOException e) {
            return handle.isAlive();
        }
    }

}
