package io.kaveri.connect.postgres;

import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.kaveri.connect.postgres.Fixtures.info;
import static io.kaveri.connect.postgres.Fixtures.tuple;
import static io.kaveri.connect.postgres.Fixtures.users;
import static org.assertj.core.api.Assertions.assertThat;

class EventFactoryTest {

    private final EventFactory events = Fixtures.events(true);
    private final TableSchema users = users();

    @Test
    void insertHasDebeziumEnvelopeAndSource() {
        ChangeEvent e = events.insert(users, tuple("1", "ann", null), info()).get(0);
        assertThat(e.topic()).isEqualTo("app.shop.users");
        assertThat(e.key()).isEqualTo(new Struct(users.keySchema()).put("id", 1));
        assertThat(e.keySchema().name()).isEqualTo("app.shop.users.Key");
        Struct v = e.value();
        assertThat(v.schema().name()).isEqualTo("app.shop.users.Envelope");
        assertThat(v.schema().fields()).extracting(f -> f.name()).containsExactly("before", "after", "source", "op", "ts_ms");
        assertThat(v.getString("op")).isEqualTo("c");
        assertThat(v.get("before")).isNull();
        assertThat(v.getStruct("after").getInt32("id")).isEqualTo(1);
        assertThat(v.getStruct("after").getString("name")).isEqualTo("ann");
        assertThat(v.getStruct("after").get("note")).isNull();
        assertThat(v.getInt64("ts_ms")).isEqualTo(Fixtures.CLOCK.millis());
        Struct source = v.getStruct("source");
        assertThat(source.schema().fields()).extracting(f -> f.name()).containsExactly("version", "connector", "name",
                "ts_ms", "snapshot", "db", "sequence", "schema", "table", "txId", "lsn", "xmin");
        assertThat(source.getString("connector")).isEqualTo("postgresql");
        assertThat(source.getString("name")).isEqualTo("app");
        assertThat(source.getInt64("ts_ms")).isEqualTo(Fixtures.COMMIT_TIME.toEpochMilli());
        assertThat(source.getString("snapshot")).isEqualTo("false");
        assertThat(source.getString("db")).isEqualTo("shopdb");
        assertThat(source.getString("schema")).isEqualTo("shop");
        assertThat(source.getString("table")).isEqualTo("users");
        assertThat(source.getInt64("txId")).isEqualTo(777L);
        assertThat(source.getInt64("lsn")).isEqualTo(0x1000L);
        assertThat(source.getString("sequence")).isEqualTo("[\"2304\",\"4096\"]");
        v.validate();
    }

    @Test
    void updateWithDefaultIdentityHasNoBeforeAndFullIdentityHasIt() {
        ChangeEvent plain = single(events.update(users, '0', null, tuple("1", "bob", "n"), info()));
        assertThat(plain.op()).isEqualTo("u");
        assertThat(plain.value().get("before")).isNull();
        assertThat(plain.value().getStruct("after").getString("name")).isEqualTo("bob");

        ChangeEvent full = single(events.update(users, 'O', tuple("1", "ann", "n"), tuple("1", "bob", "n"), info()));
        assertThat(full.value().getStruct("before").getString("name")).isEqualTo("ann");
        assertThat(full.value().getStruct("after").getString("name")).isEqualTo("bob");
    }

    @Test
    void primaryKeyUpdateIsDeleteTombstoneCreate() {
        List<ChangeEvent> out = events.update(users, 'K', tuple("1", null, null), tuple("2", "ann", "n"), info());
        assertThat(out).extracting(ChangeEvent::op).containsExactly("d", null, "c");
        assertThat(out.get(0).key().getInt32("id")).isEqualTo(1);
        assertThat(out.get(0).value().getStruct("before").getInt32("id")).isEqualTo(1);
        assertThat(out.get(0).value().get("after")).isNull();
        assertThat(out.get(1).isTombstone()).isTrue();
        assertThat(out.get(1).key().getInt32("id")).isEqualTo(1);
        assertThat(out.get(2).key().getInt32("id")).isEqualTo(2);
        assertThat(out.get(2).value().getStruct("after").getString("name")).isEqualTo("ann");

        List<ChangeEvent> noTombstones = Fixtures.events(false).update(users, 'K', tuple("1", null, null),
                tuple("2", "ann", "n"), info());
        assertThat(noTombstones).extracting(ChangeEvent::op).containsExactly("d", "c");
    }

    @Test
    void deleteThenTombstoneUnlessTurnedOff() {
        List<ChangeEvent> out = events.delete(users, tuple("3", null, null), info());
        assertThat(out).hasSize(2);
        assertThat(out.get(0).op()).isEqualTo("d");
        assertThat(out.get(0).value().getStruct("before").getInt32("id")).isEqualTo(3);
        assertThat(out.get(1).isTombstone()).isTrue();
        SourceRecord tombstone = out.get(1).toRecord(Map.of("server", "app"), Map.of("lsn", 1L));
        assertThat(tombstone.value()).isNull();
        assertThat(tombstone.valueSchema()).isNull();
        assertThat(tombstone.key()).isEqualTo(out.get(0).key());
        assertThat(Fixtures.events(false).delete(users, tuple("3", null, null), info())).hasSize(1);
    }

    @Test
    void unchangedToastIsFilledFromTheOldRowOrMarkedAndNamed() {
        ChangeEvent marked = single(events.update(users, '0', null, tuple("1", "bob", "\u0000u"), info()));
        assertThat(marked.value().getStruct("after").getString("note")).isEqualTo(EventFactory.UNAVAILABLE_VALUE);
        assertThat(marked.unavailableColumns()).containsExactly("note");
        SourceRecord r = marked.toRecord(Map.of(), Map.of());
        assertThat(r.headers().lastWithName(ChangeEvent.UNAVAILABLE_HEADER).value()).isEqualTo("note");

        ChangeEvent filled = single(events.update(users, 'O', tuple("1", "ann", "long text"), tuple("1", "bob", "\u0000u"), info()));
        assertThat(filled.value().getStruct("after").getString("note")).isEqualTo("long text");
        assertThat(filled.unavailableColumns()).isEmpty();
        assertThat(filled.toRecord(Map.of(), Map.of()).headers().isEmpty()).isTrue();
    }

    @Test
    void truncateHasNoKeyAndOpT() {
        ChangeEvent t = events.truncate(users, info());
        assertThat(t.key()).isNull();
        assertThat(t.op()).isEqualTo("t");
        assertThat(t.value().get("before")).isNull();
        assertThat(t.value().get("after")).isNull();
    }

    @Test
    void snapshotReadIsOpR() {
        ChangeEvent r = events.read(users, new Object[]{5, "eve", null},
                new EventFactory.SourceInfo(Fixtures.COMMIT_TIME, "true", null, Lsn.parse("0/10"), null));
        assertThat(r.op()).isEqualTo("r");
        assertThat(r.value().getStruct("source").getString("snapshot")).isEqualTo("true");
        assertThat(r.value().getStruct("source").get("txId")).isNull();
        assertThat(r.value().getStruct("source").getString("sequence")).isEqualTo("[null,\"16\"]");
    }

    @Test
    void columnCountMismatchNamesTheTable() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> events.insert(users, tuple("1"), info()))
                .hasMessageContaining("shop.users");
    }

    private static ChangeEvent single(List<ChangeEvent> events) {
        assertThat(events).hasSize(1);
        return events.get(0);
    }
}
