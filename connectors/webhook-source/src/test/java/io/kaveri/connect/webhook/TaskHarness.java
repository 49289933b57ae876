package io.kaveri.connect.webhook;

import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.metrics.KafkaMetric;
import org.apache.kafka.common.metrics.Metrics;
import org.apache.kafka.common.metrics.PluginMetrics;
import org.apache.kafka.common.metrics.internals.PluginMetricsImpl;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.source.SourceTaskContext;
import org.apache.kafka.connect.storage.OffsetStorageReader;

/** A task started as Connect would, on an ephemeral port, with a real HTTP client in front of it. */
final class TaskHarness implements AutoCloseable {

    final WebhookSourceTask task = new WebhookSourceTask();
    final Metrics metrics = new Metrics();
    final HttpClient http;
    private final List<SourceRecord> polled = new ArrayList<>();

    TaskHarness(Map<String, String> props) {
        this(props, HttpClient.Version.HTTP_1_1);
    }

    TaskHarness(Map<String, String> props, HttpClient.Version version) {
        this(props, version, Map.of());
    }

    /** A task that finds storedOffsets in its offset storage, as after a restart. */
    TaskHarness(Map<String, String> props, Map<Map<String, Object>, Map<String, Object>> storedOffsets) {
        this(props, HttpClient.Version.HTTP_1_1, storedOffsets);
    }

    private TaskHarness(Map<String, String> props, HttpClient.Version version,
                        Map<Map<String, Object>, Map<String, Object>> storedOffsets) {
        Map<String, String> all = new HashMap<>();
        all.put("listener.host", "127.0.0.1");
        all.put("listener.port", "0");
        all.put("poll.timeout.ms", "50");
        all.putAll(props);
        PluginMetrics pluginMetrics = new PluginMetricsImpl(metrics, Map.of("connector", "test", "task", "0"));
        task.initialize(new SourceTaskContext() {
            @Override
            public Map<String, String> configs() {
                return all;
            }

            @Override
            public OffsetStorageReader offsetStorageReader() {
                return new OffsetStorageReader() {
                    @Override
                    public <T> Map<String, Object> offset(Map<String, T> partition) {
                        return storedOffsets.get(partition);
                    }

                    @Override
                    public <T> Map<Map<String, T>, Map<String, Object>> offsets(Collection<Map<String, T>> partitions) {
                        Map<Map<String, T>, Map<String, Object>> out = new HashMap<>();
                        partitions.forEach(p -> out.put(p, storedOffsets.get(p)));
                        return out;
                    }
                };
            }

            @Override
            public PluginMetrics pluginMetrics() {
                return pluginMetrics;
            }
        });
        task.start(all);
        http = HttpClient.newBuilder().version(version).connectTimeout(Duration.ofSeconds(5)).build();
    }

    /** base with the given key, value pairs put over it. */
    static Map<String, String> with(Map<String, String> base, String... keyValues) {
        Map<String, String> props = new HashMap<>(base);
        for (int i = 0; i < keyValues.length; i += 2) {
            props.put(keyValues[i], keyValues[i + 1]);
        }
        return props;
    }

    URI uri(String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + task.boundPort() + pathAndQuery);
    }

    CompletableFuture<HttpResponse<String>> post(String path, String body, String... headers) {
        return post(path, body.getBytes(StandardCharsets.UTF_8), headers);
    }

    CompletableFuture<HttpResponse<String>> post(String path, byte[] body, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .timeout(Duration.ofSeconds(20));
        if (headers.length > 0) {
            b.headers(headers);
        }
        return http.sendAsync(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return http.send(request.timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Polls until at least n records arrived in total since the last take; answers those records. */
    List<SourceRecord> pollUntil(int n) {
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            List<SourceRecord> batch = task.poll();
            if (batch != null) {
                polled.addAll(batch);
            }
            return polled.size() >= n;
        });
        List<SourceRecord> out = new ArrayList<>(polled);
        polled.clear();
        return out;
    }

    /** Every record one poll returns right now (none when null). */
    List<SourceRecord> pollOnce() throws InterruptedException {
        List<SourceRecord> batch = task.poll();
        return batch == null ? List.of() : batch;
    }

    void commitAll(List<SourceRecord> records) {
        for (SourceRecord r : records) {
            task.commitRecord(r, new RecordMetadata(new TopicPartition(r.topic(), 0), 0, 0, 0, 0, 0));
        }
    }

    /** The offsets Connect would store for records: the latest per source partition. */
    static Map<Map<String, Object>, Map<String, Object>> latestOffsets(List<SourceRecord> records) {
        Map<Map<String, Object>, Map<String, Object>> out = new HashMap<>();
        for (SourceRecord r : records) {
            out.put(Map.copyOf(r.sourcePartition()), Map.copyOf(r.sourceOffset()));
        }
        return out;
    }

    double metric(String route, String name) {
        for (Map.Entry<MetricName, KafkaMetric> e : metrics.metrics().entrySet()) {
            if (e.getKey().name().equals(name) && route.equals(e.getKey().tags().get("route"))) {
                return ((Number) e.getValue().metricValue()).doubleValue();
            }
        }
        throw new AssertionError("no metric " + name + " for route " + route + " in " + metrics.metrics().keySet());
    }

    @Override
    public void close() {
        task.stop();
        metrics.close();
    }
}
