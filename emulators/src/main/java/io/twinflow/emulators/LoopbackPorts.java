package io.twinflow.emulators;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/**
 * Finds a free loopback port for servers that cannot bind port 0 themselves. Another process may
 * take the port between this probe and the server's bind, so callers retry on a bind failure.
 */
final class LoopbackPorts {

    static final String HOST = "127.0.0.1";

    /** How often a caller that picked a port itself tries again after losing it to someone else. */
    static final int BIND_ATTEMPTS = 3;

    private LoopbackPorts() {
    }

    static int pickFree() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free loopback port", e);
        }
    }
}
