package io.kaveri.connect.webhook;

import static io.kaveri.connect.webhook.SignaturesTest.hex;
import static io.kaveri.connect.webhook.SignaturesTest.hmac;
import static io.kaveri.connect.webhook.SignaturesTest.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.header.Header;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class WebhookSourceTaskTest {

    private static final String SECRET = "gh-secret";
    private static final Map<String, String> BASE = Map.ofEntries(
            Map.entry("routes", "github,raw"),
            Map.entry("route.github.topic", "github-events"),
            Map.entry("route.github.signature.scheme", "github"),
            Map.entry("route.github.secret", SECRET),
            Map.entry("route.github.key.pointer", "/repository/full_name"),
            Map.entry("route.github.headers.allow", "X-GitHub-Event,Authorization,X-Hub-Signature-256"),
            Map.entry("route.github.dead.letter.topic", "github-dlq"),
            Map.entry("route.raw.topic", "raw-events"),
            Map.entry("route.raw.content", "raw"),
            Map.entry("route.raw.max.body.bytes", "1024"),
            Map.entry("route.raw.buffer.max.bytes", "1024"));
    private TaskHarness harness;

    @AfterEach
    void stop() {
        if (harness != null) {
            harness.close();
        }
    }

    private TaskHarness start(String... keyValues) {
        harness = new TaskHarness(TaskHarness.with(BASE, keyValues));
        return harness;
    }

    private static String[] signed(String body, String... more) {
        String[] base = {"X-Hub-Signature-256", "sha256=" + hex(hmac("HmacSHA256", utf8(SECRET), "", utf8(body))),
            "Content-Type", "application/json"};
        String[] all = new String[base.length + more.length];
        System.arraycopy(base, 0, all, 0, base.length);
        System.arraycopy(more, 0, all, base.length, more.length);
        return all;
    }

    private static void staysPending(CompletableFuture<?> response) {
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> !response.isDone());
    }

    private static HttpResponse<String> answer(CompletableFuture<HttpResponse<String>> response) {
        await().atMost(Duration.ofSeconds(10)).until(response::isDone);
        return response.join();
    }

    @Nested
    class AckAfterDurability {
        @Test
        void answersOnlyAfterCommitRecord() {
            TaskHarness h = start();
            String body = "{\"repository\":{\"full_name\":\"kaveri/kaveri\"},\"action\":\"opened\"}";
            CompletableFuture<HttpResponse<String>> response = h.post("/github", body,
                    signed(body, "X-GitHub-Event", "issues", "X-GitHub-Delivery", "d-1", "Authorization", "Bearer x"));

            List<SourceRecord> records = h.pollUntil(1);
            staysPending(response);
            h.commitAll(records);
            HttpResponse<String> answered = answer(response);
            assertThat(answered.statusCode()).isEqualTo(200);
            assertThat(answered.body()).isEqualTo("{\"records\":1}");

            SourceRecord record = records.get(0);
            assertThat(record.topic()).isEqualTo("github-events");
            assertThat(record.key()).isEqualTo("kaveri/kaveri");
            Struct value = (Struct) record.value();
            assertThat(value.schema().name()).isEqualTo("io.kaveri.schemas.webhook.WebhookEvent");
            assertThat(value.getString("route")).isEqualTo("github");
            assertThat(value.getString("deliveryId")).isEqualTo("d-1");
            assertThat(value.getString("eventType")).isEqualTo("issues");
            assertThat(value.getStruct("signature").getString("scheme")).isEqualTo("GITHUB");
            assertThat(value.getStruct("signature").getBoolean("verified")).isTrue();
            assertThat(value.getString("json")).isEqualTo(body);
            assertThat(value.getBytes("body")).isNull();
            assertThat(value.getString("contentType")).isEqualTo("application/json");
            // Credentials stay out even when listed, unless headers.allow.credentials=true.
            assertThat(value.<String, String>getMap("headers")).containsExactly(Map.entry("x-github-event", "issues"));
            assertThat(record.headers()).extracting(Header::key).containsExactly("x-github-event");
            assertThat(h.metric("github", "requests-total")).isEqualTo(1.0);
            assertThat(h.metric("github", "records-total")).isEqualTo(1.0);
            assertThat(h.metric("github", "responses-2xx-total")).isEqualTo(1.0);
            assertThat(h.metric("github", "ack-latency-max-ms")).isPositive();
        }

        @Test
        void splitBatchAnswersWhenEveryRecordIsCommitted() {
            TaskHarness h = start("route.github.split.pointer", "/events", "route.github.key.pointer", "/user",
                    "route.github.body.format", "both");
            String body = "{\"events\":[{\"user\":\"a\"},{\"user\":\"b\"},{\"user\":\"c\"}]}";
            CompletableFuture<HttpResponse<String>> response = h.post("/github", body, signed(body));
            List<SourceRecord> records = h.pollUntil(3);
            assertThat(records).extracting(SourceRecord::key).containsExactly("a", "b", "c");
            assertThat(records).extracting(r -> ((Struct) r.value()).getString("json"))
                    .containsExactly("{\"user\":\"a\"}", "{\"user\":\"b\"}", "{\"user\":\"c\"}");
            assertThat(new String(((Struct) records.get(1).value()).getBytes("body"), StandardCharsets.UTF_8))
                    .isEqualTo("{\"user\":\"b\"}");

            h.commitAll(records.subList(0, 2));
            staysPending(response);
            h.commitAll(records.subList(2, 3));
            assertThat(answer(response).body()).isEqualTo("{\"records\":3}");
        }

        @Test
        void ackTimeoutAnswers503WithRetryAfter() {
            TaskHarness h = start("ack.timeout.ms", "300", "retry.after.seconds", "7");
            String body = "{\"a\":1}";
            CompletableFuture<HttpResponse<String>> response = h.post("/github", body, signed(body));
            h.pollUntil(1);
            HttpResponse<String> answered = answer(response);
            assertThat(answered.statusCode()).isEqualTo(503);
            assertThat(answered.headers().firstValue("Retry-After")).contains("7");
            assertThat(answered.body()).contains("not acknowledged by Kafka within 300 ms");
        }

        @Test
        void stoppingTaskAnswers503ToWaitingRequests() {
            TaskHarness h = start();
            String body = "{\"a\":1}";
            CompletableFuture<HttpResponse<String>> polledOnly = h.post("/github", body, signed(body));
            h.pollUntil(1);
            String body2 = "{\"a\":2}";
            CompletableFuture<HttpResponse<String>> buffered = h.post("/github", body2, signed(body2));
            await().atMost(Duration.ofSeconds(5)).until(() -> h.metric("github", "buffer-bytes") > 0);
            h.task.stop();
            assertThat(answer(polledOnly).statusCode()).isEqualTo(503);
            assertThat(answer(buffered).statusCode()).isEqualTo(503);
            harness = null;
        }
    }

    @Nested
    class Deduplication {
        @Test
        void redeliveryAfterAckIsAnsweredWithoutProducing() throws Exception {
            TaskHarness h = start();
            String body = "{\"a\":1}";
            CompletableFuture<HttpResponse<String>> first = h.post("/github", body, signed(body, "X-GitHub-Delivery", "d-9"));
            h.commitAll(h.pollUntil(1));
            assertThat(answer(first).statusCode()).isEqualTo(200);

            HttpResponse<String> again = answer(h.post("/github", body, signed(body, "X-GitHub-Delivery", "d-9")));
            assertThat(again.statusCode()).isEqualTo(200);
            assertThat(again.body()).isEqualTo("{\"duplicate\":true}");
            assertThat(h.pollOnce()).isEmpty();
            assertThat(h.metric("github", "dedup-hits-total")).isEqualTo(1.0);
        }

        @Test
        void retryWhileFirstIsInFlightWaitsForTheSameAck() throws Exception {
            TaskHarness h = start();
            String body = "{\"a\":1}";
            CompletableFuture<HttpResponse<String>> first = h.post("/github", body, signed(body, "X-GitHub-Delivery", "d-7"));
            List<SourceRecord> records = h.pollUntil(1);
            CompletableFuture<HttpResponse<String>> retry = h.post("/github", body, signed(body, "X-GitHub-Delivery", "d-7"));
            staysPending(retry);
            assertThat(h.pollOnce()).isEmpty();
            h.commitAll(records);
            assertThat(answer(first).statusCode()).isEqualTo(200);
            assertThat(answer(retry).body()).isEqualTo("{\"duplicate\":true}");
        }
    }

    @Nested
    class DeduplicationAcrossRestarts {
        private List<SourceRecord> deliver(TaskHarness h, String... ids) throws Exception {
            List<CompletableFuture<HttpResponse<String>>> answers = new java.util.ArrayList<>();
            for (String id : ids) {
                String body = "{\"id\":\"" + id + "\"}";
                answers.add(h.post("/github", body, signed(body, "X-GitHub-Delivery", id)));
            }
            List<SourceRecord> records = h.pollUntil(ids.length);
            h.commitAll(records);
            for (CompletableFuture<HttpResponse<String>> a : answers) {
                assertThat(answer(a).body()).isEqualTo("{\"records\":1}");
            }
            return records;
        }

        @Test
        void idsInTheOffsetsOfTheLastTaskAreDuplicatesForTheNext() throws Exception {
            TaskHarness first = start();
            Map<Map<String, Object>, Map<String, Object>> offsets = TaskHarness.latestOffsets(deliver(first, "d-1", "d-2"));
            first.close();
            harness = new TaskHarness(BASE, offsets);

            String body = "{\"id\":\"d-2\"}";
            HttpResponse<String> retry = answer(harness.post("/github", body, signed(body, "X-GitHub-Delivery", "d-2")));
            assertThat(retry.body()).isEqualTo("{\"duplicate\":true}");
            assertThat(harness.pollOnce()).isEmpty();
            // A delivery the last task never had is produced.
            assertThat(deliver(harness, "d-3")).hasSize(1);
        }

        @Test
        void onlyTheLatestIdsAreKeptOneOffsetKeyEach() throws Exception {
            TaskHarness first = start("route.github.dedup.persisted.ids", "2");
            List<SourceRecord> records = deliver(first, "d-1");
            records.addAll(deliver(first, "d-2"));
            records.addAll(deliver(first, "d-3"));
            Map<Map<String, Object>, Map<String, Object>> offsets = TaskHarness.latestOffsets(records);
            assertThat(offsets).hasSize(2);
            first.close();
            harness = new TaskHarness(TaskHarness.with(BASE, "route.github.dedup.persisted.ids", "2"), offsets);

            String d3 = "{\"id\":\"d-3\"}";
            assertThat(answer(harness.post("/github", d3, signed(d3, "X-GitHub-Delivery", "d-3"))).body())
                    .isEqualTo("{\"duplicate\":true}");
            // d-1's slot was reused by d-3: it is forgotten, and a sender retrying it now produces it again.
            SourceRecord again = deliver(harness, "d-1").get(0);
            // The sequence goes on after the newest restored id (d-3, sequence 2), so the oldest slot is reused first.
            assertThat(again.sourceOffset().get(DedupOffsets.OFFSET_SEQUENCE)).isEqualTo(3L);
            assertThat(again.sourcePartition().get(DedupOffsets.PARTITION_SLOT))
                    .isEqualTo(records.get(1).sourcePartition().get(DedupOffsets.PARTITION_SLOT));
        }

        @Test
        void zeroKeepsIdsInMemoryOnly() throws Exception {
            TaskHarness h = start("route.github.dedup.persisted.ids", "0");
            assertThat(deliver(h, "d-1").get(0).sourcePartition()).isEqualTo(Map.of("route", "github"));
        }
    }

    @Nested
    class PollLinger {
        /** Times one poll() once a request is waiting in the buffer. */
        private long pollMillisWithOneRequestWaiting(TaskHarness h, List<SourceRecord> into) throws Exception {
            await().atMost(Duration.ofSeconds(10)).until(() -> h.metric("github", "buffer-bytes") > 0);
            long t0 = System.nanoTime();
            into.addAll(h.pollOnce());
            return (System.nanoTime() - t0) / 1_000_000;
        }

        @Test
        void lingersOnlyWhileRecordsAreCommittedOnThePollingThread() throws Exception {
            TaskHarness h = start("poll.linger.ms", "1000");
            String body = "{\"a\":1}";
            CompletableFuture<HttpResponse<String>> first = h.post("/github", body, signed(body));
            List<SourceRecord> records = new java.util.ArrayList<>();
            // As with exactly-once source support: Connect commits on the task's thread, after the transaction.
            assertThat(pollMillisWithOneRequestWaiting(h, records)).isGreaterThanOrEqualTo(900);
            h.commitAll(records);
            assertThat(answer(first).statusCode()).isEqualTo(200);

            CompletableFuture<HttpResponse<String>> second = h.post("/github", body, signed(body));
            records.clear();
            assertThat(pollMillisWithOneRequestWaiting(h, records)).isGreaterThanOrEqualTo(900);
            // As without it: the producer's thread acknowledges each record; from then on poll() hands over at once.
            CompletableFuture.runAsync(() -> h.commitAll(records)).get();
            assertThat(answer(second).statusCode()).isEqualTo(200);

            CompletableFuture<HttpResponse<String>> third = h.post("/github", body, signed(body));
            records.clear();
            assertThat(pollMillisWithOneRequestWaiting(h, records)).isLessThan(500);
            assertThat(records).hasSize(1);
            h.commitAll(records);
            assertThat(answer(third).statusCode()).isEqualTo(200);
        }
    }

    @Nested
    class BadRequests {
        @Test
        void badSignatureIs401AndGoesToTheDeadLetterTopic() throws Exception {
            TaskHarness h = start("dead.letter.body.max.bytes", "4");
            HttpResponse<String> r = answer(h.post("/github", "{\"a\":1}", "X-Hub-Signature-256", "sha256=00"));
            assertThat(r.statusCode()).isEqualTo(401);
            assertThat(r.body()).contains("signature mismatch in X-Hub-Signature-256");
            SourceRecord dlq = h.pollUntil(1).get(0);
            assertThat(dlq.topic()).isEqualTo("github-dlq");
            assertThat((byte[]) dlq.value()).containsExactly(utf8("{\"a\""));
            assertThat(dlq.headers().lastWithName("kaveri.webhook.error.reason").value())
                    .isEqualTo("signature mismatch in X-Hub-Signature-256");
            assertThat(dlq.headers().lastWithName("kaveri.webhook.route").value()).isEqualTo("github");
            assertThat(dlq.headers().lastWithName("kaveri.webhook.error.status").value()).isEqualTo("401");
            assertThat(dlq.headers().lastWithName("kaveri.webhook.body.truncated").value()).isEqualTo("true");
            assertThat(h.metric("github", "signature-failures-total")).isEqualTo(1.0);
            assertThat(h.metric("github", "responses-4xx-total")).isEqualTo(1.0);
        }

        @Test
        void missingSignatureIs401() {
            TaskHarness h = start();
            assertThat(answer(h.post("/github", "{}")).body()).contains("missing X-Hub-Signature-256");
        }

        @Test
        void malformedJsonIs400() {
            TaskHarness h = start();
            String body = "{\"a\":";
            HttpResponse<String> r = answer(h.post("/github", body, signed(body)));
            assertThat(r.statusCode()).isEqualTo(400);
            assertThat(r.body()).contains("malformed JSON");
        }

        @Test
        void splitPointerToNonArrayIs400() {
            TaskHarness h = start("route.github.split.pointer", "/events");
            String body = "{\"events\":{}}";
            HttpResponse<String> r = answer(h.post("/github", body, signed(body)));
            assertThat(r.statusCode()).isEqualTo(400);
            assertThat(r.body()).contains("does not point to an array");
        }

        @Test
        void unknownPathIs404AndWrongMethodIs405() throws Exception {
            TaskHarness h = start();
            assertThat(answer(h.post("/nowhere", "{}")).statusCode()).isEqualTo(404);
            HttpResponse<String> put = h.send(HttpRequest.newBuilder(h.uri("/github"))
                    .PUT(HttpRequest.BodyPublishers.ofString("{}")));
            assertThat(put.statusCode()).isEqualTo(405);
            assertThat(put.headers().firstValue("Allow")).isPresent();
            assertThat(h.send(HttpRequest.newBuilder(h.uri("/github")).GET()).statusCode()).isEqualTo(405);
        }

        @Test
        void declaredContentLengthAboveLimitIs413() {
            TaskHarness h = start();
            HttpResponse<String> r = answer(h.post("/raw", new byte[2000]));
            assertThat(r.statusCode()).isEqualTo(413);
            assertThat(r.body()).contains("2000 bytes exceeds 1024");
        }

        @Test
        void chunkedBodyIsCutOffWith413WhileStreaming() throws Exception {
            TaskHarness h = start();
            try (Socket socket = new Socket("127.0.0.1", h.task.boundPort())) {
                socket.setSoTimeout(10_000);
                OutputStream out = socket.getOutputStream();
                out.write(("POST /raw HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                // 1025 bytes: one more than the limit, and the body never ends: the answer cannot wait for it.
                out.write(("401\r\n" + "x".repeat(1025) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                out.flush();
                InputStream in = socket.getInputStream();
                byte[] head = in.readNBytes(12);
                assertThat(new String(head, StandardCharsets.US_ASCII)).isEqualTo("HTTP/1.1 413");
            }
        }
    }

    @Nested
    class Backpressure {
        private final byte[] body = new byte[600];

        @Test
        void rejectAnswers503WhenTheBufferIsFull() {
            TaskHarness h = start();
            CompletableFuture<HttpResponse<String>> first = h.post("/raw", body);
            await().atMost(Duration.ofSeconds(5)).until(() -> h.metric("raw", "buffer-bytes") == 600.0);
            HttpResponse<String> second = answer(h.post("/raw", body));
            assertThat(second.statusCode()).isEqualTo(503);
            assertThat(second.headers().firstValue("Retry-After")).isPresent();
            assertThat(second.body()).contains("buffer of route raw is full");
            h.commitAll(h.pollUntil(1));
            assertThat(answer(first).statusCode()).isEqualTo(200);
        }

        @Test
        void dropAnswers202AndCounts() {
            TaskHarness h = start("route.raw.backpressure", "drop");
            CompletableFuture<HttpResponse<String>> first = h.post("/raw", body);
            await().atMost(Duration.ofSeconds(5)).until(() -> h.metric("raw", "buffer-bytes") == 600.0);
            HttpResponse<String> second = answer(h.post("/raw", body));
            assertThat(second.statusCode()).isEqualTo(202);
            assertThat(h.metric("raw", "dropped-total")).isEqualTo(1.0);
            List<SourceRecord> records = h.pollUntil(1);
            assertThat(records).hasSize(1);
            h.commitAll(records);
            assertThat(answer(first).statusCode()).isEqualTo(200);
        }

        @Test
        void blockHoldsTheRequestUntilPollMakesRoom() {
            TaskHarness h = start("route.raw.backpressure", "block", "route.raw.block.timeout.ms", "10000");
            CompletableFuture<HttpResponse<String>> first = h.post("/raw", body);
            await().atMost(Duration.ofSeconds(5)).until(() -> h.metric("raw", "buffer-bytes") == 600.0);
            CompletableFuture<HttpResponse<String>> second = h.post("/raw", body);
            staysPending(second);
            // Taking the first request frees room, which admits the held one: one poll hands over both.
            h.commitAll(h.pollUntil(2));
            assertThat(answer(first).statusCode()).isEqualTo(200);
            assertThat(answer(second).statusCode()).isEqualTo(200);
        }

        @Test
        void blockAnswers503AfterTheBlockTimeout() {
            TaskHarness h = start("route.raw.backpressure", "block", "route.raw.block.timeout.ms", "200");
            h.post("/raw", body);
            await().atMost(Duration.ofSeconds(5)).until(() -> h.metric("raw", "buffer-bytes") == 600.0);
            HttpResponse<String> second = answer(h.post("/raw", body));
            assertThat(second.statusCode()).isEqualTo(503);
        }
    }

    @Nested
    class Handshakes {
        @Test
        void slackUrlVerificationEchoesTheChallengeWithoutARecord() throws Exception {
            TaskHarness h = start("routes", "slack", "route.slack.topic", "slack", "route.slack.signature.scheme", "slack",
                    "route.slack.secret", "slack-secret");
            String body = "{\"token\":\"t\",\"challenge\":\"3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P\","
                    + "\"type\":\"url_verification\"}";
            String ts = Long.toString(System.currentTimeMillis() / 1000);
            String sig = "v0=" + hex(hmac("HmacSHA256", utf8("slack-secret"), "v0:" + ts + ":", utf8(body)));
            HttpResponse<String> r = answer(h.post("/slack", body, "X-Slack-Request-Timestamp", ts, "X-Slack-Signature", sig));
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).isEqualTo("3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P");
            assertThat(h.pollOnce()).isEmpty();
        }

        @Test
        void metaHubChallengeNeedsTheVerifyToken() throws Exception {
            TaskHarness h = start("route.github.verify.token", "meta-token");
            HttpResponse<String> ok = h.send(HttpRequest.newBuilder(
                    h.uri("/github?hub.mode=subscribe&hub.verify_token=meta-token&hub.challenge=1158201444")).GET());
            assertThat(ok.statusCode()).isEqualTo(200);
            assertThat(ok.body()).isEqualTo("1158201444");
            HttpResponse<String> bad = h.send(HttpRequest.newBuilder(
                    h.uri("/github?hub.mode=subscribe&hub.verify_token=nope&hub.challenge=1")).GET());
            assertThat(bad.statusCode()).isEqualTo(403);
            HttpResponse<String> noMode = h.send(HttpRequest.newBuilder(h.uri("/github?hub.challenge=1")).GET());
            assertThat(noMode.statusCode()).isEqualTo(400);
        }

        @Test
        void cloudEventsOptionsValidation() throws Exception {
            TaskHarness h = start("route.raw.cloudevents.allowed.origins", "eventemitter.example.com");
            HttpResponse<String> ok = h.send(HttpRequest.newBuilder(h.uri("/raw"))
                    .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                    .header("WebHook-Request-Origin", "eventemitter.example.com"));
            assertThat(ok.statusCode()).isEqualTo(200);
            assertThat(ok.headers().firstValue("WebHook-Allowed-Origin")).contains("eventemitter.example.com");
            HttpResponse<String> other = h.send(HttpRequest.newBuilder(h.uri("/raw"))
                    .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                    .header("WebHook-Request-Origin", "evil.example.com"));
            assertThat(other.statusCode()).isEqualTo(403);
            HttpResponse<String> notEnabled = h.send(HttpRequest.newBuilder(h.uri("/github"))
                    .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                    .header("WebHook-Request-Origin", "eventemitter.example.com"));
            assertThat(notEnabled.statusCode()).isEqualTo(405);
        }
    }

    @Nested
    class Listener {
        @Test
        void healthReportsRoutesAndBufferFill() throws Exception {
            TaskHarness h = start();
            HttpResponse<String> r = h.send(HttpRequest.newBuilder(h.uri("/health")).GET());
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).startsWith("{\"status\":\"UP\"").contains("\"raw\":{\"buffer_bytes\":0,\"buffer_max_bytes\":1024}");
        }

        @Test
        void speaksH2cWhenHttp2IsEnabled() throws Exception {
            Map<String, String> props = Map.of("routes", "raw", "route.raw.topic", "t", "route.raw.content", "raw");
            harness = new TaskHarness(props, HttpClient.Version.HTTP_2);
            // The JDK client upgrades a cleartext connection to h2c on a request without a body.
            HttpResponse<String> health = harness.send(HttpRequest.newBuilder(harness.uri("/health")).GET());
            assertThat(health.version()).isEqualTo(HttpClient.Version.HTTP_2);
            CompletableFuture<HttpResponse<String>> r = harness.post("/raw", "hello");
            harness.commitAll(harness.pollUntil(1));
            HttpResponse<String> answered = answer(r);
            assertThat(answered.statusCode()).isEqualTo(200);
            assertThat(answered.version()).isEqualTo(HttpClient.Version.HTTP_2);
        }
    }
}
