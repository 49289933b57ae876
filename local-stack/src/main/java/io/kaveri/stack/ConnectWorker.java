package io.kaveri.stack;

import org.apache.kafka.common.utils.Exit;
import org.apache.kafka.connect.cli.ConnectDistributed;
import org.apache.kafka.connect.runtime.Connect;
import org.apache.kafka.connect.runtime.distributed.DistributedHerder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A distributed-mode Kafka Connect worker running in this JVM, as a user's worker would run, with
 * {@code plugin.path} pointing at the built Kaveri plugin folders and exactly-once source support enabled.
 * It can be stopped and started again on the same REST port, which fault tests use.
 */
public final class ConnectWorker implements StackComponent {

    private static final Logger log = LoggerFactory.getLogger(ConnectWorker.class);
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(90);

    /**
     * @param bootstrapServers the broker the worker stores its configs, offsets and statuses in
     * @param pluginPath       directories holding Connect plugins (each a folder of plugin folders)
     * @param logFile          where the worker's log goes (the logging configuration routes it there)
     * @param overrides        worker properties that replace the defaults
     */
    public record Options(String bootstrapServers, List<Path> pluginPath, Path logFile, Map<String, String> overrides) {
        public Options {
            pluginPath = List.copyOf(pluginPath);
            overrides = Map.copyOf(overrides);
        }
    }

    private final Options options;
    private final int restPort;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private Connect<DistributedHerder> connect;
    private Duration startDuration = Duration.ZERO;

    private ConnectWorker(Options options, int restPort) {
        this.options = options;
        this.restPort = restPort;
    }

    /** Starts the worker and returns once its REST API reports it healthy (joined its group, read its topics). */
    public static ConnectWorker start(Options options) {
        ConnectWorker worker = new ConnectWorker(options, FreePorts.pick());
        worker.startAgain();
        return worker;
    }

    /** Starts the worker (again, after {@link #stop()}) on the same REST port and group. */
    public synchronized void startAgain() {
        if (connect != null) {
            return;
        }
        long t0 = System.nanoTime();
        try {
            connect = startWithoutShutdownHook();
        } catch (RuntimeException e) {
            throw new StackStartException("connect: the worker did not start (REST port " + restPort + "): "
                    + KafkaBroker.rootMessage(e) + "; see " + options.logFile(), e);
        }
        try {
            awaitHealthy();
        } catch (RuntimeException e) {
            stop();
            throw e;
        }
        startDuration = Duration.ofNanos(System.nanoTime() - t0);
        log.info("connect ready rest={} plugin.path={} took_ms={}", restUrl(), options.pluginPath(), startDuration.toMillis());
    }

    /**
     * Starts Connect without the JVM shutdown hook it registers for itself: whoever owns this worker stops it in its
     * own order (kaveri up before the broker, the test stack at the end of a run). With that hook, a JVM exit
     * stopped the worker twice at once, and {@code Connect.stop()} returns at once while another stop is under way:
     * the broker then stopped under a worker still closing its producers, which waited out their delivery timeout
     * and held the JVM's exit for a minute or more (seen: kaveri up alive 60 s after "Kaveri stopped.").
     */
    private Connect<DistributedHerder> startWithoutShutdownHook() {
        synchronized (Exit.class) {
            Exit.setShutdownHookAdder((name, hook) -> log.debug("connect shutdown hook not registered name={}", name));
            try {
                return new ConnectDistributed().startConnect(properties());
            } finally {
                Exit.resetShutdownHookAdder();
            }
        }
    }

    /** Stops the worker and waits for it: its tasks stop, its REST port closes. */
    public synchronized void stop() {
        if (connect == null) {
            return;
        }
        Connect<DistributedHerder> c = connect;
        connect = null;
        try {
            c.stop();
            c.awaitStop();
        } catch (RuntimeException e) {
            log.warn("connect stop error={}", e.toString());
        }
        log.info("connect stopped rest={}", restUrl());
    }

    private void awaitHealthy() {
        URI health = URI.create(restUrl() + "/health");
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        String last = "no answer";
        while (System.nanoTime() < deadline) {
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(health).timeout(Duration.ofSeconds(5)).GET().build(),
                        HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return;
                }
                last = "HTTP " + r.statusCode() + " " + r.body();
            } catch (IOException e) {
                last = e.toString();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new StackStartException("connect: interrupted while waiting for the worker");
            }
            pause(Duration.ofMillis(100));
        }
        throw new StackStartException("connect: the worker at " + restUrl() + " was not healthy within "
                + READY_TIMEOUT.toSeconds() + " s (last: " + last + "); see " + options.logFile());
    }

    private static void pause(Duration d) {
        try {
            Thread.sleep(d.toMillis()); // a poll interval between readiness probes, not a wait for a condition
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private Map<String, String> properties() {
        Map<String, String> p = new HashMap<>();
        p.put("bootstrap.servers", options.bootstrapServers());
        p.put("group.id", "kaveri-connect");
        p.put("listeners", "http://127.0.0.1:" + restPort);
        p.put("rest.advertised.host.name", "127.0.0.1");
        if (!options.pluginPath().isEmpty()) {
            p.put("plugin.path", options.pluginPath().stream().map(Path::toString).collect(Collectors.joining(",")));
        }
        p.put("key.converter", "org.apache.kafka.connect.json.JsonConverter");
        p.put("value.converter", "org.apache.kafka.connect.json.JsonConverter");
        p.put("config.storage.topic", "kaveri-connect-configs");
        p.put("offset.storage.topic", "kaveri-connect-offsets");
        p.put("status.storage.topic", "kaveri-connect-status");
        p.put("config.storage.replication.factor", "1");
        p.put("offset.storage.replication.factor", "1");
        p.put("status.storage.replication.factor", "1");
        p.put("offset.storage.partitions", "5");
        p.put("status.storage.partitions", "1");
        p.put("exactly.once.source.support", "enabled");
        // Let connectors set their own producer/consumer settings (e.g. acks, transaction timeouts), as many clusters do.
        p.put("connector.client.config.override.policy", "All");
        p.put("offset.flush.interval.ms", "1000");
        // One worker: a departed member is not coming back, so do not hold its tasks for the default 5 minutes.
        p.put("scheduled.rebalance.max.delay.ms", "0");
        p.putAll(options.overrides());
        return p;
    }

    /** The REST API's base URL, e.g. {@code http://127.0.0.1:38123}. */
    public String restUrl() {
        return "http://127.0.0.1:" + restPort;
    }

    public synchronized boolean isRunning() {
        return connect != null;
    }

    @Override
    public String name() {
        return "connect";
    }

    @Override
    public Duration startDuration() {
        return startDuration;
    }

    @Override
    public String endpoint() {
        return "rest=" + restUrl();
    }

    @Override
    public Path logFile() {
        return options.logFile();
    }

    @Override
    public void close() {
        stop();
    }
}
