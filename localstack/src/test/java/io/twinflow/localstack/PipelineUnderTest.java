package io.twinflow.localstack;

import io.twinflow.core.pipeline.PipelineSpec;
import io.twinflow.functions.FunctionSettings;
import io.twinflow.functions.testing.TableSnapshot;
import io.twinflow.local.runtime.EventSourceMapping;
import io.twinflow.local.runtime.KinesisEventSourceMapping;
import io.twinflow.local.runtime.SqsFailureDestination;
import io.twinflow.local.runtime.StreamArchiver;
import io.twinflow.resources.PipelineResources;
import io.twinflow.resources.ServiceEndpoints;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * One scenario's copy of the real-time path on an environment: its own resources under a fresh
 * prefix (so scenarios never see each other's data), the stream-processor handler driven in this JVM
 * by the local runtime's event source mapping for the environment's {@link SourceUnderTest} (Kinesis or
 * Kafka) against the environment's DynamoDB, S3 and SQS, and the local runtime's {@link StreamArchiver}
 * archiving the stream to the environment's S3 as Firehose would.
 * The handler runs in-process on every environment, LocalStack and Floci included: deploying the jar
 * to their Lambda would test their Lambda runtimes, not the pipeline.
 */
final class PipelineUnderTest implements AutoCloseable {

    private static final Duration SETTLE_TIMEOUT = Duration.ofMinutes(3);

    private final Environment environment;
    private final PipelineSpec spec;
    private final PipelineResources.Created resources;
    private final Deque<AutoCloseable> open = new ArrayDeque<>();
    private final SourceUnderTest source;
    private final DynamoDbClient dynamoDb;
    private final S3Client s3;
    private final SqsClient sqs;
    private final EventSourceMapping mapping;
    private final StreamArchiver archiver;

    private PipelineUnderTest(Environment environment, String name) {
        this.environment = environment;
        this.spec = quickArchive(PipelineSpec.withPrefix(
                name + "-" + Integer.toString(ThreadLocalRandom.current().nextInt(36 * 36 * 36), 36)));
        this.resources = environment.createResources(spec);
        ServiceEndpoints endpoints = environment.endpoints();
        try {
            source = keep(environment.openSource(spec));
            dynamoDb = keep(endpoints.dynamoDbClient());
            s3 = keep(endpoints.s3Client());
            sqs = keep(endpoints.sqsClient());
            mapping = keep(newMapping());
            mapping.start();
            String rawBucket = spec.buckets().raw();
            archiver = keep(new StreamArchiver(source.archiveReader(),
                    (key, body) -> s3.putObject(b -> b.bucket(rawBucket).key(key).contentEncoding("gzip"),
                            RequestBody.fromBytes(body)),
                    spec, Clock.systemUTC(), Duration.ofMillis(200)));
            archiver.start();
        } catch (RuntimeException | Error e) {
            close();
            throw e;
        }
    }

    /**
     * The spec with the archive flushed every second instead of Firehose's 60 s, so that a scenario waits
     * for the archive to catch up instead of racing the buffer; what is archived does not depend on it.
     */
    private static PipelineSpec quickArchive(PipelineSpec spec) {
        return new PipelineSpec(spec.prefix(), spec.stream(), spec.tables(), spec.buckets(), spec.queues(),
                spec.streamMapping(), new PipelineSpec.Archive(Duration.ofSeconds(1), spec.archive().bufferBytes()),
                spec.schedules(), spec.warehouse(), spec.window());
    }

    /** @param name a short lower-case slug; a random suffix keeps reruns on a long-lived environment apart */
    static PipelineUnderTest start(Environment environment, String name) {
        return new PipelineUnderTest(environment, name);
    }

    /** A mapping with no checkpoints or committed offsets, reading every shard from its oldest record, as after a redeploy. */
    EventSourceMapping newMapping() {
        FunctionSettings settings = FunctionSettings.local(spec, environment.endpoints().dynamoDb(), environment.endpoints().s3());
        return source.newMapping(settings, new SqsFailureDestination(sqs, resources.queueUrl(spec.queues().streamFailures())));
    }

    private <T extends AutoCloseable> T keep(T resource) {
        open.push(resource);
        return resource;
    }

    PipelineSpec spec() {
        return spec;
    }

    PipelineResources.Created resources() {
        return resources;
    }

    SourceUnderTest source() {
        return source;
    }

    DynamoDbClient dynamoDb() {
        return dynamoDb;
    }

    S3Client s3() {
        return s3;
    }

    SqsClient sqs() {
        return sqs;
    }

    EventSourceMapping mapping() {
        return mapping;
    }

    StreamArchiver archiver() {
        return archiver;
    }

    /** Waits until {@code m} has read at least {@code records} records and settled every one it read. */
    static void awaitSettled(EventSourceMapping m, long records) throws InterruptedException {
        long deadline = System.nanoTime() + SETTLE_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            KinesisEventSourceMapping.Stats s = m.stats();
            if (s.recordsRead() >= records && s.inFlight() == 0) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("the mapping did not settle " + records + " records within " + SETTLE_TIMEOUT + ": " + m.stats());
    }

    /**
     * Every item of the three tables as sorted canonical text, table names without the prefix, so two
     * states can be compared whole.
     *
     * @param ignored attributes left out, e.g. the window's write counter, which counts deliveries
     */
    Map<String, List<String>> tables(Set<String> ignored) {
        return TableSnapshot.of(dynamoDb, spec.prefix(),
                List.of(spec.tables().deviceState(), spec.tables().deviceWindows(), spec.tables().alerts()), ignored);
    }

    List<Map<String, AttributeValue>> scan(String table) {
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        dynamoDb.scanPaginator(b -> b.tableName(table).consistentRead(true)).items().forEach(items::add);
        return items;
    }

    List<S3Object> objects(String bucket, String prefix) {
        List<S3Object> objects = new ArrayList<>();
        s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix)).contents().forEach(objects::add);
        return objects;
    }

    byte[] object(String bucket, String key) {
        return s3.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray();
    }

    /** Messages on the on-failure queue; receiving once is enough, as the scenarios expect none. */
    int failureMessages() {
        String url = resources.queueUrl(spec.queues().streamFailures());
        return sqs.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10).waitTimeSeconds(1)).messages().size();
    }

    /** Stops processing (the archiver writes what it holds), then the clients. Idempotent. */
    @Override
    public void close() {
        while (!open.isEmpty()) {
            try {
                open.pop().close();
            } catch (Exception e) {
                System.getLogger(PipelineUnderTest.class.getName())
                        .log(System.Logger.Level.WARNING, "closing failed: " + e);
            }
        }
    }
}
