package io.kaveri.connect.postgres;

import io.kaveri.connect.postgres.PgOutputDecoder.PgOutputFormatException;
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
import io.kaveri.connect.postgres.PgOutputMessage.Type;
import io.kaveri.connect.postgres.PgOutputMessage.Update;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

import static io.kaveri.connect.postgres.PgOutputBytes.message;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PgOutputDecoderTest {

    /** 2024-01-02T03:04:05.123456Z in microseconds since 2000-01-01, computed by hand: 8767 days + 3h4m5.123456s. */
    private static final long PG_MICROS = 8767L * 86_400_000_000L + (3 * 3600 + 4 * 60 + 5) * 1_000_000L + 123_456L;
    private static final Instant WHEN = Instant.parse("2024-01-02T03:04:05.123456Z");

    private final PgOutputDecoder decoder = new PgOutputDecoder();

    @Test
    void beginAndCommit() {
        Begin b = (Begin) decoder.decode(message('B').int64(0x16_B374D848L).int64(PG_MICROS).int32(0xFFFFFFFE).buffer());
        assertThat(b.finalLsn()).hasToString("16/B374D848");
        assertThat(b.commitTime()).isEqualTo(WHEN);
        assertThat(b.xid()).isEqualTo(4294967294L);

        Commit c = (Commit) decoder.decode(message('C').byte1(0).int64(0x100).int64(0x180).int64(PG_MICROS).buffer());
        assertThat(c).isEqualTo(new Commit(0, Lsn.of(0x100), Lsn.of(0x180), WHEN));
    }

    @Test
    void timestampsBeforeThePostgresEpoch() {
        Begin b = (Begin) decoder.decode(message('B').int64(1).int64(-1).int32(1).buffer());
        assertThat(b.commitTime()).isEqualTo(Instant.parse("1999-12-31T23:59:59.999999Z"));
    }

    @Test
    void relationWithKeyFlagsAndTypes() {
        Relation r = (Relation) decoder.decode(message('R').int32(16390).string("public").string("users").byte1('f')
                .int16(2)
                .byte1(1).string("id").int32(23).int32(-1)
                .byte1(0).string("balance").int32(1700).int32((10 << 16) + 2 + 4)
                .buffer());
        assertThat(r.xid()).isZero();
        assertThat(r.oid()).isEqualTo(16390);
        assertThat(r.namespace()).isEqualTo("public");
        assertThat(r.name()).isEqualTo("users");
        assertThat(r.replicaIdentity()).isEqualTo('f');
        assertThat(r.columns()).containsExactly(new Column(true, "id", 23, -1), new Column(false, "balance", 1700, 655366));
    }

    @Test
    void insertWithNullTextUnchangedToastAndBinaryValues() {
        ByteBuffer b = message('I').int32(16390).byte1('N').int16(4)
                .byte1('t').int32(2).bytes("42".getBytes(StandardCharsets.UTF_8))
                .byte1('n')
                .byte1('u')
                .byte1('b').int32(3).bytes(new byte[]{1, 2, 3})
                .buffer();
        Insert i = (Insert) decoder.decode(b);
        assertThat(i.relationOid()).isEqualTo(16390);
        assertThat(i.newTuple().get(0).text()).isEqualTo("42");
        assertThat(i.newTuple().get(1).isNull()).isTrue();
        assertThat(i.newTuple().get(2).isUnchangedToast()).isTrue();
        assertThat(i.newTuple().get(3).kind()).isEqualTo('b');
        assertThat(i.newTuple().get(3).bytes()).containsExactly(1, 2, 3);
        assertThat(b.hasRemaining()).isFalse();
    }

    @Test
    void multibyteTextIsUtf8() {
        Insert i = (Insert) decoder.decode(message('I').int32(1).byte1('N').tuple("Kāveri ☔").buffer());
        assertThat(i.newTuple().get(0).text()).isEqualTo("Kāveri ☔");
    }

    @Test
    void updateWithoutOldWithKeyAndWithFullOldRow() {
        Update plain = (Update) decoder.decode(message('U').int32(7).byte1('N').tuple("1", "b").buffer());
        assertThat(plain.oldKind()).isEqualTo('0');
        assertThat(plain.oldTuple()).isNull();
        assertThat(plain.newTuple().get(1).text()).isEqualTo("b");

        Update key = (Update) decoder.decode(message('U').int32(7).byte1('K').tuple("1", null).byte1('N').tuple("2", "b").buffer());
        assertThat(key.oldKind()).isEqualTo('K');
        assertThat(key.oldTuple().get(0).text()).isEqualTo("1");
        assertThat(key.oldTuple().get(1).isNull()).isTrue();
        assertThat(key.newTuple().get(0).text()).isEqualTo("2");

        Update full = (Update) decoder.decode(message('U').int32(7).byte1('O').tuple("1", "a").byte1('N').tuple("1", "\u0000u").buffer());
        assertThat(full.oldKind()).isEqualTo('O');
        assertThat(full.oldTuple().get(1).text()).isEqualTo("a");
        assertThat(full.newTuple().get(1).isUnchangedToast()).isTrue();
    }

    @Test
    void deleteWithKeyOrFullRow() {
        Delete k = (Delete) decoder.decode(message('D').int32(7).byte1('K').tuple("1", null).buffer());
        assertThat(k.oldKind()).isEqualTo('K');
        assertThat(k.oldTuple().get(0).text()).isEqualTo("1");
        Delete o = (Delete) decoder.decode(message('D').int32(7).byte1('O').tuple("1", "a").buffer());
        assertThat(o.oldKind()).isEqualTo('O');
        assertThat(o.oldTuple().size()).isEqualTo(2);
    }

    @Test
    void truncateOptionsAndRelations() {
        Truncate t = (Truncate) decoder.decode(message('T').int32(2).byte1(3).int32(10).int32(11).buffer());
        assertThat(t.cascade()).isTrue();
        assertThat(t.restartIdentity()).isTrue();
        assertThat(t.relationOids()).containsExactly(10, 11);
        Truncate plain = (Truncate) decoder.decode(message('T').int32(1).byte1(0).int32(10).buffer());
        assertThat(plain.cascade()).isFalse();
        assertThat(plain.restartIdentity()).isFalse();
    }

    @Test
    void originTypeAndLogicalMessage() {
        assertThat(decoder.decode(message('O').int64(0x42).string("node_a").buffer()))
                .isEqualTo(new Origin(Lsn.of(0x42), "node_a"));
        assertThat(decoder.decode(message('Y').int32(16500).string("public").string("mood").buffer()))
                .isEqualTo(new Type(0, 16500, "public", "mood"));
        LogicalMessage m = (LogicalMessage) decoder.decode(message('M').byte1(1).int64(0x99).string("kaveri")
                .int32(3).bytes(new byte[]{'a', 'b', 'c'}).buffer());
        assertThat(m.transactional()).isTrue();
        assertThat(m.lsn()).isEqualTo(Lsn.of(0x99));
        assertThat(m.prefix()).isEqualTo("kaveri");
        assertThat(new String(m.content(), StandardCharsets.US_ASCII)).isEqualTo("abc");
    }

    @Test
    void protocolTwoStreamedTransactionCarriesXidsInsideTheStreamOnly() {
        StreamStart start = (StreamStart) decoder.decode(message('S').int32(900).byte1(1).buffer());
        assertThat(start).isEqualTo(new StreamStart(900, true));
        Relation r = (Relation) decoder.decode(message('R').int32(901).int32(5).string("s").string("t").byte1('d')
                .int16(1).byte1(1).string("id").int32(23).int32(-1).buffer());
        assertThat(r.xid()).isEqualTo(901);
        Insert i = (Insert) decoder.decode(message('I').int32(901).int32(5).byte1('N').tuple("1").buffer());
        assertThat(i.xid()).isEqualTo(901);
        Update u = (Update) decoder.decode(message('U').int32(900).int32(5).byte1('N').tuple("2").buffer());
        assertThat(u.xid()).isEqualTo(900);
        Delete d = (Delete) decoder.decode(message('D').int32(900).int32(5).byte1('K').tuple("2").buffer());
        assertThat(d.xid()).isEqualTo(900);
        Truncate t = (Truncate) decoder.decode(message('T').int32(900).int32(1).byte1(0).int32(5).buffer());
        assertThat(t.xid()).isEqualTo(900);
        LogicalMessage m = (LogicalMessage) decoder.decode(message('M').int32(900).byte1(1).int64(1).string("p").int32(0).buffer());
        assertThat(m.xid()).isEqualTo(900);
        assertThat(decoder.decode(message('E').buffer())).isEqualTo(new StreamStop());

        // Outside the stream, the same Insert bytes have no xid.
        Insert after = (Insert) decoder.decode(message('I').int32(5).byte1('N').tuple("3").buffer());
        assertThat(after.xid()).isZero();
        assertThat(after.relationOid()).isEqualTo(5);

        assertThat(decoder.decode(message('c').int32(900).byte1(0).int64(0x200).int64(0x280).int64(PG_MICROS).buffer()))
                .isEqualTo(new StreamCommit(900, 0, Lsn.of(0x200), Lsn.of(0x280), WHEN));
        assertThat(decoder.decode(message('A').int32(900).int32(901).buffer())).isEqualTo(new StreamAbort(900, 901));
        // Protocol 4 appends abort LSN and time; the ids still decode.
        assertThat(decoder.decode(message('A').int32(900).int32(900).int64(0x300).int64(PG_MICROS).buffer()))
                .isEqualTo(new StreamAbort(900, 900));
    }

    @Test
    void badBytesGiveAnErrorNamingTheMessage() {
        assertThatThrownBy(() -> decoder.decode(message('Z').buffer())).isInstanceOf(PgOutputFormatException.class)
                .hasMessageContaining("'Z'");
        assertThatThrownBy(() -> decoder.decode(message('B').int32(1).buffer())).isInstanceOf(PgOutputFormatException.class)
                .hasMessageContaining("'B'").hasMessageContaining("cut short");
        assertThatThrownBy(() -> decoder.decode(message('I').int32(1).byte1('X').buffer()))
                .isInstanceOf(PgOutputFormatException.class).hasMessageContaining("Insert");
        assertThatThrownBy(() -> decoder.decode(message('I').int32(1).byte1('N').int16(1).byte1('q').buffer()))
                .isInstanceOf(PgOutputFormatException.class).hasMessageContaining("'q'");
        assertThatThrownBy(() -> decoder.decode(ByteBuffer.allocate(0))).isInstanceOf(PgOutputFormatException.class);
    }

    @Test
    void decodesFromTheBufferPositionAsTheDriverHandsIt() {
        byte[] framed = message('O').int64(7).string("x").buffer().array();
        byte[] withHeader = new byte[framed.length + 25];
        System.arraycopy(framed, 0, withHeader, 25, framed.length);
        ByteBuffer b = ByteBuffer.wrap(withHeader);
        b.position(25);
        assertThat(decoder.decode(b)).isEqualTo(new Origin(Lsn.of(7), "x"));
    }
}
