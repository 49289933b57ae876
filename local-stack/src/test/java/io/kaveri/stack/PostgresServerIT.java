package io.kaveri.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class PostgresServerIT {

    private static PostgresServer postgres;

    @BeforeAll
    static void start() {
        postgres = PostgresServer.start(options("postgres-it", StackDirs.cache()));
        System.out.printf("postgres started in %d ms (JVM is root: %s)%n", postgres.startDuration().toMillis(),
                Privileges.jvmIsRoot());
    }

    @AfterAll
    static void stop() {
        if (postgres != null) {
            postgres.close();
        }
    }

    private static PostgresServer.Options options(String test, Path cache) {
        return new PostgresServer.Options(StackDirs.work(test), cache, Optional.empty());
    }

    private static Connection connect(PostgresServer server) throws SQLException {
        return DriverManager.getConnection(server.jdbcUrl(), server.user(), server.password());
    }

    @Test
    void describesItself() {
        assertThat(postgres.name()).isEqualTo("postgres");
        assertThat(postgres.jdbcUrl()).isEqualTo("jdbc:postgresql://127.0.0.1:" + postgres.port() + "/kaveri");
        assertThat(postgres.endpoint()).isEqualTo("jdbc=" + postgres.jdbcUrl());
        assertThat(postgres.logFile()).isEqualTo(StackDirs.work("postgres-it").resolve("postgres.log"));
        assertThat(postgres.logFile()).content().contains("database system is ready to accept connections");
        assertThat(postgres.startDuration()).isPositive().isLessThan(Duration.ofSeconds(60));
    }

    @Test
    void runsPostgres17WithLogicalDecodingAsAReplicationSuperuser() throws SQLException {
        try (Connection connection = connect(postgres); Statement statement = connection.createStatement()) {
            assertThat(single(statement, "SHOW wal_level")).isEqualTo("logical");
            assertThat(single(statement, "SHOW max_replication_slots")).isEqualTo("20");
            assertThat(single(statement, "SHOW server_version_num")).startsWith("17");
            assertThat(single(statement, "SELECT current_database()")).isEqualTo("kaveri");
            assertThat(single(statement, "SELECT rolsuper AND rolreplication FROM pg_roles WHERE rolname = current_user"))
                    .isEqualTo("t");
        }
    }

    @Test
    void aCommittedInsertIsReadFromAPgoutputSlot() throws SQLException {
        try (Connection connection = connect(postgres); Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE orders (id int PRIMARY KEY, item text NOT NULL)");
            statement.execute("SELECT pg_create_logical_replication_slot('s', 'pgoutput')");
            statement.execute("CREATE PUBLICATION pub FOR TABLE orders");
            statement.execute("INSERT INTO orders VALUES (7, 'kallanai')");

            List<byte[]> messages = new ArrayList<>();
            try (ResultSet changes = statement.executeQuery("SELECT data FROM pg_logical_slot_peek_binary_changes("
                    + "'s', NULL, NULL, 'proto_version', '1', 'publication_names', 'pub')")) {
                while (changes.next()) {
                    messages.add(changes.getBytes(1));
                }
            }

            assertThat(messages).extracting(m -> (char) m[0]).containsExactly('B', 'R', 'I', 'C');
            assertThat(insertedValues(messages.get(2))).containsExactly("7", "kallanai");
        }
    }

    @Test
    void closeLeavesNoProcessAndNoListeningPort() throws SQLException {
        PostgresServer own = PostgresServer.start(options("postgres-it-close", StackDirs.cache()));
        Connection open = connect(own);
        long pid = own.pid();
        List<ProcessHandle> backends = ProcessHandle.of(pid).orElseThrow().descendants().toList();
        assertThat(backends).as("postmaster children").isNotEmpty();

        own.close();

        assertThat(StackDirs.gone(pid)).as("postmaster %d is gone", pid).isTrue();
        assertThat(backends).noneMatch(ChildProcess::isRunning);
        assertThat(FreePorts.isListening(own.port())).isFalse();
        assertThat(own.logFile()).content().contains("fast shutdown request");
        open.close();
    }

    @Test
    void aTakenPortIsNamed() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            int port = taken.getLocalPort();

            assertThatThrownBy(() -> PostgresServer.start(options("postgres-it-taken", StackDirs.cache()), port, null))
                    .isInstanceOf(StackStartException.class)
                    .hasMessageStartingWith("postgres: port " + port + " on 127.0.0.1 is taken by another process");
        }
    }

    @Test
    void aDamagedCachedUnpackIsDetectedAndUnpackedAfresh() throws Exception {
        Path cache = StackDirs.work("postgres-it-cache").resolve("cache");
        PostgresServer.start(options("postgres-it-cache", cache)).close();
        Path postgresBinary = cache.resolve(PostgresServer.CACHE_DIR_NAME).resolve("bin/postgres");
        Files.write(postgresBinary, new byte[] {0x7f, 'E', 'L', 'F'});

        try (PostgresServer again = PostgresServer.start(options("postgres-it-cache", cache));
                Connection connection = connect(again); Statement statement = connection.createStatement()) {
            assertThat(single(statement, "SELECT 1")).isEqualTo("1");
        }
        assertThat(Files.size(postgresBinary)).isGreaterThan(1_000_000);
    }

    @Test
    void runsAsNobodyThroughSetprivWhenUserNamespacesAreNotAvailable() throws Exception {
        assumeTrue(Privileges.jvmIsRoot(), "only root drops privileges");
        // setpriv's nobody must reach the binaries: a cache under the (world-readable) build directory.
        Path cache = StackDirs.work("postgres-it-setpriv").resolve("cache");
        PostgresServer.Options options = options("postgres-it-setpriv", cache);

        try (PostgresServer asNobody = PostgresServer.start(options, FreePorts.pick(), Privileges.Mode.SETPRIV);
                Connection connection = connect(asNobody); Statement statement = connection.createStatement()) {
            assertThat(single(statement, "SHOW wal_level")).isEqualTo("logical");
            assertThat(ProcessHandle.of(asNobody.pid()).orElseThrow().info().user()).contains("nobody");
        }
    }

    @Test
    void usesInstalledBinariesWhenGivenThem() throws SQLException {
        Path installed = Path.of("/usr/lib/postgresql/15/bin");
        assumeTrue(Files.isExecutable(installed.resolve("postgres")), "needs PostgreSQL 15 installed");

        try (PostgresServer fromOs = PostgresServer.start(new PostgresServer.Options(
                StackDirs.work("postgres-it-installed"), StackDirs.cache(), Optional.of(installed)));
                Connection connection = connect(fromOs); Statement statement = connection.createStatement()) {
            assertThat(single(statement, "SHOW server_version_num")).startsWith("15");
            assertThat(single(statement, "SHOW wal_level")).isEqualTo("logical");
        }
    }

    private static String single(Statement statement, String sql) throws SQLException {
        try (ResultSet result = statement.executeQuery(sql)) {
            assertThat(result.next()).as(sql).isTrue();
            return result.getString(1);
        }
    }

    /** The text columns of a pgoutput Insert: 'I', relation id, 'N', column count, then ('t', length, bytes)... */
    private static List<String> insertedValues(byte[] message) {
        ByteBuffer buffer = ByteBuffer.wrap(message);
        assertThat((char) buffer.get()).isEqualTo('I');
        buffer.getInt();
        assertThat((char) buffer.get()).isEqualTo('N');
        int columns = buffer.getShort();
        List<String> values = new ArrayList<>();
        for (int i = 0; i < columns; i++) {
            assertThat((char) buffer.get()).isEqualTo('t');
            byte[] value = new byte[buffer.getInt()];
            buffer.get(value);
            values.add(new String(value, StandardCharsets.UTF_8));
        }
        return values;
    }
}
