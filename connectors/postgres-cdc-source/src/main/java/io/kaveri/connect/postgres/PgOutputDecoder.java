package io.kaveri.connect.postgres;

import io.kaveri.connect.postgres.PgOutputMessage.Begin;
import io.kaveri.connect.postgres.PgOutputMessage.Column;
import io.kaveri.connect.postgres.PgOutputMessage.Commit;
import io.kaveri.connect.postgres.PgOutputMessage.Delete;
import io.kaveri.connect.postgres.PgOutputMessage.Insert;
import io.kaveri.connect.postgres.PgOutputMessage.LogicalMessage;
import io.kaveri.connect.postgres.PgOutputMessage.Origin;
import io.kaveri.connect.postgres.PgOutputMessage.Relation;
import io.kaveri.connect.postgres.PgOutputMessage.StreamAbort;
import io.kaveri.connect.postgres.PgOutputMessage.StreamCommit;
import io.kaveri.connect.postgres.PgOutputMessage.StreamStart;
import io.kaveri.connect.postgres.PgOutputMessage.StreamStop;
import io.kaveri.connect.postgres.PgOutputMessage.Truncate;
import io.kaveri.connect.postgres.PgOutputMessage.TupleData;
import io.kaveri.connect.postgres.PgOutputMessage.Type;
import io.kaveri.connect.postgres.PgOutputMessage.Update;
import io.kaveri.connect.postgres.PgOutputMessage.Value;

import java.io.ByteArrayOutputStream;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Decodes {@code pgoutput} messages, protocol versions 1 and 2. Stateful in one respect: between Stream Start and
 * Stream Stop (protocol 2, streamed in-progress transactions) the data messages carry a transaction id after the
 * message type, so one decoder serves one replication stream.
 */
final class PgOutputDecoder {

    /** Seconds from 1970-01-01 to 2000-01-01, PostgreSQL's timestamp epoch. */
    private static final long PG_EPOCH_SECONDS = 946_684_800L;

    private boolean inStream;

    /**
     * Decodes one message. Throws {@link PgOutputFormatException} naming the message type when the bytes are not a
     * message this decoder knows or are cut short.
     */
    PgOutputMessage decode(ByteBuffer buffer) {
        if (!buffer.hasRemaining()) {
            throw new PgOutputFormatException("empty pgoutput message");
        }
        char type = (char) buffer.get();
        try {
            return switch (type) {
                case 'B' -> new Begin(lsn(buffer), timestamp(buffer), uint32(buffer));
                case 'C' -> new Commit(buffer.get(), lsn(buffer), lsn(buffer), timestamp(buffer));
                case 'O' -> new Origin(lsn(buffer), string(buffer));
                case 'R' -> relation(buffer);
                case 'Y' -> new Type(streamXid(buffer), buffer.getInt(), string(buffer), string(buffer));
                case 'I' -> insert(buffer);
                case 'U' -> update(buffer);
                case 'D' -> delete(buffer);
                case 'T' -> truncate(buffer);
                case 'M' -> message(buffer);
                case 'S' -> {
                    inStream = true;
                    yield new StreamStart(uint32(buffer), buffer.get() == 1);
                }
                case 'E' -> {
                    inStream = false;
                    yield new StreamStop();
                }
                case 'c' -> new StreamCommit(uint32(buffer), buffer.get(), lsn(buffer), lsn(buffer), timestamp(buffer));
                // Protocol 4 appends the abort LSN and time (parallel apply); the ids come first in every version.
                case 'A' -> new StreamAbort(uint32(buffer), uint32(buffer));
                default -> throw new PgOutputFormatException("unknown pgoutput message type '" + type
                        + "': two-phase messages need two_phase off, which this connector never turns on");
            };
        } catch (BufferUnderflowException e) {
            throw new PgOutputFormatException("pgoutput message '" + type + "' is cut short", e);
        }
    }

    private Relation relation(ByteBuffer b) {
        long xid = streamXid(b);
        int oid = b.getInt();
        String namespace = string(b);
        String name = string(b);
        char identity = (char) b.get();
        int count = b.getShort();
        List<Column> columns = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            boolean key = (b.get() & 1) != 0;
            columns.add(new Column(key, string(b), b.getInt(), b.getInt()));
        }
        return new Relation(xid, oid, namespace, name, identity, columns);
    }

    private Insert insert(ByteBuffer b) {
        long xid = streamXid(b);
        int oid = b.getInt();
        expect(b, 'N', "Insert");
        return new Insert(xid, oid, tuple(b));
    }

    private Update update(ByteBuffer b) {
        long xid = streamXid(b);
        int oid = b.getInt();
        char kind = (char) b.get();
        TupleData old = null;
        char oldKind = '0';
        if (kind == 'K' || kind == 'O') {
            oldKind = kind;
            old = tuple(b);
            kind = (char) b.get();
        }
        if (kind != 'N') {
            throw new PgOutputFormatException("Update of relation " + oid + ": expected 'N' before the new tuple, got '" + kind + "'");
        }
        return new Update(xid, oid, oldKind, old, tuple(b));
    }

    private Delete delete(ByteBuffer b) {
        long xid = streamXid(b);
        int oid = b.getInt();
        char kind = (char) b.get();
        if (kind != 'K' && kind != 'O') {
            throw new PgOutputFormatException("Delete of relation " + oid + ": expected 'K' or 'O', got '" + kind + "'");
        }
        return new Delete(xid, oid, kind, tuple(b));
    }

    private Truncate truncate(ByteBuffer b) {
        long xid = streamXid(b);
        int count = b.getInt();
        int options = b.get();
        List<Integer> oids = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            oids.add(b.getInt());
        }
        return new Truncate(xid, (options & 1) != 0, (options & 2) != 0, oids);
    }

    private LogicalMessage message(ByteBuffer b) {
        long xid = streamXid(b);
        boolean transactional = (b.get() & 1) != 0;
        Lsn lsn = lsn(b);
        String prefix = string(b);
        byte[] content = new byte[b.getInt()];
        b.get(content);
        return new LogicalMessage(xid, transactional, lsn, prefix, content);
    }

    private static TupleData tuple(ByteBuffer b) {
        int count = b.getShort();
        List<Value> values = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            char kind = (char) b.get();
            values.add(switch (kind) {
                case 'n' -> Value.NULL;
                case 'u' -> Value.UNCHANGED_TOAST;
                case 't', 'b' -> {
                    byte[] bytes = new byte[b.getInt()];
                    b.get(bytes);
                    yield new Value(kind, bytes);
                }
                default -> throw new PgOutputFormatException("tuple column " + i + ": unknown kind '" + kind + "'");
            });
        }
        return new TupleData(values);
    }

    private static void expect(ByteBuffer b, char wanted, String message) {
        char got = (char) b.get();
        if (got != wanted) {
            throw new PgOutputFormatException(message + ": expected '" + wanted + "', got '" + got + "'");
        }
    }

    private long streamXid(ByteBuffer b) {
        return inStream ? uint32(b) : 0;
    }

    private static long uint32(ByteBuffer b) {
        return Integer.toUnsignedLong(b.getInt());
    }

    private static Lsn lsn(ByteBuffer b) {
        return Lsn.of(b.getLong());
    }

    static Instant timestamp(ByteBuffer b) {
        long micros = b.getLong();
        return Instant.ofEpochSecond(PG_EPOCH_SECONDS + Math.floorDiv(micros, 1_000_000L),
                Math.floorMod(micros, 1_000_000L) * 1_000L);
    }

    private static String string(ByteBuffer b) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte c;
        while ((c = b.get()) != 0) {
            out.write(c);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    /** The bytes are not a pgoutput message this decoder understands. */
    static final class PgOutputFormatException extends RuntimeException {

        PgOutputFormatException(String message) {
            super(message);
        }

        PgOutputFormatException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
