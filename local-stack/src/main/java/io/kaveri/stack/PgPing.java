package io.kaveri.stack;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * PostgreSQL's readiness check, as {@code pg_isready} does it (the binaries on Maven Central do not ship
 * it, and JDBC is not a runtime dependency): send a startup message and read the first reply. An
 * authentication request, or any error other than "the database system is starting up", means the server
 * accepts connections. Nothing is authenticated: the socket is closed after the first reply.
 */
final class PgPing {

    /** Protocol 3.0. */
    private static final int PROTOCOL_VERSION = 196608;
    /** SQLSTATE cannot_connect_now: starting up, shutting down or in recovery. */
    static final String CANNOT_CONNECT_NOW = "57P03";

    private PgPing() {
    }

    static boolean acceptsConnections(String host, int port, String user, String database) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), 1000);
            socket.setSoTimeout(2000);
            socket.getOutputStream().write(startupMessage(user, database));
            socket.getOutputStream().flush();
            return acceptsConnections(socket.getInputStream());
        }
    }

    static byte[] startupMessage(String user, String database) {
        ByteArrayOutputStream parameters = new ByteArrayOutputStream();
        for (String text : new String[] {"user", user, "database", database}) {
            parameters.writeBytes(text.getBytes(StandardCharsets.UTF_8));
            parameters.write(0);
        }
        parameters.write(0);
        byte[] body = parameters.toByteArray();
        return ByteBuffer.allocate(8 + body.length).putInt(8 + body.length).putInt(PROTOCOL_VERSION).put(body).array();
    }

    /** Reads the server's first message: {@code R} (authentication) or {@code E} (error response). */
    static boolean acceptsConnections(InputStream reply) throws IOException {
        DataInputStream in = new DataInputStream(reply);
        int type = in.read();
        if (type == 'R') {
            return true;
        }
        if (type != 'E') {
            throw new IOException(type < 0 ? "connection closed without a reply" : "unexpected reply type " + type);
        }
        int length = in.readInt();
        if (length < 4 || length > 1 << 16) {
            throw new IOException("malformed error reply of length " + length);
        }
        byte[] body = new byte[length - 4];
        in.readFully(body);
        return !CANNOT_CONNECT_NOW.equals(errorField(body, 'C'));
    }

    /** A field of an ErrorResponse body: a type byte, a NUL-terminated string, ..., and a final NUL. */
    static String errorField(byte[] body, char field) throws EOFException {
        int i = 0;
        while (i < body.length && body[i] != 0) {
            byte type = body[i++];
            int end = i;
            while (end < body.length && body[end] != 0) {
                end++;
            }
            if (end == body.length) {
                throw new EOFException("error field without its terminating NUL");
            }
            if (type == field) {
                return new String(body, i, end - i, StandardCharsets.UTF_8);
            }
            i = end + 1;
        }
        return null;
    }
}
