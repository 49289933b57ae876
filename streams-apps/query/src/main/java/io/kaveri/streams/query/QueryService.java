package io.kaveri.streams.query;

import io.kaveri.streams.runtime.StreamsApp;
import io.kaveri.streams.runtime.StreamsAppConfig;
import io.kaveri.streams.runtime.StreamsAppRunner;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.state.HostInfo;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.util.ArrayList;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The query service of one process: an HTTP server with the query API of every app run through it, their event
 * stream and the dashboard. Start it first, then {@link #run} apps through it: each app gets
 * {@code application.server} set to this server, so that its other instances forward to it.
 * <pre>{@code
 * try (QueryService queries = QueryService.start(settings)) {
 *     StreamsAppRunner market = queries.run(new MarketApp(), settings);
 *     System.out.println("dashboard: " + queries.url());
 * }
 * }</pre>
 */
public final class QueryService implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(QueryService.class);
    private static final long HEARTBEAT_SECONDS = 15;

    private final QueryConfig config;
    private final Server server;
    private final HostInfo self;
    private final EventHub hub;
    private final QueryHandler handler;
    private final JettyForwarder forwarder;
    private final ScheduledExecutorService heartbeat;
    private final Deque<AutoCloseable> resources = new ArrayDeque<>();

    private QueryService(QueryConfig config) throws Exception {
        this.config = config;
        this.hub = new EventHub(config.maxSseClients(), config.clientQueueSize(), config.replaySize());
        this.handler = new QueryHandler(hub);
        this.forwarder = new JettyForwarder(config.forwardTimeoutMs());
        this.server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost(config.bindHost());
        connector.setPort(config.port());
        server.addConnector(connector);
        server.setHandler(handler);
        server.setStopTimeout(5_000);
        server.start();
        this.self = new HostInfo(config.advertisedHost(), connector.getLocalPort());
        this.heartbeat = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "kaveri-query-heartbeat");
            t.setDaemon(true);
            return t;
        });
        heartbeat.scheduleAtFixedRate(hub::heartbeat, HEARTBEAT_SECONDS, HEARTBEAT_SECONDS, TimeUnit.SECONDS);
        log.info("query service listening url={} bind={}", url(), config.bindHost());
    }

    /** Binds the HTTP server ({@link QueryConfig}'s keys; others are ignored). */
    public static QueryService start(Map<String, ?> settings) {
        QueryConfig config = new QueryConfig(settings);
        try {
            return new QueryService(config);
        } catch (Exception e) {
            throw new ConfigException(QueryConfig.LISTENER_PORT_CONFIG, config.port(),
                    "cannot listen on " + config.bindHost() + ":" + config.port() + ": " + e.getMessage());
        }
    }

    /** Where browsers and other instances reach this service, e.g. {@code http://localhost:7070/}. */
    public URI url() {
        return URI.create("http://" + self.host() + ":" + self.port() + "/");
    }

    /**
     * Starts {@code app} with {@code settings} and serves its queries and events here. An
     * {@code application.server} in the settings must be this service's own address.
     */
    public synchronized StreamsAppRunner run(StreamsApp app, Map<String, ?> settings) {
        String endpoint = self.host() + ":" + self.port();
        Object given = settings.get(StreamsConfig.APPLICATION_SERVER_CONFIG);
        if (given != null && !given.toString().isBlank() && !given.toString().equals(endpoint)) {
            throw new ConfigException(StreamsConfig.APPLICATION_SERVER_CONFIG, given, "app " + app.name()
                    + " must advertise this query service, " + endpoint + "; set " + QueryConfig.ADVERTISED_HOST_CONFIG
                    + " and " + QueryConfig.LISTENER_PORT_CONFIG + " instead");
        }
        Map<String, Object> values = new HashMap<>(settings);
        values.put(StreamsConfig.APPLICATION_SERVER_CONFIG, endpoint);
        StreamsAppConfig appConfig = StreamsAppConfig.of(app, values);
        StreamsAppRunner runner = StreamsAppRunner.start(app, appConfig);
        resources.push(runner);
        QueryModule.forApp(app.name()).ifPresentOrElse(module -> {
            KafkaCluster cluster = new KafkaCluster(app.name(), runner.streams(), self, config.lagRefreshMs());
            resources.push(cluster);
            handler.register(new QueryEngine(app.name(), cluster, forwarder, config.retryAfterSeconds()),
                    module.endpoints(runner.streams(), appConfig));
            List<QueryModule.Feed> feeds = module.feeds(appConfig);
            FeedConsumer feed = new FeedConsumer(app.name(), appConfig, feeds, hub, config.historyMs());
            resources.push(feed);
            feed.start();
            resources.push(() -> handler.unregister(app.name()));
            log.info("queries served app={} url={}api/{} feeds={}", app.name(), url(), app.name(), feeds);
        }, () -> log.info("app has no query module app={}; it runs without queries", app.name()));
        return runner;
    }

    @Override
    public synchronized void close() {
        heartbeat.shutdownNow();
        hub.closeAll();
        try {
            server.stop();
        } catch (Exception e) {
            log.warn("query server stop failed error={}", e.toString());
        }
        // Every app waits for its own stream threads to commit and leave the group; they do not depend on each other,
        // so they stop together rather than one after another (a demo with six apps would take minutes otherwise).
        List<Thread> closing = new ArrayList<>();
        while (!resources.isEmpty()) {
            AutoCloseable resource = resources.pop();
            Thread t = new Thread(() -> {
                try {
                    resource.close();
                } catch (Exception e) {
                    log.warn("close failed error={}", e.toString());
                }
            }, "kaveri-query-close");
            t.start();
            closing.add(t);
        }
        for (Thread t : closing) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        forwarder.close();
        log.info("query service stopped url={}", url());
    }
}
