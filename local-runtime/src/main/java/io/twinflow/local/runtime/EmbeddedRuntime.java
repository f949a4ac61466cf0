package io.twinflow.local.runtime;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.twinflow.core.pipeline.PipelineSpec;
import io.twinflow.emulators.EmbeddedKafka;
import io.twinflow.emulators.EmbeddedPostgres;
import io.twinflow.emulators.EmulatorClients;
import io.twinflow.emulators.KafkaBroker;
import io.twinflow.functions.FunctionSettings;
import io.twinflow.functions.api.LiveApiHandler;
import io.twinflow.functions.stream.KafkaProcessorHandler;
import io.twinflow.functions.stream.StreamProcessorHandler;
import io.twinflow.local.api.LocalApiServer;
import io.twinflow.local.batch.BatchSchedule;
import io.twinflow.local.batch.LocalBatch;
import io.twinflow.local.config.Endpoints;
import io.twinflow.local.schedule.LocalScheduler;
import io.twinflow.resources.PipelineResources;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The whole real-time path on one machine, without Docker: emulators on loopback, the resources of
 * {@link PipelineSpec}, the stream-processor handler (the same class Lambda runs) driven by
 * {@link KinesisEventSourceMapping}, the {@link StreamArchiver} in place of Firehose, and the warehouse
 * schema migrated on the embedded PostgreSQL for the batch path ({@link #batch()}), whose jobs
 * {@link #startSchedules} fires from the pipeline's cron expressions as EventBridge Scheduler would, and the live API's
 * handler served on loopback ({@link #apiUrl()}) as the HTTP API serves it.
 * Closing it stops everything it started, in reverse order.
 */
public final class EmbeddedRuntime implements AutoCloseable {

    /** Local stand-in for the account id in ARNs. */
    public static final String ACCOUNT = "000000000000";

    /** In a kept stack's data directory: where the stream consumers resume. */
    public static final String CHECKPOINT_FILE = "checkpoints.json";

    /**
     * On the live API's loopback port: this stack's batch counters and the mapping's checkpoints as JSON, for
     * {@code twinflow status} in another process. Served rather than written to a file: nothing goes stale when the
     * stack is killed, and the address is already in {@code .twinflow/endpoints.json}.
     */
    public static final String STATUS_PATH = "/_twinflow/status";

    /** In a kept stack's data directory: the Kafka broker's log directory (records and committed offsets). */
    public static final String KAFKA_DIR = "kafka";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final PipelineSpec spec;
    private final StreamSource source;
    private final Deque<AutoCloseable> started = new ArrayDeque<>();
    private final Duration startupTime;

    private StackServices services;
    private DynamoDbClient dynamoDbClient;
    private S3Client s3Client;
    private SqsClient sqsClient;
    private KinesisClient kinesisClient;
    private final Map<String, String> queueUrls = new LinkedHashMap<>();
    private KinesisEventSourceMapping mapping;
    private StreamArchiver archiver;
    private KafkaBroker kafka;
    private KafkaEventSourceMapping kafkaMapping;
    private StreamArchiver kafkaArchiver;
    private LocalBatch batch;
    private LocalScheduler scheduler;
    private LocalApiServer api;
    private final BatchTally tally = new BatchTally();

    private EmbeddedRuntime(PipelineSpec spec, PrintStream functionLog, Supplier<StackServices> placement, StreamSource source) {
        this.spec = spec;
        this.source = source;
        long t0 = System.nanoTime();
        try {
            services = closing(placement.get());
            // The broker's JVM starts while the resources and the warehouse are set up.
            CompletableFuture<KafkaBroker> broker = source.kafka() ? CompletableFuture.supplyAsync(this::startBroker) : null;
            try {
                createResources();
                migrateWarehouse();
            } finally {
                if (broker != null) {
                    kafka = closing(awaitBroker(broker));
                }
            }
            if (kafka != null) {
                createTopic(kafka, spec);
            }
            startProcessing(functionLog);
            startApi(functionLog);
        } catch (RuntimeException | Error e) {
            close();
            throw e;
        }
        this.startupTime = Duration.ofNanos(System.nanoTime() - t0);
    }

    /**
     * On the embedded emulators, in memory.
     *
     * @param functionLog where the handler's log lines go
     */
    public static EmbeddedRuntime start(PipelineSpec spec, PrintStream functionLog) {
        return start(spec, functionLog, () -> StackServices.embedded(Optional.empty()));
    }

    /**
     * On the services {@code placement} starts. When they keep their state ({@link StackServices#dataDir}),
     * so do the stream consumers: the event source mapping and the archiver resume where the last run on
     * that directory stopped.
     */
    public static EmbeddedRuntime start(PipelineSpec spec, PrintStream functionLog, Supplier<StackServices> placement) {
        return start(spec, functionLog, placement, StreamSource.KINESIS);
    }

    /**
     * On the services {@code placement} starts, fed by {@code source}: with Kafka, the broker the services name
     * ({@link StackServices#withKafka}) or else a broker of its own ({@link EmbeddedKafka}, kept under the data
     * directory's {@value #KAFKA_DIR} when the services keep their state), with the pipeline's topic created where
     * missing, driven by {@link KafkaEventSourceMapping} and archived by a
     * second {@link StreamArchiver} into the same raw layout.
     */
    public static EmbeddedRuntime start(PipelineSpec spec, PrintStream functionLog, Supplier<StackServices> placement,
                                        StreamSource source) {
        return new EmbeddedRuntime(spec, functionLog, placement, source);
    }

    /**
     * Creates the pipeline's topic on {@code kafka} unless it exists: named like the stream, one partition per
     * shard. The broker stamps each record's time as it appends it (LogAppendTime), so a record's timestamp is
     * its arrival, as Kinesis' approximate arrival time is, whatever the producer's clock says.
     */
    public static void createTopic(KafkaBroker kafka, PipelineSpec spec) {
        kafka.createTopic(spec.stream().name(), spec.stream().shardCount(), Map.of("message.timestamp.type", "LogAppendTime"));
    }

    /**
     * The broker the services name ({@link StackServices#withKafka}), or one of its own: a kept stack keeps that broker's
     * log (records and committed offsets) under its data directory.
     */
    private KafkaBroker startBroker() {
        if (services.kafka().isPresent()) {
            return services.kafka().get();
        }
        return services.dataDir().map(dir -> EmbeddedKafka.startOnDisk(dir.resolve(KAFKA_DIR))).orElseGet(EmbeddedKafka::start);
    }

    private static KafkaBroker awaitBroker(CompletableFuture<KafkaBroker> broker) {
        try {
            return broker.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException cause ? cause : e;
        }
    }

    /**
     * Creates what is missing and leaves what exists ({@link PipelineResources}, as the LocalStack init
     * step does): a kept stack or a container finds its stream, tables, buckets and queues from the last run.
     */
    private void createResources() {
        dynamoDbClient = closing(services.endpoints().dynamoDbClient());
        s3Client = closing(services.endpoints().s3Client());
        sqsClient = closing(services.endpoints().sqsClient());
        kinesisClient = closing(services.endpoints().kinesisClient());
        queueUrls.putAll(PipelineResources.create(spec, kinesisClient, dynamoDbClient, s3Client, sqsClient).queueUrls());
    }

    /** The schema, and the stream's alert rules for the alert report, as the deployed stack's first load would. */
    private void migrateWarehouse() {
        batch = closing(LocalBatch.connect(endpoints()));
        batch.warehouse().migrate();
        FunctionSettings settings = FunctionSettings.local(spec, services.dynamoDb(), services.s3());
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
        List<LocalScheduler.Job> jobs = BatchSchedule.jobs(spec.schedules(), batch, log, rollupLog);
        // Closed before the batch resources it uses (the stack is a LIFO).
        scheduler = closing(LocalScheduler.systemClock(jobs, log));
        return scheduler.start();
    }

    /**
     * A stream processor that has rehearsed a batch as the deployed function does before its SnapStart snapshot
     * (beforeCheckpoint, no AWS call), so its first real batch meets loaded classes and a primed SDK pipeline.
     * Without it each shard's or partition's first batch pays seconds of class loading the deployed function does not
     * (the freshness benchmark saw 10x the median invocation). The hook reads nothing from its CRaC context.
     */
    private static StreamProcessorHandler rehearsed(FunctionSettings settings) {
        StreamProcessorHandler handler = new StreamProcessorHandler(settings);
        handler.beforeCheckpoint(null);
        return handler;
    }

    private void startProcessing(PrintStream log) {
        PrintStream functionLog = tally.tee(log);
        String region = services.region().id();
        FunctionSettings settings = FunctionSettings.local(spec, services.dynamoDb(), services.s3());
        Optional<Path> checkpointFile = services.dataDir().map(dir -> dir.resolve(CHECKPOINT_FILE));
        CheckpointFile.Positions resumeFrom = checkpointFile.map(CheckpointFile::read).orElse(CheckpointFile.Positions.none());
        String rawBucket = spec.buckets().raw();
        StreamArchiver.ObjectSink rawObjects = (key, body) -> s3Client.putObject(b -> b.bucket(rawBucket).key(key)
                .contentType("application/x-ndjson").contentEncoding("gzip"), RequestBody.fromBytes(body));
        FailureDestination onFailure = new SqsFailureDestination(sqsClient, queueUrls.get(spec.queues().streamFailures()));

        // The archivers read with their own clients, as Firehose is a separate consumer of the stream.
        ArchiveProgress archive = null;
        if (source.kinesis()) {
            KinesisClient archiveReader = closing(services.endpoints().kinesisClient());
            archive = new ArchiveProgress(new KinesisShardReader(archiveReader, spec.stream().name()), rawObjects,
                    resumeFrom.archiver());
            mapping = new KinesisEventSourceMapping(
                    new ResumingShardReader(new KinesisShardReader(kinesisClient, spec.stream().name()), resumeFrom.streamProcessor()),
                    rehearsed(settings), spec.streamMapping(), onFailure,
                    KinesisEventSourceMapping.Options.local(region, ACCOUNT, functionName(spec), spec.stream().name()),
                    Clock.systemUTC(), functionLog);
        }
        ArchiveProgress kafkaArchive = null;
        if (source.kafka()) {
            // A Kafka partition's archive position is kept beside the shards' (its ids are topic-partition).
            kafkaArchive = new ArchiveProgress(closing(new KafkaShardReader(kafka.bootstrapServers(), spec.stream().name())),
                    rawObjects, resumeFrom.archiver());
            // Its offsets are committed to the broker, which keeps them in its log directory: no checkpoint file.
            kafkaMapping = new KafkaEventSourceMapping(new KafkaProcessorHandler(rehearsed(settings)), spec.streamMapping(), onFailure,
                    KafkaEventSourceMapping.Options.local(region, ACCOUNT, functionName(spec), kafka.bootstrapServers(),
                            spec.stream().name(), spec.streamMapping()), Clock.systemUTC(), functionLog);
        }
        ArchiveProgress kinesisArchived = archive;
        ArchiveProgress kafkaArchived = kafkaArchive;
        // Closed after the mappings and the archivers (the stack is a LIFO), so it saves where they stopped.
        checkpointFile.ifPresent(file -> closing(CheckpointFile.keep(file, resumeFrom,
                () -> resumeFrom.advancedBy(mapping == null ? Map.of() : mapping.checkpoints(), archived(kinesisArchived, kafkaArchived)))));
        if (mapping != null) {
            started.push(mapping);
            mapping.start();
            archiver = new StreamArchiver(archive, archive, spec, Clock.systemUTC(), Duration.ofMillis(200));
            started.push(archiver);
            archiver.start();
        }
        if (kafkaMapping != null) {
            started.push(kafkaMapping);
            kafkaMapping.start();
            kafkaArchiver = new StreamArchiver(kafkaArchive, kafkaArchive, spec, Clock.systemUTC(), Duration.ofMillis(200));
            started.push(kafkaArchiver);
            kafkaArchiver.start();
        }
    }

    private static Map<String, String> archived(ArchiveProgress kinesis, ArchiveProgress kafka) {
        Map<String, String> archived = new HashMap<>();
        if (kinesis != null) {
            archived.putAll(kinesis.archived());
        }
        if (kafka != null) {
            archived.putAll(kafka.archived());
        }
        return archived;
    }

    /**
     * The live API on loopback: the handler class the deployed HTTP API invokes, reading this stack's tables with the
     * runtime's own client.
     */
    private void startApi(PrintStream functionLog) {
        FunctionSettings settings = FunctionSettings.local(spec, services.dynamoDb(), services.s3());
        LocalLambdaContext context = new LocalLambdaContext(spec.prefix() + "-live-api",
                "arn:aws:lambda:" + services.region().id() + ":" + ACCOUNT + ":function:" + spec.prefix() + "-live-api",
                Duration.ofSeconds(10), functionLog);
        try {
            api = closing(LocalApiServer.start(new LiveApiHandler(settings, dynamoDbClient), context));
            api.servePrivate(STATUS_PATH, this::statusJson);
        } catch (IOException e) {
            throw new UncheckedIOException("could not open a loopback port for the live API", e);
        }
    }

    private String statusJson() {
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("batches", tally.snapshot());
        status.put("checkpoints", mapping == null ? Map.of() : new TreeMap<>(mapping.checkpoints()));
        try {
            return JSON.writeValueAsString(status);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("counters and checkpoints are always serialisable", e);
        }
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

    /** The Kinesis event source mapping; null when the stack runs on Kafka alone. */
    public KinesisEventSourceMapping mapping() {
        return mapping;
    }

    /** The Kinesis archiver; null when the stack runs on Kafka alone. */
    public StreamArchiver archiver() {
        return archiver;
    }

    public StreamSource source() {
        return source;
    }

    /** The Kafka broker, its own or an external one; null unless the stack runs on Kafka. */
    public KafkaBroker kafka() {
        return kafka;
    }

    /**
     * The broker this runtime started itself, for what only it has (its log directory, stop and restart); empty
     * when the stack runs on Kinesis alone or on an external broker.
     */
    public Optional<EmbeddedKafka> embeddedKafka() {
        return kafka instanceof EmbeddedKafka own ? Optional.of(own) : Optional.empty();
    }

    /** The Kafka event source mapping; null unless the stack runs on Kafka. */
    public KafkaEventSourceMapping kafkaMapping() {
        return kafkaMapping;
    }

    /** The Kafka archiver; null unless the stack runs on Kafka. */
    public StreamArchiver kafkaArchiver() {
        return kafkaArchiver;
    }

    /** The live API's base URL, {@code http://127.0.0.1:PORT}. */
    public URI apiUrl() {
        return api.baseUrl();
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
        EmbeddedPostgres postgres = services.postgres();
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
        return new Endpoints(services.region().id(), services.kinesis().toString(),
                services.dynamoDb().toString(), services.s3().toString(),
                services.sqs().toString(), pg,
                new Endpoints.Resources(spec.prefix(), spec.stream().name(), spec.stream().shardCount(), tables, buckets,
                        queues, Map.copyOf(queueUrls)),
                new Endpoints.Credentials(credentials.accessKeyId(), credentials.secretAccessKey()),
                ProcessHandle.current().pid(), Instant.now().toString(), services.target(),
                services.dataDir().map(dir -> dir.toAbsolutePath().toString()).orElse(null),
                // Null while the stack is still starting: the warehouse step reads these endpoints before the API is up.
                api == null ? null : api.baseUrl().toString(),
                null, // the dashboard is served on top of the stack, which adds its address (withDashboard)
                kafka == null ? null : new Endpoints.Kafka(kafka.bootstrapServers(), spec.stream().name()), source.cliName());
    }

    /** Where the services run, and where the stack keeps its state. */
    public StackServices services() {
        return services;
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
