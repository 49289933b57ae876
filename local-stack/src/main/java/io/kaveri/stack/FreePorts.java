package io.kaveri.stack;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;

/**
 * Loopback ports picked by the kernel, checked before use, never hard-coded: for the stack's child processes, and
 * for anything else that listens on 127.0.0.1 beside the stack (a webhook connector's listener, a query server).
 */
public final class FreePorts {

    static final String LOOPBACK = "127.0.0.1";

    private FreePorts() {
    }

    /**
     * A port the kernel reports free on 127.0.0.1 at this instant. Another process may still take it before the
     * caller binds it, so a caller that can should retry on a clash rather than assume the port stays free.
     *
     * @throws StackStartException when no port on 127.0.0.1 can be opened at all
     */
    public static int pick() {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(false);
            socket.bind(new InetSocketAddress(InetAddress.getByName(LOOPBACK), 0));
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new StackStartException("cannot open any port on " + LOOPBACK + ": " + e.getMessage(), e);
        }
    }

    /**
     * Distinct ports that were free a moment ago, for a component that needs several (the broker's client and
     * controller listeners). The sockets are held together so that the same port is not handed out twice.
     */
    static java.util.List<Integer> pick(int count) {
        java.util.List<ServerSocket> sockets = new java.util.ArrayList<>();
        try {
            for (int i = 0; i < count; i++) {
                ServerSocket socket = new ServerSocket();
                sockets.add(socket);
                socket.bind(new InetSocketAddress(InetAddress.getByName(LOOPBACK), 0));
            }
            return sockets.stream().map(ServerSocket::getLocalPort).toList();
        } catch (IOException e) {
            throw new StackStartException("cannot open any port on " + LOOPBACK + ": " + e.getMessage(), e);
        } finally {
            for (ServerSocket socket : sockets) {
                try {
                    socket.close();
                } catch (IOException ignored) {
                    // closing a probe socket: nothing to release
                }
            }
        }
    }

    /**
     * Fails with a message naming the port when it cannot be bound on 127.0.0.1, so a clash is reported
     * before a child process starts and dies with a less obvious log line.
     */
    static void requireFree(String component, int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getByName(LOOPBACK), port));
        } catch (IOException e) {
            throw new StackStartException(portTakenMessage(component, port));
        }
    }

    /**
     * Starts a component on a freshly picked port, and again on another one (three tries in all) when the port was
     * taken between the pick and the bind: those are two steps, and another process or one of this JVM's outgoing
     * connections can take the port in between. Any other failure is passed on at once.
     */
    static <T> T withFreshPort(java.util.function.IntFunction<T> start) {
        for (int attempt = 1; ; attempt++) {
            try {
                return start.apply(pick());
            } catch (StackStartException e) {
                if (attempt >= 3 || e.getMessage() == null || !e.getMessage().contains(TAKEN)) {
                    throw e;
                }
            }
        }
    }

    private static final String TAKEN = " is taken by another process;";

    static String portTakenMessage(String component, int port) {
        return component + ": port " + port + " on " + LOOPBACK + TAKEN
                + " stop that process (see 'ss -ltnp | grep " + port + "') or start again to get another random port";
    }

    /** Whether something accepts TCP connections on 127.0.0.1:port. */
    static boolean isListening(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getByName(LOOPBACK), port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
