package io.kaveri.cli;

import io.kaveri.stack.LocalStack;
import io.kaveri.streams.query.QueryConfig;
import io.kaveri.streams.query.QueryService;
import io.kaveri.streams.runtime.StreamsApp;
import io.kaveri.streams.runtime.StreamsAppConfig;
import io.kaveri.streams.runtime.StreamsAppRunner;
import io.kaveri.streams.runtime.StreamsApps;
import io.kaveri.streams.runtime.TopicSpec;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;

/**
 * Every streams app on the classpath, with its topics created, running against the demo stack behind one query
 * service: the query API, the event stream and the dashboard.
 */
final class StreamsAppsDemo implements DemoPart {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);

    private final Deque<StreamsAppRunner> running = new ArrayDeque<>();
    private QueryService queries;

    @Override
    public String name() {
        return "streams-apps";
    }

    @Override
    public Set<LocalStack.Part> needs() {
        return EnumSet.of(LocalStack.Part.KAFKA, LocalStack.Part.REGISTRY);
    }

    /** The settings the demo gives every app: the stack's broker and registry, state under the work directory. */
    static Map<String, Object> baseConfig(LocalStack stack) {
        return Map.of(
                StreamsAppConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers(),
                StreamsAppConfig.SCHEMA_REGISTRY_URL_CONFIG, stack.registryUrl(),
                StreamsAppConfig.STATE_DIR_CONFIG, stack.workDir().resolve("streams").toString());
    }

    @Override
    public List<String> start(LocalStack stack) throws Exception {
        List<StreamsApp> apps = StreamsApps.all();
        List<String> names = new ArrayList<>();
        queries = QueryService.start(Map.of(QueryConfig.LISTENER_HOST_CONFIG, "127.0.0.1",
                QueryConfig.ADVERTISED_HOST_CONFIG, "127.0.0.1"));
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()))) {
            for (StreamsApp app : apps) {
                StreamsAppConfig config = StreamsAppConfig.of(app, baseConfig(stack));
                createTopics(admin, app.topics(config));
                running.push(queries.run(app, baseConfig(stack)));
                names.add(app.name());
            }
        }
        for (StreamsAppRunner runner : running) {
            if (!runner.awaitRunning(START_TIMEOUT)) {
                throw new IllegalStateException("a streams app did not reach RUNNING within " + START_TIMEOUT.toSeconds()
                        + " s; see kaveri.log in the work directory");
            }
        }
        return List.of("apps=" + String.join(",", names), "dashboard=" + queries.url());
    }

    /** Creates what is missing with the broker's defaults where the app has no opinion; existing topics are left alone. */
    private static void createTopics(Admin admin, List<TopicSpec> topics) throws InterruptedException, ExecutionException {
        List<NewTopic> wanted = topics.stream().map(TopicSpec::toNewTopic).toList();
        for (var result : admin.createTopics(wanted).values().values()) {
            try {
                result.get();
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw e;
                }
            }
        }
    }

    @Override
    public void close() {
        running.clear(); // the query service stops the apps it runs
        if (queries != null) {
            queries.close();
        }
    }
}
