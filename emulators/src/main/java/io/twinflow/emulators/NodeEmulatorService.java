package io.twinflow.emulators;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * What every emulator run by Node (kinesalite, dynalite) offers once it listens: its loopback endpoint,
 * how long it took to start, its process id; closing it stops the process.
 */
abstract class NodeEmulatorService implements AutoCloseable {

    private final NodeEmulator node;
    private final URI endpoint;

    NodeEmulatorService(NodeEmulator node) {
        this.node = node;
        this.endpoint = URI.create("http://" + LoopbackPorts.HOST + ":" + node.port());
    }

    /** Starts {@code pkg} with {@code arguments} and logs where it listens, on the owner's logger. */
    static NodeEmulator launch(NodeEmulator.Package pkg, List<String> arguments) {
        NodeEmulator node = NodeEmulator.start(pkg, arguments);
        LoggerFactory.getLogger(pkg.owner()).info("{} started at http://{}:{} in {} ms (pid {})", pkg.name(),
                LoopbackPorts.HOST, node.port(), node.startupTime().toMillis(), node.pid());
        return node;
    }

    public URI endpoint() {
        return endpoint;
    }

    public Duration startupTime() {
        return node.startupTime();
    }

    /** The Node process's id, so that a caller can check nothing outlives {@link #close}. */
    public long pid() {
        return node.pid();
    }

    @Override
    public void close() {
        node.close();
    }
}
