package io.twinflow.emulators;

import java.net.URI;
import java.time.Duration;
import org.elasticmq.NodeAddress;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * An SQS API served by ElasticMQ in this JVM, with in-memory queues.
 *
 * <p>The port is fixed before start rather than left to ElasticMQ's dynamic choice, because the
 * queue URLs it hands out embed the server address and must point back at this instance.
 */
public final class EmbeddedSqs implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedSqs.class);

    private final SQSRestServer server;
    private final URI endpoint;
    private final Duration startupTime;

    private EmbeddedSqs(SQSRestServer server, int port, Duration startupTime) {
        this.server = server;
        this.endpoint = URI.create("http://" + LoopbackPorts.HOST + ":" + port);
        this.startupTime = startupTime;
    }

    /** Starts on a free port. */
    public static EmbeddedSqs start() {
        return start(0);
    }

    /** Starts on the given port, or on a free one when the port is 0. */
    public static EmbeddedSqs start(int port) {
        long began = System.nanoTime();
        int attempts = port == 0 ? LoopbackPorts.BIND_ATTEMPTS : 1;
        RuntimeException last = null;
        for (int attempt = 0; attempt < attempts; attempt++) {
            int chosen = port == 0 ? LoopbackPorts.pickFree() : port;
            SQSRestServer server = SQSRestServerBuilder
                    .withInterface(LoopbackPorts.HOST)
                    .withPort(chosen)
                    .withServerAddress(new NodeAddress("http", LoopbackPorts.HOST, chosen, ""))
                    .withAWSRegion(EmulatorClients.REGION.id())
                    .start();
            try {
                server.waitUntilStarted();
            } catch (RuntimeException e) {
                server.stopAndWait();
                last = e;
                continue;
            }
            EmbeddedSqs started = new EmbeddedSqs(server, chosen, Duration.ofNanos(System.nanoTime() - began));
            LOG.info("ElasticMQ started at {} in {} ms", started.endpoint, started.startupTime.toMillis());
            return started;
        }
        throw new EmulatorStartException("ElasticMQ did not start", last);
    }

    public URI endpoint() {
        return endpoint;
    }

    public Duration startupTime() {
        return startupTime;
    }

    /** A new client for this instance; the caller closes it. */
    public SqsClient sqsClient() {
        return EmulatorClients.configure(SqsClient.builder(), endpoint).build();
    }

    @Override
    public void close() {
        server.stopAndWait();
    }
}
