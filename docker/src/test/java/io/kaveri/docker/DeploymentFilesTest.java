package io.kaveri.docker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.kaveri.streams.runtime.StreamsApp;
import io.kaveri.streams.runtime.StreamsAppConfig;
import io.kaveri.streams.runtime.StreamsApps;
import io.kaveri.streams.runtime.TopicSpec;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Static checks of docker/ (no Docker engine needed): the compose file and the Kubernetes manifests parse, every
 * file, build context, port and service they name exists, and the topics and apps they declare are the apps' own.
 */
class DeploymentFilesTest {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Path HOME = Path.of(System.getProperty("kaveri.home", "..")).toAbsolutePath().normalize();
    private static final Path DOCKER = HOME.resolve("docker");
    /** What the Dockerfiles may copy from the Maven build's output, which a test phase runs before. */
    private static final Pattern BUILD_OUTPUT = Pattern.compile("connectors/([a-z-]+)/target/plugin/kaveri-\\1|docker/target/streams/lib");

    private static JsonNode compose() throws IOException {
        return YAML.readTree(DOCKER.resolve("docker-compose.yml").toFile());
    }

    private static List<JsonNode> manifests(String file) throws IOException {
        try (MappingIterator<JsonNode> docs = YAML.readerFor(JsonNode.class).readValues(DOCKER.resolve("k8s").resolve(file).toFile())) {
            return docs.readAll().stream().filter(d -> d != null && !d.isEmpty()).toList();
        }
    }

    @Test
    void everyComposeServiceHasAHealthCheckAndDependsOnlyOnServicesThatExist() throws IOException {
        JsonNode services = compose().path("services");
        Set<String> names = new TreeSet<>();
        services.fieldNames().forEachRemaining(names::add);
        assertThat(names).contains("kafka", "registry", "postgres", "connect");
        for (String name : names) {
            JsonNode s = services.get(name);
            assertThat(s.path("healthcheck").path("test")).as(name + " healthcheck").isNotEmpty();
            assertThat(s.has("image") || s.has("build")).as(name + " image or build").isTrue();
            s.path("depends_on").fieldNames().forEachRemaining(d -> assertThat(names).as(name + " depends_on").contains(d));
        }
        assertThat(services.path("postgres").path("command").toString()).contains("wal_level=logical");
    }

    @Test
    void everyStreamsAppRunsInComposeAndInKubernetes() throws IOException {
        JsonNode services = compose().path("services");
        Set<String> composeApps = new TreeSet<>();
        services.forEach(s -> {
            if (s.path("build").path("dockerfile").asText().equals("docker/streams/Dockerfile")) {
                s.path("command").forEach(app -> composeApps.add(app.asText()));
            }
        });
        Set<String> k8sApps = manifests("apps.yaml").stream().filter(d -> d.path("kind").asText().equals("Deployment"))
                .map(d -> d.at("/spec/template/spec/containers/0/args/0").asText()).collect(Collectors.toCollection(TreeSet::new));
        Set<String> apps = StreamsApps.all().stream().map(StreamsApp::name).collect(Collectors.toCollection(TreeSet::new));
        assertThat(composeApps).isEqualTo(apps);
        assertThat(k8sApps).isEqualTo(apps);
    }

    @Test
    void theStreamsImageRunsTheAppsBehindTheQueryServiceOnThePortItExposes() throws Exception {
        String dockerfile = Files.readString(DOCKER.resolve("streams/Dockerfile"));
        Matcher entrypoint = Pattern.compile("(?m)^ENTRYPOINT\\s+(\\[.*])").matcher(dockerfile);
        assertThat(entrypoint.find()).isTrue();
        List<String> command = new ArrayList<>();
        YAML.readTree(entrypoint.group(1)).forEach(c -> command.add(c.asText()));
        String mainClass = command.get(command.size() - 1);
        assertThat(mainClass).isEqualTo("io.kaveri.streams.query.QueryLauncher");
        assertThat(Class.forName(mainClass).getMethod("main", String[].class)).isNotNull();
        Matcher port = Pattern.compile("KAVERI_QUERY_LISTENER_PORT=(\\d+)").matcher(dockerfile);
        assertThat(port.find()).isTrue();
        assertThat(dockerfile).contains("KAVERI_QUERY_LISTENER_HOST=0.0.0.0").containsPattern("(?m)^EXPOSE " + port.group(1) + "$")
                .containsPattern("(?m)^HEALTHCHECK .*\\n?.*/dev/tcp/127.0.0.1/" + port.group(1) + ".*GET /api/apps");

        JsonNode services = compose().path("services");
        List<String> streamsServices = new ArrayList<>();
        services.fields().forEachRemaining(e -> {
            if (e.getValue().path("build").path("dockerfile").asText().equals("docker/streams/Dockerfile")) {
                streamsServices.add(e.getKey());
                JsonNode s = e.getValue();
                String listenerPort = s.path("environment").path("KAVERI_QUERY_LISTENER_PORT").asText(port.group(1));
                assertThat(s.path("ports").toString()).as(e.getKey() + " publishes the dashboard").contains(":" + listenerPort + "\"");
                assertThat(s.path("healthcheck").path("test").toString()).as(e.getKey() + " health check")
                        .contains("/dev/tcp/127.0.0.1/" + listenerPort).contains("GET /api/apps");
                assertThat(s.path("environment").path("KAVERI_QUERY_ADVERTISED_HOST").asText()).isEqualTo(e.getKey());
            }
        });
        assertThat(streamsServices).isNotEmpty();

        List<JsonNode> apps = manifests("apps.yaml");
        List<JsonNode> deployments = apps.stream().filter(d -> d.path("kind").asText().equals("Deployment")).toList();
        Map<String, JsonNode> servicesByName = new HashMap<>();
        apps.stream().filter(d -> d.path("kind").asText().equals("Service")).forEach(s -> servicesByName.put(s.at("/metadata/name").asText(), s));
        assertThat(servicesByName.keySet()).containsExactlyInAnyOrderElementsOf(deployments.stream().map(d -> d.at("/metadata/name").asText()).toList());
        for (JsonNode d : deployments) {
            String name = d.at("/metadata/name").asText();
            JsonNode container = d.at("/spec/template/spec/containers/0");
            JsonNode query = null;
            for (JsonNode p : container.path("ports")) {
                if (p.path("name").asText().equals("query")) {
                    query = p;
                }
            }
            assertThat(query).as(name + " query port").isNotNull();
            String listenerPort = null;
            for (JsonNode env : container.path("env")) {
                if (env.path("name").asText().equals("KAVERI_QUERY_LISTENER_PORT")) {
                    listenerPort = env.path("value").asText();
                }
            }
            assertThat(query.path("containerPort").asText()).as(name).isEqualTo(listenerPort == null ? port.group(1) : listenerPort);
            for (String probe : List.of("readinessProbe", "livenessProbe")) {
                assertThat(container.at("/" + probe + "/httpGet/path").asText()).as(name + " " + probe).isEqualTo("/api/apps");
                assertThat(container.at("/" + probe + "/httpGet/port").asText()).as(name + " " + probe).isEqualTo("query");
            }
            JsonNode service = servicesByName.get(name);
            assertThat(service.at("/spec/selector")).as(name + " Service selector").isEqualTo(d.at("/spec/selector/matchLabels"));
            assertThat(service.at("/spec/ports/0/targetPort").asText()).as(name + " Service port").isEqualTo("query");
        }
    }

    @Test
    void everyBuildContextDockerfileAndCopiedPathExists() throws IOException {
        Set<String> dockerfiles = new TreeSet<>();
        compose().path("services").forEach(s -> {
            if (s.has("build")) {
                Path context = DOCKER.resolve(s.path("build").path("context").asText()).normalize();
                assertThat(context).isDirectory();
                Path dockerfile = context.resolve(s.path("build").path("dockerfile").asText("Dockerfile"));
                assertThat(dockerfile).isRegularFile();
                assertThat(Path.of(dockerfile + ".dockerignore")).as("build context filter").isRegularFile();
                dockerfiles.add(HOME.relativize(dockerfile).toString());
            }
        });
        assertThat(dockerfiles).containsExactly("docker/connect/Dockerfile", "docker/streams/Dockerfile");
        for (String dockerfile : dockerfiles) {
            String text = Files.readString(HOME.resolve(dockerfile));
            assertThat(text).as(dockerfile + " downloads nothing at build").doesNotContainPattern("(?m)^\\s*(ADD\\s+https?:|RUN .*(curl|wget) )");
            Matcher copy = Pattern.compile("(?m)^COPY\\s+(\\S+)\\s+\\S+").matcher(text);
            int copies = 0;
            while (copy.find()) {
                copies++;
                String source = copy.group(1);
                if (source.contains("/target/")) {
                    assertThat(source).as(dockerfile + " copies a Maven output").matches(BUILD_OUTPUT);
                    Matcher module = BUILD_OUTPUT.matcher(source);
                    if (module.matches() && module.group(1) != null) {
                        assertThat(HOME.resolve("connectors").resolve(module.group(1)).resolve("pom.xml")).isRegularFile();
                    }
                } else {
                    assertThat(HOME.resolve(source)).as(dockerfile + " COPY " + source).exists();
                }
            }
            assertThat(copies).as(dockerfile + " COPY lines").isPositive();
        }
        assertThat(Files.readString(DOCKER.resolve("connect/Dockerfile"))).contains("FROM apache/kafka:");
    }

    @Test
    void everyHostPortIsPublishedOnceAndEveryServiceAddressUsesAPortItListensOn() throws IOException {
        JsonNode services = compose().path("services");
        Map<String, Set<String>> listening = new HashMap<>();
        Set<String> hostPorts = new HashSet<>();
        Pattern mapping = Pattern.compile("(?:\\$\\{[A-Z_]+:-)?(\\d+)}?:(\\d+)");
        services.fields().forEachRemaining(e -> {
            Set<String> ports = new HashSet<>();
            e.getValue().path("ports").forEach(p -> {
                Matcher m = mapping.matcher(p.asText());
                assertThat(m.matches()).as(e.getKey() + " port " + p.asText()).isTrue();
                assertThat(hostPorts.add(m.group(1))).as("host port " + m.group(1) + " published twice").isTrue();
                ports.add(m.group(2));
            });
            e.getValue().path("expose").forEach(p -> ports.add(p.asText()));
            e.getValue().path("environment").forEach(v -> {
                Matcher listener = Pattern.compile("//0\\.0\\.0\\.0:(\\d+)").matcher(v.asText());
                while (listener.find()) {
                    ports.add(listener.group(1));
                }
            });
            listening.put(e.getKey(), ports);
        });
        Pattern address = Pattern.compile("(?:^|[/@,])([a-z][a-z0-9-]*):(\\d+)");
        services.fields().forEachRemaining(e -> e.getValue().path("environment").fields().forEachRemaining(v -> {
            Matcher m = address.matcher(v.getValue().asText());
            while (m.find()) {
                if (listening.containsKey(m.group(1))) {
                    assertThat(listening.get(m.group(1))).as(e.getKey() + " " + v.getKey() + " -> " + m.group()).contains(m.group(2));
                }
            }
        }));
    }

    @Test
    void everyVariableOfTheComposeFileHasADefault() throws IOException {
        Matcher variable = Pattern.compile("\\$\\{([A-Za-z_]+)(:-[^}]*)?}").matcher(Files.readString(DOCKER.resolve("docker-compose.yml")));
        List<String> withoutDefault = new ArrayList<>();
        while (variable.find()) {
            if (variable.group(2) == null) {
                withoutDefault.add(variable.group(1));
            }
        }
        assertThat(withoutDefault).isEmpty();
    }

    @Test
    void theKafkaTopicsAreExactlyTheAppsTopicsWithPartitionsAndRetention() throws IOException {
        Set<String> wanted = new TreeSet<>();
        for (StreamsApp app : StreamsApps.all()) {
            StreamsAppConfig config = StreamsAppConfig.of(app, StreamsAppConfig.load(null, Map.of(),
                    Map.of(StreamsAppConfig.SCHEMA_REGISTRY_URL_CONFIG, "mock://k8s")));
            app.topics(config).stream().map(TopicSpec::name).forEach(wanted::add);
        }
        List<JsonNode> topics = manifests("topics.yaml");
        Set<String> declared = new TreeSet<>();
        for (JsonNode t : topics) {
            String name = t.at("/metadata/name").asText();
            assertThat(t.path("apiVersion").asText()).isEqualTo("kafka.strimzi.io/v1beta2");
            assertThat(t.path("kind").asText()).isEqualTo("KafkaTopic");
            assertThat(name).as("a Kubernetes name").matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
            assertThat(t.at("/metadata/labels/strimzi.io~1cluster").asText()).as(name).isNotBlank();
            assertThat(t.at("/spec/partitions").asInt()).as(name + " partitions").isPositive();
            assertThat(t.at("/spec/replicas").asInt()).as(name + " replicas").isPositive();
            JsonNode config = t.at("/spec/config");
            assertThat(config.has("retention.ms") || config.path("cleanup.policy").asText().equals("compact"))
                    .as(name + " retention or compaction").isTrue();
            declared.add(t.at("/spec/topicName").asText(name));
        }
        assertThat(declared).isEqualTo(wanted);
    }

    @Test
    void theConnectorsRunOnTheDeclaredConnectClusterWithClassesThePluginsProvide() throws IOException {
        List<JsonNode> connect = manifests("kafka-connect.yaml");
        assertThat(connect).hasSize(1);
        JsonNode cluster = connect.get(0);
        assertThat(cluster.path("kind").asText()).isEqualTo("KafkaConnect");
        assertThat(cluster.at("/metadata/annotations/strimzi.io~1use-connector-resources").asText()).isEqualTo("true");
        assertThat(cluster.at("/spec/bootstrapServers").asText()).isNotBlank();
        assertThat(cluster.at("/spec/image").isTextual() || cluster.at("/spec/build").isObject()).isTrue();
        Set<String> classes = new TreeSet<>();
        try (Stream<Path> services = Files.walk(HOME.resolve("connectors"))) {
            for (Path f : services.filter(p -> p.endsWith(Path.of("META-INF/services/org.apache.kafka.connect.source.SourceConnector"))
                    && p.toString().contains("/src/main/")).toList()) {
                Files.readAllLines(f).stream().map(String::trim).filter(l -> !l.isEmpty() && !l.startsWith("#")).forEach(classes::add);
            }
        }
        List<JsonNode> connectors = manifests("connectors.yaml");
        assertThat(connectors).extracting(c -> c.at("/spec/class").asText()).containsExactlyInAnyOrderElementsOf(classes);
        for (JsonNode c : connectors) {
            assertThat(c.path("kind").asText()).isEqualTo("KafkaConnector");
            assertThat(c.at("/metadata/labels/strimzi.io~1cluster").asText()).isEqualTo(cluster.at("/metadata/name").asText());
            assertThat(c.at("/spec/tasksMax").asInt()).isPositive();
        }
    }
}
