package io.kaveri.connect.postgres;

import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ChangeQueueTest {

    private static Emission emission(long bytes) {
        return new Emission(new SourceRecord(Map.of(), Map.of(), "t", null, null), false, null, bytes);
    }

    @Test
    void boundedByBytesAndCount() throws InterruptedException {
        ChangeQueue q = new ChangeQueue(3, 1000);
        assertThat(q.offer(emission(600), 0)).isTrue();
        assertThat(q.offer(emission(600), 0)).as("over the byte bound").isFalse();
        assertThat(q.offer(emission(300), 0)).isTrue();
        assertThat(q.bytes()).isEqualTo(900);
        assertThat(q.poll(1, 0)).hasSize(1);
        assertThat(q.bytes()).isEqualTo(300);
        assertThat(q.offer(emission(100), 0)).isTrue();
        assertThat(q.offer(emission(100), 0)).isTrue();
        assertThat(q.offer(emission(1), 0)).as("over the count bound").isFalse();
        assertThat(q.poll(10, 0)).hasSize(3);
        assertThat(q.size()).isZero();
    }

    @Test
    void anOversizedRecordStillPassesAnEmptyQueue() throws InterruptedException {
        ChangeQueue q = new ChangeQueue(10, 100);
        assertThat(q.offer(emission(5000), 0)).isTrue();
        assertThat(q.poll(10, 0)).hasSize(1);
    }

    @Test
    void pollWaitsBoundedAndReturnsEmpty() throws InterruptedException {
        ChangeQueue q = new ChangeQueue(10, 100);
        long start = System.nanoTime();
        assertThat(q.poll(10, 50)).isEmpty();
        assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(40_000_000L).isLessThan(5_000_000_000L);
    }
}
