package io.kaveri.connect.webhook;

import java.util.ArrayList;
import java.util.List;

import org.eclipse.jetty.alpn.server.ALPNServerConnectionFactory;
import org.eclipse.jetty.http2.server.HTTP2CServerConnectionFactory;
import org.eclipse.jetty.http2.server.HTTP2ServerConnectionFactory;
import org.eclipse.jetty.server.ConnectionFactory;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.util.thread.Scheduler;

/** Builds the embedded Jetty server of one task: HTTP/1.1, optionally TLS and HTTP/2. */
final class WebhookServer {

    /** Time given to answers on their way when the task stops. */
    static final long STOP_TIMEOUT_MS = 2_000;

    private WebhookServer() {
    }

    static QueuedThreadPool threads(String name) {
        QueuedThreadPool threads = new QueuedThreadPool(200, 4);
        threads.setName(name);
        threads.setDaemon(true);
        return threads;
    }

    static Server create(WebhookSourceConfig config, QueuedThreadPool threads, Scheduler scheduler, int port,
                         Handler handler) {
        Server server = new Server(threads, scheduler, null);

        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setSendDateHeader(false);
        HttpConnectionFactory http1 = new HttpConnectionFactory(http);
        List<ConnectionFactory> factories = new ArrayList<>();
        String keystore = config.keystoreLocation();
        if (keystore != null && !keystore.isBlank()) {
            // Senders connect by IP through load balancers: no SNI host check.
            http.addCustomizer(new SecureRequestCustomizer(false));
            SslContextFactory.Server tls = new SslContextFactory.Server();
            tls.setKeyStorePath(keystore);
            tls.setKeyStoreType(config.keystoreType());
            if (config.keystorePassword() != null) {
                tls.setKeyStorePassword(config.keystorePassword().value());
            }
            if (config.keyPassword() != null) {
                tls.setKeyManagerPassword(config.keyPassword().value());
            }
            if (config.http2Enabled()) {
                ALPNServerConnectionFactory alpn = new ALPNServerConnectionFactory();
                alpn.setDefaultProtocol(http1.getProtocol());
                factories.add(new SslConnectionFactory(tls, alpn.getProtocol()));
                factories.add(alpn);
                factories.add(new HTTP2ServerConnectionFactory(http));
            } else {
                factories.add(new SslConnectionFactory(tls, http1.getProtocol()));
            }
            factories.add(http1);
        } else {
            factories.add(http1);
            if (config.http2Enabled()) {
                factories.add(new HTTP2CServerConnectionFactory(http));
            }
        }
        ServerConnector connector = new ServerConnector(server, factories.toArray(new ConnectionFactory[0]));
        connector.setHost(config.listenerHost());
        connector.setPort(port);
        connector.setIdleTimeout(config.idleTimeoutMs());
        server.addConnector(connector);
        server.setHandler(handler);
        // The task waits for its answers itself (WebhookHandler.awaitAnswered); idle keep-alive connections
        // must not hold a rebalance up.
        server.setStopTimeout(0);
        return server;
    }

    static int boundPort(Server server) {
        return ((ServerConnector) server.getConnectors()[0]).getLocalPort();
    }
}
