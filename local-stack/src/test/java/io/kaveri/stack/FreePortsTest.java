package io.kaveri.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;

class FreePortsTest {

    @Test
    void aPickedPortIsFreeAndNotListening() {
        int port = FreePorts.pick();

        assertThat(port).isBetween(1024, 65535);
        FreePorts.requireFree("registry", port);
        assertThat(FreePorts.isListening(port)).isFalse();
    }

    @Test
    void aTakenPortIsNamed() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            int port = taken.getLocalPort();

            assertThat(FreePorts.isListening(port)).isTrue();
            assertThatThrownBy(() -> FreePorts.requireFree("postgres", port))
                    .isInstanceOf(StackStartException.class)
                    .hasMessageStartingWith("postgres: port " + port + " on 127.0.0.1 is taken by another process");
        }
    }

    @Test
    void aPortTakenBetweenPickAndBindIsPickedAgainButOtherFailuresAreNot() {
        java.util.List<Integer> tried = new java.util.ArrayList<>();
        int started = FreePorts.withFreshPort(port -> {
            tried.add(port);
            if (tried.size() == 1) {
                throw new StackStartException(FreePorts.portTakenMessage("registry", port));
            }
            return port;
        });
        assertThat(tried).hasSize(2).last().isEqualTo(started);

        tried.clear();
        assertThatThrownBy(() -> FreePorts.withFreshPort(port -> {
            tried.add(port);
            throw new StackStartException("registry: the process died");
        })).hasMessage("registry: the process died");
        assertThat(tried).hasSize(1);

        tried.clear();
        assertThatThrownBy(() -> FreePorts.withFreshPort(port -> {
            tried.add(port);
            throw new StackStartException(FreePorts.portTakenMessage("postgres", port));
        })).hasMessageContaining("is taken");
        assertThat(tried).hasSize(3);
    }
}
