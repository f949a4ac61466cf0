package io.twinflow.benchmarks;

import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import io.twinflow.core.pipeline.PipelineSpec;
import io.twinflow.emulators.EmbeddedDynamoDb;
import io.twinflow.emulators.EmulatorClients;
import io.twinflow.functions.FunctionSettings;
import io.twinflow.functions.stream.BenchmarkAccess;
import io.twinflow.functions.stream.StreamProcessorHandler;
import io.twinflow.functions.stream.StreamRecord;
import io.twinflow.live.LiveTables;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * DynamoDB write cost per 1,000 records: the real stream-processor handler against
 * {@link PerRecordBaseline}, batch by batch on the same records and the same dynalite, each with
 * its own {@link CapacityMeter}. Then both results are compared item by item, and the last batch is
 * delivered again to show what exactly-once buys.
 *
 * <p>Arguments: {@code [--scenario INTERVAL_MS:MINUTES[:DEVICES]]...}, the report interval of each
 * device, the event time covered and the devices on the shard (100 unless given); a batch holds
 * {@code 500 / DEVICES} records of each device, which is what batching can save. Default {@code 1000:5} and {@code 100:1}
 * (one report a second for five minutes; ten a second for one full window).
 */
public final class WriteCost {

    static final int DEVICES = 100;
    static final int BATCH_SIZE = 500;
    private static final Instant START = Instant.parse("2026-11-24T10:00:00Z");
    private static final String SHARD = "shardId-000000000000";

    private WriteCost() {
    }

    /** @param devices on the shard the batches come from */
    record Scenario(int intervalMillis, int minutes, int devices) {
        static Scenario parse(String s) {
            String[] parts = s.split(":");
            return new Scenario(Integer.parseInt(parts[0]), Integer.parseInt(parts[1]),
                    parts.length > 2 ? Integer.parseInt(parts[2]) : DEVICES);
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
                        .map(x -> x.intervalMillis() + "ms" + x.minutes() + "min" + x.devices() + "dev").toList()));
        if (scenarios.isEmpty()) {
            scenarios = List.of(new Scenario(1000, 5, DEVICES), new Scenario(100, 1, DEVICES));
        }
        Map<String, Object> figures = new LinkedHashMap<>();
        ExecutorService executor = Executors.newFixedThreadPool(8);
        try (EmbeddedDynamoDb dynamo = EmbeddedDynamoDb.start()) {
            int n = 0;
            for (Scenario scenario : scenarios) {
                figures.put("devices" + scenario.devices() + "_every" + scenario.intervalMillis() + "ms_" + scenario.minutes() + "min",
                        run(dynamo, scenario, "wc" + (++n), executor));
            }
        } finally {
            executor.shutdownNow();
        }
        results.write(Results.command("benchmarks/bench write-cost"), figures, List.of(
                "Both sides get the same records in the same batches of " + BATCH_SIZE + ", interleaved batch by batch, against one dynalite (in-memory).",
                "Capacity units are dynalite's answers to ReturnConsumedCapacity=TOTAL (size-based: 1 write unit per started KB "
                        + "of the larger of the old and new item, for an update too); unitsByDynamoDbRules rewrites every final item "
                        + "and counts how many of the charges equal DynamoDB's published rule for the item's size.",
                "billedWriteUnits adds one unit per write refused by its condition (AWS bills those; the SDK exception carries no capacity).",
                "The baseline is not exactly-once: see redeliveryOfLastBatch. It stores count and sum per metric, not min and max.",
                "Reads: the stream-processor reads each window before its conditional put (BatchGetItem, strongly consistent); the baseline never reads."));
    }

    private static Map<String, Object> run(EmbeddedDynamoDb dynamo, Scenario scenario, String prefix, ExecutorService executor) {
        CapacityMeter realMeter = new CapacityMeter();
        CapacityMeter baseMeter = new CapacityMeter();
        PipelineSpec realSpec = PipelineSpec.withPrefix(prefix + "-real");
        PipelineSpec baseSpec = PipelineSpec.withPrefix(prefix + "-base");
        FunctionSettings settings = FunctionSettings.local(realSpec, dynamo.endpoint(), URI.create("http://127.0.0.1:9"));
        try (DynamoDbClient realClient = metered(dynamo, realMeter);
             DynamoDbClient baseClient = metered(dynamo, baseMeter);
             S3Client unusedS3 = EmulatorClients.configure(S3Client.builder(), URI.create("http://127.0.0.1:9")).build()) {
            LiveTables.createAll(realClient, realSpec.tables().deviceState(), realSpec.tables().deviceWindows(), realSpec.tables().alerts());
            LiveTables.createAll(baseClient, baseSpec.tables().deviceState(), baseSpec.tables().deviceWindows(), baseSpec.tables().alerts());
            realMeter.reset();
            baseMeter.reset();

            StreamProcessorHandler handler = BenchmarkAccess.handler(settings, realClient, unusedS3, new PrintStream(OutputStream.nullOutputStream()));
            PerRecordBaseline baseline = new PerRecordBaseline(baseClient, baseSpec.tables().deviceState(), baseSpec.tables().deviceWindows(),
                    settings.windows(), settings.retention(), executor);

            List<StreamRecord> records = new Fleet(scenario.devices(), Duration.ofMillis(scenario.intervalMillis()), 7)
                    .records(START, Duration.ofMinutes(scenario.minutes()), SHARD);
            List<List<StreamRecord>> batches = Fleet.batches(records, BATCH_SIZE);
            long realNanos = 0;
            long baseNanos = 0;
            int failedRecords = 0;
            for (List<StreamRecord> batch : batches) {
                long t0 = System.nanoTime();
                failedRecords += handler.handleRequest(kinesisEvent(batch), null).getBatchItemFailures().size();
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
            f.put("devicesOnTheShard", scenario.devices());
            f.put("recordsPerDevicePerBatch", Results.round((double) BATCH_SIZE / scenario.devices(), 1));
            f.put("batches", batches.size());
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
            f.put("sameResults", compare(realClient, realSpec, baseSpec));
            f.put("windowItemBytes", windowItemBytes(realClient, realSpec));

            // The last batch again, as after a Lambda retry: the real handler changes nothing.
            List<StreamRecord> last = batches.get(batches.size() - 1);
            long realBefore = totalCount(realClient, realSpec.tables().deviceWindows());
            long baseBefore = totalCount(baseClient, baseSpec.tables().deviceWindows());
            realMeter.reset();
            baseMeter.reset();
            handler.handleRequest(kinesisEvent(last), null);
            baseline.process(last);
            Map<String, Object> redelivery = new LinkedHashMap<>();
            redelivery.put("records", last.size());
            redelivery.put("streamProcessorEventsAddedAgain", totalCount(realClient, realSpec.tables().deviceWindows()) - realBefore);
            redelivery.put("baselineEventsAddedAgain", totalCount(baseClient, baseSpec.tables().deviceWindows()) - baseBefore);
            redelivery.put("streamProcessorCallsForThisBatch", realMeter.snapshot().per1000(1000));
            redelivery.put("baselineCallsForThisBatch", baseMeter.snapshot().per1000(1000));
            f.put("redeliveryOfLastBatch", redelivery);
            f.put("unitsByDynamoDbRules", unitsByRules(realClient, realSpec));
            return f;
        }
    }

    private static DynamoDbClient metered(EmbeddedDynamoDb dynamo, CapacityMeter meter) {
        return EmulatorClients.configure(DynamoDbClient.builder(), dynamo.endpoint())
                .overrideConfiguration(o -> o.addExecutionInterceptor(meter))
                .build();
    }

    /** The Lambda event the event source mapping would deliver for these records. */
    static KinesisEvent kinesisEvent(List<StreamRecord> batch) {
        List<KinesisEvent.KinesisEventRecord> records = new ArrayList<>(batch.size());
        for (StreamRecord r : batch) {
            KinesisEvent.Record kinesis = new KinesisEvent.Record();
            kinesis.setData(ByteBuffer.wrap(r.data()));
            kinesis.setPartitionKey(r.partitionKey());
            kinesis.setSequenceNumber(r.sequenceNumber());
            kinesis.setApproximateArrivalTimestamp(Date.from(r.arrivalTime()));
            kinesis.setKinesisSchemaVersion("1.0");
            KinesisEvent.KinesisEventRecord record = new KinesisEvent.KinesisEventRecord();
            record.setKinesis(kinesis);
            record.setEventID(r.shardId() + ":" + r.sequenceNumber());
            record.setEventSource("aws:kinesis");
            record.setEventName("aws:kinesis:record");
            records.add(record);
        }
        KinesisEvent event = new KinesisEvent();
        event.setRecords(records);
        return event;
    }

    private static List<Map<String, AttributeValue>> scan(DynamoDbClient client, String table) {
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        client.scanPaginator(b -> b.tableName(table).consistentRead(true)).items().forEach(items::add);
        return items;
    }

    private static long totalCount(DynamoDbClient client, String table) {
        return scan(client, table).stream().mapToLong(i -> Long.parseLong(i.get(LiveTables.WINDOW_EVENT_COUNT).n())).sum();
    }

    /** Every window's count and per-metric count and sum, and every device's latest event, must agree. */
    private static Map<String, Object> compare(DynamoDbClient client, PipelineSpec real, PipelineSpec base) {
        Map<String, Map<String, AttributeValue>> baseWindows = new HashMap<>();
        for (Map<String, AttributeValue> item : scan(client, base.tables().deviceWindows())) {
            baseWindows.put(item.get(LiveTables.DEVICE_ID).s() + "|" + item.get(LiveTables.WINDOW_START).s(), item);
        }
        List<Map<String, AttributeValue>> realWindows = scan(client, real.tables().deviceWindows());
        int mismatches = 0;
        for (Map<String, AttributeValue> item : realWindows) {
            Map<String, AttributeValue> other = baseWindows.get(item.get(LiveTables.DEVICE_ID).s() + "|" + item.get(LiveTables.WINDOW_START).s());
            boolean same = other != null && item.get(LiveTables.WINDOW_EVENT_COUNT).n().equals(other.get(LiveTables.WINDOW_EVENT_COUNT).n());
            for (Map.Entry<String, AttributeValue> metric : item.get(LiveTables.WINDOW_METRICS).m().entrySet()) {
                if (!same) {
                    break;
                }
                Map<String, AttributeValue> m = metric.getValue().m();
                AttributeValue count = other.get(PerRecordBaseline.COUNT_PREFIX + metric.getKey());
                AttributeValue sum = other.get(PerRecordBaseline.SUM_PREFIX + metric.getKey());
                same = count != null && sum != null && m.get("count").n().equals(count.n())
                        && close(Double.parseDouble(m.get("sum").n()), Double.parseDouble(sum.n()));
            }
            if (!same) {
                mismatches++;
            }
        }
        Map<String, String> baseStates = new HashMap<>();
        scan(client, base.tables().deviceState()).forEach(i -> baseStates.put(i.get(LiveTables.DEVICE_ID).s(), i.get(LiveTables.STATE_EVENT_ID).s()));
        long stateMismatches = scan(client, real.tables().deviceState()).stream()
                .filter(i -> !i.get(LiveTables.STATE_EVENT_ID).s().equals(baseStates.get(i.get(LiveTables.DEVICE_ID).s())))
                .count();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("windows", realWindows.size());
        m.put("windowsOnlyInBaseline", baseWindows.size() - realWindows.size());
        m.put("windowMismatches", mismatches);
        m.put("deviceStates", baseStates.size());
        m.put("deviceStateMismatches", stateMismatches);
        m.put("match", mismatches == 0 && baseWindows.size() == realWindows.size() && stateMismatches == 0);
        return m;
    }

    /** Sums are added in a different order on each side: equal to a relative 1e-9, as reconcile compares them. */
    private static boolean close(double a, double b) {
        return Math.abs(a - b) <= 1e-9 * Math.max(1, Math.max(Math.abs(a), Math.abs(b)));
    }

    /**
     * Sizes of the final window items by DynamoDB's rules (names plus values), and how much of
     * it the exactly-once fingerprints take: this is what drives the units of each window write.
     */
    private static Map<String, Object> windowItemBytes(DynamoDbClient client, PipelineSpec spec) {
        List<Map<String, AttributeValue>> items = scan(client, spec.tables().deviceWindows());
        double total = items.stream().mapToLong(DynamoDbItemSize::of).average().orElse(0);
        double ids = items.stream().mapToLong(i -> i.get(LiveTables.WINDOW_EVENT_IDS).b().asByteArrayUnsafe().length).average().orElse(0);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("averageFinalItem", Math.round(total));
        m.put("averageEventIdFingerprints", Math.round(ids));
        return m;
    }

    /**
     * Writes every final item of the stream-processor's tables again, unchanged, and compares the units
     * the emulator charges with DynamoDB's published rule for the item's size ({@link DynamoDbItemSize}):
     * the capacity figures above are only as good as this agreement.
     */
    private static Map<String, Object> unitsByRules(DynamoDbClient client, PipelineSpec spec) {
        int items = 0;
        int agree = 0;
        long largest = 0;
        List<Map<String, Object>> differing = new ArrayList<>();
        for (String table : List.of(spec.tables().deviceWindows(), spec.tables().deviceState())) {
            for (Map<String, AttributeValue> item : scan(client, table)) {
                double charged = client.putItem(b -> b.tableName(table).item(item)
                        .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL)).consumedCapacity().capacityUnits();
                items++;
                long bytes = DynamoDbItemSize.of(item);
                largest = Math.max(largest, bytes);
                if (charged == DynamoDbItemSize.writeUnits(item)) {
                    agree++;
                } else {
                    Map<String, Object> d = new LinkedHashMap<>();
                    d.put("bytesByRule", bytes);
                    d.put("unitsByRule", DynamoDbItemSize.writeUnits(item));
                    d.put("unitsCharged", charged);
                    differing.add(d);
                }
            }
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("itemsRewritten", items);
        m.put("unitsAsDynamoDbCharges", agree);
        m.put("largestItemBytes", largest);
        m.put("differing", differing);
        return m;
    }
}
