package io.kaveri.cli;

import io.kaveri.schemas.registry.SchemaRegistryClient;
import io.kaveri.schemas.registry.SchemaRegistryClients;
import io.kaveri.stack.LocalStack;
import io.kaveri.stack.LocalStack.Part;
import io.kaveri.test.KaveriStack;
import org.apache.avro.Schema;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
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
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** {@code ./kaveri deploy} against the local stack's broker, Connect worker and registry, as if they were remote. */
@KaveriStack({Part.KAFKA, Part.CONNECT, Part.REGISTRY})
class DeployCommandIT {

    private static final Path CONTRACTS = Path.of(System.getProperty("kaveri.home")).resolve("schemas/src/main/contracts");
    private static final String TRADE = "io.kaveri.schemas.market.Trade";

    private final String run = "deploy" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
    private final HttpClient http = HttpClient.newHttpClient();
    @TempDir
    Path dir;
    private Path contracts;
    private Path connectors;
    private LocalStack stack;
    private Admin admin;

    @BeforeEach
    void files(LocalStack stack) throws Exception {
        this.stack = stack;
        admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()));
        // One contract under a subject of this run, so that other tests' registrations do not matter here.
        contracts = Files.createDirectories(dir.resolve("contracts"));
        Path trade = Files.createDirectories(contracts.resolve(TRADE));
        try (Stream<Path> files = Files.list(CONTRACTS.resolve(TRADE))) {
            for (Path f : files.toList()) {
                Files.copy(f, trade.resolve(f.getFileName()));
            }
        }
        connectors = Files.createDirectories(dir.resolve("connectors"));
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        Files.writeString(connectors.resolve(run + "-hooks.properties"), String.join("\n",
                "connector.class=io.kaveri.connect.webhook.WebhookSourceConnector",
                "tasks.max=1",
                "listener.host=127.0.0.1",
                "listener.port=" + port,
                "routes=events",
                "route.events.topic=" + run + "-hooks", ""));
    }

    @AfterEach
    void removeConnector() throws Exception {
        http.send(HttpRequest.newBuilder(URI.create(stack.connectUrl() + "/connectors/" + run + "-hooks")).DELETE().build(),
                HttpResponse.BodyHandlers.discarding());
        admin.close();
    }

    private List<String> deployArgs(String... extra) {
        List<String> args = new ArrayList<>(List.of("deploy",
                "--bootstrap-servers", stack.bootstrapServers(),
                "--connect-url", stack.connectUrl(),
                "--registry-url", stack.registryUrl(),
                "--contracts", contracts.toString(),
                "--subject", TRADE + "=" + run + "-trades-value",
                "--connectors", connectors.toString(),
                "--apps", "timeline",
                "--set", "application.id=" + run,
                "--set", "timeline.tweets.topic=" + run + "-tweets",
                "--set", "timeline.follows.topic=" + run + "-follows",
                "--set", "timeline.topic=" + run + "-timeline",
                "--partitions", "3"));
        args.addAll(List.of(extra));
        return args;
    }

    @Test
    void dryRunChangesNothingThenDeployCreatesEverythingAndASecondRunChangesNothing() throws Exception {
        Run dry = run(deployArgs("--dry-run"));
        assertThat(dry.exit).as(dry.err).isZero();
        assertThat(dry.out).containsPattern("would topic +create +" + run + "-tweets +partitions=3")
                .containsPattern("would topic +create +" + run + "-dlq")
                .containsPattern("would schema +register +" + run + "-trades-value v2")
                .containsPattern("would connector +create +" + run + "-hooks")
                .contains("none made");
        assertThat(topics()).noneMatch(t -> t.startsWith(run));
        assertThat(connectorStatus()).isEqualTo(404);

        Run first = run(deployArgs());
        assertThat(first.exit).as(first.out + first.err).isZero();
        assertThat(first.out).contains("change(s) made");
        assertThat(topics()).contains(run + "-tweets", run + "-follows", run + "-timeline", run + "-dlq", run + "-late");
        assertThat(admin.describeTopics(List.of(run + "-tweets")).allTopicNames().get().get(run + "-tweets").partitions()).hasSize(3);
        assertThat(connectorStatus()).isEqualTo(200);
        try (SchemaRegistryClient client = SchemaRegistryClients.create(Map.of("schema.registry.url", stack.registryUrl()))) {
            assertThat(client.latest(run + "-trades-value").schema())
                    .isEqualTo(new Schema.Parser().parse(Files.readString(CONTRACTS.resolve(TRADE).resolve("v2.avsc"))));
            java.util.Properties declared = new java.util.Properties();
            try (var in = Files.newBufferedReader(CONTRACTS.resolve(TRADE).resolve("subject.properties"))) {
                declared.load(in);
            }
            assertThat(client.compatibility(java.util.Optional.of(run + "-trades-value")))
                    .isEqualTo(declared.getProperty("compatibility").trim());
        }

        Run second = run(deployArgs());
        assertThat(second.exit).as(second.err).isZero();
        assertThat(second.out).contains("nothing changed").doesNotContain("done ");

        Path hooks = connectors.resolve(run + "-hooks.properties");
        Files.writeString(hooks, Files.readString(hooks) + "route.events.dedup.header=X-Delivery\n");
        Run third = run(deployArgs());
        assertThat(third.out).containsPattern("connector +update +" + run + "-hooks +keys \\[route.events.dedup.header\\]")
                .contains("1 change(s) made");
    }

    @Test
    void aTopicWithTooFewPartitionsStopsTheDeployBeforeAnyChange() throws Exception {
        admin.createTopics(List.of(new NewTopic(run + "-tweets", 1, (short) 1))).all().get();
        Run r = run(deployArgs());
        assertThat(r.exit).isEqualTo(1);
        assertThat(r.err).contains("topic " + run + "-tweets exists with 1 partition(s)").contains("--partitions 3")
                .contains("nothing more was changed");
        assertThat(topics()).filteredOn(t -> t.startsWith(run)).containsExactly(run + "-tweets");
        assertThat(connectorStatus()).isEqualTo(404);
    }

    @Test
    void aSchemaTheRegistryRefusesStopsTheDeployBeforeAnyChange() throws Exception {
        try (SchemaRegistryClient client = SchemaRegistryClients.create(Map.of("schema.registry.url", stack.registryUrl()))) {
            client.setCompatibility(java.util.Optional.of(run + "-trades-value"), "BACKWARD");
            client.register(run + "-trades-value", new Schema.Parser().parse("""
                    {"type":"record","name":"Trade","namespace":"io.kaveri.schemas.market","fields":[{"name":"other","type":"long"}]}"""), false);
        }
        Run r = run(deployArgs());
        assertThat(r.exit).isEqualTo(1);
        assertThat(r.err).contains("refuses " + run + "-trades-value v2 as incompatible");
        assertThat(topics()).noneMatch(t -> t.startsWith(run));
        assertThat(connectorStatus()).isEqualTo(404);
    }

    @Test
    void aConnectUrlThatIsNotConnectIsNamed() throws Exception {
        List<String> args = deployArgs();
        args.set(args.indexOf("--connect-url") + 1, stack.registryUrl());
        Run r = run(args);
        assertThat(r.exit).isEqualTo(1);
        assertThat(r.err).contains("--connect-url " + stack.registryUrl() + " is not a Kafka Connect REST API");
        assertThat(topics()).noneMatch(t -> t.startsWith(run));
    }

    @Test
    void configsOfAnExistingTopicThatDriftedAreReportedAndSetOnlyWithTheFlag() throws Exception {
        // The market app wants its live candles compacted; this topic was made with the broker's delete policy.
        String live = run + "-live";
        admin.createTopics(List.of(new NewTopic(live, 1, (short) 1).configs(Map.of("cleanup.policy", "delete")))).all().get();
        List<String> args = new ArrayList<>(List.of("deploy",
                "--bootstrap-servers", stack.bootstrapServers(),
                "--registry-url", stack.registryUrl(),
                "--contracts", contracts.toString(),
                "--subject", TRADE + "=" + run + "-trades-value",
                "--apps", "market",
                "--set", "application.id=" + run,
                "--set", "market.trades.topic=" + run + "-trades",
                "--set", "market.candles.topic=" + run + "-candles",
                "--set", "market.candles.live.topic=" + live,
                "--set", "market.candles.hopping.topic=" + run + "-hopping"));
        Run reported = run(args);
        assertThat(reported.exit).as(reported.err).isZero();
        assertThat(reported.out).containsPattern("topic +drifted +" + live + " .*\\{cleanup.policy=delete -> compact}.*--alter-topic-configs");
        assertThat(cleanupPolicy(live)).isEqualTo("delete");

        args.add("--alter-topic-configs");
        Run altered = run(args);
        assertThat(altered.exit).as(altered.err).isZero();
        assertThat(altered.out).containsPattern("done +topic alter " + live);
        // The controller has accepted the change when the command returns; brokers apply it from the metadata log
        // a moment later, and describeConfigs answers from the broker.
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(cleanupPolicy(live)).isEqualTo("compact"));
        assertThat(run(args).out).containsPattern("topic +exists +" + live).contains("nothing changed");
    }

    private String cleanupPolicy(String topic) throws Exception {
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        return admin.describeConfigs(List.of(resource)).all().get().get(resource).get("cleanup.policy").value();
    }

    private Set<String> topics() throws Exception {
        return admin.listTopics().names().get();
    }

    private int connectorStatus() throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(stack.connectUrl() + "/connectors/" + run + "-hooks/config")).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    record Run(int exit, String out, String err) {
    }

    static Run run(List<String> args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = Kaveri.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int exit = cli.execute(args.toArray(String[]::new));
        return new Run(exit, out.toString(), err.toString());
    }
}
