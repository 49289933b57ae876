package io.kaveri.cli;

import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Runs {@code kaveri up} as a user would, then stops it with SIGTERM and checks that nothing is left behind. */
class KaveriUpIT {

    private static final Pattern HOST_PORT = Pattern.compile("(?:127\\.0\\.0\\.1|localhost):(\\d{2,5})");

    @Test
    void upStartsEveryComponentAndSigtermLeavesNoProcessAndNoPort() throws Exception {
        Path home = Path.of(System.getProperty("kaveri.home"));
        Path work = java.nio.file.Files.createTempDirectory(java.nio.file.Files.createDirectories(home.resolve("cli/target")), "kaveri-up-it");
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java));
        command.addAll(launcherJavaOptions(home));
        command.addAll(List.of("-Dkaveri.home=" + home, "-cp", System.getProperty("kaveri.cli.classpath"),
                "io.kaveri.cli.Kaveri", "up", "--work-dir", work.toString()));
        Process up = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .start();
        List<String> output = new CopyOnWriteArrayList<>();
        Thread reader = new Thread(() -> readLines(up, output), "kaveri-up-output");
        reader.setDaemon(true);
        reader.start();
        try {
            await("the ready line of kaveri up").atMost(Duration.ofMinutes(3))
                    .until(() -> output.stream().anyMatch(l -> l.startsWith(UpCommand.READY_LINE)) || !up.isAlive());
            assertThat(up.isAlive()).as("kaveri up is running; output:%n%s", String.join("\n", output)).isTrue();
            String all = String.join("\n", output);
            assertThat(all).contains("kafka").contains("connect").contains("registry").contains("postgres");
            assertThat(all).as("the demo runs the streams apps with traffic").containsPattern("streams-apps +ready.*apps=.*market")
                    .contains("traffic");
            assertThat(all).as("the webhook connector runs with its signed traffic")
                    .containsPattern("webhook-source +ready.*webhooks=http://127\\.0\\.0\\.1:\\d+/\\{tweets,.*payments,github}")
                    .containsPattern("webhook-source +ready.*traffic=\\d+/s");
            assertThat(all).as("the CDC connector writes where the enrichment and timeline apps read")
                    .containsPattern("postgres-cdc +ready.*topics=kaveri\\.public\\.\\{users,follows}.*changes=");
            assertThat(all).containsPattern("bootstrap\\.servers=127\\.0\\.0\\.1:\\d+");
            assertThat(all).as("the demo serves the dashboard").containsPattern("dashboard=http://127\\.0\\.0\\.1:\\d+/");
            assertThat(all).containsPattern("jdbc:postgresql://127\\.0\\.0\\.1:\\d+/");
            java.util.regex.Matcher rss = Pattern.compile("resident memory (\\d+\\.\\d+) GB").matcher(all);
            assertThat(rss.find()).as("the ready line reports resident memory").isTrue();
            assertThat(Double.parseDouble(rss.group(1))).as("resident memory of the whole demo, GB").isLessThan(1.5);

            Path log = work.resolve("kaveri.log");
            await("signed webhook deliveries and database changes flow").atMost(Duration.ofSeconds(30)).until(() ->
                    Files.readString(log).contains("webhook demo first delivery accepted")
                            && Files.readString(log).contains("cdc demo first change committed"));
            assertThat(Files.readString(log)).as("demo traffic while running")
                    .doesNotContain("webhook demo delivery refused").doesNotContain("webhook demo delivery failed")
                    .doesNotContain("cdc demo change failed");

            List<Integer> ports = ports(all);
            assertThat(ports).hasSizeGreaterThanOrEqualTo(4).allMatch(KaveriUpIT::listening);
            List<ProcessHandle> children = up.descendants().toList();
            assertThat(children).as("registry and PostgreSQL child processes").isNotEmpty();

            // SIGTERM, as a service manager or Ctrl-C would send. Not Process.destroy(): it also closes our end of the
            // output pipe, and the shutdown lines would be lost.
            up.toHandle().destroy();

            await("kaveri up exits").atMost(Duration.ofMinutes(1)).until(() -> !up.isAlive());
            await("no child process is left").atMost(Duration.ofSeconds(30))
                    .until(() -> children.stream().noneMatch(ProcessHandle::isAlive));
            await("no port is left open").atMost(Duration.ofSeconds(30))
                    .until(() -> ports.stream().noneMatch(KaveriUpIT::listening));
            reader.join(Duration.ofSeconds(10).toMillis()); // the last lines may still be in the pipe
            assertThat(String.join("\n", output)).contains("Kaveri stopped.");
            assertThat(Files.readString(log)).as("the demo parts stopped before the stack")
                    .containsPattern("webhook demo stopped connector=kaveri-webhooks accepted=[1-9]")
                    .contains("cdc demo stopped connector=kaveri-postgres-cdc");
        } finally {
            up.descendants().forEach(ProcessHandle::destroyForcibly);
            up.destroyForcibly();
        }
    }

    private static List<Integer> ports(String output) {
        List<Integer> ports = new ArrayList<>();
        Matcher m = HOST_PORT.matcher(output);
        while (m.find()) {
            int port = Integer.parseInt(m.group(1));
            if (!ports.contains(port)) {
                ports.add(port);
            }
        }
        return ports;
    }

    static boolean listening(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static void readLines(Process p, List<String> sink) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                sink.add(line);
                System.out.println("[kaveri up] " + line);
            }
        } catch (IOException e) {
            // the process ended
        }
    }

    /** The JVM options the ./kaveri launcher runs the CLI with, so that the memory measured is the one users get. */
    private static List<String> launcherJavaOptions(Path home) throws IOException {
        Matcher m = Pattern.compile("\\$\\{KAVERI_JAVA_OPTS:-([^}]*)}").matcher(Files.readString(home.resolve("kaveri")));
        assertThat(m.find()).as("default JVM options in ./kaveri").isTrue();
        return List.of(m.group(1).trim().split("\\s+"));
    }
}
