package io.kaveri.connect.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.source.SourceRecord;
import org.eclipse.jetty.util.thread.ScheduledExecutorScheduler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class InboxTest {

    private final ScheduledExecutorScheduler scheduler = new ScheduledExecutorScheduler("inbox-test", true);
    private final Inbox inbox = new Inbox(Map.of("r", 100L), 1_000);

    @BeforeEach
    void start() throws Exception {
        scheduler.start();
    }

    @AfterEach
    void stop() throws Exception {
        scheduler.stop();
    }

    private static Inbox.Batch batch(int records, long bytes) {
        List<SourceRecord> list = new ArrayList<>();
        for (int i = 0; i < records; i++) {
            list.add(new SourceRecord(Map.of(), Map.of(), "t", Schema.INT32_SCHEMA, i));
        }
        return new Inbox.Batch(list, bytes, new PendingAck(records));
    }

    @Test
    void boundedByBytesAndFreedByDrain() throws Exception {
        assertThat(inbox.offer("r", batch(1, 60))).isEqualTo(Inbox.Admission.ACCEPTED);
        assertThat(inbox.offer("r", batch(1, 41))).isEqualTo(Inbox.Admission.FULL);
        assertThat(inbox.offer("r", batch(2, 40))).isEqualTo(Inbox.Admission.ACCEPTED);
        assertThat(inbox.usedBytes("r")).isEqualTo(100);
        assertThat(inbox.drain(10, 0, 0)).hasSize(3);
        assertThat(inbox.usedBytes("r")).isZero();
    }

    @Test
    void heldRequestsAreAdmittedInOrderWhenPollFreesRoom() throws Exception {
        inbox.offer("r", batch(1, 100));
        List<String> outcomes = new ArrayList<>();
        inbox.offerOrWait("r", batch(1, 50), 10_000, scheduler, a -> outcomes.add("first " + a));
        inbox.offerOrWait("r", batch(1, 50), 10_000, scheduler, a -> outcomes.add("second " + a));
        // A newcomer does not overtake the held ones even if it would fit later.
        assertThat(inbox.offer("r", batch(1, 1))).isEqualTo(Inbox.Admission.FULL);
        assertThat(outcomes).isEmpty();
        assertThat(inbox.drain(1, 0, 0)).hasSize(1);
        assertThat(outcomes).containsExactly("first ACCEPTED", "second ACCEPTED");
    }

    @Test
    void heldRequestTimesOutAsFull() {
        inbox.offer("r", batch(1, 100));
        List<Inbox.Admission> outcomes = new ArrayList<>();
        inbox.offerOrWait("r", batch(1, 10), 50, scheduler, outcomes::add);
        await().atMost(Duration.ofSeconds(5)).until(() -> outcomes.contains(Inbox.Admission.FULL));
    }

    @Test
    void closeReturnsUndeliveredAndRefusesHeldAndNew() throws Exception {
        Inbox.Batch buffered = batch(1, 100);
        inbox.offer("r", buffered);
        List<Inbox.Admission> outcomes = new ArrayList<>();
        inbox.offerOrWait("r", batch(1, 10), 10_000, scheduler, outcomes::add);
        assertThat(inbox.close()).containsExactly(buffered);
        assertThat(outcomes).containsExactly(Inbox.Admission.CLOSED);
        assertThat(inbox.offer("r", batch(1, 1))).isEqualTo(Inbox.Admission.CLOSED);
        long t0 = System.nanoTime();
        assertThat(inbox.drain(10, 200, 0)).isEmpty();
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)).as("poll stays bounded, not spinning")
                .isGreaterThanOrEqualTo(150);
    }

    @Test
    void deadLettersAreBoundedAndComeFirst() throws Exception {
        inbox.offer("r", batch(1, 10));
        SourceRecord dead = new SourceRecord(Map.of(), Map.of(), "dlq", Schema.BYTES_SCHEMA, new byte[0]);
        assertThat(inbox.offerDeadLetter(dead, 600)).isTrue();
        assertThat(inbox.offerDeadLetter(dead, 600)).isFalse();
        assertThat(inbox.drain(10, 0, 0)).first().isSameAs(dead);
    }

    @Test
    void lingerWaitsForMoreButNotBeyondMaxRecords() throws Exception {
        inbox.offer("r", batch(1, 1));
        long t0 = System.nanoTime();
        assertThat(inbox.drain(10, 0, 300)).hasSize(1);
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)).isGreaterThanOrEqualTo(250);

        inbox.offer("r", batch(2, 1));
        t0 = System.nanoTime();
        assertThat(inbox.drain(2, 0, 30_000)).hasSize(2);
        assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - t0)).isLessThan(10);
    }
}
