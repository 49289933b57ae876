package io.kaveri.connect.webhook;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.function.LongSupplier;

import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.metrics.Gauge;
import org.apache.kafka.common.metrics.PluginMetrics;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.common.metrics.stats.Avg;
import org.apache.kafka.common.metrics.stats.CumulativeCount;
import org.apache.kafka.common.metrics.stats.CumulativeSum;
import org.apache.kafka.common.metrics.stats.Max;
import org.apache.kafka.common.metrics.stats.Rate;

/**
 * JMX metrics of one route, registered through the task's {@link PluginMetrics} so that Connect tags them
 * with the connector and task and removes them when the task stops.
 */
final class RouteMetrics {

    private final PluginMetrics metrics;
    private final String route;
    private final List<String> sensorNames = new ArrayList<>();
    private final List<MetricName> gauges = new ArrayList<>();

    private final Sensor requests;
    private final Sensor bytes;
    private final Sensor records;
    private final Sensor status2xx;
    private final Sensor status4xx;
    private final Sensor status5xx;
    private final Sensor signatureFailures;
    private final Sensor dedupHits;
    private final Sensor dropped;
    private final Sensor deadLetters;
    private final Sensor deadLettersDropped;
    private final Sensor ackLatency;

    RouteMetrics(PluginMetrics metrics, String route, LongSupplier bufferBytes, long bufferMaxBytes) {
        this.metrics = metrics;
        this.route = route;
        requests = counter("requests", "HTTP requests received");
        requests.add(name("request-rate", "HTTP requests per second"), new Rate());
        bytes = sum("bytes", "request body bytes received");
        records = sum("records", "records handed to Connect");
        status2xx = counter("responses-2xx", "requests answered 2xx");
        status4xx = counter("responses-4xx", "requests answered 4xx");
        status5xx = counter("responses-5xx", "requests answered 5xx");
        signatureFailures = counter("signature-failures", "requests that failed authentication");
        dedupHits = counter("dedup-hits", "deliveries answered as duplicates");
        dropped = counter("dropped", "requests dropped by backpressure=drop");
        deadLetters = counter("dead-letters", "rejected requests written to the dead-letter topic");
        deadLettersDropped = counter("dead-letters-dropped", "rejected requests not written: dead-letter buffer full");
        ackLatency = sensor("ack-latency");
        ackLatency.add(name("ack-latency-avg-ms", "time from request to Kafka acknowledgement, average"), new Avg());
        ackLatency.add(name("ack-latency-max-ms", "time from request to Kafka acknowledgement, maximum"), new Max());
        gauge("buffer-bytes", "body bytes waiting for poll()", (config, now) -> bufferBytes.getAsLong());
        gauge("buffer-fill-ratio", "fraction of buffer.max.bytes in use",
                (config, now) -> (double) bufferBytes.getAsLong() / bufferMaxBytes);
    }

    void request(long bodyBytes) {
        requests.record();
        bytes.record(bodyBytes);
    }

    void status(int status) {
        if (status < 300) {
            status2xx.record();
        } else if (status < 500) {
            status4xx.record();
        } else {
            status5xx.record();
        }
    }

    void records(int count) {
        records.record(count);
    }

    void signatureFailure() {
        signatureFailures.record();
    }

    void dedupHit() {
        dedupHits.record();
    }

    void dropped() {
        dropped.record();
    }

    void deadLetter(boolean queued) {
        (queued ? deadLetters : deadLettersDropped).record();
    }

    void acked(long nanos) {
        ackLatency.record(nanos / 1_000_000.0);
    }

    void close() {
        sensorNames.forEach(metrics::removeSensor);
        gauges.forEach(metrics::removeMetric);
    }

    private Sensor counter(String base, String description) {
        Sensor sensor = sensor(base);
        sensor.add(name(base + "-total", description), new CumulativeCount());
        return sensor;
    }

    private Sensor sum(String base, String description) {
        Sensor sensor = sensor(base);
        sensor.add(name(base + "-total", description), new CumulativeSum());
        return sensor;
    }

    private Sensor sensor(String base) {
        // Sensor names are global to the worker's registry: the route and identity keep them apart.
        String sensorName = "kaveri-webhook." + route + "." + base + "." + System.identityHashCode(this);
        sensorNames.add(sensorName);
        return metrics.addSensor(sensorName);
    }

    private <T> void gauge(String name, String description, Gauge<T> gauge) {
        MetricName metricName = name(name, description);
        metrics.addMetric(metricName, gauge);
        gauges.add(metricName);
    }

    private MetricName name(String name, String description) {
        LinkedHashMap<String, String> tags = new LinkedHashMap<>();
        tags.put("route", route);
        return metrics.metricName(name, description, tags);
    }
}
