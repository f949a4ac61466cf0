package io.twinflow.benchmarks;

import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import io.twinflow.core.pipeline.PipelineSpec;
import io.twinflow.emulators.EmbeddedDynamoDb;
import io.twinflow.emulators.EmulatorClients;
import io.twinflow.functions.FunctionSettings;
import io.twinflow.functions.stream.StreamProcessorHandler;
import io.twinflow.functions.stream.StreamRecord;
import io.twinflow.live.LiveTables;
import io.twinflow.local.runtime.EmbeddedRuntime;
import io.twinflow.local.runtime.KinesisEventSourceMapping;
import io.twinflow.local.runtime.KinesisEvents;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * DynamoDB write cost per 1,000 records: the real stream-processor handler against
 * {@link PerRecordBaseline}, batch by batch on the same records and the same dynalite, each with
 * its own {@link CapacityMeter}. Then both results are compared item by item, and the last batch is
 * delivered again to show what exactly-once buys.
 *
 * <p>Arguments: {@code [--scenario INTERVAL_MS:MINUTES[:DEVICES[:SHARDS]]]...}, the report interval of each
 * device, the event time covered and the devices on the shard (100 unless given); a batch holds
 * {@code 500 / DEVICES} records of each device, which is what batching can save. With {@code SHARDS}, the
 * devices are the fleet, spread over that many shards and batched as the pipeline's mapping batches
 * (batch size and batching window): what the deployed pipeline writes. Default {@code 1000:5}, {@code 100:1}
 * (one report a second for five minutes; ten a second for one full window), and both rates for one
 * window on the pipeline's shards.
 */
public final class WriteCost {

    static final int DEVICES = 100;
    static final int BATCH_SIZE = 500;
    private static final Instant START = Instant.parse("2026-11-24T10:00:00Z");
    private static final String SHARD = "shardId-000000000000";

    private WriteCost() {
    }

    /**
     * @param devices on the shard the batches come from, or in the fleet when {@code shards} is given
     * @param shards 0 for fixed batches of {@link #BATCH_SIZE} from one shard; otherwise the fleet is spread
     *     over this many shards and batched as the pipeline's event source mapping batches (its batch size
     *     and batching window, {@link PipelineSpec.StreamMapping}'s defaults)
     */
    record Scenario(int intervalMillis, int minutes, int devices, int shards) {
        static Scenario parse(String s) {
            String[] parts = s.split(":");
            return new Scenario(Integer.parseInt(parts[0]), Integer.parseInt(parts[1]),
                    parts.length > 2 ? Integer.parseInt(parts[2]) : DEVICES, parts.length > 3 ? Integer.parseInt(parts[3]) : 0);
        }

        String name() {
            return "devices" + devices + "_every" + intervalMillis + "ms_" + minutes + "min" + (shards == 0 ? "" : "_" + shards + "shards");
        }

        String fileName() {
            return intervalMillis + "ms" + minutes + "min" + devices + "dev" + (shards == 0 ? "" : shards + "shards");
        }
    }

    public static void main(String[] args) {
        List<Scenario> scenarios = new ArrayList<>();
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals("--scenario")) {
                scenarios.add(Scenario.parse(args[i + 1]));
            }
        }
        // Chosen scenarios get their own file, so the default run's figures stay.
        Results results = new Results(scenarios.isEmpty() ? "write-cost"
                : "write-cost-" + String.join("-", scenarios.stream()
                        .map(Scenario::fileName).toList()));
        if (scenarios.isEmpty()) {
            int pipelineShards = PipelineSpec.withPrefix("wc").stream().shardCount();
            scenarios = List.of(new Scenario(1000, 5, DEVICES, 0), new Scenario(100, 1, DEVICES, 0),
                    new Scenario(100, 1, DEVICES, pipelineShards), new Scenario(1000, 1, DEVICES, pipelineShards));
        }
        Map<String, Object> figures = new LinkedHashMap<>();
        ExecutorService executor = Executors.newFixedThreadPool(8);
        try (EmbeddedDynamoDb dynamo = EmbeddedDynamoDb.start()) {
            int n = 0;
            for (Scenario scenario : scenarios) {
                figures.put(scenario.name(), run(dynamo, scenario, "wc" + (++n), executor));
            }
        } finally {
            executor.shutdownNow();
        }
        results.write(Results.command("benchmarks/bench write-cost"), figures, List.of(
                "Both sides get the same records in the same batches, interleaved batch by batch, against one dynalite (in-memory): "
                        + "batches of " + BATCH_SIZE + " from one shard, or (scenarios named _Nshards) the fleet spread over N shards by "
                        + "the MD5 of its partition keys and batched as the pipeline's event source mapping batches (at most its batch size, "
                        + "cut when the first record has waited its batching window).",
                "Capacity units are dynalite's answers to ReturnConsumedCapacity=TOTAL (size-based: 1 write unit per started KB "
                        + "of the larger of the old and new item, for an update too); unitsByDynamoDbRules rewrites every final item "
                        + "and counts how many of the charges equal DynamoDB's published rule for the item's size.",
                "billedWriteUnits adds one unit per write refused by its condition (AWS bills those; the SDK exception carries no capacity).",
                "The baseline is not exactly-once: see redeliveryOfLastBatch. It stores count and sum per metric, not min and max.",
                "Reads: the stream-processor reads each window before its conditional put (BatchGetItem, strongly consistent), and the "
                        + "fingerprint pages the window lists that it does not hold in memory yet (pages never change: a warm handler reads "
                        + "none it wrote itself; redeliveryOfLastBatchToAColdHandler shows a fresh one reading them); the baseline never reads."));
    }

    private static Map<String, Object> run(EmbeddedDynamoDb dynamo, Scenario scenario, String prefix, ExecutorService executor) {
        CapacityMeter realMeter = new CapacityMeter();
        CapacityMeter baseMeter = new CapacityMeter();
        PipelineSpec realSpec = PipelineSpec.withPrefix(prefix + "-real");
        PipelineSpec baseSpec = PipelineSpec.withPrefix(prefix + "-base");
        FunctionSettings settings = FunctionSettings.local(realSpec, dynamo.endpoint(), URI.create("http://127.0.0.1:9"));
        KinesisEventSourceMapping.Options mapping = KinesisEventSourceMapping.Options.local(EmulatorClients.REGION.id(),
                EmbeddedRuntime.ACCOUNT, EmbeddedRuntime.functionName(realSpec), realSpec.stream().name());
        try (DynamoDbClient realClient = metered(dynamo, realMeter);
             DynamoDbClient baseClient = metered(dynamo, baseMeter);
             S3Client unusedS3 = EmulatorClients.configure(S3Client.builder(), URI.create("http://127.0.0.1:9")).build()) {
            LiveTables.createAll(realClient, realSpec.tables().deviceState(), realSpec.tables().deviceWindows(), realSpec.tables().alerts());
            LiveTables.createAll(baseClient, baseSpec.tables().deviceState(), baseSpec.tables().deviceWindows(), baseSpec.tables().alerts());
            realMeter.reset();
            baseMeter.reset();

            StreamProcessorHandler handler = handler(settings, realClient, unusedS3);
            PerRecordBaseline baseline = new PerRecordBaseline(baseClient, baseSpec.tables().deviceState(), baseSpec.tables().deviceWindows(),
                    settings.windows(), settings.retention(), executor);

            List<StreamRecord> records = new Fleet(scenario.devices(), Duration.ofMillis(scenario.intervalMillis()), 7)
                    .records(START, Duration.ofMinutes(scenario.minutes()), SHARD);
            PipelineSpec.StreamMapping pipeline = realSpec.streamMapping();
            List<List<StreamRecord>> batches = scenario.shards() == 0 ? Fleet.batches(records, BATCH_SIZE)
                    : Fleet.pipelineBatches(records, scenario.shards(), pipeline.batchSize(), pipeline.maxBatchingWindow());
            long realNanos = 0;
            long baseNanos = 0;
            int failedRecords = 0;
            for (List<StreamRecord> batch : batches) {
                long t0 = System.nanoTime();
                failedRecords += handler.handleRequest(kinesisEvent(batch, mapping), null).getBatchItemFailures().size();
                long t1 = System.nanoTime();
                baseline.process(batch);
                long t2 = System.nanoTime();
                realNanos += t1 - t0;
                baseNanos += t2 - t1;
            }
            CapacityMeter.Snapshot real = realMeter.snapshot();
            CapacityMeter.Snapshot base = baseMeter.snapshot();

            Map<String, Object> f = new LinkedHashMap<>();
            f.put("records", records.size());
            f.put(scenario.shards() == 0 ? "devicesOnTheShard" : "devicesInTheFleet", scenario.devices());
            f.put("shards", scenario.shards() == 0 ? "one, fixed batches of " + BATCH_SIZE
                    : scenario.shards() + ", batch size " + pipeline.batchSize() + ", batching window " + pipeline.maxBatchingWindow());
            long pairs = Fleet.deviceBatchPairs(batches);
            f.put("deviceBatchPairs", pairs);
            f.put("recordsPerDevicePerBatch", Results.round((double) records.size() / pairs, 2));
            f.put("batches", batches.size());
            f.put("averageBatchRecords", Results.round((double) records.size() / batches.size(), 1));
            f.put("averageRecordBytes", Results.round(Fleet.averageBytes(records), 1));
            f.put("eventTimeMinutes", scenario.minutes());
            f.put("reportsPerDevicePerMinute", 60_000 / scenario.intervalMillis());
            f.put("recordsReportedForRetry", failedRecords);
            f.put("streamProcessorPer1000Records", real.per1000(records.size()));
            f.put("baselinePer1000Records", base.per1000(records.size()));
            f.put("ratioWriteRequests", Results.round((double) base.writeRequests() / real.writeRequests(), 2));
            f.put("ratioWriteCapacityUnits", Results.round(base.writeUnits() / real.writeUnits(), 2));
            f.put("ratioBilledWriteUnits", Results.round(base.billedWriteUnits() / real.billedWriteUnits(), 2));
            f.put("streamProcessorByOperation", real.byOperation());
            f.put("baselineByOperation", base.byOperation());
            f.put("wallSecondsStreamProcessor", Results.round(realNanos / 1e9, 2));
            f.put("wallSecondsBaseline", Results.round(baseNanos / 1e9, 2));
            f.put("sameResults", WriteCostTables.compare(realClient, realSpec, baseSpec));
            f.put("windowItemBytes", WriteCostTables.windowItemBytes(realClient, realSpec));

            // The last batch again, as after a Lambda retry: the real handler changes nothing.
            List<StreamRecord> last = batches.get(batches.size() - 1);
            long realBefore = WriteCostTables.totalCount(realClient, realSpec.tables().deviceWindows());
            long baseBefore = WriteCostTables.totalCount(baseClient, baseSpec.tables().deviceWindows());
            realMeter.reset();
            baseMeter.reset();
            handler.handleRequest(kinesisEvent(last, mapping), null);
            baseline.process(last);
            Map<String, Object> redelivery = new LinkedHashMap<>();
            redelivery.put("records", last.size());
            redelivery.put("streamProcessorEventsAddedAgain", WriteCostTables.totalCount(realClient, realSpec.tables().deviceWindows()) - realBefore);
            redelivery.put("baselineEventsAddedAgain", WriteCostTables.totalCount(baseClient, baseSpec.tables().deviceWindows()) - baseBefore);
            redelivery.put("streamProcessorCallsForThisBatch", realMeter.snapshot().per1000(1000));
            redelivery.put("baselineCallsForThisBatch", baseMeter.snapshot().per1000(1000));
            f.put("redeliveryOfLastBatch", redelivery);

            // The same again to a handler just started: it holds no fingerprint pages in memory, so it reads them all.
            StreamProcessorHandler cold = handler(settings, realClient, unusedS3);
            realMeter.reset();
            cold.handleRequest(kinesisEvent(last, mapping), null);
            Map<String, Object> coldRedelivery = new LinkedHashMap<>();
            coldRedelivery.put("streamProcessorEventsAddedAgain", WriteCostTables.totalCount(realClient, realSpec.tables().deviceWindows()) - realBefore);
            coldRedelivery.put("streamProcessorCallsForThisBatch", realMeter.snapshot().per1000(1000));
            f.put("redeliveryOfLastBatchToAColdHandler", coldRedelivery);
            f.put("unitsByDynamoDbRules", WriteCostTables.unitsByRules(realClient, realSpec));
            return f;
        }
    }

    private static StreamProcessorHandler handler(FunctionSettings settings, DynamoDbClient dynamoDb, S3Client s3) {
        return StreamProcessorHandler.builder()
                .settings(settings)
                .dynamoDb(dynamoDb)
                .s3(s3)
                .summaryOutput(new PrintStream(OutputStream.nullOutputStream()))
                .build();
    }

    private static DynamoDbClient metered(EmbeddedDynamoDb dynamo, CapacityMeter meter) {
        return EmulatorClients.configure(DynamoDbClient.builder(), dynamo.endpoint())
                .overrideConfiguration(o -> o.addExecutionInterceptor(meter))
                .build();
    }

    /** The Lambda event the event source mapping delivers for these records, built as the local runtime builds it. */
    private static KinesisEvent kinesisEvent(List<StreamRecord> batch, KinesisEventSourceMapping.Options mapping) {
        return KinesisEvents.toEvent(batch.stream()
                .map(r -> new io.twinflow.local.runtime.StreamRecord( // qualified: the functions' StreamRecord is the imported one
                        r.shardId(), r.sequenceNumber(), r.partitionKey(), r.data(), r.arrivalTime()))
                .toList(), mapping.region(), mapping.streamArn(), mapping.functionArn());
    }
}
