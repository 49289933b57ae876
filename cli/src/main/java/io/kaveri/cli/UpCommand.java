package io.kaveri.cli;

import io.kaveri.stack.LocalStack;
import io.kaveri.stack.StackComponent;
import io.kaveri.stack.StackDirectories;
import io.kaveri.stack.StackStartException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.util.Comparator;
import java.util.stream.Stream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/** {@code ./kaveri up}: the whole bundle on this machine, until Ctrl-C. */
@Command(name = "up",
        mixinStandardHelpOptions = true,
        description = {
            "Starts a Kafka broker (KRaft) and a Connect worker in-process, Apicurio Registry and PostgreSQL 17 as child",
            "processes, deploys Kaveri's connectors and apps with sample traffic, prints the endpoints and runs until Ctrl-C."
        })
final class UpCommand implements Callable<Integer> {

    /** Printed once everything runs; tests and scripts wait for it. */
    static final String READY_LINE = "Kaveri is up";

    @Option(names = "--work-dir", paramLabel = "DIR",
            description = "Data and logs of this run (default: target/kaveri-up under the Kaveri checkout).")
    Path workDir;

    @Option(names = "--cache-dir", paramLabel = "DIR",
            description = "Where the registry and PostgreSQL archives are unpacked once (default: ~/.cache/kaveri or $KAVERI_CACHE_DIR).")
    Path cacheDir;

    @Option(names = "--registry-url", paramLabel = "URL",
            description = "Use this Confluent-compatible schema registry instead of starting Apicurio.")
    String registryUrl;

    @Option(names = "--postgres-bin-dir", paramLabel = "DIR",
            description = "Use the PostgreSQL binaries (initdb, pg_ctl, postgres) in DIR instead of the ones from Maven Central.")
    Path postgresBinDir;

    @Option(names = "--without", split = ",", paramLabel = "PART",
            description = "Parts not to start: ${COMPLETION-CANDIDATES} (and what needs them).")
    Set<LocalStack.Part> without = EnumSet.noneOf(LocalStack.Part.class);

    private final PrintStream out = System.out;

    @Override
    public Integer call() throws Exception {
        Path home = KaveriHome.locate();
        Path work = workDir != null ? workDir : home.resolve("target").resolve("kaveri-up");
        try {
            freshWorkDir(work, workDir == null); // the default, under target/, is always ours to wipe
        } catch (IOException | IllegalStateException e) {
            System.err.println("kaveri up failed: " + e.getMessage());
            return 1;
        }
        Path logs = work.toAbsolutePath().normalize();
        // Before the first logger exists (demo parts have loggers too): the broker and worker log to files there, not to this terminal.
        System.setProperty("kaveri.log.dir", logs.toString());
        System.setProperty("log4j2.configurationFile",
                System.getProperty("log4j2.configurationFile", "log4j2-kaveri-stack.xml"));
        Set<LocalStack.Part> parts = EnumSet.allOf(LocalStack.Part.class);
        parts.removeAll(without);
        if (!parts.contains(LocalStack.Part.KAFKA)) {
            parts.remove(LocalStack.Part.CONNECT); // the worker keeps its state in Kafka
        }
        List<DemoPart> demo = DemoParts.all().stream().filter(p -> parts.containsAll(p.needs())).toList();

        out.printf("Starting Kaveri in %s (logs: %s/*.log)%n", logs, logs);
        long started = System.nanoTime();
        LocalStack.Builder builder = LocalStack.builder()
                .parts(parts)
                .workDir(work)
                .ownShutdownHook(false) // ours below stops the demo parts first, then the stack
                .pluginPath(StackDirectories.builtPluginDirectories(home));
        if (cacheDir != null) {
            builder.cacheDir(cacheDir);
        }
        if (registryUrl != null) {
            builder.externalRegistryUrl(registryUrl);
        }
        if (postgresBinDir != null) {
            builder.installedPostgresBinDir(postgresBinDir);
        }

        LocalStack stack;
        try {
            stack = builder.start();
        } catch (StackStartException e) {
            System.err.println("kaveri up failed: " + e.getMessage());
            return 1;
        }

        Deque<DemoPart> running = new ArrayDeque<>();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            out.println("Stopping Kaveri...");
            stopAll(running, stack);
            out.println("Kaveri stopped.");
            stopped.countDown();
        }, "kaveri-up-shutdown"));

        for (StackComponent c : stack.components()) {
            out.println(statusLine(c.name(), c.startDuration(), c.endpoint()));
        }
        for (DemoPart part : demo) {
            long t0 = System.nanoTime();
            List<String> endpoints = part.start(stack);
            running.push(part);
            out.println(statusLine(part.name(), Duration.ofNanos(System.nanoTime() - t0), String.join("  ", endpoints)));
        }
        OptionalLong rss = ProcessMemory.residentBytesWithChildren();
        out.printf(Locale.ROOT, "%s in %.1f s%s. Press Ctrl-C to stop.%n", READY_LINE,
                (System.nanoTime() - started) / 1e9,
                rss.isPresent() ? String.format(Locale.ROOT, " (resident memory %.2f GB)", rss.getAsLong() / 1e9) : "");
        out.flush();
        stopped.await();
        return 0;
    }

    /** Marks a directory as a {@code ./kaveri up} work directory, which the next run may wipe. */
    static final String WORK_DIR_MARKER = ".kaveri-up";

    /**
     * Every run starts from nothing: the registry and PostgreSQL are new each time, so a broker log, connector
     * offsets or streams state kept from an earlier run would point at schema ids and rows that no longer exist.
     * Only a directory this command made (it holds the marker) or an empty one is wiped.
     */
    static void freshWorkDir(Path work, boolean alwaysOurs) throws IOException {
        if (Files.isDirectory(work)) {
            boolean ours = alwaysOurs || Files.exists(work.resolve(WORK_DIR_MARKER));
            try (Stream<Path> entries = Files.list(work)) {
                if (!ours && entries.findAny().isPresent()) {
                    throw new IllegalStateException("the work directory " + work + " is not empty and was not made by "
                            + "kaveri up; choose another --work-dir or empty it");
                }
            }
            try (Stream<Path> all = Files.walk(work)) {
                for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
        Files.createDirectories(work);
        Files.createFile(work.resolve(WORK_DIR_MARKER));
    }

    static String statusLine(String name, Duration took, String endpoint) {
        return String.format(Locale.ROOT, "  %-16s ready in %5.1f s   %s", name, took.toMillis() / 1000.0, endpoint);
    }

    private static void stopAll(Deque<DemoPart> running, LocalStack stack) {
        while (!running.isEmpty()) {
            DemoPart part = running.pop();
            try {
                part.close();
            } catch (Exception e) {
                System.err.println("stopping " + part.name() + ": " + e);
            }
        }
        stack.close();
    }

    /** Where the Kaveri checkout is. */
    static final class KaveriHome {

        private KaveriHome() {
        }

        static Path locate() {
            String home = System.getProperty("kaveri.home");
            return Path.of(home != null ? home : ".").toAbsolutePath().normalize();
        }
    }
}
