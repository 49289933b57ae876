package io.kaveri.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class PgPingTest {

    @Test
    void theStartupMessageFollowsProtocol3() {
        byte[] message = PgPing.startupMessage("kaveri", "db");

        ByteBuffer buffer = ByteBuffer.wrap(message);
        assertThat(buffer.getInt()).isEqualTo(message.length);
        assertThat(buffer.getInt()).isEqualTo(3 << 16);
        assertThat(new String(message, 8, message.length - 8, StandardCharsets.UTF_8))
                .isEqualTo("user\0kaveri\0database\0db\0\0");
    }

    @Test
    void anAuthenticationRequestMeansReady() throws IOException {
        byte[] saslRequest = {'R', 0, 0, 0, 23, 0, 0, 0, 10};

        assertThat(PgPing.acceptsConnections(new ByteArrayInputStream(saslRequest))).isTrue();
    }

    @Test
    void startingUpMeansNotReady() throws IOException {
        assertThat(PgPing.acceptsConnections(error("FATAL", "57P03", "the database system is starting up"))).isFalse();
    }

    @Test
    void anyOtherErrorMeansTheServerAnswers() throws IOException {
        assertThat(PgPing.acceptsConnections(error("FATAL", "28000", "no pg_hba.conf entry"))).isTrue();
    }

    @Test
    void garbageOrSilenceIsAnError() {
        assertThatThrownBy(() -> PgPing.acceptsConnections(new ByteArrayInputStream(new byte[0])))
                .isInstanceOf(IOException.class).hasMessage("connection closed without a reply");
        assertThatThrownBy(() -> PgPing.acceptsConnections(new ByteArrayInputStream("HTTP/1.1".getBytes())))
                .isInstanceOf(IOException.class).hasMessage("unexpected reply type 72");
        assertThatThrownBy(() -> PgPing.acceptsConnections(new ByteArrayInputStream(new byte[] {'E', 0, 0, 0, 9, 'C'})))
                .isInstanceOf(IOException.class);
    }

    private static ByteArrayInputStream error(String severity, String code, String text) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (String field : new String[] {"S" + severity, "C" + code, "M" + text}) {
            body.writeBytes(field.getBytes(StandardCharsets.UTF_8));
            body.write(0);
        }
        body.write(0);
        byte[] bytes = body.toByteArray();
        return new ByteArrayInputStream(ByteBuffer.allocate(5 + bytes.length).put((byte) 'E')
                .putInt(4 + bytes.length).put(bytes).array());
    }
}
