package io.kaveri.streams.query;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Fans events out to event-stream clients and keeps the latest ones for replay. Publishing never waits on a client:
 * each client has a bounded queue, and a client whose queue is full is disconnected (its browser reconnects with
 * {@code Last-Event-ID} and is replayed what it missed, if still buffered). Ids are this instance's sequence.
 */
final class EventHub {

    private static final Logger log = LoggerFactory.getLogger(EventHub.class);

    /** One event; {@code frame} is its complete SSE text. */
    record Event(long id, String type, String data) {
        String frame() {
            return "id: " + id + "\nevent: " + type + "\ndata: " + data + "\n\n";
        }
    }

    /** Where a client's frames go; writes are asynchronous and must report completion. */
    interface Sink {
        void write(String text, Runnable done, java.util.function.Consumer<Throwable> failed);

        void close();
    }

    /** Refused: too many clients at once. */
    static final class TooManyClientsException extends Exception {
        TooManyClientsException(String message) {
            super(message);
        }
    }

    private static final int MAX_BATCH_CHARS = 64 * 1024;

    private final int maxClients;
    private final int queueSize;
    private final int replaySize;
    private final Deque<Event> replay = new ArrayDeque<>();
    private final List<Client> clients = new CopyOnWriteArrayList<>();
    private long nextId = 1;
    private long dropped;

    EventHub(int maxClients, int queueSize, int replaySize) {
        this.maxClients = maxClients;
        this.queueSize = queueSize;
        this.replaySize = replaySize;
    }

    /** Adds an event and offers it to every client that wants its type. */
    synchronized Event publish(String type, String data) {
        Event e = new Event(nextId++, type, data);
        if (replaySize > 0) {
            if (replay.size() == replaySize) {
                replay.removeFirst();
            }
            replay.addLast(e);
        }
        for (Client c : clients) {
            c.offer(e);
        }
        return e;
    }

    /**
     * Registers a client. With {@code lastEventId} (the header, or the dashboard's first connect with 0) it first
     * gets every buffered event after that id; when events it missed are no longer buffered, or the id is not one
     * of this instance's, a {@code reset} event comes first so that it reloads its state through the query API.
     *
     * @param types event types wanted; empty for all
     */
    synchronized Client subscribe(Sink sink, Long lastEventId, Set<String> types) throws TooManyClientsException {
        if (clients.size() >= maxClients) {
            throw new TooManyClientsException("too many event-stream clients (" + maxClients
                    + "; query.sse.max.clients); retry later");
        }
        List<Event> backlog = new ArrayList<>();
        String preamble = "retry: 2000\n\n";
        if (lastEventId != null) {
            long oldest = replay.isEmpty() ? nextId : replay.getFirst().id();
            boolean gap = lastEventId + 1 < oldest && lastEventId != 0;
            boolean foreign = lastEventId >= nextId;
            if (gap || foreign) {
                preamble += "event: reset\ndata: {\"lastEventId\":" + lastEventId + ",\"oldestBuffered\":" + oldest
                        + ",\"latest\":" + (nextId - 1) + "}\n\n";
            }
            long after = foreign ? 0 : lastEventId;
            for (Event e : replay) {
                if (e.id() > after && (types.isEmpty() || types.contains(e.type()))) {
                    backlog.add(e);
                }
            }
        }
        Client c = new Client(sink, types, queueSize + backlog.size());
        clients.add(c);
        c.start(preamble, backlog);
        return c;
    }

    /** The latest {@code n} buffered events of {@code type}, oldest first. */
    synchronized List<Event> recent(String type, int n) {
        Deque<Event> latest = new ArrayDeque<>();
        for (java.util.Iterator<Event> it = replay.descendingIterator(); it.hasNext() && latest.size() < n; ) {
            Event e = it.next();
            if (e.type().equals(type)) {
                latest.addFirst(e);
            }
        }
        return List.copyOf(latest);
    }

    /** Sends a comment to every client: keeps proxies from closing idle streams, and finds dead connections. */
    void heartbeat() {
        for (Client c : clients) {
            c.offerText(": keepalive\n\n");
        }
    }

    int clientCount() {
        return clients.size();
    }

    synchronized long droppedClients() {
        return dropped;
    }

    private synchronized void countDrop() {
        dropped++;
    }

    void closeAll() {
        for (Client c : clients) {
            c.close("the server is stopping");
        }
    }

    /** One connected client: a bounded queue drained by chained asynchronous writes, one at a time. */
    final class Client {
        private final Sink sink;
        private final Set<String> types;
        private final int capacity;
        private final Deque<String> queue = new ArrayDeque<>();
        private boolean writing;
        private boolean closed;

        private Client(Sink sink, Set<String> types, int capacity) {
            this.sink = sink;
            this.types = Set.copyOf(types);
            this.capacity = capacity;
        }

        private void start(String preamble, List<Event> backlog) {
            synchronized (this) {
                queue.add(preamble);
                backlog.forEach(e -> queue.add(e.frame()));
            }
            pump();
        }

        private void offer(Event e) {
            if (types.isEmpty() || types.contains(e.type())) {
                offerText(e.frame());
            }
        }

        private void offerText(String text) {
            synchronized (this) {
                if (closed) {
                    return;
                }
                if (queue.size() >= capacity) {
                    closed = true;
                    queue.clear();
                } else {
                    queue.addLast(text);
                }
            }
            if (isClosed()) {
                countDrop();
                log.info("event client dropped reason=slow queue={} clients={}", capacity, clients.size() - 1);
                detach();
                return;
            }
            pump();
        }

        /**
         * Writes what is queued, one write at a time, batching frames. A write may complete inline (the socket took
         * it at once) or later on another thread; inline completions loop here instead of recursing.
         */
        private void pump() {
            while (true) {
                StringBuilder batch = new StringBuilder();
                synchronized (this) {
                    if (writing || closed || queue.isEmpty()) {
                        return;
                    }
                    writing = true;
                    while (!queue.isEmpty() && batch.length() < MAX_BATCH_CHARS) {
                        batch.append(queue.pollFirst());
                    }
                }
                Write write = new Write();
                sink.write(batch.toString(), write::done, failure -> close("write failed: " + failure));
                if (!write.returned()) {
                    return; // completes later, and pumps then
                }
            }
        }

        /** Tells an inline completion (the loop continues) from a later one (which pumps itself). */
        private final class Write {
            private boolean doneInline;
            private boolean returned;

            void done() {
                synchronized (Client.this) {
                    writing = false;
                    if (!returned) {
                        doneInline = true;
                        return;
                    }
                }
                pump();
            }

            boolean returned() {
                synchronized (Client.this) {
                    returned = true;
                    return doneInline;
                }
            }
        }

        synchronized boolean isClosed() {
            return closed;
        }

        synchronized int queued() {
            return queue.size();
        }

        void close(String reason) {
            synchronized (this) {
                closed = true;
                queue.clear();
            }
            log.debug("event client closed reason={}", reason);
            detach();
        }

        private void detach() {
            clients.remove(this);
            sink.close();
        }
    }
}
