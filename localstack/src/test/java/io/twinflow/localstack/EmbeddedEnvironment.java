package io.twinflow.localstack;

import io.twinflow.core.pipeline.PipelineSpec;
import io.twinflow.emulators.EmbeddedDynamoDb;
import io.twinflow.emulators.EmbeddedKafka;
import io.twinflow.emulators.EmbeddedKinesis;
import io.twinflow.emulators.EmbeddedS3;
import io.twinflow.emulators.EmbeddedSqs;
import io.twinflow.emulators.EmulatorClients;
import io.twinflow.emulators.EmulatorEdge;
import io.twinflow.local.runtime.EmbeddedRuntime;
import io.twinflow.resources.PipelineResources;
import io.twinflow.resources.ServiceEndpoints;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * The in-process emulators the embedded runtime uses (kinesalite, dynalite, s3proxy, ElasticMQ), and with
 * {@link #withKafka()} Apache Kafka's broker in a JVM of its own as the stream source, as
 * {@code local up --source kafka} runs it: no Docker, so this environment runs everywhere. PostgreSQL is
 * left out: no scenario reaches the warehouse.
 */
final class EmbeddedEnvironment implements Environment {

    private final Deque<AutoCloseable> started = new ArrayDeque<>();
    private final String name;
    private final ServiceEndpoints endpoints;
    private final EmbeddedKafka kafka;

    private EmbeddedEnvironment(boolean behindOneEdge, boolean withKafka) {
        try {
            EmbeddedKinesis kinesis = keep(EmbeddedKinesis.start());
            EmbeddedDynamoDb dynamoDb = keep(EmbeddedDynamoDb.start());
            EmbeddedS3 s3 = keep(EmbeddedS3.start());
            EmbeddedSqs sqs = keep(EmbeddedSqs.start());
            kafka = withKafka ? keep(EmbeddedKafka.start()) : null;
            if (behindOneEdge) {
                EmulatorEdge edge = keep(EmulatorEdge.start(kinesis.endpoint(), dynamoDb.endpoint(), s3.endpoint(), sqs.endpoint()));
                name = "embedded-edge";
                endpoints = ServiceEndpoints.edge(edge.endpoint(), EmulatorClients.REGION);
            } else {
                name = withKafka ? "embedded-kafka" : "embedded";
                endpoints = new ServiceEndpoints(kinesis.endpoint(), dynamoDb.endpoint(), s3.endpoint(), sqs.endpoint(),
                        EmulatorClients.REGION, EmulatorClients.CREDENTIALS);
            }
        } catch (RuntimeException | Error e) {
            close();
            throw e;
        }
    }

    static EmbeddedEnvironment start() {
        return new EmbeddedEnvironment(false, false);
    }

    /**
     * The same emulators behind one address, as a container serves them ({@link ServiceEndpoints#edge}):
     * the code path of the LocalStack and Floci tests, without Docker.
     */
    static EmbeddedEnvironment behindOneEdge() {
        return new EmbeddedEnvironment(true, false);
    }

    /**
     * The emulators with a Kafka broker beside them, the pipeline reading the broker's topic instead of
     * Kinesis. The resources step still creates the Kinesis stream (it is part of every spec); nothing
     * writes to it.
     */
    static EmbeddedEnvironment withKafka() {
        return new EmbeddedEnvironment(false, true);
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

    /** The resources as everywhere, and on Kafka the topic, as {@code local up --source kafka} creates it. */
    @Override
    public PipelineResources.Created createResources(PipelineSpec spec) {
        PipelineResources.Created created = Environment.super.createResources(spec);
        if (kafka != null) {
            EmbeddedRuntime.createTopic(kafka, spec);
        }
        return created;
    }

    @Override
    public SourceUnderTest openSource(PipelineSpec spec) {
        return kafka == null ? Environment.super.openSource(spec) : new KafkaUnderTest(kafka, spec, endpoints.region().id());
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
