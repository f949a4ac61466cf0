package io.twinflow.local.runtime;

import io.twinflow.aws.SdkClients;
import io.twinflow.emulators.EmbeddedPostgres;
import io.twinflow.emulators.EmulatorClients;
import io.twinflow.emulators.LocalEmulators;
import io.twinflow.resources.ServiceEndpoints;
import java.net.URI;
import java.nio.file.Path;
import java.util.Optional;
import software.amazon.awssdk.regions.Region;

/**
 * Where a runtime's services are: the embedded emulators (in memory, or kept under a data directory),
 * or a LocalStack or Floci container behind one edge endpoint. The warehouse is the embedded
 * PostgreSQL either way: the containers have no Redshift.
 */
public final class StackServices implements AutoCloseable {

    /** What {@code endpoints.json} calls the two placements. */
    public static final String EMBEDDED = "embedded";
    public static final String LOCALSTACK = "localstack";

    private final String target;
    private final ServiceEndpoints endpoints;
    private final EmbeddedPostgres postgres;
    private final Optional<Path> dataDir;
    private final AutoCloseable started;
    private final Optional<ExternalKafka> kafka;

    private StackServices(String target, ServiceEndpoints endpoints, EmbeddedPostgres postgres, Optional<Path> dataDir,
                          AutoCloseable started, Optional<ExternalKafka> kafka) {
        this.target = target;
        this.endpoints = endpoints;
        this.postgres = postgres;
        this.dataDir = dataDir;
        this.started = started;
        this.kafka = kafka;
    }

    /** The embedded emulators: in memory, or with everything kept under {@code dataDir}. */
    public static StackServices embedded(Optional<Path> dataDir) {
        LocalEmulators emulators = dataDir.map(LocalEmulators::startOnDisk).orElseGet(LocalEmulators::start);
        ServiceEndpoints endpoints = new ServiceEndpoints(emulators.kinesis().endpoint(), emulators.dynamoDb().endpoint(),
                emulators.s3().endpoint(), emulators.sqs().endpoint(), EmulatorClients.REGION, EmulatorClients.CREDENTIALS);
        return new StackServices(EMBEDDED, endpoints, emulators.postgres(), dataDir, emulators, Optional.empty());
    }

    /**
     * A container's Kinesis, DynamoDB, S3 and SQS at {@code edge}, and the embedded PostgreSQL (its data
     * under {@code dataDir/postgres} when given). Kinesis clients speak JSON, as the local emulators need.
     */
    public static StackServices container(URI edge, Region region, Optional<Path> dataDir) {
        SdkClients.kinesisOverJson();
        EmbeddedPostgres postgres = dataDir.map(dir -> EmbeddedPostgres.startOnDisk(dir.resolve("postgres")))
                .orElseGet(EmbeddedPostgres::start);
        return new StackServices(LOCALSTACK, ServiceEndpoints.edge(edge, region), postgres, dataDir, postgres, Optional.empty());
    }

    /**
     * The same services, with Kafka on {@code broker} instead of a broker the runtime starts itself: a runtime on
     * Kafka creates its topic there and leaves the broker running when it stops.
     */
    public StackServices withKafka(ExternalKafka broker) {
        return new StackServices(target, endpoints, postgres, dataDir, started, Optional.of(broker));
    }

    /** The broker outside the stack that Kafka runs on; empty when the runtime starts its own ({@code EmbeddedKafka}). */
    public Optional<ExternalKafka> kafka() {
        return kafka;
    }

    /** Where Kinesis, DynamoDB, S3 and SQS answer, and their clients (signed with the local keys). */
    public ServiceEndpoints endpoints() {
        return endpoints;
    }

    public String target() {
        return target;
    }

    public URI kinesis() {
        return endpoints.kinesis();
    }

    public URI dynamoDb() {
        return endpoints.dynamoDb();
    }

    public URI s3() {
        return endpoints.s3();
    }

    public URI sqs() {
        return endpoints.sqs();
    }

    public Region region() {
        return endpoints.region();
    }

    public EmbeddedPostgres postgres() {
        return postgres;
    }

    /** Where the stack keeps its state across restarts; empty when it keeps none. */
    public Optional<Path> dataDir() {
        return dataDir;
    }

    @Override
    public void close() throws Exception {
        started.close();
    }
}
