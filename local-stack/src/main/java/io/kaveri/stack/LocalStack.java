package io.kaveri.stack;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;

/**
 * The real parts Kaveri runs against on one machine: a KRaft broker and a Connect worker in this JVM, Apicurio
 * Registry and PostgreSQL 17 as child processes. Both {@code ./kaveri up} and the integration tests use it, so
 * the demo and the tests run on the same parts a user has.
 *
 * <p>Parts start in dependency order (the registry and PostgreSQL in the background while the broker starts)
 * and stop in reverse order. A failure stops whatever that start had started and surfaces as a
 * {@link StackStartException} naming the part and the fix. {@link #ensure(Set)} grows a running stack by the parts
 * it lacks.
 */
public final class LocalStack implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LocalStack.class);

    /** A part of the stack. */
    public enum Part {
        KAFKA, CONNECT, REGISTRY, POSTGRES;

        /** This part and the parts it needs, e.g. CONNECT needs KAFKA. */
        Set<Part> withDependencies() {
            return this == CONNECT ? EnumSet.of(KAFKA, CONNECT) : EnumSet.of(this);
        }
    }

    private final Settings settings;
    private final List<StackComponent> started = new ArrayList<>();
    private final Thread shutdownHook;
    private KafkaBroker kafka;
    private ConnectWorker connect;
    private ApicurioRegistry registry;
    private PostgresServer postgres;
    private boolean closed;
    private final CountDownLatch stopped = new CountDownLatch(1);

    private LocalStack(Settings settings, boolean ownShutdownHook) {
        this.settings = settings;
        // The broker and worker die with the JVM anyway; the child processes must not outlive it. An owner that
        // stops things of its own first (./kaveri up stops the apps, then the stack) runs close() from its hook.
        this.shutdownHook = ownShutdownHook ? new Thread(this::close, "kaveri-stack-shutdown") : null;
        if (shutdownHook != null) {
            Runtime.getRuntime().addShutdownHook(shutdownHook);
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Starts the parts this stack lacks among {@code parts} (and what they need). Returns at once if it has them. */
    public synchronized LocalStack ensure(Set<Part> parts) {
        if (closed) {
            throw new IllegalStateException("the local stack is closed");
        }
        Set<Part> wanted = EnumSet.noneOf(Part.class);
        parts.forEach(p -> wanted.addAll(p.withDependencies()));
        if (settings.externalRegistryUrl().isPresent()) {
            wanted.remove(Part.REGISTRY);
        }
        int before = started.size();
        try {
            CompletableFuture<ApicurioRegistry> registryStart = wanted.contains(Part.REGISTRY) && registry == null
                    ? CompletableFuture.supplyAsync(() -> ApicurioRegistry.start(new ApicurioRegistry.Options(
                            settings.workDir(), settings.cacheDir(), settings.mavenRepository())))
                    : null;
            CompletableFuture<PostgresServer> postgresStart = wanted.contains(Part.POSTGRES) && postgres == null
                    ? CompletableFuture.supplyAsync(() -> PostgresServer.start(new PostgresServer.Options(
                            settings.workDir(), settings.cacheDir(), settings.installedPostgresBinDir())))
                    : null;
            RuntimeException failure = null;
            try {
                if (wanted.contains(Part.KAFKA) && kafka == null) {
                    kafka = register(KafkaBroker.start(new KafkaBroker.Options(settings.workDir().resolve("kafka"),
                            settings.logDir().resolve("kafka.log"), Map.of())));
                }
            } catch (RuntimeException e) {
                failure = e;
            }
            // Whatever happened to the broker, collect the children so that none is left unowned.
            try {
                registry = collect(registryStart, registry);
            } catch (RuntimeException e) {
                failure = failure == null ? e : failure;
            }
            try {
                postgres = collect(postgresStart, postgres);
            } catch (RuntimeException e) {
                failure = failure == null ? e : failure;
            }
            if (failure != null) {
                throw failure;
            }
            if (wanted.contains(Part.CONNECT) && connect == null) {
                connect = register(ConnectWorker.start(new ConnectWorker.Options(kafka.bootstrapServers(),
                        settings.pluginPath(), settings.logDir().resolve("connect.log"), Map.of())));
            }
        } catch (RuntimeException e) {
            stopStartedSince(before);
            throw e instanceof StackStartException s ? s : new StackStartException("local stack: " + e.getMessage(), e);
        }
        return this;
    }

    private <T extends StackComponent> T collect(CompletableFuture<T> start, T current) {
        if (start == null) {
            return current;
        }
        try {
            return register(start.join());
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
    }

    /** Undoes a failed {@link #ensure}: the parts it started stop, the parts that ran before keep running. */
    private void stopStartedSince(int before) {
        List<StackComponent> added = new ArrayList<>(started.subList(before, started.size()));
        started.subList(before, started.size()).clear();
        Collections.reverse(added);
        for (StackComponent c : added) {
            try {
                c.close();
            } catch (RuntimeException e) {
                log.warn("stopping component={} error={}", c.name(), e.toString());
            }
            if (c == kafka) {
                kafka = null;
            } else if (c == connect) {
                connect = null;
            } else if (c == registry) {
                registry = null;
            } else if (c == postgres) {
                postgres = null;
            }
        }
    }

    private synchronized <T extends StackComponent> T register(T component) {
        started.add(component);
        return component;
    }

    /** The running parts, in the order they became ready. */
    public synchronized List<StackComponent> components() {
        return Collections.unmodifiableList(new ArrayList<>(started));
    }

    public synchronized Set<Part> parts() {
        Set<Part> parts = EnumSet.noneOf(Part.class);
        if (kafka != null) {
            parts.add(Part.KAFKA);
        }
        if (connect != null) {
            parts.add(Part.CONNECT);
        }
        if (registry != null || settings.externalRegistryUrl().isPresent()) {
            parts.add(Part.REGISTRY);
        }
        if (postgres != null) {
            parts.add(Part.POSTGRES);
        }
        return parts;
    }

    public synchronized KafkaBroker kafka() {
        return require(kafka, Part.KAFKA);
    }

    public synchronized ConnectWorker connect() {
        return require(connect, Part.CONNECT);
    }

    public synchronized PostgresServer postgres() {
        return require(postgres, Part.POSTGRES);
    }

    public String bootstrapServers() {
        return kafka().bootstrapServers();
    }

    /** The Connect REST API's base URL. */
    public String connectUrl() {
        return connect().restUrl();
    }

    /** A Confluent-compatible registry URL: the started Apicurio's {@code /apis/ccompat/v7}, or the user's own. */
    public synchronized String registryUrl() {
        return settings.externalRegistryUrl().orElseGet(() -> require(registry, Part.REGISTRY).url());
    }

    /** Where this stack keeps data and logs. */
    public Path workDir() {
        return settings.workDir();
    }

    private static <T> T require(T component, Part part) {
        if (component == null) {
            throw new IllegalStateException(part + " is not part of this local stack; ask for it (e.g. @KaveriStack({"
                    + part + "}) or LocalStack.builder().parts(...))");
        }
        return component;
    }

    /**
     * Stops every part in reverse start order and waits for processes and ports to go. Idempotent; a second
     * caller (e.g. a shutdown hook racing Ctrl-C handling) waits until the first has finished.
     */
    @Override
    public void close() {
        List<StackComponent> toStop;
        synchronized (this) {
            if (closed) {
                toStop = null;
            } else {
                closed = true;
                toStop = new ArrayList<>(started);
                started.clear();
            }
        }
        if (toStop == null) {
            awaitStopped();
            return;
        }
        Collections.reverse(toStop);
        for (StackComponent c : toStop) {
            try {
                c.close();
            } catch (RuntimeException e) {
                log.warn("stopping component={} error={}", c.name(), e.toString());
            }
        }
        stopped.countDown();
        if (shutdownHook != null && Thread.currentThread() != shutdownHook) {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException ignored) {
                // the JVM is already shutting down and runs the hook, which finds the stack closed
            }
        }
    }

    private void awaitStopped() {
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    record Settings(Path workDir, Path cacheDir, Path mavenRepository, List<Path> pluginPath,
                    Optional<String> externalRegistryUrl, Optional<Path> installedPostgresBinDir) {

        /** Every part's log sits at the top of the work directory: kafka.log, connect.log, registry.log, postgres.log. */
        Path logDir() {
            return workDir;
        }
    }

    /** Builds a stack; every setting has a default that works on a fresh clone. */
    public static final class Builder {
        private Set<Part> parts = EnumSet.allOf(Part.class);
        private Path workDir = Path.of("target", "stack");
        private Path cacheDir = StackDirectories.defaultCacheDir();
        private Path mavenRepository = StackDirectories.defaultMavenRepository();
        private List<Path> pluginPath = List.of();
        private String externalRegistryUrl;
        private Path installedPostgresBinDir;
        private boolean ownShutdownHook = true;

        private Builder() {
        }

        /**
         * Whether the stack stops itself when the JVM exits (default true). Turn it off when the caller's own
         * shutdown hook closes the stack after stopping what runs on it, so that the two do not race.
         */
        public Builder ownShutdownHook(boolean enabled) {
            this.ownShutdownHook = enabled;
            return this;
        }

        public Builder parts(Set<Part> parts) {
            this.parts = EnumSet.copyOf(parts);
            return this;
        }

        public Builder workDir(Path workDir) {
            this.workDir = workDir;
            return this;
        }

        /** Where the registry and PostgreSQL archives are unpacked once (default {@code ~/.cache/kaveri}). */
        public Builder cacheDir(Path cacheDir) {
            this.cacheDir = cacheDir;
            return this;
        }

        /** The local Maven repository holding the Apicurio Registry archive (default {@code ~/.m2/repository}). */
        public Builder mavenRepository(Path mavenRepository) {
            this.mavenRepository = mavenRepository;
            return this;
        }

        /** The Connect worker's {@code plugin.path}. */
        public Builder pluginPath(List<Path> pluginPath) {
            this.pluginPath = List.copyOf(pluginPath);
            return this;
        }

        /** Use this Confluent-compatible registry instead of starting Apicurio. */
        public Builder externalRegistryUrl(String url) {
            this.externalRegistryUrl = url;
            return this;
        }

        /** Use the PostgreSQL binaries in this directory instead of the ones from Maven Central. */
        public Builder installedPostgresBinDir(Path binDir) {
            this.installedPostgresBinDir = binDir;
            return this;
        }

        /** Starts the chosen parts; on failure everything already started is stopped. */
        public LocalStack start() {
            Settings settings = new Settings(workDir.toAbsolutePath().normalize(), cacheDir.toAbsolutePath().normalize(),
                    mavenRepository, pluginPath, Optional.ofNullable(externalRegistryUrl),
                    Optional.ofNullable(installedPostgresBinDir));
            StackDirectories.requireWritable("work directory", settings.workDir());
            StackDirectories.requireWritable("cache directory", settings.cacheDir());
            return new LocalStack(settings, ownShutdownHook).ensure(parts);
        }
    }
}
