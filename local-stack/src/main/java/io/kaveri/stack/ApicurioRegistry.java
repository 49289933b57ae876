package io.kaveri.stack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Apicurio Registry 2.6 as a child process (its runner jar from the Maven repository, unpacked once into the
 * cache), with in-memory storage, run by this JVM's own JDK, and answering Confluent's Schema Registry API
 * at {@link #url()} with global compatibility BACKWARD.
 */
public final class ApicurioRegistry extends ChildProcessComponent {

    private static final Logger LOG = LoggerFactory.getLogger(ApicurioRegistry.class);

    static final String COMPONENT = "registry";
    static final String VERSION = "2.6.13.Final";
    static final String COORDINATES = "io.apicurio:apicurio-registry-app:" + VERSION + ":zip:all";
    static final String CACHE_DIR_NAME = "apicurio-registry-" + VERSION;
    private static final String RUNNER_JAR = "apicurio-registry-app-" + VERSION + "-runner.jar";
    private static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
    /**
     * Measured with 300 subjects registered: about 20 MB live heap, 230 MB resident. The serial collector and
     * C1-only compilation keep it small and halve its start on a busy 2-core machine (about 3 s instead of
     * 6 to 12 s); a test registry never runs long enough to miss the C2 compiler.
     */
    private static final List<String> JVM_OPTIONS = List.of("-Xmx256m", "-XX:+UseSerialGC",
            "-XX:TieredStopAtLevel=1");
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(90);
    private static final Duration STOP_GRACE = Duration.ofSeconds(15);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(5);

    /**
     * @param workDir         where {@code registry.log} goes
     * @param cacheDir        where the runner zip is unpacked once and reused
     * @param mavenRepository the local Maven repository holding {@value #COORDINATES}
     *                        (see {@link StackDirectories#defaultMavenRepository()})
     */
    public record Options(Path workDir, Path cacheDir, Path mavenRepository) {
    }

    private ApicurioRegistry(ChildProcess process, int port, Duration startDuration, Path logFile) {
        super(COMPONENT, process, port, startDuration, logFile, STOP_GRACE);
    }

    /** Starts the registry on a random free port and waits until its API answers with compatibility BACKWARD. */
    public static ApicurioRegistry start(Options options) {
        return FreePorts.withFreshPort(port -> start(options, port));
    }

    static ApicurioRegistry start(Options options, int port) {
        long started = System.nanoTime();
        Path home = ArchiveCache.unpackOnce(ArchiveCache.Archive.zip(COMPONENT, zip(options.mavenRepository()),
                "delete it and run ./mvnw -B -DskipTests package to download " + COORDINATES + " again"),
                options.cacheDir(), CACHE_DIR_NAME);
        int managementPort = FreePorts.pick();
        while (managementPort == port) {
            managementPort = FreePorts.pick();
        }
        FreePorts.requireFree(COMPONENT, port);
        FreePorts.requireFree(COMPONENT, managementPort);
        Path logFile = options.workDir().resolve("registry.log");
        try {
            Files.createDirectories(options.workDir());
            Files.deleteIfExists(logFile);
        } catch (IOException e) {
            throw new StackStartException(COMPONENT + ": cannot write " + logFile + " (" + e
                    + "): choose a writable work directory", e);
        }
        List<String> command = new ArrayList<>();
        command.add(javaExecutable());
        command.addAll(JVM_OPTIONS);
        command.addAll(List.of("-jar", home.resolve(RUNNER_JAR).toString()));
        // Run in the work directory: whatever it writes must not alter the shared cache.
        ChildProcess process = ChildProcess.launch(COMPONENT, command, options.workDir(),
                Map.of("QUARKUS_HTTP_HOST", FreePorts.LOOPBACK,
                        "QUARKUS_HTTP_PORT", String.valueOf(port),
                        // Unset, the management interface would listen on 0.0.0.0:9000.
                        "QUARKUS_MANAGEMENT_HOST", FreePorts.LOOPBACK,
                        "QUARKUS_MANAGEMENT_PORT", String.valueOf(managementPort)),
                logFile, ChildProcess.StopSignal.TERM);
        String url = url(port);
        HttpClient http = HttpClient.newBuilder().connectTimeout(REQUEST_TIMEOUT).build();
        process.awaitReady(READY_TIMEOUT, List.of(port, managementPort),
                () -> send(http, "GET", url + "/config", null).statusCode() == 200);
        try {
            setBackwardCompatibility(http, url, logFile);
        } catch (RuntimeException e) {
            process.stop(STOP_GRACE);
            throw e;
        }
        Duration startDuration = Duration.ofNanos(System.nanoTime() - started);
        LOG.info("component={} event=ready url={} pid={} startMs={}", COMPONENT, url, process.pid(),
                startDuration.toMillis());
        return new ApicurioRegistry(process, port, startDuration, logFile);
    }

    private static Path zip(Path mavenRepository) {
        Path zip = mavenRepository.resolve(Path.of("io", "apicurio", "apicurio-registry-app", VERSION,
                "apicurio-registry-app-" + VERSION + "-all.zip"));
        if (!Files.isRegularFile(zip)) {
            throw new StackStartException(COMPONENT + ": " + COORDINATES + " is not in the Maven repository "
                    + mavenRepository + " (no " + zip + "): run ./mvnw -B -DskipTests package to download it");
        }
        return zip;
    }

    /** The JDK running this JVM, so the registry needs no second JDK. */
    private static String javaExecutable() {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        if (Files.isExecutable(java)) {
            return java.toString();
        }
        return ProcessHandle.current().info().command()
                .orElseThrow(() -> new StackStartException(COMPONENT + ": cannot find the java executable of this JVM"
                        + " (java.home=" + System.getProperty("java.home") + "): set JAVA_HOME to a JDK 17 or newer"));
    }

    /**
     * Apicurio's Confluent-compatible API defaults to NONE where Confluent's registry defaults to BACKWARD;
     * Kaveri's users expect the latter, so it is set and read back.
     */
    private static void setBackwardCompatibility(HttpClient http, String url, Path logFile) {
        try {
            HttpResponse<String> put = send(http, "PUT", url + "/config", "{\"compatibility\":\"BACKWARD\"}");
            HttpResponse<String> get = send(http, "GET", url + "/config", null);
            JsonNode config = new ObjectMapper().readTree(get.body());
            if (put.statusCode() != 200 || !"BACKWARD".equals(config.path("compatibilityLevel").asText())) {
                throw new StackStartException(COMPONENT + ": could not set global compatibility to BACKWARD at "
                        + url + "/config (PUT answered " + put.statusCode() + " " + put.body() + ", GET answered "
                        + get.body() + "); see " + logFile);
            }
        } catch (IOException e) {
            throw new StackStartException(COMPONENT + ": " + url + "/config did not answer: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StackStartException(COMPONENT + ": interrupted while configuring compatibility", e);
        }
    }

    private static HttpResponse<String> send(HttpClient http, String method, String url, String body)
            throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url))
                .timeout(REQUEST_TIMEOUT)
                .header("Accept", CONTENT_TYPE)
                .header("Content-Type", CONTENT_TYPE)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body))
                .build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    /** Confluent Schema Registry API base URL: {@code http://127.0.0.1:<port>/apis/ccompat/v7}. */
    public String url() {
        return url(port());
    }

    private static String url(int port) {
        return "http://" + FreePorts.LOOPBACK + ":" + port + "/apis/ccompat/v7";
    }

    @Override
    public String endpoint() {
        return "url=" + url();
    }
}
