package io.kaveri.connect.postgres;

import io.kaveri.connect.postgres.PgOutputMessage.Begin;
import io.kaveri.connect.postgres.PgOutputMessage.Column;
import io.kaveri.connect.postgres.PgOutputMessage.Commit;
import io.kaveri.connect.postgres.PgOutputMessage.Delete;
import io.kaveri.connect.postgres.PgOutputMessage.Insert;
import io.kaveri.connect.postgres.PgOutputMessage.Relation;
import io.kaveri.connect.postgres.PgOutputMessage.Truncate;
import io.kaveri.connect.postgres.PgOutputMessage.Update;
import org.apache.kafka.connect.errors.ConnectException;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.kaveri.connect.postgres.Fixtures.tuple;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ChangeDispatcherTest {

    private static final Relation USERS = new Relation(0, 100, "shop", "users", 'd', List.of(
            new Column(true, "id", TypeMapper.INT4, -1), new Column(false, "name", TypeMapper.TEXT, -1),
            new Column(false, "note", TypeMapper.TEXT, -1)));
    private static final Relation AUDIT = new Relation(0, 200, "shop", "audit", 'd', List.of(
            new Column(true, "id", TypeMapper.INT4, -1)));

    private final List<Emission> out = new ArrayList<>();

    private ChangeDispatcher dispatcher(SourcePosition start) {
        ChangeDispatcher.RelationResolver resolver = r -> r.name().equals("users") ? Fixtures.users() : null;
        return new ChangeDispatcher(Map.of("server", "app"), Fixtures.events(true), resolver, start, out::add);
    }

    /** Transaction committing at {@code commit}: inserts 1 and 2, updates 1's key to 3 (delete, tombstone, create). */
    private static void transaction(ChangeDispatcher d, long commit) {
        d.accept(Lsn.of(commit - 50), new Begin(Lsn.of(commit), Fixtures.COMMIT_TIME, commit));
        d.accept(Lsn.of(commit - 40), USERS);
        d.accept(Lsn.of(commit - 30), new Insert(0, 100, tuple("1", "a", null)));
        d.accept(Lsn.of(commit - 20), new Insert(0, 100, tuple("2", "b", null)));
        d.accept(Lsn.of(commit - 10), new Update(0, 100, 'K', tuple("1", null, null), tuple("3", "a", null)));
        d.accept(Lsn.of(commit), new Commit(0, Lsn.of(commit), Lsn.of(commit + 8), Fixtures.COMMIT_TIME));
    }

    @Test
    void onlyTheLastRecordOfATransactionEndsTheKafkaTransaction() {
        ChangeDispatcher d = dispatcher(null);
        transaction(d, 1000);
        assertThat(out).hasSize(5);
        assertThat(out).extracting(Emission::commitAfter).containsExactly(false, false, false, false, true);
        assertThat(out.get(4).flushLsn()).isEqualTo(Lsn.of(1008));
        assertThat(out.get(0).flushLsn()).isNull();
        Map<String, ?> last = out.get(4).record().sourceOffset();
        assertThat(last.get(SourcePosition.TX_COMPLETE)).isEqualTo(true);
        assertThat(last.get(SourcePosition.LSN_END)).isEqualTo(1008L);
        assertThat(last.get(SourcePosition.LSN_COMMIT)).isEqualTo(1000L);
        assertThat(last.get(SourcePosition.EVENT_SERIAL)).isEqualTo(4L);
        assertThat(out.get(0).record().sourceOffset().get(SourcePosition.TX_COMPLETE)).isEqualTo(false);
        assertThat(d.inTransaction()).isFalse();
        assertThat(d.transactions()).isEqualTo(1);
    }

    @Test
    void aTransactionIsHeldBackUntilItsCommit() {
        ChangeDispatcher d = dispatcher(null);
        d.accept(Lsn.of(1), new Begin(Lsn.of(100), Fixtures.COMMIT_TIME, 9));
        d.accept(Lsn.of(2), USERS);
        d.accept(Lsn.of(3), new Insert(0, 100, tuple("1", "a", null)));
        assertThat(out).isEmpty();
        assertThat(d.inTransaction()).isTrue();
        d.accept(Lsn.of(4), new Commit(0, Lsn.of(100), Lsn.of(108), Fixtures.COMMIT_TIME));
        assertThat(out).singleElement().satisfies(e -> assertThat(e.commitAfter()).isTrue());
    }

    @Test
    void replayOfDeliveredEventsIsSkipped() {
        ChangeDispatcher first = dispatcher(null);
        transaction(first, 1000);
        transaction(first, 2000);
        List<Emission> all = new ArrayList<>(out);
        // Crash after the first transaction and two events of the second: stored offset is the second event.
        SourcePosition stored = SourcePosition.fromOffset(all.get(6).record().sourceOffset());
        out.clear();
        ChangeDispatcher resumed = dispatcher(stored);
        transaction(resumed, 1000);
        transaction(resumed, 2000);
        assertThat(offsets(out)).isEqualTo(offsets(all.subList(7, 10)));
        assertThat(out.get(out.size() - 1).commitAfter()).isTrue();
    }

    @Test
    void aReconnectMidTransactionReplaysWithoutDuplicates() {
        ChangeDispatcher d = dispatcher(null);
        transaction(d, 1000);
        // The connection drops after two events of the transaction committing at 2000: one handed on, one held.
        d.accept(Lsn.of(1950), new Begin(Lsn.of(2000), Fixtures.COMMIT_TIME, 2000));
        d.accept(Lsn.of(1960), USERS);
        d.accept(Lsn.of(1970), new Insert(0, 100, tuple("1", "a", null)));
        d.accept(Lsn.of(1980), new Insert(0, 100, tuple("2", "b", null)));
        int before = out.size();
        d.newSession();
        transaction(d, 2000);
        assertThat(out.subList(before, out.size()))
                .extracting(e -> (Object) e.record().sourceOffset().get(SourcePosition.EVENT_SERIAL))
                .containsExactly(1L, 2L, 3L, 4L);
        assertThat(out.get(before - 1).record().sourceOffset().get(SourcePosition.EVENT_SERIAL)).isEqualTo(0L);
        assertThat(out.get(out.size() - 1).commitAfter()).isTrue();
    }

    private static List<Object> offsets(List<Emission> emissions) {
        return emissions.stream().map(e -> (Object) e.record().sourceOffset()).toList();
    }

    @Test
    void tablesTheResolverDropsProduceNothing() {
        ChangeDispatcher d = dispatcher(null);
        d.accept(Lsn.of(1), new Begin(Lsn.of(100), Fixtures.COMMIT_TIME, 9));
        d.accept(Lsn.of(2), AUDIT);
        d.accept(Lsn.of(3), new Insert(0, 200, tuple("1")));
        d.accept(Lsn.of(4), new Delete(0, 200, 'K', tuple("1")));
        d.accept(Lsn.of(5), new Commit(0, Lsn.of(100), Lsn.of(108), Fixtures.COMMIT_TIME));
        assertThat(out).isEmpty();
    }

    @Test
    void truncateOfCapturedTablesOnly() {
        ChangeDispatcher d = dispatcher(null);
        d.accept(Lsn.of(1), new Begin(Lsn.of(100), Fixtures.COMMIT_TIME, 9));
        d.accept(Lsn.of(2), USERS);
        d.accept(Lsn.of(3), AUDIT);
        d.accept(Lsn.of(4), new Truncate(0, false, false, List.of(100, 200)));
        d.accept(Lsn.of(5), new Commit(0, Lsn.of(100), Lsn.of(108), Fixtures.COMMIT_TIME));
        assertThat(out).singleElement().satisfies(e -> {
            assertThat(e.record().topic()).isEqualTo("app.shop.users");
            assertThat(((org.apache.kafka.connect.data.Struct) e.record().value()).getString("op")).isEqualTo("t");
        });
    }

    @Test
    void protocolViolationsAreClearErrors() {
        ChangeDispatcher d = dispatcher(null);
        assertThatThrownBy(() -> d.accept(Lsn.of(3), new Insert(0, 100, tuple("1", "a", null))))
                .isInstanceOf(ConnectException.class).hasMessageContaining("outside a transaction");
        d.accept(Lsn.of(1), new Begin(Lsn.of(100), Fixtures.COMMIT_TIME, 9));
        assertThatThrownBy(() -> d.accept(Lsn.of(3), new Insert(0, 555, tuple("1"))))
                .isInstanceOf(ConnectException.class).hasMessageContaining("relation 555");
    }

    @Test
    void afterAResumedSnapshotChangesItsReadHoldsAreSkippedAndTheResumePointsKeptInTheOffsets() {
        ChangeDispatcher d = dispatcher(SourcePosition.streamingFrom(Lsn.of(500)));
        SnapshotResumes resumes = SnapshotResumes.NONE.plus(new SnapshotResumes.Point(Fixtures.USERS, List.of("1"), Lsn.of(1500)));
        // The resumed read holds users with id > 1 as of 1500.
        d.skipSnapshotOverlap(resumes, (table, commit, row) ->
                resumes.covers(table.id(), List.of(row.get(0).text()), commit, List.of(Fixtures.USERS),
                        (t, key, boundary) -> Integer.parseInt(key.get(0)) > Integer.parseInt(boundary.get(0))));

        transaction(d, 1000);

        // Insert 1 (before the boundary) and the key update 1 -> 3: delete and tombstone of 1 are sent, the create of 3
        // and the insert of 2 are in the read.
        assertThat(out).extracting(e -> e.record().value() == null ? "tombstone" : ((org.apache.kafka.connect.data.Struct)
                e.record().value()).getString("op")).containsExactly("c", "d", "tombstone");
        assertThat(out).allSatisfy(e -> assertThat(e.record().sourceOffset().get(SourcePosition.SNAPSHOT_RESUMES))
                .isEqualTo(resumes.encode()));
        assertThat(out.get(2).commitAfter()).isTrue();

        out.clear();
        transaction(d, 2000);
        assertThat(out).as("past the resumed read: everything, no resume points").hasSize(5)
                .allSatisfy(e -> assertThat(e.record().sourceOffset()).doesNotContainKey(SourcePosition.SNAPSHOT_RESUMES));
    }
}
