package io.twinflow.emulators;

import com.amazonaws.services.dynamodbv2.local.main.ServerRunner;
import com.amazonaws.services.dynamodbv2.local.server.DynamoDBProxyServer;
import java.net.URI;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * DynamoDB Local running in this JVM with an in-memory store, so every instance starts empty and
 * leaves nothing on disk. One database is shared by all credentials ({@code -sharedDb}), so the aws
 * CLI, boto3 and the SDK see the same tables whatever keys they sign with, as with real DynamoDB.
 *
 * <p>DynamoDB Local cannot bind port 0 and always listens on every interface; the endpoint handed
 * out is the loopback one.
 */
public final class EmbeddedDynamoDb implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedDynamoDb.class);

    private final DynamoDBProxyServer server;
    private final URI endpoint;
    private final Duration startupTime;

    private EmbeddedDynamoDb(DynamoDBProxyServer server, int port, Duration startupTime) {
        this.server = server;
        this.endpoint = URI.create("http://" + LoopbackPorts.HOST + ":" + port);
        this.startupTime = startupTime;
    }

    /** Starts on a free port. */
    public static EmbeddedDynamoDb start() {
        return start(0);
    }

    /** Starts on the given port, or on a free one when the port is 0. */
    public static EmbeddedDynamoDb start(int port) {
        long began = System.nanoTime();
        int attempts = port == 0 ? LoopbackPorts.BIND_ATTEMPTS : 1;
        Exception last = null;
        for (int attempt = 0; attempt < attempts; attempt++) {
            int chosen = port == 0 ? LoopbackPorts.pickFree() : port;
            try {
                DynamoDBProxyServer server = ServerRunner.createServerFromCommandLineArgs(
                        new String[] {"-inMemory", "-sharedDb", "-disableTelemetry", "-port", Integer.toString(chosen)});
                server.start();
                EmbeddedDynamoDb started = new EmbeddedDynamoDb(server, chosen, Duration.ofNanos(System.nanoTime() - began));
                LOG.info("DynamoDB Local started at {} in {} ms", started.endpoint, started.startupTime.toMillis());
                return started;
            } catch (Exception e) {
                last = e;
            }
        }
        throw new EmulatorStartException("DynamoDB Local did not start", last);
    }

    public URI endpoint() {
        return endpoint;
    }

    public Duration startupTime() {
        return startupTime;
    }

    /** A new client for this instance; the caller closes it. */
    public DynamoDbClient dynamoDbClient() {
        return EmulatorClients.configure(DynamoDbClient.builder(), endpoint).build();
    }

    @Override
    public void close() {
        try {
            server.stop();
        } catch (Exception e) {
            throw new IllegalStateException("DynamoDB Local did not stop cleanly", e);
        }
    }
}
