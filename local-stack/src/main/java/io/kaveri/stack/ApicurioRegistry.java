package io.kaveri.stack;

import java.nio.file.Path;
import java.time.Duration;

/** Apicurio Registry as a child process, speaking Confluent's API at {@code /apis/ccompat/v7}. */
public final class ApicurioRegistry implements StackComponent {

    public record Options(Path workDir, Path cacheDir, Path mavenRepository) {
    }

    private ApicurioRegistry() {
    }

    public static ApicurioRegistry start(Options options) {
        throw new StackStartException("registry: not available in this build");
    }

    public String url() {
        throw new UnsupportedOperationException();
    }

    @Override
    public String name() {
        return "registry";
    }

    @Override
    public Duration startDuration() {
        return Duration.ZERO;
    }

    @Override
    public String endpoint() {
        return "url=" + url();
    }

    @Override
    public Path logFile() {
        throw new UnsupportedOperationException();
    }

    @Override
    public void close() {
    }
}
