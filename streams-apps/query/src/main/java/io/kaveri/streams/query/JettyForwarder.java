package io.kaveri.streams.query;

import org.apache.kafka.streams.state.HostInfo;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.http.HttpHeader;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** {@link Forwarder} over Jetty's HTTP client, with one timeout for the whole exchange. */
final class JettyForwarder implements Forwarder, AutoCloseable {

    private final HttpClient client = new HttpClient();
    private final long timeoutMs;

    JettyForwarder(long timeoutMs) {
        this.timeoutMs = timeoutMs;
        client.setFollowRedirects(false);
        try {
            client.start();
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the HTTP client that forwards queries", e);
        }
    }

    @Override
    public Reply get(HostInfo host, String pathAndQuery, Map<String, String> headers) throws IOException {
        Request request = client.newRequest("http://" + host.host() + ":" + host.port() + pathAndQuery)
                .timeout(timeoutMs, TimeUnit.MILLISECONDS);
        request.headers(h -> headers.forEach(h::put));
        try {
            ContentResponse response = request.send();
            String retryAfter = response.getHeaders().get(HttpHeader.RETRY_AFTER);
            return new Reply(response.getStatus(), response.getContentAsString(),
                    retryAfter == null ? Map.of() : Map.of("Retry-After", retryAfter));
        } catch (TimeoutException e) {
            throw new IOException("no answer within query.forward.timeout.ms=" + timeoutMs, e);
        } catch (ExecutionException e) {
            throw new IOException(e.getCause() == null ? e.toString() : e.getCause().toString(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while forwarding", e);
        }
    }

    @Override
    public void close() {
        try {
            client.stop();
        } catch (Exception e) {
            throw new IllegalStateException("cannot stop the forwarding HTTP client", e);
        }
    }
}
