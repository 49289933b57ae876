package io.kaveri.streams.query;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.state.HostInfo;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The HTTP layer of two instances in this JVM on ephemeral ports, over fake stores and a fake cluster: routing,
 * forwarding, standby reads, fan-out, every 4xx and 503, the event stream and the static files.
 */
class QueryHttpTest {

    /** One instance: its server, its routing view and its local replicas. */
    static final class Instance implements Cluster {
        final Server server = new Server();
        final EventHub hub;
        final QueryHandler handler;
        final JettyForwarder forwarder = new JettyForwarder(2_000);
        final Map<String, KeyQueryMetadata> owners = new ConcurrentHashMap<>();
        final Map<String, String> items = new ConcurrentHashMap<>();
        final Map<Integer, Long> staleness = new ConcurrentHashMap<>();
        volatile boolean activeReady = true;
        volatile boolean running = true;
        HostInfo self;

        Instance(int maxClients) throws Exception {
            hub = new EventHub(maxClients, 100, 100);
            handler = new QueryHandler(hub);
            ServerConnector connector = new ServerConnector(server);
            connector.setHost("127.0.0.1");
            connector.setPort(0);
            server.addConnector(connector);
            server.setHandler(handler);
            server.start();
            self = new HostInfo("127.0.0.1", connector.getLocalPort());
            handler.register(new QueryEngine("shop", this, forwarder, 3), endpoints());
        }

        List<Endpoint> endpoints() {
            Endpoint.KeyedReader reader = (params, key, partition, activeOnly) -> {
                int n = params.intBetween("n", 1, 1, 5);
                if (activeOnly && !activeReady) {
                    return new LocalRead.NotReady("restoring");
                }
                String v = items.get(key);
                return v == null ? new LocalRead.Absent("item " + key + " does not exist")
                        : new LocalRead.Found(Reply.JSON.createObjectNode().put("item", v.repeat(n)),
                        Reply.JSON.createObjectNode().put("offset", 7));
            };
            return List.of(
                    new Endpoint.Keyed("/items/{id}", "items", List.of("n"), p -> p.pathValue("id"), true, reader),
                    new Endpoint.Keyed("/derived/{id}", "items", List.of(), p -> p.pathValue("id"), false, reader),
                    new Endpoint.Global("/all", "items", List.of(), (params, partitions) -> {
                        if (!activeReady) {
                            return new LocalRead.NotReady("restoring");
                        }
                        ArrayNode all = Reply.JSON.createArrayNode();
                        items.keySet().forEach(all::add);
                        return new LocalRead.Found(all, null);
                    }, (params, parts) -> {
                        List<String> merged = new ArrayList<>();
                        parts.forEach(p -> p.forEach(n -> merged.add(n.asText())));
                        merged.sort(String::compareTo);
                        ArrayNode out = Reply.JSON.createArrayNode();
                        merged.forEach(out::add);
                        return out;
                    }));
        }

        URI uri(String path) {
            return URI.create("http://127.0.0.1:" + self.port() + path);
        }

        @Override
        public HostInfo self() {
            return self;
        }

        @Override
        public KeyQueryMetadata locate(String store, String key) {
            return owners.getOrDefault(key, KeyQueryMetadata.NOT_AVAILABLE);
        }

        @Override
        public Set<HostInfo> activeHosts(String store) {
            Set<HostInfo> hosts = ConcurrentHashMap.newKeySet();
            owners.values().forEach(m -> hosts.add(m.activeHost()));
            return hosts;
        }

        @Override
        public Set<Integer> localActivePartitions(String store) {
            Set<Integer> mine = ConcurrentHashMap.newKeySet();
            owners.values().stream().filter(m -> m.activeHost().equals(self)).forEach(m -> mine.add(m.partition()));
            return mine;
        }

        @Override
        public OptionalLong stalenessMs(String store, int partition) {
            Long s = staleness.get(partition);
            return s == null ? OptionalLong.empty() : OptionalLong.of(s);
        }

        @Override
        public boolean running() {
            return running;
        }

        @Override
        public String state() {
            return running ? "RUNNING" : "PENDING_SHUTDOWN";
        }

        void stop() throws Exception {
            hub.closeAll();
            server.stop();
            forwarder.close();
        }
    }

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private Instance a;
    private Instance b;

    @BeforeEach
    void start() throws Exception {
        a = new Instance(2);
        b = new Instance(2);
        // "apple" lives on A (partition 0, standby on B), "pear" on B (partition 1, standby on A).
        for (Instance i : List.of(a, b)) {
            i.owners.put("apple", new KeyQueryMetadata(a.self, Set.of(b.self), 0));
            i.owners.put("pear", new KeyQueryMetadata(b.self, Set.of(a.self), 1));
        }
        a.items.put("apple", "red");
        b.items.put("apple", "red");
        b.items.put("pear", "green");
        a.items.put("pear", "green");
    }

    @AfterEach
    void stop() throws Exception {
        for (Instance i : List.of(a, b)) {
            if (i.server.isStarted()) {
                i.stop();
            }
        }
    }

    private HttpResponse<String> get(Instance i, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(i.uri(path)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<String> r) throws Exception {
        return Reply.JSON.readTree(r.body());
    }

    @Test
    void ownerAnswersWithPositionAndReplica() throws Exception {
        HttpResponse<String> r = get(a, "/api/shop/items/apple?n=2");
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode body = json(r);
        assertThat(body.path("result").path("item").asText()).isEqualTo("redred");
        assertThat(body.path("servedBy").asText()).isEqualTo("127.0.0.1:" + a.self.port());
        assertThat(body.path("replica").asText()).isEqualTo("active");
        assertThat(body.path("partition").asInt()).isEqualTo(0);
        assertThat(body.path("position").path("offset").asLong()).isEqualTo(7);
    }

    @Test
    void eitherInstanceGivesTheSameAnswerThroughForwarding() throws Exception {
        JsonNode viaA = json(get(a, "/api/shop/items/pear"));
        JsonNode viaB = json(get(b, "/api/shop/items/pear"));
        assertThat(viaA).isEqualTo(viaB);
        assertThat(viaA.path("servedBy").asText()).isEqualTo("127.0.0.1:" + b.self.port());
    }

    @Test
    void unknownKeyIs404WithReasonFromTheOwner() throws Exception {
        a.owners.put("plum", new KeyQueryMetadata(b.self, Set.of(), 1));
        b.owners.put("plum", new KeyQueryMetadata(b.self, Set.of(), 1));
        HttpResponse<String> r = get(a, "/api/shop/items/plum");
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(json(r).path("error").asText()).isEqualTo("item plum does not exist");
    }

    @Test
    void keyWithoutOwnerIs503NotNotFound() throws Exception {
        HttpResponse<String> r = get(a, "/api/shop/items/fig");
        assertThat(r.statusCode()).isEqualTo(503);
        assertThat(r.headers().firstValue("Retry-After")).hasValue("3");
        assertThat(json(r).path("error").asText()).contains("fig").contains("rebalancing");
    }

    @Test
    void restoringOwnerIs503UnlessTheCallerAcceptsAStandbyWithinItsBound() throws Exception {
        b.activeReady = false;
        HttpResponse<String> strict = get(a, "/api/shop/items/pear");
        assertThat(strict.statusCode()).isEqualTo(503);
        assertThat(strict.headers().firstValue("Retry-After")).isPresent();

        a.staleness.put(1, 400L);
        HttpResponse<String> tooFresh = get(a, "/api/shop/items/pear?maxLagMs=100");
        assertThat(tooFresh.statusCode()).isEqualTo(503);
        assertThat(json(tooFresh).path("error").asText()).contains("maxLagMs=100");

        HttpResponse<String> stale = get(a, "/api/shop/items/pear?maxLagMs=1000");
        assertThat(stale.statusCode()).isEqualTo(200);
        JsonNode body = json(stale);
        assertThat(body.path("replica").asText()).isEqualTo("standby");
        assertThat(body.path("stalenessMs").asLong()).isEqualTo(400);
        assertThat(body.path("result").path("item").asText()).isEqualTo("green");
    }

    @Test
    void ownerDownFallsBackToAStandbyOnAnotherInstance() throws Exception {
        // apple's owner A is down; B holds its standby. Ask B, which forwards to A... so ask via a third view:
        // B believes the owner is A, A is stopped, B itself is the standby.
        b.staleness.put(0, 50L);
        a.stop();
        HttpResponse<String> strict = get(b, "/api/shop/items/apple");
        assertThat(strict.statusCode()).isEqualTo(503);
        assertThat(json(strict).path("error").asText()).contains("unreachable");
        HttpResponse<String> stale = get(b, "/api/shop/items/apple?maxLagMs=60");
        assertThat(stale.statusCode()).isEqualTo(200);
        assertThat(json(stale).path("replica").asText()).isEqualTo("standby");
    }

    @Test
    void standbyOfAnotherInstanceIsAskedOverHttp() throws Exception {
        // C's view: pear is owned by B (down) with a standby on A.
        Instance c = new Instance(2);
        try {
            c.owners.put("pear", new KeyQueryMetadata(b.self, Set.of(a.self), 1));
            a.staleness.put(1, 10L);
            b.stop();
            HttpResponse<String> r = get(c, "/api/shop/items/pear?maxLagMs=20");
            assertThat(r.statusCode()).isEqualTo(200);
            JsonNode body = json(r);
            assertThat(body.path("servedBy").asText()).isEqualTo("127.0.0.1:" + a.self.port());
            assertThat(body.path("replica").asText()).isEqualTo("standby");
        } finally {
            c.stop();
        }
    }

    @Test
    void derivedStateIsNeverServedFromAStandby() throws Exception {
        b.activeReady = false;
        a.staleness.put(1, 0L);
        HttpResponse<String> r = get(a, "/api/shop/derived/pear?maxLagMs=100000");
        assertThat(r.statusCode()).isEqualTo(503);
        assertThat(json(r).path("error").asText()).contains("only its active replica");
    }

    @Test
    void stoppedAppIs503() throws Exception {
        a.running = false;
        HttpResponse<String> r = get(a, "/api/shop/items/apple");
        assertThat(r.statusCode()).isEqualTo(503);
        assertThat(json(r).path("error").asText()).contains("PENDING_SHUTDOWN");
    }

    @Test
    void everyBadParameterIs400NamingIt() throws Exception {
        Map<String, String> cases = Map.of(
                "/api/shop/items/apple?maxLagMs=soon", "maxLagMs",
                "/api/shop/items/apple?maxLagMs=-1", "maxLagMs",
                "/api/shop/items/apple?n=0", "n",
                "/api/shop/items/apple?n=two", "n",
                "/api/shop/items/apple?n=1&n=2", "n",
                "/api/shop/items/apple?colour=red", "colour",
                "/api/shop/items/%20", "id");
        for (Map.Entry<String, String> c : cases.entrySet()) {
            HttpResponse<String> r = get(a, c.getKey());
            assertThat(r.statusCode()).as(c.getKey()).isEqualTo(400);
            assertThat(json(r).path("parameter").asText()).as(c.getKey()).isEqualTo(c.getValue());
            assertThat(json(r).path("error").asText()).as(c.getKey()).contains(c.getValue());
        }
    }

    @Test
    void unknownAppPathAndMethodAreAnswered() throws Exception {
        HttpResponse<String> app = get(a, "/api/nosuch/items/apple");
        assertThat(app.statusCode()).isEqualTo(404);
        assertThat(json(app).path("error").asText()).contains("nosuch").contains("shop");
        HttpResponse<String> path = get(a, "/api/shop/nothing");
        assertThat(path.statusCode()).isEqualTo(404);
        assertThat(json(path).path("error").asText()).contains("/api/shop/items/{id}");
        HttpResponse<String> post = http.send(HttpRequest.newBuilder(a.uri("/api/shop/items/apple"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(post.statusCode()).isEqualTo(405);
        assertThat(get(a, "/../etc/passwd").statusCode()).isIn(400, 404);
    }

    @Test
    void globalQueryFansOutAndMerges() throws Exception {
        a.items.clear();
        b.items.clear();
        a.items.put("apple", "red");
        b.items.put("pear", "green");
        b.items.put("banana", "yellow");
        for (Instance i : List.of(a, b)) {
            HttpResponse<String> r = get(i, "/api/shop/all");
            assertThat(r.statusCode()).isEqualTo(200);
            JsonNode body = json(r);
            assertThat(body.path("result").toString()).isEqualTo("[\"apple\",\"banana\",\"pear\"]");
            assertThat(body.path("instances")).hasSize(2);
        }
    }

    @Test
    void globalQueryWithAnInstanceDownIs503NotPartial() throws Exception {
        b.stop();
        HttpResponse<String> r = get(a, "/api/shop/all");
        assertThat(r.statusCode()).isEqualTo(503);
        assertThat(json(r).path("error").asText()).contains(Integer.toString(b.self.port()));
    }

    @Test
    void eventStreamDeliversReplaysAndRefusesBeyondTheLimit() throws Exception {
        a.hub.publish("candle", "{\"symbol\":\"ACME\"}");
        HttpRequest request = HttpRequest.newBuilder(a.uri("/api/events?lastEventId=0")).build();
        HttpResponse<java.io.InputStream> first = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(first.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/event-stream"));
        BufferedReader lines = new BufferedReader(new InputStreamReader(first.body(), StandardCharsets.UTF_8));
        List<String> seen = new ArrayList<>();
        Thread reader = new Thread(() -> lines.lines().forEach(seen::add));
        reader.setDaemon(true);
        reader.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> seen.contains("data: {\"symbol\":\"ACME\"}"));
        a.hub.publish("candle", "{\"symbol\":\"LIVE\"}");
        await().atMost(Duration.ofSeconds(10)).until(() -> seen.contains("data: {\"symbol\":\"LIVE\"}") && seen.contains("id: 2"));

        HttpResponse<java.io.InputStream> second = http.send(HttpRequest.newBuilder(a.uri("/api/events"))
                .header("Last-Event-ID", "1").build(), HttpResponse.BodyHandlers.ofInputStream());
        assertThat(second.statusCode()).isEqualTo(200);
        HttpResponse<String> third = http.send(HttpRequest.newBuilder(a.uri("/api/events")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(third.statusCode()).isEqualTo(503);
        assertThat(third.body()).contains("query.sse.max.clients");
        HttpResponse<String> bad = http.send(HttpRequest.newBuilder(b.uri("/api/events"))
                .header("Last-Event-ID", "abc").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(json(bad).path("parameter").asText()).isEqualTo("Last-Event-ID");
        first.body().close();
        second.body().close();
    }

    @Test
    void recentAlertsComeFromTheEventBuffer() throws Exception {
        a.hub.publish("alert", "{\"cardId\":\"c1\"}");
        a.hub.publish("candle", "{}");
        a.hub.publish("alert", "{\"cardId\":\"c2\"}");
        JsonNode body = json(get(a, "/api/events/recent?type=alert&n=1"));
        assertThat(body.path("result")).hasSize(1);
        assertThat(body.path("result").get(0).path("data").path("cardId").asText()).isEqualTo("c2");
        HttpResponse<String> noType = get(a, "/api/events/recent");
        assertThat(noType.statusCode()).isEqualTo(400);
        assertThat(json(noType).path("parameter").asText()).isEqualTo("type");
        assertThat(json(get(a, "/api/events/recent?type=alert&n=0")).path("parameter").asText()).isEqualTo("n");
    }

    @Test
    void servesTheDashboardAndItsBundledChartLibrary() throws Exception {
        HttpResponse<String> index = get(a, "/");
        assertThat(index.statusCode()).isEqualTo(200);
        assertThat(index.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/html"));
        assertThat(index.body()).contains("<script type=\"module\" src=\"app.js\">");
        HttpResponse<String> lib = get(a, "/vendor/lightweight-charts.standalone.production.mjs");
        assertThat(lib.statusCode()).isEqualTo(200);
        assertThat(lib.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/javascript"));
        assertThat(lib.body()).contains("createChart");
        assertThat(get(a, "/app.js").body()).contains("./vendor/lightweight-charts.standalone.production.mjs");
        assertThat(get(a, "/nope.js").statusCode()).isEqualTo(404);
        HttpResponse<String> apps = get(a, "/api/apps");
        assertThat(json(apps).path("apps").get(0).path("app").asText()).isEqualTo("shop");
    }
}
