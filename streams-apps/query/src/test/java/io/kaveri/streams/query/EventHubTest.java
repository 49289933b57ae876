package io.kaveri.streams.query;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EventHubTest {

    /** Records what a client was sent; completes writes at once, or holds them like a stalled socket. */
    static final class RecordingSink implements EventHub.Sink {
        final StringBuilder text = new StringBuilder();
        final List<Runnable> held = new ArrayList<>();
        boolean stalled;
        boolean closed;

        @Override
        public synchronized void write(String chunk, Runnable done, Consumer<Throwable> failed) {
            text.append(chunk);
            if (stalled) {
                held.add(done);
            } else {
                done.run();
            }
        }

        @Override
        public synchronized void close() {
            closed = true;
        }

        synchronized List<Long> ids() {
            List<Long> ids = new ArrayList<>();
            Matcher m = Pattern.compile("(?m)^id: (\\d+)$").matcher(text);
            while (m.find()) {
                ids.add(Long.parseLong(m.group(1)));
            }
            return ids;
        }

        synchronized boolean sawReset() {
            return text.indexOf("event: reset\n") >= 0;
        }
    }

    @Test
    void newClientWithoutLastEventIdGetsOnlyNewEvents() throws Exception {
        EventHub hub = new EventHub(10, 10, 100);
        hub.publish("candle", "{}");
        RecordingSink sink = new RecordingSink();
        hub.subscribe(sink, null, Set.of());
        hub.publish("candle", "{\"n\":2}");
        assertThat(sink.ids()).containsExactly(2L);
        assertThat(sink.text.toString()).contains("event: candle\ndata: {\"n\":2}\n\n").startsWith("retry: ");
    }

    @Test
    void reconnectReplaysWhatWasMissedInOrder() throws Exception {
        EventHub hub = new EventHub(10, 10, 100);
        for (int i = 0; i < 5; i++) {
            hub.publish("candle", "{}");
        }
        RecordingSink sink = new RecordingSink();
        hub.subscribe(sink, 3L, Set.of());
        hub.publish("candle", "{}");
        assertThat(sink.ids()).containsExactly(4L, 5L, 6L);
        assertThat(sink.sawReset()).isFalse();
    }

    @Test
    void firstPictureReplaysTheWholeBuffer() throws Exception {
        EventHub hub = new EventHub(10, 10, 3);
        for (int i = 0; i < 5; i++) {
            hub.publish("candle", "{}");
        }
        RecordingSink sink = new RecordingSink();
        hub.subscribe(sink, 0L, Set.of());
        assertThat(sink.ids()).containsExactly(3L, 4L, 5L);
        assertThat(sink.sawReset()).isFalse();
    }

    @Test
    void eventsGoneFromTheBufferAreAnnouncedByReset() throws Exception {
        EventHub hub = new EventHub(10, 10, 3);
        for (int i = 0; i < 10; i++) {
            hub.publish("candle", "{}");
        }
        RecordingSink sink = new RecordingSink();
        hub.subscribe(sink, 2L, Set.of());
        assertThat(sink.sawReset()).isTrue();
        assertThat(sink.text.indexOf("event: reset")).isLessThan(sink.text.indexOf("id: 8"));
        assertThat(sink.ids()).containsExactly(8L, 9L, 10L);
    }

    @Test
    void anIdFromAnotherInstanceOrBeforeARestartResetsAndReplaysAll() throws Exception {
        EventHub hub = new EventHub(10, 10, 100);
        hub.publish("candle", "{}");
        hub.publish("candle", "{}");
        RecordingSink sink = new RecordingSink();
        hub.subscribe(sink, 9_999L, Set.of());
        assertThat(sink.sawReset()).isTrue();
        assertThat(sink.ids()).containsExactly(1L, 2L);
    }

    @Test
    void typesFilterBothReplayAndLive() throws Exception {
        EventHub hub = new EventHub(10, 10, 100);
        hub.publish("candle", "{}");
        hub.publish("rank", "{}");
        RecordingSink sink = new RecordingSink();
        hub.subscribe(sink, 0L, Set.of("rank"));
        hub.publish("candle", "{}");
        hub.publish("rank", "{}");
        assertThat(sink.ids()).containsExactly(2L, 4L);
    }

    @Test
    void slowClientIsDroppedAndTheOthersKeepReceiving() throws Exception {
        EventHub hub = new EventHub(10, 3, 100);
        RecordingSink slow = new RecordingSink();
        slow.stalled = true;
        RecordingSink fast = new RecordingSink();
        hub.subscribe(slow, null, Set.of());
        hub.subscribe(fast, null, Set.of());
        for (int i = 0; i < 10; i++) {
            hub.publish("candle", "{}"); // never blocks, although one client takes nothing
        }
        assertThat(slow.closed).isTrue();
        assertThat(fast.closed).isFalse();
        assertThat(fast.ids()).hasSize(10);
        assertThat(hub.clientCount()).isEqualTo(1);
        assertThat(hub.droppedClients()).isEqualTo(1);
    }

    @Test
    void aClientWithinItsQueueIsNotDropped() throws Exception {
        EventHub hub = new EventHub(10, 3, 100);
        RecordingSink sink = new RecordingSink();
        sink.stalled = true;
        hub.subscribe(sink, null, Set.of());
        hub.publish("candle", "{}");
        hub.publish("candle", "{}");
        hub.publish("candle", "{}");
        assertThat(sink.closed).isFalse();
        Runnable first = sink.held.remove(0);
        sink.stalled = false;
        first.run(); // the socket drains: the queued events follow in one batch
        assertThat(sink.ids()).containsExactly(1L, 2L, 3L);
    }

    @Test
    void tooManyClientsAreRefused() throws Exception {
        EventHub hub = new EventHub(2, 3, 100);
        hub.subscribe(new RecordingSink(), null, Set.of());
        hub.subscribe(new RecordingSink(), null, Set.of());
        assertThatThrownBy(() -> hub.subscribe(new RecordingSink(), null, Set.of()))
                .isInstanceOf(EventHub.TooManyClientsException.class).hasMessageContaining("query.sse.max.clients");
    }

    @Test
    void manyInlineCompletionsDoNotRecurse() throws Exception {
        EventHub hub = new EventHub(10, 200_000, 200_000);
        for (int i = 0; i < 100_000; i++) {
            hub.publish("candle", "{}");
        }
        RecordingSink sink = new RecordingSink();
        hub.subscribe(sink, 0L, Set.of());
        assertThat(sink.ids()).hasSize(100_000).endsWith(100_000L);
    }

    @Test
    void recentEventsOfATypeAreTheLatestOnesOldestFirst() {
        EventHub hub = new EventHub(10, 10, 100);
        hub.publish("alert", "{\"n\":1}");
        hub.publish("candle", "{}");
        hub.publish("alert", "{\"n\":2}");
        hub.publish("alert", "{\"n\":3}");
        assertThat(hub.recent("alert", 2)).extracting(EventHub.Event::id).containsExactly(3L, 4L);
        assertThat(hub.recent("alert", 10)).extracting(EventHub.Event::id).containsExactly(1L, 3L, 4L);
        assertThat(hub.recent("rank", 10)).isEmpty();
    }

    @Test
    void heartbeatIsAComment() throws Exception {
        EventHub hub = new EventHub(10, 10, 10);
        RecordingSink sink = new RecordingSink();
        hub.subscribe(sink, null, Set.of());
        hub.heartbeat();
        assertThat(sink.text.toString()).endsWith(": keepalive\n\n");
    }
}
