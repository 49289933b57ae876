package io.kaveri.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;

/** Random free loopback ports, so that no part of the stack ever hard-codes one. */
final class FreePorts {

    private FreePorts() {
    }

    /**
     * Distinct ports that were free a moment ago. All sockets are held open together so that the same port is
     * not handed out twice; a process that races us for one gets a clear "port taken" error from its component.
     */
    static List<Integer> pick(int count) {
        List<ServerSocket> sockets = new ArrayList<>();
        try {
            for (int i = 0; i < count; i++) {
                ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                s.setReuseAddress(true);
                sockets.add(s);
            }
            return sockets.stream().map(ServerSocket::getLocalPort).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open a loopback socket to find a free port", e);
        } finally {
            for (ServerSocket s : sockets) {
                try {
                    s.close();
                } catch (IOException ignored) {
                    // nothing to release
                }
            }
        }
    }

    static int pick() {
        return pick(1).get(0);
    }
}
