package io.kaveri.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.Reader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
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
    private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(30);

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = {"-b", "--bootstrap-servers"}, required = true, paramLabel = "HOST:PORT,...",
            defaultValue = "${env:KAVERI_BOOTSTRAP_SERVERS}", description = "The cluster's brokers (default: $KAVERI_BOOTSTRAP_SERVERS).")
    String bootstrapServers;

    @Option(names = "--command-config", paramLabel = "FILE",
            description = "Kafka client properties for the admin client and the apps' topics: security.protocol, sasl.*, ssl.*.")
    Path commandConfig;

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
        Properties clientProps = clientProperties();
        try (Admin admin = Admin.create(clientProps);
             SchemaRegistryClient registryClient = registry.client(spec.commandLine())) {
            plan.addAll(planTopics(admin, topicsOfApps(registry.url)));
            plan.addAll(planSchemas(registryClient));
            if (connectUrl != null && !connectUrl.isBlank()) {
                plan.addAll(new ConnectRest(connectUrl).plan(connectorConfigs()));
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
        } catch (DeployException | SchemaRegistryException | ConfigException e) {
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

    private Properties clientProperties() {
        Properties p = new Properties();
        if (commandConfig != null) {
            try (Reader r = Files.newBufferedReader(commandConfig)) {
                p.load(r);
            } catch (IOException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), "cannot read --command-config " + commandConfig + ": " + e);
            }
        }
        if (bootstrapServers == null || bootstrapServers.isBlank()) {
            throw new CommandLine.ParameterException(spec.commandLine(), "no cluster: give --bootstrap-servers or set KAVERI_BOOTSTRAP_SERVERS");
        }
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        // Fail within a deploy's patience when the cluster is unreachable or refuses the credentials.
        p.putIfAbsent(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, Long.toString(ADMIN_TIMEOUT.toMillis()));
        p.putIfAbsent(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "15000");
        return p;
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

    static List<Step> planTopics(Admin admin, Map<String, TopicSpec> wanted) {
        Map<String, TopicDescription> existing = new HashMap<>();
        for (var e : admin.describeTopics(wanted.keySet()).topicNameValues().entrySet()) {
            try {
                existing.put(e.getKey(), e.getValue().get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS));
            } catch (ExecutionException ex) {
                if (!(ex.getCause() instanceof UnknownTopicOrPartitionException)) {
                    throw adminFailure("describe topic " + e.getKey(), ex.getCause());
                }
            } catch (Exception ex) {
                throw adminFailure("describe topic " + e.getKey(), ex);
            }
        }
        List<Step> steps = new ArrayList<>();
        for (TopicSpec t : wanted.values()) {
            TopicDescription d = existing.get(t.name());
            String detail = "partitions=" + (t.partitions() > 0 ? t.partitions() : "default")
                    + (t.configs().isEmpty() ? "" : " " + new TreeMap<>(t.configs()));
            if (d == null) {
                NewTopic topic = t.toNewTopic();
                steps.add(new Step("topic", "create", t.name(), detail, () -> createTopic(admin, topic)));
            } else if (t.partitions() > 0 && d.partitions().size() < t.partitions()) {
                throw new DeployException("topic " + t.name() + " exists with " + d.partitions().size() + " partition(s) but the "
                        + t.role().name().toLowerCase() + " of the apps needs " + t.partitions() + "; add partitions "
                        + "(kafka-topics.sh --alter --topic " + t.name() + " --partitions " + t.partitions()
                        + ", which moves keys to other partitions) or delete the topic and deploy again");
            } else {
                steps.add(new Step("topic", "exists", t.name(), "partitions=" + d.partitions().size(), null));
            }
        }
        return steps;
    }

    private static void createTopic(Admin admin, NewTopic topic) {
        try {
            admin.createTopics(List.of(topic)).all().get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw adminFailure("create topic " + topic.name(), e.getCause());
            }
        } catch (Exception e) {
            throw adminFailure("create topic " + topic.name(), e);
        }
    }

    private static DeployException adminFailure(String what, Throwable cause) {
        if (cause instanceof InterruptedException) {
            Thread.currentThread().interrupt();
        }
        String fix = cause instanceof AuthorizationException
                ? "; grant the principal of --command-config that permission (e.g. kafka-acls.sh --add --operation All --topic ...)"
                : cause instanceof AuthenticationException
                ? "; check the sasl.* / ssl.* settings in --command-config"
                : "; check --bootstrap-servers and --command-config";
        return new DeployException("cannot " + what + ": " + cause.getClass().getSimpleName() + ": " + cause.getMessage() + fix, cause);
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

    /** The few Connect REST calls deploy needs. */
    static final class ConnectRest {
        private final String url;
        private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

        ConnectRest(String url) {
            this.url = url.replaceAll("/+$", "");
        }

        List<Step> plan(Map<String, Map<String, String>> configs) {
            if (configs.isEmpty()) {
                return List.of();
            }
            JsonNode root = get("/").orElseThrow(() -> notConnect("GET / answered 404"));
            if (!root.has("version") || !root.has("kafka_cluster_id")) {
                throw notConnect("GET / answered " + root);
            }
            List<Step> steps = new ArrayList<>();
            for (var e : configs.entrySet()) {
                String name = e.getKey();
                Map<String, String> wanted = e.getValue();
                validate(name, wanted);
                Optional<JsonNode> current = get("/connectors/" + name + "/config");
                if (current.isEmpty()) {
                    steps.add(new Step("connector", "create", name, wanted.get("connector.class"), () -> put(name, wanted)));
                    continue;
                }
                Map<String, String> have = new TreeMap<>();
                current.get().fields().forEachRemaining(f -> have.put(f.getKey(), f.getValue().asText()));
                have.remove("name");
                Set<String> changed = new java.util.TreeSet<>();
                wanted.forEach((k, v) -> {
                    if (!v.equals(have.get(k))) {
                        changed.add(k);
                    }
                });
                have.keySet().stream().filter(k -> !wanted.containsKey(k)).forEach(changed::add);
                if (changed.isEmpty()) {
                    steps.add(new Step("connector", "unchanged", name, "", null));
                } else {
                    steps.add(new Step("connector", "update", name, "keys " + changed, () -> put(name, wanted)));
                }
            }
            return steps;
        }

        private DeployException notConnect(String what) {
            return new DeployException("--connect-url " + url + " is not a Kafka Connect REST API (" + what
                    + "); give the worker's REST listener, e.g. http://connect:8083");
        }

        /** Connect's own validation of every key, so that a bad config stops the deploy before anything changed. */
        private void validate(String name, Map<String, String> config) {
            String plugin = config.get("connector.class");
            Map<String, String> body = new LinkedHashMap<>(config);
            body.put("name", name);
            JsonNode result = send(HttpRequest.newBuilder(uri("/connector-plugins/" + plugin + "/config/validate"))
                    .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(write(body))), "validate connector " + name, 200)
                    .orElseThrow(() -> new DeployException("connector " + name + ": the Connect cluster at " + url + " has no plugin "
                            + plugin + "; install the Kaveri plugin on every worker (plugin.path) and restart them"));
            if (result.path("error_count").asInt() > 0) {
                List<String> problems = new ArrayList<>();
                for (JsonNode c : result.path("configs")) {
                    for (JsonNode m : c.path("value").path("errors")) {
                        problems.add(c.path("value").path("name").asText() + ": " + m.asText());
                    }
                }
                throw new DeployException("connector " + name + " has an invalid config: " + String.join("; ", problems));
            }
        }

        private void put(String name, Map<String, String> config) {
            send(HttpRequest.newBuilder(uri("/connectors/" + name + "/config")).header("Content-Type", "application/json")
                    .PUT(HttpRequest.BodyPublishers.ofString(write(config))), "put connector " + name, 200, 201)
                    .orElseThrow(() -> new DeployException("connector " + name + ": PUT of its config answered 404 at " + url));
        }

        private Optional<JsonNode> get(String path) {
            return send(HttpRequest.newBuilder(uri(path)).GET(), "GET " + path, 200);
        }

        private URI uri(String path) {
            try {
                return URI.create(url + path);
            } catch (IllegalArgumentException e) {
                throw new DeployException("--connect-url " + url + " is not a URL: " + e.getMessage());
            }
        }

        /** The answer's JSON, empty on 404; any other status than {@code ok} is an error naming the call. */
        private Optional<JsonNode> send(HttpRequest.Builder request, String what, int... ok) {
            HttpResponse<String> r;
            try {
                r = http.send(request.timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
            } catch (IOException e) {
                throw new DeployException("cannot reach the Connect cluster at " + url + " (" + what + "): " + e
                        + "; check --connect-url");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new DeployException("interrupted during " + what);
            }
            if (r.statusCode() == 404) {
                return Optional.empty();
            }
            for (int status : ok) {
                if (r.statusCode() == status) {
                    try {
                        return Optional.of(r.body().isBlank() ? JSON.createObjectNode() : JSON.readTree(r.body()));
                    } catch (JsonProcessingException e) {
                        throw notConnect(what + " answered non-JSON: " + abbreviate(r.body()));
                    }
                }
            }
            throw new DeployException(what + " at " + url + " answered HTTP " + r.statusCode() + ": " + abbreviate(r.body())
                    + (r.statusCode() == 401 || r.statusCode() == 403 ? "; the Connect REST API needs credentials deploy lacks" : ""));
        }

        private static String write(Map<String, String> config) {
            ObjectNode node = JSON.createObjectNode();
            config.forEach(node::put);
            return node.toString();
        }

        private static String abbreviate(String body) {
            return body.length() > 300 ? body.substring(0, 300) + "..." : body;
        }
    }
}
