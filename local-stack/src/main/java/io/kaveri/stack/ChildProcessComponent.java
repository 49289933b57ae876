package io.kaveri.stack;

import java.nio.file.Path;
import java.time.Duration;

/** What the parts of the stack that run as a child process share: the process, its log and its start time. */
abstract class ChildProcessComponent implements StackComponent {

    private final String name;
    private volatile ChildProcess process;
    private final int port;
    private final Duration startDuration;
    private final Path logFile;
    private final Duration stopGrace;

    ChildProcessComponent(String name, ChildProcess process, int port, Duration startDuration, Path logFile,
            Duration stopGrace) {
        this.name = name;
        this.process = process;
        this.port = port;
        this.startDuration = startDuration;
        this.logFile = logFile;
        this.stopGrace = stopGrace;
    }

    /** Stops the process (with the stop grace) and runs the one {@code relaunch} starts in its place. */
    synchronized void replaceProcess(java.util.function.Supplier<ChildProcess> relaunch) {
        process.stop(stopGrace);
        process = relaunch.get();
    }

    long pid() {
        return process.pid();
    }

    /** The TCP port it listens on, on 127.0.0.1. */
    public int port() {
        return port;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Duration startDuration() {
        return startDuration;
    }

    @Override
    public Path logFile() {
        return logFile;
    }

    @Override
    public void close() {
        process.stop(stopGrace);
    }
}
