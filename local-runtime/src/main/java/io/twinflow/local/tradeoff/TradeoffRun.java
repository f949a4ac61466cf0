package io.twinflow.local.tradeoff;

import io.twinflow.core.pipeline.PipelineSpec;
import io.twinflow.emulators.EmulatorClients;
import io.twinflow.local.demo.DemoBatch;
import io.twinflow.local.demo.DemoRun;
import io.twinflow.local.runtime.EmbeddedRuntime;
import io.twinflow.local.runtime.KinesisEventSourceMapping;
import io.twinflow.local.simulate.FleetSimulator;
import io.twinflow.local.simulate.SimulationConfig;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * One {@code twinflow tradeoff} run: a private embedded stack, {@code demo}'s fleet and checks
 * ({@link DemoRun}, {@link DemoBatch}) with a {@link UsageMeter} counting every call the pipeline makes,
 * then the {@link TradeoffReport}. The demo's own checks read the stack through unmetered clients, so
 * they are not counted as the pipeline's usage.
 */
public final class TradeoffRun {

    static final Set<String> WRITES = Set.of("PutItem", "UpdateItem", "DeleteItem", "BatchWriteItem");
    static final Set<String> READS = Set.of("GetItem", "BatchGetItem", "Query", "Scan");

    /** What the two halves of the run have measured. */
    public record Measured(Usage usage, KinesisEventSourceMapping.Stats mapping, List<Long> latenciesMs, Map<String, Object> demo,
                           DemoBatch.Outcome batch) {
    }

    private TradeoffRun() {
    }

    /**
     * Runs the fleet through both paths and costs it.
     *
     * @param status one line per phase
     */
    public static TradeoffReport run(SimulationConfig config, PriceTable prices, FleetSimulator.Progress progress, PrintStream status,
                                     Path rollupLog) throws InterruptedException {
        PipelineSpec spec = PipelineSpec.defaults();
        return report(spec, config, prices, measure(spec, config, progress, status, rollupLog));
    }

    /** The report of a measured run. */
    public static TradeoffReport report(PipelineSpec spec, SimulationConfig config, PriceTable prices, Measured measured) {
        Map<String, Object> run = new LinkedHashMap<>(measured.demo());
        run.put("batch", measured.batch().batch());
        run.put("reconcile", measured.batch().reconcile());
        run.put("batchJobsSucceeded", measured.batch().jobsSucceeded());
        return TradeoffReport.of(config.ratePerSecond(), facts(spec, prices, measured), prices, spec, measured.latenciesMs(),
                measured.usage().toMap(), run);
    }

    /** Starts a stack, runs the fleet and the batch jobs with the meter on, and stops the stack. */
    public static Measured measure(PipelineSpec spec, SimulationConfig config, FleetSimulator.Progress progress, PrintStream status,
                                   Path rollupLog) throws InterruptedException {
        status.println("twinflow tradeoff: starting the embedded stack...");
        try (EmbeddedRuntime runtime = EmbeddedRuntime.start(spec, new PrintStream(OutputStream.nullOutputStream()));
             DynamoDbClient dynamoDb = EmulatorClients.setup(URI.create(runtime.endpoints().dynamodb())).unmetered()
                     .build(DynamoDbClient.builder());
             S3Client s3 = EmulatorClients.setup(URI.create(runtime.endpoints().s3())).unmetered()
                     .build(S3Client.builder().forcePathStyle(true));
             SqsClient sqs = EmulatorClients.setup(URI.create(runtime.endpoints().sqs())).unmetered().build(SqsClient.builder());
             // The devices' client is metered: their PutRecords are the stream's billed input.
             KinesisClient kinesis = EmulatorClients.setup(URI.create(runtime.endpoints().kinesis())).build(KinesisClient.builder());
             UsageMeter meter = new UsageMeter().start()) {
            status.printf("twinflow tradeoff: stack up in %.1f s; %d devices at %.0f records/s for %s%n",
                    runtime.startupTime().toMillis() / 1000.0, config.devices(), config.ratePerSecond(), config.duration());
            List<Long> latencies = new ArrayList<>();
            Map<String, Object> demo = DemoRun.run(runtime, dynamoDb, s3, sqs, kinesis, config, progress, Duration.ofMinutes(3),
                    latencies::addAll);
            KinesisEventSourceMapping.Stats stats = runtime.mapping().stats();
            DemoBatch.Outcome batch = DemoBatch.run(runtime.batch(), dynamoDb, rollupLog, status);
            return new Measured(meter.snapshot(), stats, latencies, demo, batch);
        }
    }

    /** The cost model's input from what was counted. */
    public static RunFacts facts(PipelineSpec spec, PriceTable prices, Measured m) {
        Usage u = m.usage();
        Set<String> live = Set.of(spec.tables().deviceState(), spec.tables().deviceWindows(), spec.tables().alerts());
        String raw = spec.buckets().raw();
        double writeUnits = u.sum("DynamoDb", WRITES, live, t -> t.capacityUnits() + t.conditionFailures());
        double readUnits = u.sum("DynamoDb", READS, live, UsageMeter.Tally::capacityUnits);
        long putUnitBytes = (long) prices.limit(PriceTable.PUT_PAYLOAD_UNIT_BYTES);
        Map<String, Object> batch = m.batch().batch();
        Map<?, ?> rollup = batch.get("rollup") instanceof Map<?, ?> r ? r : Map.of();
        List<?> rollupRuns = rollup.get("runs") instanceof List<?> runs ? runs : List.of();
        double sendSeconds = number(m.demo().get("simulateS"));
        return new RunFacts(u.kinesisRecords(), sendSeconds, u.kinesisBytes(),
                u.roundedKinesisBytes((long) prices.limit(PriceTable.KINESIS_ROUNDING_BYTES)),
                u.roundedKinesisBytes(putUnitBytes) / putUnitBytes,
                u.roundedKinesisBytes((long) prices.limit(PriceTable.FIREHOSE_ROUNDING_BYTES)),
                m.mapping().invocations(), m.mapping().billedMillis(), writeUnits, readUnits,
                u.calls("S3", Set.of("PutObject"), Set.of(spec.buckets().quarantine())),
                u.calls("Sqs", Set.of(), Set.of(spec.queues().streamFailures())),
                u.calls("S3", Set.of("PutObject"), Set.of(raw)),
                1, (long) number(batch.get("durationMs")), (long) number(batch.get("linesRead")),
                u.calls("S3", Set.of("ListObjectsV2", "ListObjects"), Set.of(raw)),
                u.calls("S3", Set.of("GetObject"), Set.of(raw)),
                rollupRuns.size(), (long) number(rollup.get("wallMs")),
                (long) rollupRuns.stream().mapToDouble(r -> r instanceof Map<?, ?> run ? number(run.get("durationMs")) : 0).sum(),
                (long) number(rollup.get("events")));
    }

    private static double number(Object value) {
        return value instanceof Number n ? n.doubleValue() : 0;
    }
}
