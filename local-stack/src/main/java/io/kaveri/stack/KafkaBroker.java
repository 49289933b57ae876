package io.kaveri.stack;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * A single-node KRaft Kafka broker (combined broker and controller) running in this JVM, on random loopback
 * ports, with replication factors of 1 everywhere so that transactions and consumer groups work on one node.
 * It can be stopped and started again on the same ports and data, which fault tests use to take the broker
 * away under load.
 */
public final class KafkaBroker implements StackComponent {

    private static final Logger log = LoggerFactory.getLogger(KafkaBroker.class);
    private static final int NODE_ID = 1;
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

    /**
     * @param dataDir  where the log segments and metadata go; formatted on first start
     * @param logFile  the file the broker's own log goes to (the logging configuration routes it there)
     * @param overrides broker properties that replace the defaults (e.g. {@code log.retention.ms}, or the
     *                  {@code listener.name.<listener>.*} settings of an extra listener)
     * @param extraListeners listeners besides the PLAINTEXT one, by name, each with its security protocol (e.g.
     *                  {@code SECURE -> SASL_SSL}); each gets its own random port, see {@link #bootstrapServers(String)}.
     *                  The broker and controller keep talking PLAINTEXT among themselves.
     */
    public record Options(Path dataDir, Path logFile, Map<String, String> overrides, Map<String, String> extraListeners) {
        public Options {
            overrides = Map.copyOf(overrides);
            extraListeners = Map.copyOf(new TreeMap<>(extraListeners));
        }

        public Options(Path dataDir, Path logFile, Map<String, String> overrides) {
            this(dataDir, logFile, overrides, Map.of());
        }
    }

    private final Options options;
    private final int brokerPort;
    private final int controllerPort;
    private final Map<String, Integer> extraPorts;
    private KafkaRaftServer server;
    private Duration startDuration = Duration.ZERO;

    private KafkaBroker(Options options, List<Integer> ports) {
        this.options = options;
        this.brokerPort = ports.get(0);
        this.controllerPort = ports.get(1);
        Map<String, Integer> extra = new TreeMap<>();
        int next = 2;
        for (String listener : new TreeMap<>(options.extraListeners()).keySet()) {
            extra.put(listener, ports.get(next++));
        }
        this.extraPorts = Map.copyOf(extra);
    }

    /** Formats storage, starts the broker and returns once it answers a metadata request. */
    public static KafkaBroker start(Options options) {
        KafkaBroker broker = new KafkaBroker(options, FreePorts.pick(2 + options.extraListeners().size()));
        broker.format();
        broker.startAgain();
        return broker;
    }

    private void format() {
        try {
            Files.createDirectories(options.dataDir());
        } catch (IOException e) {
            throw new StackStartException("kafka: cannot create the data directory " + options.dataDir()
                    + " (" + e.getMessage() + "); choose a writable work directory", e);
        }
        if (Files.exists(options.dataDir().resolve("meta.properties"))) {
            return;
        }
        ByteArrayOutputStream formatterOutput = new ByteArrayOutputStream();
        try (PrintStream out = new PrintStream(formatterOutput, true, StandardCharsets.UTF_8)) {
            new Formatter()
                    .setPrintStream(out)
                    .setNodeId(NODE_ID)
                    .setClusterId(Uuid.randomUuid().toString())
                    .setControllerListenerName("CONTROLLER")
                    .setHasDynamicQuorum(false)
                    // the newest production metadata version: the test kit's default is an unstable one
                    .setReleaseVersion(MetadataVersion.latestProduction())
                    .setDirectories(List.of(options.dataDir().toString()))
                    .run();
        } catch (Exception e) {
            throw new StackStartException("kafka: formatting storage in " + options.dataDir() + " failed: " + e.getMessage()
                    + "; delete that directory and try again", e);
        }
        log.debug("kafka storage formatted dir={} output={}", options.dataDir(), formatterOutput.toString(StandardCharsets.UTF_8).trim());
    }

    /** Starts the broker (again, after {@link #stop()}) on the same ports and data. */
    public synchronized void startAgain() {
        if (server != null) {
            return;
        }
        long t0 = System.nanoTime();
        KafkaRaftServer s = new KafkaRaftServer(KafkaConfig.fromProps(properties(), false), Time.SYSTEM);
        try {
            s.startup();
        } catch (RuntimeException e) {
            shutdownQuietly(s);
            throw new StackStartException("kafka: the broker did not start on 127.0.0.1:" + brokerPort
                    + " (controller " + controllerPort + "): " + rootMessage(e)
                    + "; if a port is taken, start again (ports are chosen at random)", e);
        }
        server = s;
        awaitMetadata();
        startDuration = Duration.ofNanos(System.nanoTime() - t0);
        log.info("kafka ready bootstrap.servers={} took_ms={}", bootstrapServers(), startDuration.toMillis());
    }

    /**
     * Shuts the broker down cleanly and waits for it; the ports close. {@link #startAgain()} brings it back.
     * <p>
     * Under transactional load this can leave a hanging transaction: the controlled shutdown of the only replica
     * makes every partition leaderless for a moment while the transaction coordinator still runs, and Kafka's
     * coordinator (TransactionMarkerChannelManager) takes a partition without a leader for a deleted one, so a
     * commit under way then is completed without its markers and read_committed readers of those partitions stop
     * at it. Stopping without a controlled shutdown only moves the moment: on the next start the coordinator runs
     * from the old metadata until the controller fences the old registration, with the same effect, and the start
     * waits for the broker session to expire. Callers that stop the broker under load look for hanging
     * transactions after {@link #startAgain()} ({@code kafka-transactions.sh find-hanging}).
     */
    public synchronized void stop() {
        if (server == null) {
            return;
        }
        KafkaRaftServer s = server;
        server = null;
        shutdownQuietly(s);
        log.info("kafka stopped bootstrap.servers={}", bootstrapServers());
    }

    public synchronized boolean isRunning() {
        return server != null;
    }

    private void awaitMetadata() {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000");
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        try (Admin admin = Admin.create(p)) {
            while (true) {
                try {
                    if (!admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).isEmpty()) {
                        return;
                    }
                } catch (Exception e) {
                    if (System.nanoTime() > deadline) {
                        throw new StackStartException("kafka: the broker at " + bootstrapServers() + " did not answer within "
                                + READY_TIMEOUT.toSeconds() + " s: " + rootMessage(e) + "; see " + options.logFile(), e);
                    }
                }
                if (Thread.currentThread().isInterrupted()) {
                    throw new StackStartException("kafka: interrupted while waiting for the broker");
                }
            }
        }
    }

    private Properties properties() {
        Properties p = new Properties();
        p.put("node.id", Integer.toString(NODE_ID));
        p.put("process.roles", "broker,controller");
        StringBuilder listeners = new StringBuilder("PLAINTEXT://127.0.0.1:" + brokerPort);
        StringBuilder protocols = new StringBuilder("PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        new TreeMap<>(options.extraListeners()).forEach((name, protocol) -> {
            listeners.append(',').append(name).append("://127.0.0.1:").append(extraPorts.get(name));
            protocols.append(',').append(name).append(':').append(protocol);
        });
        p.put("listeners", listeners + ",CONTROLLER://127.0.0.1:" + controllerPort);
        p.put("advertised.listeners", listeners.toString());
        p.put("listener.security.protocol.map", protocols.toString());
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("controller.listener.names", "CONTROLLER");
        p.put("controller.quorum.voters", NODE_ID + "@127.0.0.1:" + controllerPort);
        p.put("log.dirs", options.dataDir().toString());
        // One node: every internal topic must live with a single replica, or transactions and groups never start.
        p.put("offsets.topic.replication.factor", "1");
        p.put("offsets.topic.num.partitions", "5");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("transaction.state.log.num.partitions", "5");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        p.put("default.replication.factor", "1");
        p.put("min.insync.replicas", "1");
        p.put("num.partitions", "1");
        p.put("auto.create.topics.enable", "true");
        // A demo and tests do not wait for late joiners.
        p.put("group.initial.rebalance.delay.ms", "0");
        // Small machines: the cleaner's default 128 MB dedupe buffer and many threads buy nothing here.
        p.put("log.cleaner.dedupe.buffer.size", Integer.toString(4 << 20));
        p.put("num.network.threads", "2");
        p.put("num.io.threads", "4");
        p.put("num.recovery.threads.per.data.dir", "1");
        p.put("log.flush.interval.messages", Long.toString(Long.MAX_VALUE));
        p.put("server.max.startup.time.ms", Long.toString(READY_TIMEOUT.toMillis()));
        p.putAll(options.overrides());
        return p;
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + brokerPort;
    }

    /** The address of an extra listener of {@link Options#extraListeners()}. */
    public String bootstrapServers(String listener) {
        Integer port = extraPorts.get(listener);
        if (port == null) {
            throw new IllegalArgumentException("kafka: no listener " + listener + "; the extra listeners are " + extraPorts.keySet());
        }
        return "127.0.0.1:" + port;
    }

    public int port() {
        return brokerPort;
    }

    @Override
    public String name() {
        return "kafka";
    }

    @Override
    public Duration startDuration() {
        return startDuration;
    }

    @Override
    public String endpoint() {
        return "bootstrap.servers=" + bootstrapServers();
    }

    @Override
    public Path logFile() {
        return options.logFile();
    }

    @Override
    public void close() {
        stop();
    }

    private static void shutdownQuietly(KafkaRaftServer s) {
        try {
            s.shutdown();
            s.awaitShutdown();
        } catch (RuntimeException e) {
            log.warn("kafka shutdown error={}", e.toString());
        }
    }

    static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getClass().getSimpleName() + ": " + t.getMessage();
    }
}
