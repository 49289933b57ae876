package io.kaveri.bench;

import io.kaveri.stack.LocalStack;
import io.kaveri.streams.runtime.StreamsApp;
import io.kaveri.streams.runtime.StreamsAppConfig;
import io.kaveri.streams.runtime.StreamsApps;
import io.kaveri.streams.runtime.TopicSpec;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyDescription;
import org.apache.kafka.streams.processor.StateRestoreListener;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Each analytics app on the local stack's broker and registry, against a baseline measured in the same run over
 * the same preloaded topics: a plain consume-produce loop that moves the bytes and does nothing else.
 *
 * <p>Per app: its input is preloaded first (so the producer is not measured), then the baseline copies it (twice,
 * the first unmeasured, to warm the JIT), then a Kafka Streams topology of one source and one sink copies it with
 * the runtime's settings (the floor: what any Kafka Streams app pays for the same records; also twice), then the
 * app processes it from the beginning with the runtime's settings
 * (exactly-once v2, one stream thread; also twice, the first under another application id, unmeasured), then
 * a fresh instance of the app with an empty state directory restores its in-memory stores from their changelogs,
 * then the app processes the input again from the beginning at least once (a new application id), to show what
 * exactly-once costs.
 *
 * <p><b>events/s/core</b> = input records / CPU seconds of the threads of the app (stream thread, its producer's
 * network thread, consumer heartbeat, cleaner), read from the JVM's per-thread CPU clocks, so the broker and
 * registry sharing the machine are not counted. Wall-clock rates are printed beside them. The baseline is measured
 * the same way (its loop thread and its producer's network thread).
 *
 * <pre>java -jar bench/target/kaveri-bench.jar streams [--quick] [--events N] [--apps market,fraud] [--set key=value,...]</pre>
 */
final class StreamsBench {

    private static final Duration TIMEOUT = Duration.ofMinutes(10);
    private static final double JOIN_GOAL = 150_000;
    private static final double JOIN_RATIO_GOAL = 0.5;
    private static final double WINDOWED_GOAL = 100_000;
    private static final double RESTORE_GOAL = 500_000;

    private StreamsBench() {
    }

    /** Rates of one run: records, CPU and wall time. */
    record Rate(long records, long cpuNanos, long wallNanos) {
        double perCore() {
            return records / (cpuNanos / 1e9);
        }

        double perWall() {
            return records / (wallNanos / 1e9);
        }
    }

    record Row(String app, Workloads.Kind kind, Rate app_, Rate atLeastOnce, Rate baseline, Rate floor, Rate restore,
               long restoreToRunningNanos) {
    }

    static void run(List<String> args) throws Exception {
        // The stack's logging: broker and clients to files under target/bench-stack/logs, errors to the console.
        if (System.getProperty("log4j2.configurationFile") == null) {
            System.setProperty("log4j2.configurationFile", "log4j2-kaveri-stack.xml");
            System.setProperty("kaveri.log.dir", Path.of("target", "bench-stack", "logs").toString());
        }
        boolean quick = args.contains("--quick");
        int events = Integer.parseInt(option(args, "--events").orElse(quick ? "50000" : "300000"));
        Set<String> only = option(args, "--apps").map(a -> Set.of(a.split(","))).orElse(Set.of());
        // Extra app settings, to measure a tuning before making it a default: --set commit.interval.ms=1000,...
        Map<String, String> extra = new HashMap<>();
        option(args, "--set").ifPresent(a -> Stream.of(a.split(",")).map(kv -> kv.split("=", 2))
                .forEach(kv -> extra.put(kv[0], kv[1])));
        List<Row> rows = new ArrayList<>();
        try (LocalStack stack = LocalStack.builder().parts(EnumSet.of(LocalStack.Part.KAFKA, LocalStack.Part.REGISTRY))
                .workDir(Path.of("target", "bench-stack")).start()) {
            for (Workloads.Workload w : Workloads.all()) {
                if (only.isEmpty() || only.contains(w.app())) {
                    rows.add(measure(stack, w, events, extra));
                    System.out.printf(Locale.ROOT, "%s done%n", w.app());
                }
            }
        }
        print(rows, events);
    }

    private static Optional<String> option(List<String> args, String name) {
        int i = args.indexOf(name);
        return i >= 0 && i + 1 < args.size() ? Optional.of(args.get(i + 1)) : Optional.empty();
    }

    private static Row measure(LocalStack stack, Workloads.Workload w, int events, Map<String, String> extra) throws Exception {
        StreamsApp app = StreamsApps.named(w.app()).orElseThrow(() -> new IllegalArgumentException("no app " + w.app()));
        String run = "bench-" + app.name() + "-" + UUID.randomUUID().toString().substring(0, 8);
        Map<String, Object> values = new HashMap<>();
        app.configDef().configKeys().values().stream().filter(k -> k.name.endsWith(".topic"))
                .forEach(k -> values.put(k.name, k.defaultValue + "." + run));
        values.putAll(w.settings());
        values.putAll(extra);
        values.put(StreamsAppConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
        values.put(StreamsAppConfig.SCHEMA_REGISTRY_URL_CONFIG, stack.registryUrl());
        // No application id may contain another, as CPU is summed over the threads whose names contain it.
        values.put(StreamsAppConfig.APPLICATION_ID_CONFIG, run + "-eos");
        values.put(StreamsAppConfig.STATE_DIR_CONFIG, Files.createTempDirectory(run).toString());
        StreamsAppConfig config = StreamsAppConfig.of(app, values);

        List<String> inputs = app.topics(config).stream().filter(t -> t.role() == TopicSpec.Role.INPUT).map(TopicSpec::name).toList();
        String copy = run + "-baseline-copy";
        try (Admin admin = admin(stack)) {
            List<NewTopic> topics = new ArrayList<>();
            // One partition each: one stream thread does all the work, which is what "per core" asks.
            app.topics(config).forEach(t -> topics.add(new NewTopic(t.name(), Optional.of(1), Optional.empty()).configs(t.configs())));
            topics.add(new NewTopic(copy, Optional.of(1), Optional.empty()));
            admin.createTopics(topics).all().get();
        }
        long records;
        try (Feeder feed = new Feeder(config)) {
            w.loader().load(feed, events, Instant.now().truncatedTo(ChronoUnit.HOURS).minus(Duration.ofHours(6)));
            records = feed.records();
        }
        // Each measured pass follows an unmeasured one of the same code, so that the JIT has compiled it: with
        // 50,000 events a cold pass spends a large share of its CPU interpreting and compiling.
        baseline(stack, inputs, copy, records, run + "-warmup-baseline");
        Rate baseline = baseline(stack, inputs, copy, records, run + "-baseline");
        // The least any Kafka Streams app pays with the runtime's settings: the same input copied by a topology of
        // one source and one sink, bytes as they are, exactly-once, one stream thread. What the app costs beyond it
        // is its own work (deserializing, state, the records it writes).
        String id = StreamsAppConfig.APPLICATION_ID_CONFIG;
        process(stack, copyTopology(inputs, copy), fresh(app, values, Map.of(id, run + "-warmfloor")), inputs,
                List.copyOf(inputs), records, true);
        Rate floor = process(stack, copyTopology(inputs, copy), fresh(app, values, Map.of(id, run + "-floor")), inputs,
                List.copyOf(inputs), records, true);
        process(stack, app, fresh(app, values, Map.of(id, run + "-warmup")), inputs, records, true);
        Rate processing = process(stack, app, config, inputs, records, true);
        long[] toRunning = new long[1];
        Rate restore = restore(app, fresh(app, values, Map.of()), toRunning);
        // The same input again under a new application id (its own group, state and internal topics), at least
        // once: the difference is what exactly-once costs (transactions, commit markers, read-committed fetches).
        Rate atLeastOnce = process(stack, app, fresh(app, values, Map.of(id, run + "-alos",
                StreamsAppConfig.PROCESSING_GUARANTEE_CONFIG, "at_least_once")), inputs, records, false);
        deleteTopicsOf(stack, run);
        return new Row(app.name(), w.kind(), processing, atLeastOnce, baseline, floor, restore, toRunning[0]);
    }

    /**
     * Deletes the topics of one app's run (inputs, copies, changelogs, repartitions of every pass): the stack's
     * broker keeps its data between runs, and a few runs of every app would otherwise fill gigabytes.
     */
    private static void deleteTopicsOf(LocalStack stack, String run) throws Exception {
        try (Admin admin = admin(stack)) {
            List<String> topics = admin.listTopics().names().get().stream().filter(t -> t.contains(run)).toList();
            admin.deleteTopics(topics).all().get();
        }
        // The passes' state directories, all temporary directories named after the run.
        try (Stream<Path> dirs = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            for (Path dir : dirs.filter(d -> d.getFileName().toString().startsWith(run)).toList()) {
                try (Stream<Path> tree = Files.walk(dir)) {
                    for (Path p : tree.sorted(Comparator.reverseOrder()).toList()) {
                        Files.deleteIfExists(p);
                    }
                }
            }
        }
    }

    /** The app's settings with {@code changes} and a fresh, empty state directory. */
    private static StreamsAppConfig fresh(StreamsApp app, Map<String, Object> values, Map<String, Object> changes)
            throws IOException {
        Map<String, Object> v = new HashMap<>(values);
        v.putAll(changes);
        v.put(StreamsAppConfig.STATE_DIR_CONFIG, Files.createTempDirectory(String.valueOf(v.get(StreamsAppConfig.APPLICATION_ID_CONFIG))).toString());
        return StreamsAppConfig.of(app, v);
    }

    private static Admin admin(LocalStack stack) {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()));
    }

    /** Copies {@code records} records of {@code inputs} to {@code output}, bytes as they are. */
    private static Rate baseline(LocalStack stack, List<String> inputs, String output, long records, String marker)
            throws Exception {
        Rate[] result = new Rate[1];
        Exception[] failure = new Exception[1];
        Thread loop = new Thread(() -> {
            try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                    ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers(),
                    ConsumerConfig.GROUP_ID_CONFIG, marker, ConsumerConfig.CLIENT_ID_CONFIG, marker + "-consumer",
                    ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest", ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false),
                    new ByteArrayDeserializer(), new ByteArrayDeserializer());
                 KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                         ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers(),
                         ProducerConfig.CLIENT_ID_CONFIG, marker + "-producer",
                         // Kafka Streams' own producer default: the app and the loop batch alike.
                         ProducerConfig.LINGER_MS_CONFIG, 100),
                         new ByteArraySerializer(), new ByteArraySerializer())) {
                consumer.subscribe(inputs);
                long copied = 0;
                long start = 0;
                long deadline = System.nanoTime() + TIMEOUT.toNanos();
                while (copied < records) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("baseline copied " + copied + " of " + records + " records of " + inputs);
                    }
                    ConsumerRecords<byte[], byte[]> batch = consumer.poll(Duration.ofMillis(100));
                    if (start == 0 && !batch.isEmpty()) {
                        start = System.nanoTime();
                    }
                    for (ConsumerRecord<byte[], byte[]> r : batch) {
                        producer.send(new ProducerRecord<>(output, null, r.timestamp(), r.key(), r.value(), r.headers()));
                        copied++;
                    }
                    consumer.commitAsync();
                }
                producer.flush();
                consumer.commitSync();
                result[0] = new Rate(copied, cpuNanos(marker), System.nanoTime() - start);
            } catch (Exception e) {
                failure[0] = e;
            }
        }, marker + "-loop");
        loop.start();
        loop.join();
        if (failure[0] != null) {
            throw failure[0];
        }
        return result[0];
    }

    /** A topology that copies {@code inputs} to {@code output} byte for byte. */
    private static Topology copyTopology(List<String> inputs, String output) {
        Topology topology = new Topology();
        topology.addSource("floor-source", new ByteArrayDeserializer(), new ByteArrayDeserializer(), inputs.toArray(String[]::new));
        topology.addSink("floor-sink", output, new ByteArraySerializer(), new ByteArraySerializer(), "floor-source");
        return topology;
    }

    /** Runs the app over its preloaded input until it has committed all of it, internal topics included. */
    private static Rate process(LocalStack stack, StreamsApp app, StreamsAppConfig config, List<String> inputs, long records,
                                boolean exactlyOnce) throws Exception {
        Topology topology = app.build(config);
        // An app may read back a topic it declares (e.g. an output topic feeding a store): not internal, not renamed.
        List<String> declared = app.topics(config).stream().map(TopicSpec::name).toList();
        return process(stack, topology, config, inputs, sourceTopics(topology, config.applicationId(), declared), records,
                exactlyOnce);
    }

    private static Rate process(LocalStack stack, Topology topology, StreamsAppConfig config, List<String> inputs,
                                List<String> sources, long records, boolean exactlyOnce) throws Exception {
        KafkaStreams streams = new KafkaStreams(topology, config.streamsProperties());
        try (Admin admin = admin(stack)) {
            streams.start();
            await(() -> streams.state() == KafkaStreams.State.RUNNING, "app " + config.applicationId() + " RUNNING");
            long start = System.nanoTime();
            await(() -> committedAll(admin, config.applicationId(), inputs, sources, exactlyOnce), "app " + config.applicationId() + " done");
            long wall = System.nanoTime() - start;
            return new Rate(records, cpuNanos(config.applicationId()), wall);
        } finally {
            // Leave the group, so that the restoring instance is assigned the tasks at once.
            streams.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                    .withTimeout(Duration.ofSeconds(60)));
        }
    }

    /**
     * Every topic the topology reads: the inputs (and any other topic the app declares) and its repartition topics,
     * under their real names. The app is
     * not done before each has been committed to its end, including repartition topics whose first commit has not
     * happened yet (a sub-topology downstream of a repartition commits on its own).
     */
    private static List<String> sourceTopics(Topology topology, String applicationId, List<String> declared) {
        List<String> topics = new ArrayList<>();
        for (TopologyDescription.Subtopology sub : topology.describe().subtopologies()) {
            for (TopologyDescription.Node node : sub.nodes()) {
                if (node instanceof TopologyDescription.Source source && source.topicSet() != null) {
                    source.topicSet().forEach(t -> topics.add(declared.contains(t) ? t : applicationId + "-" + t));
                }
            }
        }
        return topics;
    }

    /**
     * Whether the app's group has committed the end of every partition of the topics it reads. Under exactly-once, internal topics are written in transactions, each ending in a commit marker that
     * takes an offset: an offset one short of the end is the end.
     */
    private static boolean committedAll(Admin admin, String group, List<String> inputs, List<String> sources,
                                        boolean exactlyOnce) {
        try {
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata().get();
            Map<TopicPartition, OffsetSpec> ask = new HashMap<>();
            sources.forEach(t -> ask.put(new TopicPartition(t, 0), OffsetSpec.latest()));
            committed.keySet().forEach(tp -> ask.put(tp, OffsetSpec.latest()));
            var ends = admin.listOffsets(ask).all().get();
            for (var e : ends.entrySet()) {
                OffsetAndMetadata at = committed.get(e.getKey());
                long end = e.getValue().offset();
                boolean marker = exactlyOnce && !inputs.contains(e.getKey().topic());
                if (end > 0 && (at == null || at.offset() < (marker ? end - 1 : end))) {
                    return false;
                }
            }
            return true;
        } catch (Exception e) {
            throw new IllegalStateException("cannot read the offsets of group " + group, e);
        }
    }

    /** A fresh instance with an empty state directory: time from the first store's restore start to the last's end. */
    private static Rate restore(StreamsApp app, StreamsAppConfig config, long[] toRunning) throws Exception {
        AtomicLong first = new AtomicLong();
        AtomicLong last = new AtomicLong();
        AtomicLong restored = new AtomicLong();
        KafkaStreams streams = new KafkaStreams(app.build(config), config.streamsProperties());
        streams.setGlobalStateRestoreListener(new StateRestoreListener() {
            @Override
            public void onRestoreStart(TopicPartition partition, String store, long startOffset, long endOffset) {
                first.compareAndSet(0, System.nanoTime());
            }

            @Override
            public void onBatchRestored(TopicPartition partition, String store, long batchEndOffset, long numRestored) {
            }

            @Override
            public void onRestoreEnd(TopicPartition partition, String store, long totalRestored) {
                restored.addAndGet(totalRestored);
                last.set(System.nanoTime());
            }
        });
        long start = System.nanoTime();
        try {
            streams.start();
            await(() -> streams.state() == KafkaStreams.State.RUNNING, "restored app " + config.applicationId() + " RUNNING");
            toRunning[0] = System.nanoTime() - start;
            long wall = first.get() == 0 ? 0 : last.get() - first.get();
            return new Rate(restored.get(), cpuNanos(config.applicationId()), wall);
        } finally {
            streams.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                    .withTimeout(Duration.ofSeconds(60)));
        }
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("timed out after " + TIMEOUT + " waiting for " + what);
            }
            Thread.sleep(50); // polling interval of the measurement, not a stand-in for a condition
        }
    }

    /** CPU time of the live threads whose name contains {@code marker} (Kafka names client threads after the client id). */
    @SuppressWarnings("deprecation") // Thread.getId: Thread.threadId needs JDK 19
    private static long cpuNanos(String marker) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long sum = 0;
        Map<String, Long> byThread = new java.util.TreeMap<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().contains(marker)) {
                long cpu = Math.max(0, threads.getThreadCpuTime(t.getId()));
                sum += cpu;
                byThread.merge(t.getName().replace(marker, "").replaceAll("[0-9a-f]{8}-[0-9a-f-]{27}", "*"), cpu, Long::sum);
            }
        }
        // Where the CPU went, to tell the stream thread's work from its clients' (commits, fetches, sends).
        System.out.printf(Locale.ROOT, "cpu %s: %s%n", marker, byThread.entrySet().stream()
                .map(e -> String.format(Locale.ROOT, "%s=%.2fs", e.getKey(), e.getValue() / 1e9)).collect(Collectors.joining(", ")));
        return sum;
    }

    private static void print(List<Row> rows, int events) {
        System.out.println();
        System.out.println("| app | kind | input records | app events/s/core | baseline events/s/core | ratio "
                + "| Kafka Streams floor events/s/core | floor / baseline | app / floor | at-least-once events/s/core | app events/s (wall) | baseline events/s (wall) | restored records "
                + "| restore records/s | restart to RUNNING |");
        System.out.println("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        for (Row r : rows) {
            System.out.printf(Locale.ROOT, "| %s | %s | %,d | %,.0f | %,.0f | **%.2f×** | %,.0f | %.2f× | %.2f× | %,.0f | %,.0f | %,.0f | %,d | %,.0f | %.1f s |%n",
                    r.app(), r.kind() == Workloads.Kind.STREAM_TABLE_JOIN ? "stream-table join" : "windowed",
                    r.app_().records(), r.app_().perCore(), r.baseline().perCore(), r.app_().perCore() / r.baseline().perCore(),
                    r.floor().perCore(), r.floor().perCore() / r.baseline().perCore(), r.app_().perCore() / r.floor().perCore(),
                    r.atLeastOnce().perCore(), r.app_().perWall(), r.baseline().perWall(), r.restore().records(),
                    r.restore().wallNanos() > 0 ? r.restore().perWall() : Double.NaN, r.restoreToRunningNanos() / 1e9);
        }
        System.out.println();
        System.out.println("goals: " + rows.stream().map(StreamsBench::verdict).collect(Collectors.joining("; ")));
        System.out.printf(Locale.ROOT, "%nmachine: %d cores, %s %s, %s; %,d events per app%n", Runtime.getRuntime().availableProcessors(),
                System.getProperty("os.name"), System.getProperty("os.arch"), Runtime.version(), events);
    }

    private static String verdict(Row r) {
        double perCore = r.app_().perCore();
        boolean met = r.kind() == Workloads.Kind.STREAM_TABLE_JOIN
                ? perCore >= JOIN_GOAL && perCore / r.baseline().perCore() >= JOIN_RATIO_GOAL
                : perCore >= WINDOWED_GOAL;
        boolean restoreMet = r.restore().wallNanos() > 0 && r.restore().perWall() >= RESTORE_GOAL;
        return String.format(Locale.ROOT, "%s processing %s, restore %s", r.app(), met ? "met" : "MISSED",
                restoreMet ? "met" : "MISSED");
    }
}
