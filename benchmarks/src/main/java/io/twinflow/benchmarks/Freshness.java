package io.twinflow.benchmarks;

import io.twinflow.core.pipeline.PipelineSpec;
import io.twinflow.emulators.EmulatorClients;
import io.twinflow.local.demo.DemoRun;
import io.twinflow.local.runtime.EmbeddedRuntime;
import io.twinflow.local.simulate.SimulationConfig;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * End-to-end freshness on the embedded local stack (kinesalite with the pipeline's 2 shards, the event
 * source mapping driver, the real handler, dynalite): a fleet sends at a sustained rate, and
 * every record's put -> visible latency is taken as {@code twinflow demo} takes it ({@link DemoRun}:
 * from just before PutRecords to the return of the handler invocation that wrote it, after which it
 * is readable). Then the exact account: every record sent is applied, a duplicate, quarantined or
 * reported failed, or it is counted as unaccounted.
 *
 * <p>The baseline is the mapping's own maximum batching window ({@code PipelineSpec.streamMapping()}),
 * the wait the configuration allows before a batch is invoked; the ratio says how much of the latency
 * is that wait.
 *
 * <p>Arguments: {@code [--rate N] [--seconds N] [--devices N]} (default 1,000 records/s, 60 s, 100).
 */
public final class Freshness {

    private Freshness() {
    }

    public static void main(String[] args) throws Exception {
        int rate = StreamCpu.intArg(args, "--rate", 1_000);
        int seconds = StreamCpu.intArg(args, "--seconds", 60);
        int devices = StreamCpu.intArg(args, "--devices", 100);
        // Other rates get their own file, so the figure at the 1,000 records/s stays.
        Results results = new Results(rate == 1_000 ? "freshness" : "freshness-" + rate + "rps");
        PipelineSpec spec = PipelineSpec.defaults();
        SimulationConfig config = new SimulationConfig(devices, rate, Duration.ofSeconds(seconds), 0.02, 0.01, 0.05, 1);
        Map<String, Object> figures = new LinkedHashMap<>();
        EmbeddedRuntime runtime = EmbeddedRuntime.start(spec, new PrintStream(OutputStream.nullOutputStream()));
        try (runtime;
             DynamoDbClient dynamoDb = EmulatorClients.configure(DynamoDbClient.builder(), uri(runtime.endpoints().dynamodb())).build();
             S3Client s3 = EmulatorClients.configure(S3Client.builder(), uri(runtime.endpoints().s3())).forcePathStyle(true).build();
             SqsClient sqs = EmulatorClients.configure(SqsClient.builder(), uri(runtime.endpoints().sqs())).build();
             KinesisClient kinesis = EmulatorClients.configure(KinesisClient.builder(), uri(runtime.endpoints().kinesis())).build()) {
            Map<String, Object> report = DemoRun.run(runtime, dynamoDb, s3, sqs, kinesis, config,
                    (done, total, ledger) -> { }, Duration.ofMinutes(5));
            double window = spec.streamMapping().maxBatchingWindow().toMillis();
            figures.put("targetRecordsPerSecond", rate);
            figures.put("seconds", seconds);
            figures.put("devices", devices);
            figures.put("shards", spec.stream().shardCount());
            figures.put("batchSize", spec.streamMapping().batchSize());
            figures.put("maxBatchingWindowMs", Math.round(window));
            figures.put("latencyMsP50", report.get("latencyMsP50"));
            figures.put("latencyMsP99", report.get("latencyMsP99"));
            figures.put("ratioP50ToBatchingWindow", Results.round(((Number) report.get("latencyMsP50")).doubleValue() / window, 2));
            figures.put("ratioP99ToBatchingWindow", Results.round(((Number) report.get("latencyMsP99")).doubleValue() / window, 2));
            figures.put("achievedRecordsPerSecond", report.get("recordsPerSecond"));
            figures.put("unaccounted", report.get("unaccounted"));
            figures.put("demoReport", report);
        }
        results.write(Results.command("benchmarks/bench freshness"), figures, List.of(
                "Latency as twinflow demo measures it: PutRecords start -> return of the handler invocation that wrote the record "
                        + "(DynamoDB writes are synchronous, so the record is readable from then on).",
                "Mix: 2% producer duplicates, 1% bad records, 5% late events, as the demo's defaults.",
                "Physical limit in AWS: a shard takes 1,000 records/s or 1 MB/s of writes, so 2 shards cap the stream at 2,000 records/s; "
                        + "the local stack runs kinesalite, the handler and dynalite on the same 2 shared cores."));
        // A non-daemon pool of the embedded runtime outlives its close(); the figures are written, so end here.
        System.exit(0);
    }

    private static URI uri(String endpoint) {
        return URI.create(endpoint);
    }
}
