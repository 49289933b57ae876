package io.kaveri.connect.webhook;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.source.SourceTask;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.util.thread.ScheduledExecutorScheduler;
import org.eclipse.jetty.util.thread.Scheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Listens for the webhooks of its routes and hands them to Connect. A request is answered 2xx only once
 * Connect has called {@link #commitRecord} for every record it produced, that is once Kafka acknowledged
 * them (with exactly-once source support: once their transaction committed).
 */
public class WebhookSourceTask extends SourceTask {

    private static final Logger log = LoggerFactory.getLogger(WebhookSourceTask.class);

    private final Clock clock;
    private WebhookSourceConfig config;
    private Inbox inbox;
    private WebhookHandler handler;
    private Server server;
    private final List<Route> routes = new ArrayList<>();
    /**
     * Lingering in poll() only pays when a poll is a transaction (exactly-once source support): Connect then
     * commits the records on the task's own thread, after the commit. Without it, Connect commits each record on
     * the producer's thread as Kafka acknowledges it, and the producer batches on its own (linger.ms): waiting in
     * poll() would only add latency.
     */
    private volatile Thread pollThread;
    private volatile boolean acksPerRecord;

    public WebhookSourceTask() {
        this(Clock.systemUTC());
    }

    WebhookSourceTask(Clock clock) {
        this.clock = clock;
    }

    @Override
    public String version() {
        return Version.get();
    }

    @Override
    public void start(Map<String, String> props) {
        config = WebhookSourceConfig.parse(props);
        ObjectMapper mapper = new ObjectMapper();
        Map<String, Long> bufferBytes = new LinkedHashMap<>();
        for (String name : config.taskRoutes()) {
            RouteConfig route = config.routes().get(name);
            if (route == null) {
                throw new ConnectException("task.routes names route " + name + " that routes does not declare");
            }
            bufferBytes.put(name, route.bufferMaxBytes());
        }
        inbox = new Inbox(bufferBytes, config.deadLetterBufferMaxBytes());
        Map<String, Route> byPath = new LinkedHashMap<>();
        for (String name : bufferBytes.keySet()) {
            RouteConfig rc = config.routes().get(name);
            RouteMetrics metrics = new RouteMetrics(context.pluginMetrics(), name, () -> inbox.usedBytes(name),
                    rc.bufferMaxBytes());
            Route route = new Route(rc, new BodyParser(mapper, rc),
                    new DedupCache(rc.dedupMaxEntries(), rc.dedupWindowMs(), clock::millis), metrics);
            if (route.dedupOffsets != null) {
                int restored = route.dedupOffsets.restore(context.offsetStorageReader(), route.dedup);
                log.info("route={} event=dedup-restored ids={}", name, restored);
            }
            routes.add(route);
            byPath.put(rc.path(), route);
        }
        int port = config.listenerPort() == 0 ? 0 : config.listenerPort() + config.taskIndex();
        String name = "kaveri-webhook-" + config.taskIndex();
        QueuedThreadPool threads = WebhookServer.threads(name);
        Scheduler scheduler = new ScheduledExecutorScheduler(name + "-timer", true);
        handler = new WebhookHandler(byPath, new WebhookHandler.Settings(config.healthPath(), config.ackTimeoutMs(),
                config.retryAfterSeconds(), config.deadLetterBodyMaxBytes()), inbox, scheduler, threads, clock);
        server = WebhookServer.create(config, threads, scheduler, port, handler);
        try {
            server.start();
        } catch (Exception e) {
            stopServer();
            routes.forEach(r -> r.metrics.close());
            throw new ConnectException("Cannot listen on " + config.listenerHost() + ":" + port
                    + " (listener.port + task index " + config.taskIndex() + "): " + e.getMessage(), e);
        }
        log.info("event=listening host={} port={} task={} routes={}", config.listenerHost(), boundPort(),
                config.taskIndex(), byPath.keySet());
    }

    @Override
    public List<SourceRecord> poll() throws InterruptedException {
        pollThread = Thread.currentThread();
        List<SourceRecord> records = inbox.drain(config.pollMaxRecords(), config.pollTimeoutMs(),
                acksPerRecord ? 0 : config.pollLingerMs());
        return records.isEmpty() ? null : records;
    }

    @Override
    public void commitRecord(SourceRecord record, RecordMetadata metadata) {
        // metadata is null when a transformation dropped the record or errors.tolerance skipped it: either way
        // Connect is done with it and a retry by the sender would not change that.
        if (!acksPerRecord && metadata != null && pollThread != null && Thread.currentThread() != pollThread) {
            acksPerRecord = true;
            log.info("event=acks-per-record task={} poll_linger_ms=0", config.taskIndex());
        }
        if (record instanceof WebhookEnvelope.WebhookRecord webhookRecord) {
            webhookRecord.ack().recordCommitted();
        }
    }

    @Override
    public void stop() {
        long started = System.nanoTime();
        if (handler != null) {
            handler.shutdown();
            try {
                if (!handler.awaitAnswered(WebhookServer.STOP_TIMEOUT_MS)) {
                    log.warn("event=stop-with-unanswered-requests task={}", config.taskIndex());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        } else if (inbox != null) {
            inbox.close();
        }
        stopServer();
        routes.forEach(r -> r.metrics.close());
        routes.clear();
        log.info("event=stopped task={} took_ms={}", config == null ? "?" : config.taskIndex(),
                (System.nanoTime() - started) / 1_000_000);
    }

    /** The port this task listens on (the configured one, or the ephemeral one with listener.port=0). */
    int boundPort() {
        return WebhookServer.boundPort(server);
    }

    private void stopServer() {
        if (server == null) {
            return;
        }
        try {
            server.stop();
        } catch (Exception e) {
            log.warn("event=listener-stop-failed task={} reason={}", config.taskIndex(), e.toString());
        }
    }
}
