package io.kaveri.streams.query;

import io.kaveri.streams.runtime.StreamsApp;
import io.kaveri.streams.runtime.StreamsAppConfig;
import io.kaveri.streams.runtime.StreamsApps;
import org.apache.kafka.common.config.ConfigException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/**
 * {@code kaveri-streams-serve}: runs one or more streams apps in this process with the query service and the
 * dashboard in front of them.
 * <pre>
 *   kaveri-streams-serve market leaderboard --config app.properties --set query.listener.port=7070
 * </pre>
 * Each app reads the same settings; its own keys (topics, windows) have their defaults unless set.
 */
@Command(name = "kaveri-streams-serve", mixinStandardHelpOptions = true,
        description = "Runs Kaveri streams apps with their query API, event stream and dashboard.")
public final class QueryLauncher implements Callable<Integer> {

    @Parameters(arity = "1..*", paramLabel = "APP", description = "The apps to run (kaveri-streams list).")
    List<String> apps = new ArrayList<>();

    @Option(names = {"-c", "--config"}, paramLabel = "FILE", description = "A properties file.")
    Path config;

    @Option(names = {"-s", "--set"}, paramLabel = "KEY=VALUE", description = "A setting; wins over the file and KAVERI_* environment variables.")
    Map<String, String> overrides = new HashMap<>();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(new CommandLine(new QueryLauncher()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        List<StreamsApp> selected = new ArrayList<>();
        for (String name : apps) {
            selected.add(StreamsApps.named(name).orElseThrow(() -> new CommandLine.ParameterException(spec.commandLine(),
                    "no streams app named '" + name + "'; the apps are: "
                            + StreamsApps.all().stream().map(StreamsApp::name).toList())));
        }
        Map<String, String> settings;
        QueryService service;
        try {
            settings = StreamsAppConfig.load(config, System.getenv(), overrides);
            service = QueryService.start(settings);
        } catch (ConfigException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            service.close();
            stopped.countDown();
        }, "kaveri-streams-serve-shutdown"));
        try {
            for (StreamsApp app : selected) {
                service.run(app, settings);
            }
        } catch (ConfigException e) {
            service.close();
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        spec.commandLine().getOut().println("dashboard: " + service.url());
        spec.commandLine().getOut().flush();
        stopped.await();
        return 0;
    }
}
