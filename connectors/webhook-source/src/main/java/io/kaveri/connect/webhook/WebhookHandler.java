package io.kaveri.connect.webhook;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import org.apache.kafka.connect.source.SourceRecord;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.eclipse.jetty.util.thread.Scheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The HTTP side of a task. No thread waits for Kafka: a request's Jetty callback is completed by the
 * acknowledgement of its records (commitRecord), by the ack timeout, or by the task stopping, whichever
 * comes first.
 */
final class WebhookHandler extends Handler.Abstract {

    private static final Logger log = LoggerFactory.getLogger(WebhookHandler.class);
    private static final String JSON_TYPE = "application/json";
    private static final String TEXT_TYPE = "text/plain;charset=utf-8";
    /** Room for the headers of a dead-letter record beside its body. */
    private static final int DEAD_LETTER_OVERHEAD = 512;

    /** What the handler needs from its task, passed in so that it has no back reference. */
    record Settings(String healthPath, long ackTimeoutMs, int retryAfterSeconds, int deadLetterBodyMaxBytes) {
    }

    private final Map<String, Route> routesByPath;
    private final Settings settings;
    private final Inbox inbox;
    private final Scheduler scheduler;
    private final Executor executor;
    private final Clock clock;
    private final Set<PendingAck> outstanding = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean accepting = new AtomicBoolean(true);
    private final AtomicInteger inFlight = new AtomicInteger();

    WebhookHandler(Map<String, Route> routesByPath, Settings settings, Inbox inbox, Scheduler scheduler,
                   Executor executor, Clock clock) {
        this.routesByPath = routesByPath;
        this.settings = settings;
        this.inbox = inbox;
        this.scheduler = scheduler;
        this.executor = executor;
        this.clock = clock;
    }

    /** Stops taking requests: every request still waiting is answered 503 so that its sender retries elsewhere. */
    void shutdown() {
        accepting.set(false);
        IllegalStateException stopping = new IllegalStateException("task stopping");
        for (Inbox.Batch batch : inbox.close()) {
            batch.ack().fail(stopping);
        }
        for (PendingAck ack : outstanding) {
            ack.fail(stopping);
        }
    }

    /**
     * Waits until every request taken so far has been answered (after {@link #shutdown()} they all are, with
     * 503), so that stopping the server does not cut answers on their way. False when timeoutMs passed first.
     */
    boolean awaitAnswered(long timeoutMs) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        synchronized (inFlight) {
            while (inFlight.get() > 0) {
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0) {
                    return false;
                }
                inFlight.wait(left);
            }
        }
        return true;
    }

    private void answered() {
        if (inFlight.decrementAndGet() == 0) {
            synchronized (inFlight) {
                inFlight.notifyAll();
            }
        }
    }

    @Override
    public boolean handle(Request request, Response response, Callback jettyCallback) {
        inFlight.incrementAndGet();
        Callback callback = Callback.from(jettyCallback, this::answered);
        String path = Request.getPathInContext(request);
        if (path.equals(settings.healthPath())) {
            health(response, callback);
            return true;
        }
        Route route = routesByPath.get(path);
        if (route == null) {
            answer(response, callback, HttpStatus.NOT_FOUND_404, "no route at " + path);
            return true;
        }
        switch (request.getMethod()) {
            case "POST" -> post(route, request, response, callback);
            case "GET" -> metaHandshake(route, request, response, callback);
            case "OPTIONS" -> cloudEventsHandshake(route, request, response, callback);
            default -> {
                response.getHeaders().put(HttpHeader.ALLOW, "POST, GET, OPTIONS");
                finish(route, response, callback, HttpStatus.METHOD_NOT_ALLOWED_405, "method " + request.getMethod());
            }
        }
        return true;
    }

    private void post(Route route, Request request, Response response, Callback callback) {
        Instant receivedAt = clock.instant();
        if (!accepting.get()) {
            unavailable(route, response, callback, "task stopping");
            return;
        }
        int max = route.config.maxBodyBytes();
        long length = request.getLength();
        String contentType = request.getHeaders().get(HttpHeader.CONTENT_TYPE);
        if (length > max) {
            route.metrics.request(0);
            reject(route, response, callback, HttpStatus.PAYLOAD_TOO_LARGE_413,
                    "body of " + length + " bytes exceeds " + max, receivedAt, contentType, new byte[0], length);
            return;
        }
        new BodyReader(request, max, length, body -> onBody(route, request, response, callback, body, receivedAt),
                read -> {
                    route.metrics.request(read.length);
                    reject(route, response, callback, HttpStatus.PAYLOAD_TOO_LARGE_413,
                            "body exceeds " + max + " bytes", receivedAt, contentType, read, read.length + 1L);
                },
                failure -> {
                    log.debug("route={} event=read-failed reason={}", route.name(), failure.toString());
                    callback.failed(failure);
                }).run();
    }

    private void onBody(Route route, Request request, Response response, Callback callback, byte[] body, Instant receivedAt) {
        route.metrics.request(body.length);
        Map<String, String> headers = headers(request);
        String contentType = request.getHeaders().get(HttpHeader.CONTENT_TYPE);
        String failure = route.verifier.verify(headers, body, receivedAt);
        if (failure != null) {
            route.metrics.signatureFailure();
            reject(route, response, callback, HttpStatus.UNAUTHORIZED_401, failure, receivedAt, contentType, body, body.length);
            return;
        }
        BodyParser.Parsed parsed;
        try {
            parsed = route.parser.parse(body, contentType, headers);
        } catch (BodyParser.BadBody e) {
            reject(route, response, callback, HttpStatus.BAD_REQUEST_400, e.getMessage(), receivedAt, contentType, body, body.length);
            return;
        }
        String challenge = slackChallenge(route, parsed.document());
        if (challenge != null) {
            respond(route, response, callback, HttpStatus.OK_200, TEXT_TYPE, challenge);
            return;
        }
        String deliveryId = route.deliveryId(headers, parsed);
        PendingAck ack = new PendingAck(parsed.events().size());
        if (deliveryId != null && route.dedup.enabled()) {
            PendingAck earlier = route.dedup.putIfAbsent(deliveryId, ack);
            if (earlier != null) {
                route.metrics.dedupHit();
                awaitAck(route, earlier, parsed.events().size(), true, response, callback);
                return;
            }
        }
        List<SourceRecord> records;
        try {
            records = route.records(parsed, headers, contentType, deliveryId, receivedAt, ack);
        } catch (ContractMapper.Mismatch e) {
            if (deliveryId != null) {
                route.dedup.forget(deliveryId, ack);
            }
            // A retry of the same delivery waiting on this ack gets the same answer instead of a timeout.
            ack.fail(e);
            reject(route, response, callback, HttpStatus.BAD_REQUEST_400, e.getMessage(), receivedAt, contentType, body, body.length);
            return;
        }
        Inbox.Batch batch = new Inbox.Batch(records, Math.max(1, body.length), ack);
        Consumer<Inbox.Admission> admitted = admission -> {
            if (admission == Inbox.Admission.ACCEPTED) {
                route.metrics.records(records.size());
                awaitAck(route, ack, records.size(), false, response, callback);
                return;
            }
            if (deliveryId != null) {
                route.dedup.forget(deliveryId, ack);
            }
            if (admission == Inbox.Admission.FULL && route.config.backpressure() == RouteConfig.Backpressure.DROP) {
                route.metrics.dropped();
                respond(route, response, callback, HttpStatus.ACCEPTED_202, JSON_TYPE, "{\"dropped\":true}");
            } else {
                unavailable(route, response, callback,
                        admission == Inbox.Admission.CLOSED ? "task stopping" : "buffer of route " + route.name() + " is full");
            }
        };
        if (route.config.backpressure() == RouteConfig.Backpressure.BLOCK) {
            inbox.offerOrWait(route.name(), batch, route.config.blockTimeoutMs(), scheduler, admitted);
        } else {
            admitted.accept(inbox.offer(route.name(), batch));
        }
    }

    /** Answers once the ack completes, or 503 when ack.timeout.ms passes first. */
    private void awaitAck(Route route, PendingAck ack, int records, boolean duplicate, Response response, Callback callback) {
        AtomicBoolean answered = new AtomicBoolean();
        outstanding.add(ack);
        Scheduler.Task timeout = scheduler.schedule(() -> {
            if (answered.compareAndSet(false, true)) {
                unavailable(route, response, callback, "not acknowledged by Kafka within " + settings.ackTimeoutMs() + " ms");
            }
        }, settings.ackTimeoutMs(), TimeUnit.MILLISECONDS);
        // Off the producer's I/O thread: commitRecord runs there, and writing a (TLS) response must not.
        ack.done().whenCompleteAsync((ok, error) -> {
            outstanding.remove(ack);
            timeout.cancel();
            if (!answered.compareAndSet(false, true)) {
                return;
            }
            if (error != null) {
                unavailable(route, response, callback, "task stopping");
            } else if (duplicate) {
                respond(route, response, callback, HttpStatus.OK_200, JSON_TYPE, "{\"duplicate\":true}");
            } else {
                route.metrics.acked(ack.ageNanos());
                respond(route, response, callback, HttpStatus.OK_200, JSON_TYPE, "{\"records\":" + records + "}");
            }
        }, executor);
    }

    private static String slackChallenge(Route route, JsonNode document) {
        if (route.config.scheme() != RouteConfig.Scheme.SLACK || document == null || !document.isObject()) {
            return null;
        }
        JsonNode type = document.get("type");
        JsonNode challenge = document.get("challenge");
        return type != null && "url_verification".equals(type.asText()) && challenge != null ? challenge.asText() : null;
    }

    /** Meta/WhatsApp: GET ?hub.mode=subscribe&hub.verify_token=T&hub.challenge=C is answered C. */
    private void metaHandshake(Route route, Request request, Response response, Callback callback) {
        if (route.config.verifyToken() == null) {
            response.getHeaders().put(HttpHeader.ALLOW, "POST");
            finish(route, response, callback, HttpStatus.METHOD_NOT_ALLOWED_405, "GET needs verify.token on this route");
            return;
        }
        Fields query = Request.extractQueryParameters(request);
        String token = query.getValue("hub.verify_token");
        String challenge = query.getValue("hub.challenge");
        boolean tokenOk = token != null && MessageDigest.isEqual(token.getBytes(StandardCharsets.UTF_8),
                route.config.verifyToken().value().getBytes(StandardCharsets.UTF_8));
        if (!"subscribe".equals(query.getValue("hub.mode")) || challenge == null) {
            finish(route, response, callback, HttpStatus.BAD_REQUEST_400, "expected hub.mode=subscribe and hub.challenge");
        } else if (!tokenOk) {
            finish(route, response, callback, HttpStatus.FORBIDDEN_403, "hub.verify_token does not match");
        } else {
            respond(route, response, callback, HttpStatus.OK_200, TEXT_TYPE, challenge);
        }
    }

    /** CloudEvents webhook validation: OPTIONS with WebHook-Request-Origin. */
    private void cloudEventsHandshake(Route route, Request request, Response response, Callback callback) {
        List<String> allowed = route.config.allowedOrigins();
        String origin = request.getHeaders().get("WebHook-Request-Origin");
        if (allowed.isEmpty()) {
            response.getHeaders().put(HttpHeader.ALLOW, "POST");
            finish(route, response, callback, HttpStatus.METHOD_NOT_ALLOWED_405, "OPTIONS needs cloudevents.allowed.origins");
        } else if (origin == null) {
            finish(route, response, callback, HttpStatus.BAD_REQUEST_400, "missing WebHook-Request-Origin header");
        } else if (!allowed.contains("*") && !allowed.contains(origin)) {
            finish(route, response, callback, HttpStatus.FORBIDDEN_403, "origin not allowed");
        } else {
            response.getHeaders().put("WebHook-Allowed-Origin", origin);
            response.getHeaders().put(HttpHeader.ALLOW, "POST, OPTIONS");
            respond(route, response, callback, HttpStatus.OK_200, TEXT_TYPE, "");
        }
    }

    private void health(Response response, Callback callback) {
        StringBuilder body = new StringBuilder("{\"status\":\"").append(accepting.get() ? "UP" : "STOPPING").append("\",\"routes\":{");
        String sep = "";
        for (Route route : routesByPath.values()) {
            body.append(sep).append('"').append(route.name()).append("\":{\"buffer_bytes\":")
                    .append(inbox.usedBytes(route.name())).append(",\"buffer_max_bytes\":")
                    .append(inbox.maxBytes(route.name())).append('}');
            sep = ",";
        }
        body.append("}}");
        int status = accepting.get() ? HttpStatus.OK_200 : HttpStatus.SERVICE_UNAVAILABLE_503;
        write(response, callback, status, JSON_TYPE, body.toString());
    }

    /** A 4xx that the sender should not retry, recorded in the dead-letter topic when the route has one. */
    private void reject(Route route, Response response, Callback callback, int status, String reason, Instant receivedAt,
                        String contentType, byte[] body, long bodySize) {
        log.debug("route={} status={} reason={}", route.name(), status, reason);
        String topic = route.config.deadLetterTopic();
        if (topic != null) {
            SourceRecord record = WebhookEnvelope.deadLetter(topic, route.name(), status, reason, receivedAt, contentType,
                    body, bodySize, settings.deadLetterBodyMaxBytes());
            int kept = Math.min(body.length, settings.deadLetterBodyMaxBytes());
            boolean queued = inbox.offerDeadLetter(record, kept + DEAD_LETTER_OVERHEAD);
            route.metrics.deadLetter(queued);
            if (!queued) {
                log.warn("route={} status={} event=dead-letter-dropped reason=\"dead-letter buffer full\"", route.name(), status);
            }
        }
        finish(route, response, callback, status, reason);
    }

    private void unavailable(Route route, Response response, Callback callback, String reason) {
        response.getHeaders().put(HttpHeader.RETRY_AFTER, Integer.toString(settings.retryAfterSeconds()));
        finish(route, response, callback, HttpStatus.SERVICE_UNAVAILABLE_503, reason);
    }

    /** An error answer: the status and a one-line reason as JSON. */
    private void finish(Route route, Response response, Callback callback, int status, String reason) {
        respond(route, response, callback, status, JSON_TYPE, "{\"error\":\"" + jsonEscape(reason) + "\"}");
    }

    private void respond(Route route, Response response, Callback callback, int status, String type, String body) {
        route.metrics.status(status);
        write(response, callback, status, type, body);
    }

    private void answer(Response response, Callback callback, int status, String reason) {
        write(response, callback, status, JSON_TYPE, "{\"error\":\"" + jsonEscape(reason) + "\"}");
    }

    private static void write(Response response, Callback callback, int status, String type, String body) {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, type);
        response.write(true, ByteBuffer.wrap(body.getBytes(StandardCharsets.UTF_8)), callback);
    }

    private static Map<String, String> headers(Request request) {
        Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (HttpField field : request.getHeaders()) {
            headers.merge(field.getName(), field.getValue(), (a, b) -> a + ", " + b);
        }
        return headers;
    }

    static String jsonEscape(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.toString();
    }

    /**
     * Reads a request body without a thread waiting for bytes, counting as it goes: beyond max it stops
     * reading and reports what it has, so a large body is never held in memory.
     */
    private static final class BodyReader implements Runnable {
        private final Request request;
        private final int max;
        private final ByteArrayOutputStream out;
        private final Consumer<byte[]> onBody;
        private final Consumer<byte[]> onTooLarge;
        private final Consumer<Throwable> onFailure;

        BodyReader(Request request, int max, long length, Consumer<byte[]> onBody, Consumer<byte[]> onTooLarge,
                   Consumer<Throwable> onFailure) {
            this.request = request;
            this.max = max;
            this.out = new ByteArrayOutputStream(length >= 0 ? (int) length : Math.min(max, 8192));
            this.onBody = onBody;
            this.onTooLarge = onTooLarge;
            this.onFailure = onFailure;
        }

        @Override
        public void run() {
            while (true) {
                Content.Chunk chunk = request.read();
                if (chunk == null) {
                    request.demand(this);
                    return;
                }
                if (Content.Chunk.isFailure(chunk)) {
                    onFailure.accept(chunk.getFailure());
                    return;
                }
                ByteBuffer buffer = chunk.getByteBuffer();
                int n = buffer.remaining();
                if (out.size() + (long) n > max) {
                    chunk.release();
                    onTooLarge.accept(out.toByteArray());
                    return;
                }
                byte[] bytes = new byte[n];
                buffer.get(bytes);
                out.writeBytes(bytes);
                boolean last = chunk.isLast();
                chunk.release();
                if (last) {
                    onBody.accept(out.toByteArray());
                    return;
                }
            }
        }
    }
}
