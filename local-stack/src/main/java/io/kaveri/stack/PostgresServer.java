package io.kaveri.stack;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * PostgreSQL 17 as a child process, from the zonky binaries on Maven Central (or installed binaries),
 * on a fresh cluster with {@code wal_level=logical} and a random port.
 */
public final class PostgresServer implements StackComponent {

    /**
     * @param workDir        where the data directory and log go (e.g. {@code target/stack/postgres})
     * @param cacheDir       where the binaries archive is unpacked once and reused
     * @param installedBinDir a directory holding {@code initdb}, {@code pg_ctl}, {@code postgres}, used instead of the archive
     */
    public record Options(Path workDir, Path cacheDir, Optional<Path> installedBinDir) {
    }

    private PostgresServer() {
    }

    public static PostgresServer start(Options options) {
        throw new UnsupportedOperationException("not yet implemented");
    }

    /** {@code jdbc:postgresql://127.0.0.1:<port>/<database>} */
    public String jdbcUrl() {
        throw new UnsupportedOperationException();
    }

    public String host() {
        throw new UnsupportedOperationException();
    }

    public int port() {
        throw new UnsupportedOperationException();
    }

    public String database() {
        throw new UnsupportedOperationException();
    }

    /** A superuser with the REPLICATION attribute. */
    public String user() {
        throw new UnsupportedOperationException();
    }

    public String password() {
        throw new UnsupportedOperationException();
    }

    @Override
    public String name() {
        return "postgres";
    }

    @Override
    public Duration startDuration() {
        throw new UnsupportedOperationException();
    }

    @Override
    public String endpoint() {
        return "jdbc=" + jdbcUrl();
    }

    @Override
    public Path logFile() {
        throw new UnsupportedOperationException();
    }

    @Override
    public void close() {
    }
}
