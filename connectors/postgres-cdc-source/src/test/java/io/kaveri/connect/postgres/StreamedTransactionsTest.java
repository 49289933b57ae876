package io.kaveri.connect.postgres;

import io.kaveri.connect.postgres.PgOutputMessage.Begin;
import io.kaveri.connect.postgres.PgOutputMessage.Commit;
import io.kaveri.connect.postgres.PgOutputMessage.Insert;
import io.kaveri.connect.postgres.PgOutputMessage.Relation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static io.kaveri.connect.postgres.PgOutputBytes.message;
import static org.assertj.core.api.Assertions.assertThat;

class StreamedTransactionsTest {

    private static final Instant WHEN = Instant.parse("2000-01-01T00:00:00Z");

    @TempDir
    Path spoolDir;

    private final PgOutputDecoder decoder = new PgOutputDecoder();
    private final List<String> out = new ArrayList<>();
    private StreamedTransactions streamed;

    /** Decodes the bytes as the reader does and feeds them in at {@code lsn}. */
    private void feed(long lsn, PgOutputBytes bytes) {
        ByteBuffer message = bytes.buffer();
        ByteBuffer raw = message.duplicate();
        streamed.accept(Lsn.of(lsn), raw, decoder.decode(message));
    }

    private void collect(Lsn lsn, PgOutputMessage m) {
        String what;
        if (m instanceof Begin b) {
            what = "begin xid=" + b.xid() + " final=" + b.finalLsn().value();
        } else if (m instanceof Commit c) {
            what = "commit end=" + c.endLsn().value();
        } else if (m instanceof Insert i) {
            what = "insert xid=" + i.xid() + " id=" + i.newTuple().get(0).text();
        } else if (m instanceof Relation r) {
            what = "relation " + r.name();
        } else {
            what = m.toString();
        }
        out.add(lsn.value() + " " + what);
    }

    private static PgOutputBytes streamedInsert(int xid, String id) {
        return message('I').int32(xid).int32(5).byte1('N').tuple(id);
    }

    @Test
    void aStreamedTransactionIsHandedOnWholeAtItsCommitWithoutItsAbortedSubtransaction() throws Exception {
        streamed = new StreamedTransactions(spoolDir, this::collect);

        feed(100, message('S').int32(900).byte1(1));
        feed(110, message('R').int32(900).int32(5).string("s").string("t").byte1('d').int16(1).byte1(1).string("id").int32(23).int32(-1));
        feed(120, streamedInsert(900, "1"));
        feed(130, message('E'));
        assertThat(out).as("nothing before the commit").isEmpty();
        assertThat(streamed.pending()).isTrue();

        // A small transaction commits in between: it passes straight through.
        feed(140, message('B').int64(0x170).int64(0).int32(950));
        feed(150, message('I').int32(5).byte1('N').tuple("50"));
        feed(160, message('C').byte1(0).int64(0x170).int64(0x178).int64(0));
        assertThat(out).containsExactly("140 begin xid=950 final=368", "150 insert xid=0 id=50", "160 commit end=376");
        out.clear();

        feed(200, message('S').int32(900).byte1(0));
        feed(210, streamedInsert(901, "2"));
        feed(220, streamedInsert(900, "3"));
        feed(230, message('E'));
        feed(240, message('A').int32(900).int32(901));
        feed(250, message('c').int32(900).byte1(0).int64(0x300).int64(0x380).int64(0));

        assertThat(out).containsExactly("768 begin xid=900 final=768", "110 relation t", "120 insert xid=900 id=1",
                "220 insert xid=900 id=3", "896 commit end=896");
        assertThat(streamed.pending()).isFalse();
        try (var files = Files.list(spoolDir)) {
            assertThat(files).as("spool deleted").isEmpty();
        }
    }

    @Test
    void anAbortedStreamedTransactionLeavesNothing() throws Exception {
        streamed = new StreamedTransactions(spoolDir, this::collect);
        feed(100, message('S').int32(700).byte1(1));
        feed(120, streamedInsert(700, "1"));
        feed(130, message('E'));
        feed(140, message('A').int32(700).int32(700));
        assertThat(out).isEmpty();
        assertThat(streamed.pending()).isFalse();
        try (var files = Files.list(spoolDir)) {
            assertThat(files).isEmpty();
        }
    }

    @Test
    void closeDeletesTheSpoolsOfOpenTransactions() throws Exception {
        streamed = new StreamedTransactions(spoolDir, this::collect);
        feed(100, message('S').int32(800).byte1(1));
        feed(120, streamedInsert(800, "1"));
        streamed.close();
        assertThat(streamed.pending()).isFalse();
        try (var files = Files.list(spoolDir)) {
            assertThat(files).isEmpty();
        }
    }
}
