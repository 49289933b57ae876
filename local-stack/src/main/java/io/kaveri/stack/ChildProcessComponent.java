package io.kaveri.stack;

import java.nio.file.Path;
import java.time.Duration;

/** What the parts of the stack that run as a child process share: the process, its log and its start time. */
abstract class ChildProcessComponent implements StackComponent {

    private final ChildProcess process;
    private final Duration startDuration;
    private final Path logFile;
    private final Duration stopGrace;

    ChildProcessComponent(ChildProcess process, Duration startDuration, Path logFile, Duration stopGrace) {
        this.process = process;
        this.startDuration = startDuration;
        this.logFile = logFile;
        this.stopGrace = stopGrace;
    }

    long pid() {
        return process.pid();
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
