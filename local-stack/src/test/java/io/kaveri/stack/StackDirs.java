package io.kaveri.stack;

import java.nio.file.Path;

/** Where the integration tests put work and cache directories: the build's, or target/ when run from an IDE. */
final class StackDirs {

    private StackDirs() {
    }

    static Path work(String test) {
        return Path.of(System.getProperty("kaveri.work.dir", "target/stack")).toAbsolutePath().resolve(test);
    }

    static Path cache() {
        return Path.of(System.getProperty("kaveri.cache.dir", "target/cache")).toAbsolutePath();
    }

    /** True when no process with this pid runs any more (a zombie counts as gone). */
    static boolean gone(long pid) {
        return ProcessHandle.of(pid).map(handle -> !ChildProcess.isRunning(handle)).orElse(true);
    }
}
