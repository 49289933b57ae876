package io.kaveri.streams.runtime;

import org.apache.kafka.common.config.ConfigException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/**
 * {@code kaveri-streams}: runs one Kaveri streams app outside the demo, e.g. in a container next to a cluster.
 * <pre>
 *   kaveri-streams list
 *   kaveri-streams run timeline --config app.properties --set bootstrap.servers=broker:9092
 *   kaveri-streams describe timeline
 * </pre>
 */
@Command(name = "kaveri-streams", mixinStandardHelpOptions = true,
        description = "Runs Kaveri's Kafka Streams applications.",
        subcommands = {Launcher.ListApps.class, Launcher.Run.class, Launcher.Describe.class})
public final class Launcher implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(new CommandLine(new Launcher()).execute(args));
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    static StreamsApp app(String name) {
        return StreamsApps.named(name).orElseThrow(() -> new CommandLine.ParameterException(new CommandLine(new Launcher()),
                "no streams app named '" + name + "'; the apps are: " + StreamsApps.names()));
    }

    @Command(name = "list", description = "Lists the apps.")
    static final class ListApps implements Runnable {
        @Override
        public void run() {
            StreamsApps.all().forEach(a -> System.out.printf("%-14s %s%n", a.name(), a.description()));
        }
    }

    /** Options shared by run and describe. */
    static class AppOptions {
        @Parameters(index = "0", paramLabel = "APP", description = "The app to run (see list).")
        String app;

        @Option(names = {"-c", "--config"}, paramLabel = "FILE", description = "A properties file.")
        Path config;

        @Option(names = {"-s", "--set"}, paramLabel = "KEY=VALUE", description = "A setting; wins over the file and KAVERI_* environment variables.")
        Map<String, String> overrides = new HashMap<>();

        StreamsAppConfig load(StreamsApp app) {
            try {
                return StreamsAppConfig.of(app, StreamsAppConfig.load(config, System.getenv(), overrides));
            } catch (ConfigException e) {
                throw new CommandLine.ParameterException(new CommandLine(new Launcher()), "app " + app.name() + ": " + e.getMessage());
            }
        }
    }

    @Command(name = "run", description = "Runs an app until SIGTERM or Ctrl-C.")
    static final class Run extends AppOptions implements Callable<Integer> {
        @Override
        public Integer call() throws Exception {
            StreamsApp streamsApp = app(app);
            StreamsAppRunner runner = StreamsAppRunner.start(streamsApp, load(streamsApp));
            CountDownLatch stopped = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                runner.close();
                stopped.countDown();
            }, "kaveri-streams-shutdown"));
            stopped.await();
            return 0;
        }
    }

    @Command(name = "describe", description = "Prints an app's topology and the topics it needs.")
    static final class Describe extends AppOptions implements Runnable {
        @Override
        public void run() {
            StreamsApp streamsApp = app(app);
            if (!overrides.containsKey(StreamsAppConfig.SCHEMA_REGISTRY_URL_CONFIG)) {
                overrides.put(StreamsAppConfig.SCHEMA_REGISTRY_URL_CONFIG, "mock://describe");
            }
            StreamsAppConfig c = load(streamsApp);
            System.out.println(streamsApp.build(c).describe());
            streamsApp.topics(c).forEach(t -> System.out.printf("topic %-40s %-11s partitions=%d %s%n",
                    t.name(), t.role(), t.partitions(), t.configs()));
        }
    }
}
