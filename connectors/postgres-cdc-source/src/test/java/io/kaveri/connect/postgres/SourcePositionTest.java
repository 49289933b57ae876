package io.kaveri.connect.postgres;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class SourcePositionTest {

    @Test
    void offsetRoundTrip() {
        SourcePosition p = new SourcePosition(Lsn.of(500), Lsn.of(900), 3, false, true);
        Map<String, Object> offset = p.toOffset(42, Lsn.of(880));
        assertThat(offset).containsEntry("lsn_end", 500L).containsEntry("lsn_commit", 900L)
                .containsEntry("event_serial", 3L).containsEntry("tx_complete", false).containsEntry("txId", 42L)
                .containsEntry("lsn", 880L).containsEntry("snapshot_completed", true);
        assertThat(SourcePosition.fromOffset(offset)).isEqualTo(p);
        // Offsets come back from JSON as Integers when small.
        assertThat(SourcePosition.fromOffset(Map.of("lsn_end", 5, "lsn_commit", 9, "event_serial", 1, "tx_complete", true,
                "snapshot_completed", true))).isEqualTo(new SourcePosition(Lsn.of(5), Lsn.of(9), 1, true, true));
        assertThat(SourcePosition.fromOffset(null)).isNull();
        assertThat(SourcePosition.fromOffset(Map.of())).isNull();
    }

    @Test
    void coversEarlierTransactionsAndEarlierEventsOfTheSame() {
        SourcePosition mid = new SourcePosition(Lsn.of(500), Lsn.of(900), 3, false, true);
        assertThat(mid.covers(Lsn.of(800), 99)).isTrue();
        assertThat(mid.covers(Lsn.of(900), 3)).isTrue();
        assertThat(mid.covers(Lsn.of(900), 4)).isFalse();
        assertThat(mid.covers(Lsn.of(1000), 0)).isFalse();
        SourcePosition done = new SourcePosition(Lsn.of(908), Lsn.of(900), 3, true, true);
        assertThat(done.covers(Lsn.of(900), 4)).isTrue();
        assertThat(SourcePosition.streamingFrom(Lsn.of(700)).covers(Lsn.of(701), 0)).isFalse();
    }

    @Test
    void snapshotOffsetsWithoutStreamingFieldsParse() {
        SourcePosition p = SourcePosition.fromOffset(Map.of("lsn_end", 700L, "snapshot", true, "snapshot_completed", false));
        assertThat(p.snapshotCompleted()).isFalse();
        assertThat(p.resumeLsn()).isEqualTo(Lsn.of(700));
        assertThat(p.commitLsn()).isEqualTo(Lsn.INVALID);
    }
}
