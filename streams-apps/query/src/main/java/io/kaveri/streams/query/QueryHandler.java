package io.kaveri.streams.query;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.pathmap.MatchedPath;
import org.eclipse.jetty.http.pathmap.UriTemplatePathSpec;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The HTTP surface: {@code /api/<app>/...} queries, {@code /api/events} (Server-Sent Events), {@code /api/apps},
 * and the dashboard's static files. Queries block a Jetty pool thread while forwarding, never a stream thread.
 */
final class QueryHandler extends Handler.Abstract {

    private static final Logger log = LoggerFactory.getLogger(QueryHandler.class);
    private static final String WEB = "io/kaveri/streams/query/web/";
    private static final Pattern STATIC = Pattern.compile("[A-Za-z0-9][A-Za-z0-9.-]*(/[A-Za-z0-9][A-Za-z0-9.-]*)?");
    private static final Map<String, String> TYPES = Map.of("html", "text/html; charset=utf-8",
            "js", "text/javascript; charset=utf-8", "mjs", "text/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8", "svg", "image/svg+xml", "LICENSE", "text/plain; charset=utf-8");

    /** One app's engine and its endpoints, matched by path template. */
    private record AppRoutes(QueryEngine engine, List<Map.Entry<UriTemplatePathSpec, Endpoint>> routes) {
    }

    private final Map<String, AppRoutes> apps = new ConcurrentHashMap<>();
    private final EventHub hub;

    QueryHandler(EventHub hub) {
        this.hub = hub;
    }

    void register(QueryEngine engine, List<Endpoint> endpoints) {
        List<Map.Entry<UriTemplatePathSpec, Endpoint>> routes = new ArrayList<>();
        for (Endpoint e : endpoints) {
            routes.add(Map.entry(new UriTemplatePathSpec("/api/" + engine.app() + e.path()), e));
        }
        apps.put(engine.app(), new AppRoutes(engine, routes));
    }

    void unregister(String app) {
        apps.remove(app);
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        String path = request.getHttpURI().getDecodedPath();
        try {
            if (!HttpMethod.GET.is(request.getMethod())) {
                response.getHeaders().put(HttpHeader.ALLOW, "GET");
                send(response, callback, Reply.error(405, request.getMethod() + " is not supported; the API is read only",
                        Map.of()));
                return true;
            }
            if (path.equals("/api/events")) {
                events(request, response, callback);
                return true;
            }
            if (path.equals("/api/events/recent")) {
                send(response, callback, recent(request));
                return true;
            }
            if (path.equals("/api/apps")) {
                send(response, callback, appsReply());
                return true;
            }
            if (path.startsWith("/api/")) {
                send(response, callback, api(request, path));
                return true;
            }
            staticFile(path.equals("/") ? "index.html" : path.substring(1), response, callback);
        } catch (RuntimeException e) {
            log.warn("query failed path={} error={}", path, e.toString(), e);
            send(response, callback, Reply.error(500, "internal error: " + e.getMessage(), Map.of()));
        }
        return true;
    }

    private Reply api(Request request, String path) {
        String rest = path.substring("/api/".length());
        String app = rest.contains("/") ? rest.substring(0, rest.indexOf('/')) : rest;
        AppRoutes routes = apps.get(app);
        if (routes == null) {
            return Reply.notFound("no app '" + app + "' is served here; the apps are " + apps.keySet());
        }
        for (Map.Entry<UriTemplatePathSpec, Endpoint> route : routes.routes()) {
            MatchedPath matched = route.getKey().matched(path);
            if (matched == null) {
                continue;
            }
            Params params = new Params(route.getKey().getPathParams(path), query(request));
            String pathAndQuery = request.getHttpURI().getPathQuery();
            try {
                if (route.getValue() instanceof Endpoint.Keyed keyed) {
                    return routes.engine().keyed(keyed, params, pathAndQuery,
                            request.getHeaders().get(QueryEngine.FORWARDED_HEADER));
                }
                return routes.engine().global((Endpoint.Global) route.getValue(), params, pathAndQuery,
                        request.getHeaders().get(QueryEngine.SCOPE_HEADER));
            } catch (BadParameterException e) {
                return Reply.badRequest(e.parameter(), e.getMessage());
            }
        }
        List<String> known = routes.routes().stream().map(r -> r.getKey().getDeclaration()).toList();
        return Reply.notFound("no endpoint " + path + " in app " + app + "; its endpoints are " + known);
    }

    private static Map<String, List<String>> query(Request request) {
        Fields fields = Request.extractQueryParameters(request, StandardCharsets.UTF_8);
        Map<String, List<String>> query = new HashMap<>();
        for (Fields.Field f : fields) {
            query.put(f.getName(), f.getValues());
        }
        return query;
    }

    private Reply appsReply() {
        ArrayNode list = Reply.JSON.createArrayNode();
        apps.values().stream().sorted((a, b) -> a.engine().app().compareTo(b.engine().app())).forEach(a -> {
            ObjectNode app = list.addObject().put("app", a.engine().app());
            ArrayNode endpoints = app.putArray("endpoints");
            a.routes().forEach(r -> endpoints.add(r.getKey().getDeclaration()));
        });
        return Reply.ok(Reply.JSON.createObjectNode().set("apps", list));
    }

    /** {@code /api/events?types=candle,rank&lastEventId=}: the header wins over the parameter, as browsers send it. */
    private void events(Request request, Response response, Callback callback) {
        Map<String, List<String>> query = query(request);
        Long lastEventId;
        String header = request.getHeaders().get("Last-Event-ID");
        String last = header != null ? header : first(query.get("lastEventId"));
        try {
            lastEventId = last == null || last.isBlank() ? null : Long.parseLong(last.trim());
        } catch (NumberFormatException e) {
            send(response, callback, Reply.badRequest(header != null ? "Last-Event-ID" : "lastEventId",
                    "the last event id must be a number, got '" + last + "'"));
            return;
        }
        Set<String> types = new LinkedHashSet<>();
        String typeList = first(query.get("types"));
        if (typeList != null) {
            for (String t : typeList.split(",")) {
                if (!t.isBlank()) {
                    types.add(t.trim());
                }
            }
        }
        response.setStatus(200);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/event-stream; charset=utf-8");
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-cache");
        response.getHeaders().put(new HttpField("X-Accel-Buffering", "no"));
        EventHub.Sink sink = new EventHub.Sink() {
            @Override
            public void write(String text, Runnable done, java.util.function.Consumer<Throwable> failed) {
                response.write(false, ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)),
                        Callback.from(done, failed));
            }

            @Override
            public void close() {
                callback.succeeded();
            }
        };
        try {
            hub.subscribe(sink, lastEventId, types);
        } catch (EventHub.TooManyClientsException e) {
            send(response, callback, Reply.unavailable(e.getMessage(), 5));
        }
    }

    /** {@code /api/events/recent?type=alert&n=50}: the latest buffered events of a type, e.g. recent alerts. */
    private Reply recent(Request request) {
        Map<String, List<String>> query = query(request);
        Params params = new Params(Map.of(), query);
        try {
            params.allowOnly(List.of("type", "n"));
            String type = first(query.get("type"));
            if (type == null || type.isBlank()) {
                throw new BadParameterException("type", "type is required, e.g. type=alert");
            }
            int n = params.intBetween("n", 50, 1, 10_000);
            ArrayNode events = Reply.JSON.createArrayNode();
            for (EventHub.Event e : hub.recent(type.trim(), n)) {
                ObjectNode item = events.addObject().put("id", e.id()).put("type", e.type());
                item.set("data", Reply.JSON.readTree(e.data()));
            }
            return Reply.ok(Reply.JSON.createObjectNode().set("result", events));
        } catch (BadParameterException e) {
            return Reply.badRequest(e.parameter(), e.getMessage());
        } catch (IOException e) {
            throw new IllegalStateException("a buffered event is not JSON: " + e.getMessage(), e);
        }
    }

    private static String first(List<String> values) {
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    private void staticFile(String name, Response response, Callback callback) {
        if (!STATIC.matcher(name).matches()) {
            send(response, callback, Reply.notFound("no file " + name));
            return;
        }
        byte[] bytes;
        try (InputStream in = QueryHandler.class.getClassLoader().getResourceAsStream(WEB + name)) {
            if (in == null) {
                send(response, callback, Reply.notFound("no file " + name));
                return;
            }
            bytes = in.readAllBytes();
        } catch (IOException e) {
            send(response, callback, Reply.error(500, "cannot read " + name + ": " + e.getMessage(), Map.of()));
            return;
        }
        String ext = name.substring(name.lastIndexOf('.') + 1);
        response.setStatus(200);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, TYPES.getOrDefault(ext, "application/octet-stream"));
        response.write(true, ByteBuffer.wrap(bytes), callback);
    }

    static void send(Response response, Callback callback, Reply reply) {
        response.setStatus(reply.status());
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json; charset=utf-8");
        reply.headers().forEach((k, v) -> response.getHeaders().put(k, v));
        Content.Sink.write(response, true, reply.body(), callback);
    }
}
