package io.twinflow.emulators;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * All five emulators in one JVM, as the embedded local runtime runs them. They start in parallel:
 * two of them are child processes and the others mostly wait on class loading and sockets, so the
 * slowest one, not the sum, sets the start time.
 */
public final class LocalEmulators implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LocalEmulators.class);

    private final EmbeddedDynamoDb dynamoDb;
    private final EmbeddedS3 s3;
    private final EmbeddedSqs sqs;
    private final EmbeddedKinesis kinesis;
    private final EmbeddedPostgres postgres;
    private final Duration startupTime;

    private LocalEmulators(EmbeddedDynamoDb dynamoDb, EmbeddedS3 s3, EmbeddedSqs sqs, EmbeddedKinesis kinesis,
                           EmbeddedPostgres postgres, Duration startupTime) {
        this.dynamoDb = dynamoDb;
        this.s3 = s3;
        this.sqs = sqs;
        this.kinesis = kinesis;
        this.postgres = postgres;
        this.startupTime = startupTime;
    }

    /** Starts every emulator on a free port, in memory; if one fails, the others are stopped again. */
    public static LocalEmulators start() {
        return start(EmbeddedDynamoDb::start, EmbeddedS3::start, EmbeddedSqs::start, EmbeddedKinesis::start,
                EmbeddedPostgres::start);
    }

    /**
     * Starts every emulator on a free port with its data under {@code directory}: {@code kinesis/},
     * {@code dynamodb/}, {@code s3/} and {@code postgres/}, each reused when it exists, so that a later
     * start on the same directory finds the streams, tables, buckets and database again. SQS stays in
     * memory (ElasticMQ keeps no messages on disk here): queues are created again by name.
     */
    public static LocalEmulators startOnDisk(Path directory) {
        return start(() -> EmbeddedDynamoDb.startOnDisk(directory.resolve("dynamodb")),
                () -> EmbeddedS3.startOnDisk(directory.resolve("s3")),
                EmbeddedSqs::start,
                () -> EmbeddedKinesis.startOnDisk(directory.resolve("kinesis")),
                () -> EmbeddedPostgres.startOnDisk(directory.resolve("postgres")));
    }

    private static LocalEmulators start(Supplier<EmbeddedDynamoDb> dynamoDbStart, Supplier<EmbeddedS3> s3Start,
                                        Supplier<EmbeddedSqs> sqsStart, Supplier<EmbeddedKinesis> kinesisStart,
                                        Supplier<EmbeddedPostgres> postgresStart) {
        long began = System.nanoTime();
        ExecutorService starter = Executors.newFixedThreadPool(5, runnable -> {
            Thread thread = new Thread(runnable, "emulator-start");
            thread.setDaemon(true);
            return thread;
        });
        try {
            CompletableFuture<EmbeddedDynamoDb> dynamoDb = CompletableFuture.supplyAsync(dynamoDbStart, starter);
            CompletableFuture<EmbeddedS3> s3 = CompletableFuture.supplyAsync(s3Start, starter);
            CompletableFuture<EmbeddedSqs> sqs = CompletableFuture.supplyAsync(sqsStart, starter);
            CompletableFuture<EmbeddedKinesis> kinesis = CompletableFuture.supplyAsync(kinesisStart, starter);
            CompletableFuture<EmbeddedPostgres> postgres = CompletableFuture.supplyAsync(postgresStart, starter);
            List<CompletableFuture<? extends AutoCloseable>> all = List.of(dynamoDb, s3, sqs, kinesis, postgres);
            try {
                CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).join();
            } catch (CompletionException e) {
                // allOf fails only once every start has finished, so the survivors are all known.
                closeAll(all.stream().filter(started -> !started.isCompletedExceptionally())
                        .<AutoCloseable>map(CompletableFuture::join).toList());
                throw new EmulatorStartException("the local emulators did not all start", e.getCause());
            }
            LocalEmulators started = new LocalEmulators(dynamoDb.join(), s3.join(), sqs.join(), kinesis.join(),
                    postgres.join(), Duration.ofNanos(System.nanoTime() - began));
            LOG.info("all emulators started in {} ms", started.startupTime.toMillis());
            return started;
        } finally {
            starter.shutdown();
        }
    }

    public EmbeddedDynamoDb dynamoDb() {
        return dynamoDb;
    }

    public EmbeddedS3 s3() {
        return s3;
    }

    public EmbeddedSqs sqs() {
        return sqs;
    }

    public EmbeddedKinesis kinesis() {
        return kinesis;
    }

    public EmbeddedPostgres postgres() {
        return postgres;
    }

    public Duration startupTime() {
        return startupTime;
    }

    /** Stops all of them, even when one fails to stop; the first failure is rethrown. */
    @Override
    public void close() {
        closeAll(List.of(kinesis, sqs, s3, dynamoDb, postgres));
    }

    private static void closeAll(List<AutoCloseable> emulators) {
        List<Exception> failures = new ArrayList<>();
        for (AutoCloseable emulator : emulators) {
            try {
                emulator.close();
            } catch (Exception e) {
                failures.add(e);
            }
        }
        if (!failures.isEmpty()) {
            IllegalStateException failure = new IllegalStateException("emulators did not all stop cleanly", failures.get(0));
            failures.stream().skip(1).forEach(failure::addSuppressed);
            throw failure;
        }
    }
}
