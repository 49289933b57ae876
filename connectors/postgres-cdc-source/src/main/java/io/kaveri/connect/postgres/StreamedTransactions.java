package io.kaveri.connect.postgres;

import io.kaveri.connect.postgres.PgOutputMessage.Begin;
import io.kaveri.connect.postgres.PgOutputMessage.Commit;
import io.kaveri.connect.postgres.PgOutputMessage.Relation;
import io.kaveri.connect.postgres.PgOutputMessage.StreamAbort;
import io.kaveri.connect.postgres.PgOutputMessage.StreamCommit;
import io.kaveri.connect.postgres.PgOutputMessage.StreamStart;
import io.kaveri.connect.postgres.PgOutputMessage.StreamStop;
import org.apache.kafka.connect.errors.ConnectException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * Turns pgoutput protocol 2 streamed transactions back into whole ones. PostgreSQL streams a transaction that outgrows
 * {@code logical_decoding_work_mem} before it commits, in blocks (Stream Start ... Stream Stop) interleaved with other
 * transactions, and ends it with Stream Commit or Stream Abort. Each block's messages are spooled, raw, to a file of
 * their top-level transaction (memory stays bounded however big it is); at Stream Commit they are decoded again and
 * handed on between a Begin and a Commit, so that the transaction is one Kafka transaction like any other, in commit
 * order. An aborted subtransaction's messages are left out; an aborted transaction's file is deleted.
 *
 * <p>Not thread-safe: the reader thread owns it.
 */
final class StreamedTransactions implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(StreamedTransactions.class);

    private final Path directory;
    private final BiConsumer<Lsn, PgOutputMessage> sink;
    private final Map<Long, Spool> spools = new HashMap<>();
    private Spool current;

    /** A streamed transaction's spooled messages, and its subtransactions aborted so far. */
    private static final class Spool {
        final Path file;
        final DataOutputStream out;
        final Set<Long> abortedSubtransactions = new HashSet<>();
        long messages;

        Spool(Path file) throws IOException {
            this.file = file;
            this.out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file), 64 * 1024));
        }
    }

    /**
     * @param directory where the spool files go (deleted when their transaction ends and on close)
     * @param sink      what receives whole transactions and every message outside a stream
     */
    StreamedTransactions(Path directory, BiConsumer<Lsn, PgOutputMessage> sink) {
        this.directory = directory;
        this.sink = sink;
    }

    /** True while a transaction is spooled and not yet committed or aborted. */
    boolean pending() {
        return !spools.isEmpty();
    }

    /**
     * @param raw     the message's bytes (its position unchanged by the call)
     * @param message the same message, decoded
     */
    void accept(Lsn walLsn, ByteBuffer raw, PgOutputMessage message) {
        try {
            if (message instanceof StreamStart s) {
                current = spools.get(s.xid());
                if (current == null) {
                    current = new Spool(Files.createTempFile(directory, "kaveri-stream-" + s.xid() + "-", ".spool"));
                    spools.put(s.xid(), current);
                    log.debug("streamed transaction started xid={} spool={}", s.xid(), current.file);
                }
            } else if (message instanceof StreamStop) {
                if (current != null) {
                    current.out.flush();
                }
                current = null;
            } else if (message instanceof StreamAbort a) {
                abort(a);
            } else if (message instanceof StreamCommit c) {
                commit(c);
            } else if (current != null) {
                ByteBuffer bytes = raw.duplicate();
                current.out.writeLong(walLsn.value());
                current.out.writeInt(bytes.remaining());
                byte[] b = new byte[bytes.remaining()];
                bytes.get(b);
                current.out.write(b);
                current.messages++;
            } else {
                sink.accept(walLsn, message);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("spooling a streamed transaction in " + directory + ": " + e.getMessage(), e);
        }
    }

    private void abort(StreamAbort a) throws IOException {
        Spool spool = spools.get(a.xid());
        if (spool == null) {
            return;
        }
        if (a.subXid() == a.xid()) {
            spools.remove(a.xid());
            delete(spool);
            log.debug("streamed transaction aborted xid={} messages={}", a.xid(), spool.messages);
        } else {
            spool.abortedSubtransactions.add(a.subXid());
        }
    }

    private void commit(StreamCommit c) throws IOException {
        Spool spool = spools.remove(c.xid());
        sink.accept(c.commitLsn(), new Begin(c.commitLsn(), c.commitTime(), c.xid()));
        if (spool != null) {
            spool.out.close();
            log.info("streamed transaction committed xid={} messages={} commitLsn={}", c.xid(), spool.messages, c.commitLsn());
            // Spooled messages come from inside a stream block: they carry their (sub)transaction's id.
            PgOutputDecoder decoder = new PgOutputDecoder();
            decoder.decode(ByteBuffer.wrap(new byte[] {'S', 0, 0, 0, 0, 0}));
            try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(spool.file), 64 * 1024))) {
                while (true) {
                    long lsn;
                    try {
                        lsn = in.readLong();
                    } catch (EOFException end) {
                        break;
                    }
                    byte[] b = new byte[in.readInt()];
                    in.readFully(b);
                    PgOutputMessage m = decoder.decode(ByteBuffer.wrap(b));
                    // A Relation describes the table whatever happened to its subtransaction.
                    if (m instanceof Relation || !spool.abortedSubtransactions.contains(xidOf(m))) {
                        sink.accept(Lsn.of(lsn), m);
                    }
                }
            } finally {
                delete(spool);
            }
        }
        sink.accept(c.endLsn(), new Commit(c.flags(), c.commitLsn(), c.endLsn(), c.commitTime()));
    }

    private static long xidOf(PgOutputMessage m) {
        if (m instanceof PgOutputMessage.Insert i) {
            return i.xid();
        } else if (m instanceof PgOutputMessage.Update u) {
            return u.xid();
        } else if (m instanceof PgOutputMessage.Delete d) {
            return d.xid();
        } else if (m instanceof PgOutputMessage.Truncate t) {
            return t.xid();
        } else if (m instanceof PgOutputMessage.LogicalMessage l) {
            return l.xid();
        } else if (m instanceof PgOutputMessage.Type t) {
            return t.xid();
        }
        throw new ConnectException("unexpected pgoutput message inside a streamed transaction: " + m);
    }

    private static void delete(Spool spool) throws IOException {
        spool.out.close();
        Files.deleteIfExists(spool.file);
    }

    /** Deletes the spools of transactions still open: a new session receives them again from their start. */
    @Override
    public void close() {
        for (Spool spool : spools.values()) {
            try {
                delete(spool);
            } catch (IOException e) {
                log.warn("cannot delete spool={} error={}", spool.file, e.toString());
            }
        }
        spools.clear();
        current = null;
    }
}
