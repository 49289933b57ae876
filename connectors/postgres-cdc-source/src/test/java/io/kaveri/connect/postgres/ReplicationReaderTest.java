package io.kaveri.connect.postgres;

import org.junit.jupiter.api.Test;

import java.io.EOFException;
import java.sql.SQLException;

import static org.assertj.core.api.Assertions.assertThat;

class ReplicationReaderTest {

    @Test
    void connectionFaultsShutdownsAndABusySlotAreRetried() {
        assertThat(ReplicationReader.isTransient(new SQLException("cut", "08006"))).isTrue();
        assertThat(ReplicationReader.isTransient(new SQLException("refused", "08001"))).isTrue();
        assertThat(ReplicationReader.isTransient(new SQLException("admin shutdown", "57P01"))).isTrue();
        assertThat(ReplicationReader.isTransient(new SQLException("starting up", "57P03"))).isTrue();
        assertThat(ReplicationReader.isTransient(new SQLException("slot is active for PID 42", "55006"))).isTrue();
        assertThat(ReplicationReader.isTransient(new SQLException("io", null, new EOFException()))).isTrue();
    }

    @Test
    void configurationAndPermissionErrorsAreNot() {
        assertThat(ReplicationReader.isTransient(new SQLException("password authentication failed", "28P01"))).isFalse();
        assertThat(ReplicationReader.isTransient(new SQLException("permission denied", "42501"))).isFalse();
        assertThat(ReplicationReader.isTransient(new SQLException("slot does not exist", "42704"))).isFalse();
        assertThat(ReplicationReader.isTransient(new SQLException("no state"))).isFalse();
    }
}
