package io.kaveri.streams.query;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.kafka.streams.state.HostInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * Answers the queries of one app on this instance: keyed queries where the key lives (here, forwarded to the owner,
 * or from a standby within the caller's freshness bound), global queries by fan-out to every instance and merge.
 * Whatever cannot be answered correctly now is a 503 with Retry-After, never a "not found" for "not here".
 */
final class QueryEngine {

    private static final Logger log = LoggerFactory.getLogger(QueryEngine.class);

    /** Set on a forwarded request: {@code active} (answer as owner) or {@code standby} (answer from a standby). */
    static final String FORWARDED_HEADER = "X-Kaveri-Forwarded";
    /** Set on the parts of a fan-out: answer for this instance's partitions only. */
    static final String SCOPE_HEADER = "X-Kaveri-Scope";

    private final String app;
    private final Cluster cluster;
    private final Forwarder forwarder;
    private final int retryAfterSeconds;

    QueryEngine(String app, Cluster cluster, Forwarder forwarder, int retryAfterSeconds) {
        this.app = app;
        this.cluster = cluster;
        this.forwarder = forwarder;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    String app() {
        return app;
    }

    /** @param forwardedAs the {@value #FORWARDED_HEADER} header, null on a caller's request */
    Reply keyed(Endpoint.Keyed endpoint, Params params, String pathAndQuery, String forwardedAs) {
        params.allowOnly(endpoint.parameters());
        OptionalLong maxLag = params.maxLagMs();
        String key = endpoint.key().key(params);
        if (!cluster.running()) {
            return unavailable("app " + app + " is " + cluster.state() + "; its stores are not queryable");
        }
        Router.Route route = Router.route(cluster.locate(endpoint.store(), key), cluster.self(), forwardedAs != null);
        if (route instanceof Router.Unavailable u) {
            return unavailable("key '" + key + "' of store " + endpoint.store() + ": " + u.reason());
        }
        if (route instanceof Router.Local local) {
            if ("standby".equals(forwardedAs)) {
                return stale(endpoint, params, key, local.partition(), maxLag, "asked to answer as a standby");
            }
            LocalRead read = endpoint.reader().read(params, key, local.partition(), true);
            if (read instanceof LocalRead.NotReady notReady) {
                return stale(endpoint, params, key, local.partition(), maxLag, notReady.reason());
            }
            return answer(read, local.partition(), "active", 0);
        }
        Router.Forward forward = (Router.Forward) route;
        String failure;
        Reply ownerNotReady = null;
        try {
            Reply owner = forwarder.get(forward.active(), pathAndQuery, Map.of(FORWARDED_HEADER, "active"));
            if (owner.status() != 503) {
                return owner;
            }
            ownerNotReady = owner;
            failure = "its owner " + hostString(forward.active()) + " is not ready";
        } catch (IOException e) {
            failure = "its owner " + hostString(forward.active()) + " is unreachable (" + e.getMessage() + ")";
            log.info("query forward failed app={} store={} partition={} owner={} error={}", app, endpoint.store(),
                    forward.partition(), hostString(forward.active()), e.getMessage());
        }
        if (maxLag.isPresent() && endpoint.standbyServes()) {
            for (HostInfo standby : forward.standbys()) {
                if (standby.equals(cluster.self())) {
                    Reply here = stale(endpoint, params, key, forward.partition(), maxLag, failure);
                    if (here.status() != 503) {
                        return here;
                    }
                    continue;
                }
                try {
                    Reply there = forwarder.get(standby, pathAndQuery, Map.of(FORWARDED_HEADER, "standby"));
                    if (there.status() != 503) {
                        return there;
                    }
                } catch (IOException e) {
                    log.debug("standby unreachable app={} standby={} error={}", app, hostString(standby), e.getMessage());
                }
            }
        }
        if (ownerNotReady != null) {
            return ownerNotReady; // the owner's own reason says more than ours
        }
        return unavailable("partition " + forward.partition() + " of store " + endpoint.store() + " holding key '" + key
                + "': " + failure + (maxLag.isPresent() && endpoint.standbyServes()
                ? "; no standby within maxLagMs=" + maxLag.getAsLong() : ""));
    }

    /** Answers from the local replica if the caller's bound allows its staleness, or 503. */
    private Reply stale(Endpoint.Keyed endpoint, Params params, String key, int partition, OptionalLong maxLag,
                        String whyNotActive) {
        if (!endpoint.standbyServes()) {
            return unavailable("partition " + partition + " of store " + endpoint.store() + " (key '" + key + "') "
                    + "is not queryable here: " + whyNotActive + "; only its active replica can answer this query");
        }
        OptionalLong staleness = cluster.stalenessMs(endpoint.store(), partition);
        if (!Router.freshEnough(maxLag, staleness)) {
            return unavailable("partition " + partition + " of store " + endpoint.store() + " (key '" + key + "') "
                    + "is not queryable here: " + whyNotActive + (maxLag.isEmpty()
                    ? "; set maxLagMs to accept an answer from a standby replica"
                    : "; the local replica is " + (staleness.isEmpty() ? "of unknown lag" : staleness.getAsLong()
                    + " ms behind") + ", beyond maxLagMs=" + maxLag.getAsLong()));
        }
        LocalRead read = endpoint.reader().read(params, key, partition, false);
        if (read instanceof LocalRead.NotReady notReady) {
            return unavailable("partition " + partition + " of store " + endpoint.store() + ": " + notReady.reason());
        }
        return answer(read, partition, "standby", staleness.getAsLong());
    }

    private Reply answer(LocalRead read, int partition, String replica, long stalenessMs) {
        if (read instanceof LocalRead.Absent absent) {
            return Reply.notFound(absent.reason());
        }
        LocalRead.Found found = (LocalRead.Found) read;
        ObjectNode body = envelope();
        body.put("partition", partition).put("replica", replica).put("stalenessMs", stalenessMs);
        body.set("position", found.position());
        body.set("result", found.value());
        return Reply.ok(body);
    }

    /** @param scope the {@value #SCOPE_HEADER} header: {@code local} for one part of a fan-out */
    Reply global(Endpoint.Global endpoint, Params params, String pathAndQuery, String scope) {
        params.allowOnly(endpoint.parameters());
        if (!cluster.running()) {
            return unavailable("app " + app + " is " + cluster.state() + "; its stores are not queryable");
        }
        if ("local".equals(scope)) {
            LocalRead read = endpoint.reader().readLocal(params, cluster.localActivePartitions(endpoint.store()));
            if (read instanceof LocalRead.Found found) {
                ObjectNode body = envelope();
                body.set("position", found.position());
                body.set("result", found.value());
                return Reply.ok(body);
            }
            return unavailable("store " + endpoint.store() + " on " + hostString(cluster.self()) + ": "
                    + ((LocalRead.NotReady) read).reason());
        }
        List<HostInfo> hosts = new ArrayList<>(cluster.activeHosts(endpoint.store()));
        if (hosts.isEmpty()) {
            return unavailable("no instance of app " + app + " has active partitions of store " + endpoint.store()
                    + " yet (starting or rebalancing)");
        }
        hosts.sort((a, b) -> hostString(a).compareTo(hostString(b)));
        List<JsonNode> parts = new ArrayList<>();
        ArrayNode instances = Reply.JSON.createArrayNode();
        for (HostInfo host : hosts) {
            Reply part;
            if (host.equals(cluster.self())) {
                part = global(endpoint, params, pathAndQuery, "local");
            } else {
                try {
                    part = forwarder.get(host, pathAndQuery, Map.of(SCOPE_HEADER, "local"));
                } catch (IOException e) {
                    return unavailable("instance " + hostString(host) + " holding part of store " + endpoint.store()
                            + " is unreachable (" + e.getMessage() + "); a partial answer would be wrong");
                }
            }
            if (!part.isOk()) {
                return unavailable("instance " + hostString(host) + " could not answer its part of store "
                        + endpoint.store() + ": " + errorOf(part));
            }
            JsonNode parsed = parse(part.body());
            parts.add(parsed.path("result"));
            instances.addObject().put("servedBy", hostString(host)).set("position", parsed.path("position"));
        }
        ObjectNode body = envelope();
        body.set("instances", instances);
        body.set("result", endpoint.merger().merge(params, parts));
        return Reply.ok(body);
    }

    private ObjectNode envelope() {
        return Reply.JSON.createObjectNode().put("app", app).put("servedBy", hostString(cluster.self()));
    }

    private Reply unavailable(String reason) {
        return Reply.unavailable(reason, retryAfterSeconds);
    }

    private static JsonNode parse(String body) {
        try {
            return Reply.JSON.readTree(body);
        } catch (IOException e) {
            throw new IllegalStateException("an instance answered with malformed JSON: " + e.getMessage(), e);
        }
    }

    private static String errorOf(Reply reply) {
        try {
            return reply.status() + " " + Reply.JSON.readTree(reply.body()).path("error").asText();
        } catch (IOException e) {
            return reply.status() + " " + reply.body();
        }
    }

    static String hostString(HostInfo host) {
        return host.host() + ":" + host.port();
    }
}
