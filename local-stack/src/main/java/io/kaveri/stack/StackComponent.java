package io.kaveri.stack;

import java.nio.file.Path;
import java.time.Duration;

/** One running part of the local stack (broker, Connect worker, registry, database). */
public interface StackComponent extends AutoCloseable {

    /** Short name for status lines and logs, e.g. {@code kafka}, {@code postgres}. */
    String name();

    /** Wall-clock time from launch until the component answered its readiness check. */
    Duration startDuration();

    /** What a client needs to reach it, e.g. {@code bootstrap.servers=127.0.0.1:40123}. */
    String endpoint();

    /** Where the component writes its log. */
    Path logFile();

    /** Stops the component and waits until its process/threads and ports are gone. Idempotent. */
    @Override
    void close();
}
