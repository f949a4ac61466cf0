package io.twinflow.local.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.twinflow.core.pipeline.PipelineSpec;
import io.twinflow.functions.batch.LoaderReport;
import io.twinflow.live.LiveTables;
import io.twinflow.local.simulate.FleetSimulator;
import io.twinflow.local.simulate.KinesisPublisher;
import io.twinflow.local.simulate.SendLedger;
import io.twinflow.local.simulate.SimulationConfig;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * `local up --data-dir`: a stack stopped and started again on the same directory finds its stream,
 * tables, buckets, queues and warehouse as it left them, resumes both stream consumers after what
 * they had done, and applies nothing twice.
 */
class KeptStackIT {

    private static final PipelineSpec SPEC = PipelineSpec.defaults();
    private static final Duration QUIET = Duration.ofSeconds(3);

    @Test
    void aRestartOnTheSameDataDirectoryResumesWhereItStoppedAndAppliesNothingTwice(@TempDir Path dataDir) throws Exception {
        SendLedger firstLedger;
        Instant streamCreated;
        List<String> rawObjects;
        long warehouseRows;
        try (EmbeddedRuntime first = start(dataDir)) {
            firstLedger = simulate(first, 1);
            MappingProgress.awaitSettled(first.mapping(), firstLedger.sent());
            first.archiver().close();
            LoaderReport load = first.batch().load(Optional.empty(), outcome -> { });
            assertThat(load.rowsLoaded()).isEqualTo(firstLedger.uniqueValid());
            try (KinesisClient kinesis = kinesis(first); S3Client s3 = s3(first)) {
                streamCreated = kinesis.describeStreamSummary(b -> b.streamName(SPEC.stream().name()))
                        .streamDescriptionSummary().streamCreationTimestamp();
                rawObjects = rawKeys(s3);
            }
            warehouseRows = warehouseEvents(first);
            assertThat(windowEventTotal(first)).isEqualTo(firstLedger.uniqueValid());
        }
        assertThat(dataDir.resolve(EmbeddedRuntime.CHECKPOINT_FILE)).exists();
        assertThat(Files.list(dataDir).map(p -> p.getFileName().toString()))
                .contains("kinesis", "dynamodb", "s3", "postgres");

        try (EmbeddedRuntime second = start(dataDir)) {
            Thread.sleep(QUIET.toMillis());
            assertThat(second.mapping().stats().recordsRead()).as("records delivered to the handler again").isZero();
            assertThat(second.archiver().recordsArchived()).as("records archived again").isZero();
            try (KinesisClient kinesis = kinesis(second); S3Client s3 = s3(second)) {
                assertThat(kinesis.describeStreamSummary(b -> b.streamName(SPEC.stream().name()))
                        .streamDescriptionSummary().streamCreationTimestamp()).isEqualTo(streamCreated);
                assertThat(recordsInStream(kinesis)).isEqualTo(firstLedger.sent());
                assertThat(rawKeys(s3)).isEqualTo(rawObjects);
            }
            assertThat(windowEventTotal(second)).isEqualTo(firstLedger.uniqueValid());
            assertThat(warehouseEvents(second)).isEqualTo(warehouseRows);
            LoaderReport again = second.batch().load(Optional.empty(), outcome -> { });
            assertThat(again.loaded()).as("raw objects loaded again").isZero();

            SendLedger secondLedger = simulate(second, 2);
            MappingProgress.awaitSettled(second.mapping(), secondLedger.sent());
            second.archiver().close();
            LoaderReport more = second.batch().load(Optional.empty(), outcome -> { });

            assertThat(more.rowsLoaded()).isEqualTo(secondLedger.uniqueValid());
            assertThat(second.mapping().stats().recordsRead()).isEqualTo(secondLedger.sent());
            assertThat(second.archiver().recordsArchived()).isEqualTo(secondLedger.sent());
            assertThat(windowEventTotal(second)).isEqualTo(firstLedger.uniqueValid() + secondLedger.uniqueValid());
            assertThat(warehouseEvents(second)).isEqualTo(firstLedger.uniqueValid() + secondLedger.uniqueValid());
        }
    }

    private static EmbeddedRuntime start(Path dataDir) {
        return EmbeddedRuntime.start(SPEC, new PrintStream(OutputStream.nullOutputStream()),
                () -> StackServices.embedded(Optional.of(dataDir)));
    }

    private static SendLedger simulate(EmbeddedRuntime runtime, long seed) throws Exception {
        SimulationConfig config = new SimulationConfig(5, 400, Duration.ofSeconds(1), 0.05, 0.03, 0.1, seed);
        try (KinesisClient kinesis = kinesis(runtime)) {
            return new FleetSimulator(config).run(new KinesisPublisher(kinesis, SPEC.stream().name()),
                    (record, ack, at) -> { }, (done, total, ledger) -> { });
        }
    }

    private static long recordsInStream(KinesisClient kinesis) {
        long count = 0;
        for (String shardId : new KinesisShardReader(kinesis, SPEC.stream().name()).shardIds()) {
            String iterator = kinesis.getShardIterator(b -> b.streamName(SPEC.stream().name()).shardId(shardId)
                    .shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator();
            count += kinesis.getRecords(b -> b.shardIterator(iterator).limit(10_000)).records().size();
        }
        return count;
    }

    private static long windowEventTotal(EmbeddedRuntime runtime) {
        try (DynamoDbClient dynamoDb = runtime.services().endpoints().dynamoDbClient()) {
            return dynamoDb.scanPaginator(b -> b.tableName(SPEC.tables().deviceWindows()).consistentRead(true)).items().stream()
                    .filter(item -> !LiveTables.isPage(item))
                    .mapToLong(item -> Long.parseLong(item.get(LiveTables.WINDOW_EVENT_COUNT).n())).sum();
        }
    }

    private static long warehouseEvents(EmbeddedRuntime runtime) throws Exception {
        try (Connection c = runtime.services().postgres().connection();
             ResultSet rows = c.createStatement().executeQuery("select count(*) from " + SPEC.warehouse().schema() + ".events")) {
            rows.next();
            return rows.getLong(1);
        }
    }

    private static List<String> rawKeys(S3Client s3) {
        return s3.listObjectsV2Paginator(b -> b.bucket(SPEC.buckets().raw())).contents().stream().map(S3Object::key).sorted().toList();
    }

    private static KinesisClient kinesis(EmbeddedRuntime runtime) {
        return runtime.services().endpoints().kinesisClient();
    }

    private static S3Client s3(EmbeddedRuntime runtime) {
        return runtime.services().endpoints().s3Client();
    }
}
