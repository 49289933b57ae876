package io.kaveri.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kaveri.schemas.contract.ContractHistory;
import io.kaveri.schemas.registry.CompatibilityResult;
import io.kaveri.schemas.registry.RegisteredSchema;
import io.kaveri.schemas.registry.SchemaNotFoundException;
import io.kaveri.schemas.registry.SchemaRegistryClient;
import io.kaveri.schemas.registry.SchemaRegistryException;
import io.kaveri.schemas.registry.SubjectNotFoundException;
import io.kaveri.streams.runtime.StreamsApp;
import io.kaveri.streams.runtime.StreamsAppConfig;
import io.kaveri.streams.runtime.StreamsApps;
import io.kaveri.streams.runtime.TopicSpec;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.config.ConfigException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * {@code ./kaveri deploy}: brings an existing cluster up to what Kaveri needs. It first plans every step against
 * the cluster as it is (topics, schemas, connector configs) without changing anything; any problem ends it there,
 * naming the resource and the fix. Then it applies the plan in that order and reports each change. It creates and
 * updates, never deletes, so a second run reports nothing changed.
 */
@Command(name = "deploy", mixinStandardHelpOptions = true,
        description = {"Creates the topics the streams apps need, registers the Avro contracts (checking compatibility first) "
                + "and creates or updates connector configs on an existing Kafka cluster, Connect cluster and registry.",
            "Plans everything before changing anything; never deletes. Exits 1 when a step cannot be done."})
final class DeployCommand implements Callable<Integer> {

    private static final ObjectMapper JSON = new ObjectMapper();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = {"-b", "--bootstrap-servers"}, required = true, paramLabel = "HOST:PORT,...",
            defaultValue = "${env:KAVERI_BOOTSTRAP_SERVERS}", description = "The cluster's brokers (default: $KAVERI_BOOTSTRAP_SERVERS).")
    String bootstrapServers;

    @Option(names = "--command-config", paramLabel = "FILE",
            description = {"Client properties: the Kafka admin client's (security.protocol, sasl.*, ssl.*), the registry "
                    + "client's (schema.registry.ssl.*, basic.auth.user.info, ...; --registry-config wins) and the Connect "
                    + "REST client's (connect.basic.auth.user.info, connect.ssl.truststore.*)."})
    Path commandConfig;

    @Option(names = "--connect-basic-auth", paramLabel = "USER:PASSWORD",
            defaultValue = "${env:KAVERI_CONNECT_BASIC_AUTH}", description = "Basic auth of the Connect REST API "
                    + "(default: $KAVERI_CONNECT_BASIC_AUTH, else connect.basic.auth.user.info of --command-config).")
    String connectBasicAuth;

    @Option(names = "--connect-url", paramLabel = "URL", defaultValue = "${env:KAVERI_CONNECT_URL}",
            description = "The Kafka Connect REST API (default: $KAVERI_CONNECT_URL); without it no connector is deployed.")
    String connectUrl;

    @Option(names = "--connectors", paramLabel = "DIR",
            description = "Connector configs: *.json ({\"name\": ..., \"config\": {...}} or a flat config named after the file) "
                    + "and *.properties (a `name` key or the file name).")
    Path connectors;

    @Mixin
    SchemasCommand.Registry registry;

    @Option(names = "--contracts", paramLabel = "DIR", defaultValue = "schemas/src/main/contracts",
            description = "The Avro contracts to register (default: ${DEFAULT-VALUE}).")
    Path contracts;

    @Option(names = "--subject", paramLabel = "RECORD=SUBJECT",
            description = "Registry subject of a contract when it is not the record's full name, e.g. io.kaveri.schemas.market.Trade=trades-value.")
    Map<String, String> subjects = new HashMap<>();

    @Option(names = "--apps", split = ",", paramLabel = "APP",
            description = "The streams apps whose topics to create (default: all of them).")
    List<String> apps;

    @Option(names = {"-s", "--set"}, paramLabel = "KEY=VALUE",
            description = "An app setting, e.g. market.trades.topic=trades; applies to every app that has the key.")
    Map<String, String> appSettings = new HashMap<>();

    @Option(names = "--partitions", paramLabel = "N",
            description = "Partitions of the topics whose app does not ask for a number (default: the broker's num.partitions); "
                    + "an existing topic with fewer is an error, since the apps' joins need co-partitioned inputs.")
    Integer partitions;

    @Option(names = "--dry-run", description = "Print the plan and change nothing.")
    boolean dryRun;

    @Option(names = "--alter-topic-configs", description = "Set the configs (retention.ms, cleanup.policy, ...) of existing "
            + "topics that differ from what the apps ask for; without it such drift is only reported.")
    boolean alterTopicConfigs;

    /** Keys of --command-config that belong to the registry client, not to Kafka's admin client. */
    private static final List<String> REGISTRY_PREFIXES = List.of("schema.registry.", "basic.auth.", "bearer.auth.");

    /** One change the plan makes, or a line saying a resource is already as wanted. */
    record Step(String kind, String action, String resource, String detail, Runnable apply) {
        boolean changes() {
            return apply != null;
        }

        String line() {
            return String.format("%-10s %-10s %s%s", kind, action, resource, detail.isEmpty() ? "" : "  " + detail);
        }
    }

    /** A reason the deploy cannot go on, naming the resource and the fix. */
    static final class DeployException extends RuntimeException {
        DeployException(String message) {
            super(message);
        }

        DeployException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        List<Step> plan = new ArrayList<>();
        Map<String, String> fileProps = commandConfig();
        Map<String, String> registrySettings = new TreeMap<>();
        fileProps.forEach((k, v) -> {
            if (REGISTRY_PREFIXES.stream().anyMatch(k::startsWith)) {
                registrySettings.put(k, v);
            }
        });
        try (Admin admin = Admin.create(adminProperties(fileProps));
             SchemaRegistryClient registryClient = registry.client(spec.commandLine(), registrySettings);
             ConnectRest connect = connectClient(fileProps)) {
            plan.addAll(new TopicPlanner(admin, bootstrapServers, alterTopicConfigs).plan(topicsOfApps(registry.url)));
            plan.addAll(planSchemas(registryClient));
            if (connect != null) {
                plan.addAll(planConnectors(connect, connectorConfigs()));
            } else if (connectors != null) {
                throw new DeployException("--connectors " + connectors + " needs --connect-url URL (or KAVERI_CONNECT_URL)");
            }
            plan.forEach(s -> out.println((dryRun && s.changes() ? "would " : "") + s.line()));
            long changes = plan.stream().filter(Step::changes).count();
            if (dryRun) {
                out.println(changes == 0 ? "dry run: nothing to change" : "dry run: " + changes + " change(s) planned, none made");
                return 0;
            }
            for (Step step : plan) {
                if (step.changes()) {
                    step.apply().run();
                    out.println("done       " + step.kind() + " " + step.action() + " " + step.resource());
                }
            }
            out.println(changes == 0 ? "nothing changed" : changes + " change(s) made");
            return 0;
        } catch (DeployException | ConnectRest.ConnectRestException | SchemaRegistryException | ConfigException e) {
            plan.forEach(s -> out.println(s.line()));
            err.println("kaveri deploy: " + e.getMessage());
            err.println("kaveri deploy: stopped; nothing more was changed");
            return 1;
        } catch (KafkaException e) {
            err.println("kaveri deploy: cannot use the Kafka cluster at " + bootstrapServers + ": " + e.getMessage()
                    + "; check --bootstrap-servers and the security settings in --command-config");
            return 1;
        }
    }

    private Map<String, String> commandConfig() {
        Map<String, String> props = new TreeMap<>();
        if (commandConfig != null) {
            Properties p = new Properties();
            try (Reader r = Files.newBufferedReader(commandConfig)) {
                p.load(r);
            } catch (IOException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), "cannot read --command-config " + commandConfig + ": " + e);
            }
            p.stringPropertyNames().forEach(k -> props.put(k, p.getProperty(k)));
        }
        return props;
    }

    private Properties adminProperties(Map<String, String> fileProps) {
        Properties p = new Properties();
        fileProps.forEach((k, v) -> {
            if (REGISTRY_PREFIXES.stream().noneMatch(k::startsWith) && !k.startsWith(ConnectRest.PREFIX)) {
                p.put(k, v);
            }
        });
        if (bootstrapServers == null || bootstrapServers.isBlank()) {
            throw new CommandLine.ParameterException(spec.commandLine(), "no cluster: give --bootstrap-servers or set KAVERI_BOOTSTRAP_SERVERS");
        }
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        // Fail within a deploy's patience when the cluster is unreachable or refuses the credentials.
        p.putIfAbsent(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, Long.toString(TopicPlanner.ADMIN_TIMEOUT.toMillis()));
        p.putIfAbsent(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "15000");
        return p;
    }

    /** The Connect REST client, or null without --connect-url. */
    private ConnectRest connectClient(Map<String, String> fileProps) {
        if (connectUrl == null || connectUrl.isBlank()) {
            return null;
        }
        Map<String, String> settings = ConnectRest.settingsOf(fileProps);
        if (connectBasicAuth != null && !connectBasicAuth.isBlank()) {
            settings.put(ConnectRest.BASIC_AUTH_USER_INFO_CONFIG, connectBasicAuth);
        }
        return new ConnectRest(connectUrl, settings);
    }

    /** Every topic the chosen apps read or write, merged by name: the most partitions any app needs wins. */
    Map<String, TopicSpec> topicsOfApps(String registryUrl) {
        List<StreamsApp> chosen = apps == null ? StreamsApps.all() : apps.stream()
                .map(name -> StreamsApps.named(name).orElseThrow(() -> new CommandLine.ParameterException(spec.commandLine(),
                        "no streams app named '" + name + "'; the apps are: "
                                + StreamsApps.all().stream().map(StreamsApp::name).collect(Collectors.joining(", ")))))
                .toList();
        Map<String, TopicSpec> topics = new TreeMap<>();
        for (StreamsApp app : chosen) {
            Map<String, String> overrides = new HashMap<>();
            StreamsAppConfig.definition(app).names().stream().filter(appSettings::containsKey).forEach(k -> overrides.put(k, appSettings.get(k)));
            overrides.put(StreamsAppConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
            overrides.put(StreamsAppConfig.SCHEMA_REGISTRY_URL_CONFIG, registryUrl == null ? "mock://deploy" : registryUrl);
            StreamsAppConfig config = StreamsAppConfig.of(app, StreamsAppConfig.load(null, Map.of(), overrides));
            for (TopicSpec spec : app.topics(config)) {
                TopicSpec t = spec.partitions() <= 0 && partitions != null
                        ? new TopicSpec(spec.name(), spec.role(), partitions, spec.configs()) : spec;
                topics.merge(t.name(), t, (a, b) -> a.partitions() >= b.partitions() ? a : b);
            }
        }
        return topics;
    }

    List<Step> planSchemas(SchemaRegistryClient client) {
        ContractHistory history;
        try {
            history = ContractHistory.load(contracts);
        } catch (ContractHistory.ContractException e) {
            throw new DeployException("the contracts in " + contracts + " are not valid: " + String.join("; ", e.problems()), e);
        }
        List<Step> steps = new ArrayList<>();
        for (ContractHistory.Subject contract : history.subjects()) {
            String subject = subjects.getOrDefault(contract.name(), contract.name());
            ContractHistory.Version latest = contract.latest();
            RegisteredSchema.Content content = RegisteredSchema.Content.of(latest.schema());
            String resource = subject + " v" + latest.number();
            try {
                RegisteredSchema found = client.lookup(subject, content, false);
                steps.add(new Step("schema", "registered", resource, "id=" + found.id(), null));
                continue;
            } catch (SubjectNotFoundException e) {
                String mode = contract.compatibility().name();
                steps.add(new Step("schema", "register", resource, "new subject, compatibility " + mode, () -> {
                    client.setCompatibility(Optional.of(subject), mode);
                    client.register(subject, content, false);
                }));
                continue;
            } catch (SchemaNotFoundException e) {
                // the subject exists without this version: it must be compatible with what is there
            }
            CompatibilityResult result = client.testCompatibility(subject, latest.schema(), "latest");
            if (!result.compatible()) {
                throw new DeployException("the registry refuses " + resource + " as incompatible with its latest version ("
                        + String.join("; ", result.messages()) + "); fix the contract, or change the subject's compatibility "
                        + "if the break is intended (consumers first)");
            }
            steps.add(new Step("schema", "register", resource, "compatible with the registered versions",
                    () -> client.register(subject, content, false)));
        }
        return steps;
    }

    /** Create or update each connector whose config differs, after Connect has validated every one of them. */
    static List<Step> planConnectors(ConnectRest connect, Map<String, Map<String, String>> configs) {
        if (configs.isEmpty()) {
            return List.of();
        }
        connect.checkIsConnect();
        List<Step> steps = new ArrayList<>();
        for (var e : configs.entrySet()) {
            String name = e.getKey();
            Map<String, String> wanted = e.getValue();
            List<String> problems = connect.validate(name, wanted);
            if (!problems.isEmpty()) {
                throw new DeployException("connector " + name + " has an invalid config: " + String.join("; ", problems));
            }
            Optional<Map<String, String>> current = connect.config(name);
            if (current.isEmpty()) {
                steps.add(new Step("connector", "create", name, wanted.get("connector.class"), () -> connect.putConfig(name, wanted)));
                continue;
            }
            Map<String, String> have = new TreeMap<>(current.get());
            have.remove("name");
            Set<String> changed = new TreeSet<>();
            wanted.forEach((k, v) -> {
                if (!v.equals(have.get(k))) {
                    changed.add(k);
                }
            });
            have.keySet().stream().filter(k -> !wanted.containsKey(k)).forEach(changed::add);
            if (changed.isEmpty()) {
                steps.add(new Step("connector", "unchanged", name, "", null));
            } else {
                steps.add(new Step("connector", "update", name, "keys " + changed, () -> connect.putConfig(name, wanted)));
            }
        }
        return steps;
    }

    /** Connector configs by connector name, from the --connectors directory. */
    Map<String, Map<String, String>> connectorConfigs() {
        Map<String, Map<String, String>> configs = new TreeMap<>();
        if (connectors == null) {
            return configs;
        }
        List<Path> files;
        try (Stream<Path> list = Files.list(connectors)) {
            files = list.filter(f -> f.toString().endsWith(".json") || f.toString().endsWith(".properties")).sorted().toList();
        } catch (IOException e) {
            throw new DeployException("cannot list --connectors " + connectors + ": " + e);
        }
        for (Path file : files) {
            Map.Entry<String, Map<String, String>> c = readConnectorConfig(file);
            if (configs.put(c.getKey(), c.getValue()) != null) {
                throw new DeployException("connector " + c.getKey() + " is configured twice in " + connectors + " (again in "
                        + file.getFileName() + "); keep one file per connector");
            }
        }
        return configs;
    }

    static Map.Entry<String, Map<String, String>> readConnectorConfig(Path file) {
        String base = file.getFileName().toString().replaceFirst("\\.(json|properties)$", "");
        Map<String, String> config = new LinkedHashMap<>();
        String name;
        try {
            if (file.toString().endsWith(".json")) {
                JsonNode root = JSON.readTree(file.toFile());
                if (root == null || !root.isObject()) {
                    throw new DeployException("connector file " + file + " is not a JSON object");
                }
                JsonNode body = root.has("config") && root.get("config").isObject() ? root.get("config") : root;
                body.fields().forEachRemaining(e -> config.put(e.getKey(), e.getValue().isTextual()
                        ? e.getValue().asText() : e.getValue().toString()));
                name = root.has("config") ? root.path("name").asText(base) : config.getOrDefault("name", base);
            } else {
                Properties p = new Properties();
                try (Reader r = Files.newBufferedReader(file)) {
                    p.load(r);
                }
                p.stringPropertyNames().stream().sorted().forEach(k -> config.put(k, p.getProperty(k)));
                name = config.getOrDefault("name", base);
            }
        } catch (JsonProcessingException e) {
            throw new DeployException("connector file " + file + " is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new DeployException("cannot read connector file " + file + ": " + e);
        }
        config.remove("name");
        if (!config.containsKey("connector.class")) {
            throw new DeployException("connector " + name + " (" + file + ") has no connector.class");
        }
        return Map.entry(name, config);
    }
}
