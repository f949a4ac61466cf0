package io.twinflow.localstack;

import io.twinflow.emulators.EmbeddedDynamoDb;
import io.twinflow.emulators.EmbeddedKinesis;
import io.twinflow.emulators.EmbeddedS3;
import io.twinflow.emulators.EmbeddedSqs;
import io.twinflow.emulators.EmulatorClients;
import io.twinflow.emulators.EmulatorEdge;
import io.twinflow.resources.ServiceEndpoints;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * The in-process emulators the embedded runtime uses (kinesalite, dynalite, s3proxy, ElasticMQ):
 * no Docker, so this environment runs everywhere. PostgreSQL is left out: no scenario reaches the
 * warehouse.
 */
final class EmbeddedEnvironment implements Environment {

    private final Deque<AutoCloseable> started = new ArrayDeque<>();
    private final String name;
    private final ServiceEndpoints endpoints;

    private EmbeddedEnvironment(boolean behindOneEdge) {
        try {
            EmbeddedKinesis kinesis = keep(EmbeddedKinesis.start());
            EmbeddedDynamoDb dynamoDb = keep(EmbeddedDynamoDb.start());
            EmbeddedS3 s3 = keep(EmbeddedS3.start());
            EmbeddedSqs sqs = keep(EmbeddedSqs.start());
            if (behindOneEdge) {
                EmulatorEdge edge = keep(EmulatorEdge.start(kinesis.endpoint(), dynamoDb.endpoint(), s3.endpoint(), sqs.endpoint()));
                name = "embedded-edge";
                endpoints = ServiceEndpoints.edge(edge.endpoint(), EmulatorClients.REGION);
            } else {
                name = "embedded";
                endpoints = new ServiceEndpoints(kinesis.endpoint(), dynamoDb.endpoint(), s3.endpoint(), sqs.endpoint(),
                        EmulatorClients.REGION, EmulatorClients.CREDENTIALS);
            }
        } catch (RuntimeException | Error e) {
            close();
            throw e;
        }
    }

    static EmbeddedEnvironment start() {
        return new EmbeddedEnvironment(false);
    }

    /**
     * The same emulators behind one address, as a container serves them ({@link ServiceEndpoints#edge}):
     * the code path of the LocalStack and Floci tests, without Docker.
     */
    static EmbeddedEnvironment behindOneEdge() {
        return new EmbeddedEnvironment(true);
    }

    private <T extends AutoCloseable> T keep(T emulator) {
        started.push(emulator);
        return emulator;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public ServiceEndpoints endpoints() {
        return endpoints;
    }

    @Override
    public void close() {
        while (!started.isEmpty()) {
            try {
                started.pop().close();
            } catch (Exception e) {
                System.getLogger(EmbeddedEnvironment.class.getName())
                        .log(System.Logger.Level.WARNING, "stopping an emulator failed: " + e);
            }
        }
    }
}
