package io.twinflow.cli.runtime;

import io.twinflow.cli.batch.LocalBatch;
import io.twinflow.cli.batch.RollupLauncher;
import io.twinflow.cli.config.Endpoints;
import io.twinflow.cli.schedule.CronExpression;
import io.twinflow.cli.schedule.LocalScheduler;
import io.twinflow.core.pipeline.PipelineSpec;
import io.twinflow.emulators.EmbeddedPostgres;
import io.twinflow.emulators.EmulatorClients;
import io.twinflow.emulators.LocalEmulators;
import io.twinflow.functions.FunctionSettings;
import io.twinflow.functions.batch.LoaderReport;
import io.twinflow.functions.live.LiveTables;
import io.twinflow.functions.stream.StreamProcessorHandler;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.StreamStatus;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The whole real-time path on one machine, without Docker: emulators on loopback, the resources of
 * {@link PipelineSpec}, the stream-processor handler (the same class Lambda runs) driven by
 * {@link KinesisEventSourceMapping}, the {@link StreamArchiver} in place of Firehose, and the warehouse
 * schema migrated on the embedded PostgreSQL for the batch path ({@link #batch()}), whose jobs
 * {@link #startSchedules} fires from the pipeline's cron expressions as EventBridge Scheduler would.
 * Closing it stops everything it started, in reverse order.
 */
public final class EmbeddedRuntime implements AutoCloseable {

    /** Local stand-in for the account id in ARNs. */
    public static final String ACCOUNT = "000000000000";

    private final PipelineSpec spec;
    private final Deque<AutoCloseable> started = new ArrayDeque<>();
    private final Duration startupTime;

    private LocalEmulators emulators;
    private DynamoDbClient dynamoDbClient;
    private S3Client s3Client;
    private SqsClient sqsClient;
    private KinesisClient kinesisClient;
    private final Map<String, String> queueUrls = new LinkedHashMap<>();
    private KinesisEventSourceMapping mapping;
    private StreamArchiver archiver;
    private LocalBatch batch;
    private LocalScheduler scheduler;

    private EmbeddedRuntime(PipelineSpec spec, PrintStream functionLog) {
        this.spec = spec;
        long t0 = System.nanoTime();
        try {
            emulators = closing(LocalEmulators.start());
            createResources();
            migrateWarehouse();
            startProcessing(functionLog);
        } catch (RuntimeException | Error e) {
            close();
            throw e;
        }
        this.startupTime = Duration.ofNanos(System.nanoTime() - t0);
    }

    /** @param functionLog where the handler's log lines go */
    public static EmbeddedRuntime start(PipelineSpec spec, PrintStream functionLog) {
        return new EmbeddedRuntime(spec, functionLog);
    }

    private void createResources() {
        dynamoDbClient = closing(emulators.dynamoDb().dynamoDbClient());
        s3Client = closing(emulators.s3().s3Client());
        sqsClient = closing(emulators.sqs().sqsClient());
        kinesisClient = closing(emulators.kinesis().kinesisClient());

        PipelineSpec.Stream stream = spec.stream();
        kinesisClient.createStream(b -> b.streamName(stream.name()).shardCount(stream.shardCount()));
        kinesisClient.waiter().waitUntilStreamExists(b -> b.streamName(stream.name()));
        StreamStatus status = kinesisClient.describeStreamSummary(b -> b.streamName(stream.name()))
                .streamDescriptionSummary().streamStatus();
        if (status != StreamStatus.ACTIVE) {
            throw new IllegalStateException("stream " + stream.name() + " is " + status + ", not ACTIVE");
        }
        LiveTables.createAll(dynamoDbClient, spec.tables().deviceState(), spec.tables().deviceWindows(), spec.tables().alerts());
        for (String bucket : new String[] {spec.buckets().raw(), spec.buckets().curated(), spec.buckets().quarantine()}) {
            s3Client.createBucket(b -> b.bucket(bucket));
        }
        for (String queue : new String[] {spec.queues().streamFailures(), spec.queues().scheduleDeadLetter()}) {
            queueUrls.put(queue, sqsClient.createQueue(b -> b.queueName(queue)).queueUrl());
        }
    }

    /** The schema, and the stream's alert rules for the alert report, as the deployed stack's first load would. */
    private void migrateWarehouse() {
        batch = closing(LocalBatch.connect(endpoints()));
        batch.warehouse().migrate();
        FunctionSettings settings = FunctionSettings.local(spec, emulators.dynamoDb().endpoint(), emulators.s3().endpoint());
        batch.warehouse().replaceAlertRules(settings.alertRules());
    }

    /**
     * Fires the loader and the rollup at the times of {@code spec.schedules()}, in UTC like the deployed
     * schedules. The loader runs in-process; the rollup, of the day {@code Schedules.rollupDay} names, in its own JVM.
     *
     * @param log one line per fire and the jobs' reports
     * @param rollupLog the rollup JVM's own output (Spark's logging)
     */
    public synchronized LocalScheduler startSchedules(PrintStream log, Path rollupLog) {
        if (scheduler != null) {
            throw new IllegalStateException("schedules already started");
        }
        PipelineSpec.Schedules schedules = spec.schedules();
        List<LocalScheduler.Job> jobs = List.of(
                new LocalScheduler.Job("loader", CronExpression.parse(schedules.loader()), at -> {
                    LoaderReport report = batch.load(Optional.empty(), outcome -> { });
                    log.printf("%s loader: %s%n", Instant.now(), report.toMap());
                }),
                new LocalScheduler.Job("rollup", CronExpression.parse(schedules.rollup()), at -> {
                    LocalDate day = schedules.rollupDay(at);
                    try {
                        for (RollupLauncher.Result r : batch.rollup(List.of(day), rollupLog)) {
                            log.printf("%s rollup: %s%n", Instant.now(), r.toMap());
                        }
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    } catch (IllegalStateException notBuilt) {
                        log.printf("%s rollup: %s%n", Instant.now(), notBuilt.getMessage());
                    }
                }));
        // Closed before the batch resources it uses (the stack is a LIFO).
        scheduler = closing(LocalScheduler.systemClock(jobs, log));
        return scheduler.start();
    }

    private void startProcessing(PrintStream functionLog) {
        String region = EmulatorClients.REGION.id();
        FunctionSettings settings = FunctionSettings.local(spec, emulators.dynamoDb().endpoint(), emulators.s3().endpoint());
        StreamProcessorHandler handler = new StreamProcessorHandler(settings);
        KinesisEventSourceMapping.Options options = KinesisEventSourceMapping.Options.local(region, ACCOUNT,
                functionName(spec), spec.stream().name());
        mapping = new KinesisEventSourceMapping(new KinesisShardReader(kinesisClient, spec.stream().name()), handler,
                spec.streamMapping(), new SqsFailureDestination(sqsClient, queueUrls.get(spec.queues().streamFailures())),
                options, Clock.systemUTC(), functionLog);
        started.push(mapping);
        mapping.start();

        // The archiver reads with its own client, as Firehose is a separate consumer of the stream.
        KinesisClient archiveReader = closing(emulators.kinesis().kinesisClient());
        String rawBucket = spec.buckets().raw();
        archiver = new StreamArchiver(new KinesisShardReader(archiveReader, spec.stream().name()),
                (key, body) -> s3Client.putObject(b -> b.bucket(rawBucket).key(key).contentType("application/x-ndjson")
                        .contentEncoding("gzip"), RequestBody.fromBytes(body)),
                spec, Clock.systemUTC(), Duration.ofMillis(200));
        started.push(archiver);
        archiver.start();
    }

    /** The function's name in ARNs and logs (the CDK stack names the deployed one the same way). */
    public static String functionName(PipelineSpec spec) {
        return spec.functions().streamProcessor();
    }

    private <T extends AutoCloseable> T closing(T resource) {
        started.push(resource);
        return resource;
    }

    public Duration startupTime() {
        return startupTime;
    }

    public PipelineSpec spec() {
        return spec;
    }

    public KinesisEventSourceMapping mapping() {
        return mapping;
    }

    public StreamArchiver archiver() {
        return archiver;
    }

    /** The loader and the rollup against this stack. */
    public LocalBatch batch() {
        return batch;
    }

    public String queueUrl(String queueName) {
        return queueUrls.get(queueName);
    }

    /** What {@code .twinflow/endpoints.json} holds for this stack. */
    public Endpoints endpoints() {
        EmbeddedPostgres postgres = emulators.postgres();
        AwsCredentials credentials = EmulatorClients.CREDENTIALS.resolveCredentials();
        Endpoints.Postgres pg = new Endpoints.Postgres(postgres.jdbcUrl(), postgres.host(),
                postgres.port(), postgres.database(), postgres.user(), postgres.password());
        Map<String, String> tables = new LinkedHashMap<>();
        tables.put("deviceState", spec.tables().deviceState());
        tables.put("deviceWindows", spec.tables().deviceWindows());
        tables.put("alerts", spec.tables().alerts());
        Map<String, String> buckets = new LinkedHashMap<>();
        buckets.put("raw", spec.buckets().raw());
        buckets.put("curated", spec.buckets().curated());
        buckets.put("quarantine", spec.buckets().quarantine());
        Map<String, String> queues = new LinkedHashMap<>();
        queues.put("streamFailures", spec.queues().streamFailures());
        queues.put("scheduleDeadLetter", spec.queues().scheduleDeadLetter());
        return new Endpoints(EmulatorClients.REGION.id(), emulators.kinesis().endpoint().toString(),
                emulators.dynamoDb().endpoint().toString(), emulators.s3().endpoint().toString(),
                emulators.sqs().endpoint().toString(), pg,
                new Endpoints.Resources(spec.prefix(), spec.stream().name(), spec.stream().shardCount(), tables, buckets,
                        queues, Map.copyOf(queueUrls)),
                new Endpoints.Credentials(credentials.accessKeyId(), credentials.secretAccessKey()),
                ProcessHandle.current().pid(), Instant.now().toString());
    }

    /** Stops processing first (the archiver flushes what it holds), then the emulators. Idempotent. */
    @Override
    public synchronized void close() {
        while (!started.isEmpty()) {
            AutoCloseable next = started.pop();
            try {
                next.close();
            } catch (Exception e) {
                System.getLogger(EmbeddedRuntime.class.getName())
                        .log(System.Logger.Level.WARNING, "stopping " + next.getClass().getSimpleName() + " failed: " + e);
            }
        }
    }
}
