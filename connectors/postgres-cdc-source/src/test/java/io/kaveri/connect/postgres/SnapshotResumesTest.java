package io.kaveri.connect.postgres;

import io.kaveri.connect.postgres.SnapshotResumes.Point;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SnapshotResumesTest {

    private static final TableId A = new TableId("s", "a");
    private static final TableId B = new TableId("s", "b");
    private static final TableId C = new TableId("s", "c");
    private static final List<TableId> ORDER = List.of(A, B, C);
    /** Integer keys, as the database would order them. */
    private static final SnapshotResumes.KeyOrder INTS =
            (table, key, boundary) -> Long.parseLong(key.get(0)) > Long.parseLong(boundary.get(0));

    /** Crashed after row 100 of b; the rest was read at 0/5000. */
    private final SnapshotResumes once = SnapshotResumes.NONE.plus(new Point(B, List.of("100"), Lsn.parse("0/5000")));

    @Test
    void encodesAndParsesNamesAndKeysWithSeparatorsInThem() {
        SnapshotResumes odd = once.plus(new Point(new TableId("we/ird;", "t,1"), List.of("a,b", "c/d;%", ""), Lsn.parse("1/0")));
        assertThat(SnapshotResumes.parse(odd.encode())).isEqualTo(odd);
        assertThat(SnapshotResumes.parse(null)).isEqualTo(SnapshotResumes.NONE);
        assertThat(SnapshotResumes.parse("")).isEqualTo(SnapshotResumes.NONE);
        assertThatThrownBy(() -> SnapshotResumes.parse("s/a/1")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("s/a/1");
    }

    @Test
    void aChangeCommittedBeforeTheResumedReadOfItsRowIsCovered() {
        Lsn before = Lsn.parse("0/4FFF");
        Lsn after = Lsn.parse("0/5000");
        assertThat(once.covers(B, List.of("101"), before, ORDER, INTS)).as("row read by the resume").isTrue();
        assertThat(once.covers(C, List.of("1"), before, ORDER, INTS)).as("later table read by the resume").isTrue();
        assertThat(once.covers(B, List.of("101"), after, ORDER, INTS)).as("committed after the resumed read").isFalse();
        assertThat(once.covers(B, List.of("100"), before, ORDER, INTS)).as("row in Kafka before the crash").isFalse();
        assertThat(once.covers(A, List.of("999"), before, ORDER, INTS)).as("earlier table").isFalse();
        assertThat(once.covers(new TableId("s", "z"), List.of("1"), before, ORDER, INTS)).as("table not snapshotted").isFalse();
        assertThat(once.until()).isEqualTo(after);
    }

    @Test
    void aSecondCrashSplitsTheRowsBetweenTheReads() {
        SnapshotResumes twice = once.plus(new Point(C, List.of("50"), Lsn.parse("0/9000")));
        Lsn between = Lsn.parse("0/6000");
        assertThat(twice.covers(B, List.of("101"), between, ORDER, INTS)).as("read at 0/5000, change after").isFalse();
        assertThat(twice.covers(C, List.of("40"), between, ORDER, INTS)).as("read at 0/5000, change after").isFalse();
        assertThat(twice.covers(C, List.of("60"), between, ORDER, INTS)).as("read at 0/9000, change before").isTrue();
        assertThat(twice.until()).isEqualTo(Lsn.parse("0/9000"));
    }

    @Test
    void aTableWithoutKeyIsReadAgainWhole() {
        SnapshotResumes keyless = SnapshotResumes.NONE.plus(new Point(B, List.of(), Lsn.parse("0/5000")));
        assertThat(keyless.covers(B, List.of(), Lsn.parse("0/10"), ORDER, (t, k, b) -> {
            throw new AssertionError("no key to compare");
        })).isTrue();
    }
}
