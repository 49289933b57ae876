package io.kaveri.connect.postgres;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** Builds pgoutput messages byte by byte, as "Logical Replication Message Formats" in the PostgreSQL docs lays them out. */
final class PgOutputBytes {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    static PgOutputBytes message(char type) {
        return new PgOutputBytes().byte1(type);
    }

    PgOutputBytes byte1(int b) {
        out.write(b);
        return this;
    }

    PgOutputBytes int16(int v) {
        return byte1(v >>> 8).byte1(v);
    }

    PgOutputBytes int32(int v) {
        return int16(v >>> 16).int16(v & 0xFFFF);
    }

    PgOutputBytes int64(long v) {
        return int32((int) (v >>> 32)).int32((int) v);
    }

    PgOutputBytes string(String s) {
        out.writeBytes(s.getBytes(StandardCharsets.UTF_8));
        return byte1(0);
    }

    PgOutputBytes bytes(byte[] b) {
        out.writeBytes(b);
        return this;
    }

    /** TupleData: {@code null} is 'n', {@code "\u0000u"} is 'u' (unchanged TOAST), other strings 't'. */
    PgOutputBytes tuple(String... values) {
        int16(values.length);
        for (String v : values) {
            if (v == null) {
                byte1('n');
            } else if (v.equals("\u0000u")) {
                byte1('u');
            } else {
                byte[] b = v.getBytes(StandardCharsets.UTF_8);
                byte1('t').int32(b.length).bytes(b);
            }
        }
        return this;
    }

    ByteBuffer buffer() {
        return ByteBuffer.wrap(out.toByteArray());
    }
}
