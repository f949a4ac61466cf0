package io.twinflow.cli.command;

import io.twinflow.cli.query.ResultFormat;
import io.twinflow.core.error.UserMistakeException;
import io.twinflow.core.pipeline.PipelineSpec;
import io.twinflow.emulators.EmulatorClients;
import io.twinflow.local.config.Endpoints;
import io.twinflow.local.demo.DemoBatch;
import io.twinflow.local.demo.DemoRun;
import io.twinflow.local.runtime.EmbeddedRuntime;
import io.twinflow.local.runtime.StackServices;
import io.twinflow.local.runtime.StreamSource;
import io.twinflow.local.simulate.ProgressBar;
import io.twinflow.local.simulate.SimulationConfig;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;

@CommandLine.Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Starts a private embedded stack, streams a simulated fleet through it, waits until every "
                + "record is processed, then runs the batch path (flush the archive, loader, rollup of the demo's days) "
                + "and reconciles streaming with batch; prints a short summary and stops everything.",
                "The summary: sent, applied, duplicates, quarantined, failed, unaccounted (sent minus the rest: must be 0), "
                        + "freshness p50/p99 (put -> visible in DynamoDB), the reconcile verdict, and where the full report JSON "
                        + "was written (--report-json PATH, else .twinflow/demo-report.json).",
                "--output json prints the full report instead: the summary's figures (latencyMsP50/P99, durationS, ...), batch "
                        + "(the loader's report, warehouse row counts, rollup), reconcile {clean, drifts, ...}, and more; "
                        + "csv: one row per field of it (field,value; nested fields as dotted paths).",
                "Exit code 3 when unaccounted is not 0, 4 when a batch job failed or reconcile found drift."})
public final class DemoCommand implements Callable<Integer> {

    @CommandLine.Mixin
    FleetOptions fleet = new FleetOptions();

    @CommandLine.Option(names = "--duration", paramLabel = "S", converter = DurationConverter.class,
            description = "How long the fleet sends (30s, 2m, ...). Default: 20s.")
    Duration duration = Duration.ofSeconds(20);

    @CommandLine.Option(names = "--report-json", paramLabel = "PATH",
            description = "Write the full report JSON here. Default: .twinflow/demo-report.json (under $TWINFLOW_HOME or the current directory).")
    Path reportJson;

    @CommandLine.Mixin
    OutputOptions output = new OutputOptions();

    @CommandLine.Option(names = "--source", paramLabel = "kinesis|kafka",
            description = "The stream the fleet sends to and the stream-processor reads: kinesis, or kafka (Apache Kafka's "
                    + "broker in a JVM of its own, an idempotent producer, the Kafka event source mapping). Default: kinesis.")
    String source = StreamSource.KINESIS.cliName();

    @Override
    public Integer call() throws Exception {
        SimulationConfig config = fleet.config(duration, 1);
        StreamSource streams = StreamSource.parse(source);
        if (streams == StreamSource.BOTH) {
            throw new UserMistakeException("the demo accounts for one stream: use --source kinesis or --source kafka");
        }
        long t0 = System.nanoTime();
        System.err.println("twinflow demo: starting the embedded stack (" + streams.cliName() + ")...");
        EmbeddedRuntime runtime = EmbeddedRuntime.start(PipelineSpec.defaults(), new PrintStream(OutputStream.nullOutputStream()),
                () -> StackServices.embedded(Optional.empty()), streams);
        Map<String, Object> report = new LinkedHashMap<>();
        boolean batchOk;
        try (runtime;
             DynamoDbClient dynamoDb = client(DynamoDbClient.builder(), runtime.endpoints().dynamodb());
             S3Client s3 = client(S3Client.builder().forcePathStyle(true), runtime.endpoints().s3());
             SqsClient sqs = client(SqsClient.builder(), runtime.endpoints().sqs());
             KinesisClient kinesis = client(KinesisClient.builder(), runtime.endpoints().kinesis())) {
            System.err.printf("twinflow demo: stack up in %.1f s; %d devices at %.0f records/s for %s%n",
                    runtime.startupTime().toMillis() / 1000.0, config.devices(), config.ratePerSecond(), duration);
            report.putAll(DemoRun.run(runtime, dynamoDb, s3, sqs, kinesis, config, new ProgressBar(System.err), Duration.ofMinutes(3)));
            report.put("startupS", Math.round(runtime.startupTime().toMillis() / 10.0) / 100.0);
            DemoBatch.Outcome outcome = DemoBatch.run(runtime.batch(), dynamoDb,
                    Endpoints.stateDir().resolve("logs").resolve("rollup.log"), System.err);
            report.put("batch", outcome.batch());
            report.put("reconcile", outcome.reconcile());
            batchOk = outcome.jobsSucceeded() && outcome.clean();
        }
        report.put("durationS", Math.round((System.nanoTime() - t0) / 1e7) / 100.0);
        Path file = reportJson != null ? reportJson : Endpoints.stateDir().resolve("demo-report.json");
        if (file.toAbsolutePath().getParent() != null) {
            Files.createDirectories(file.toAbsolutePath().getParent());
        }
        View view = view(report, file);
        Files.writeString(file, view.render(ResultFormat.json));
        output.print(view);
        if (((Number) report.get("unaccounted")).longValue() != 0) {
            return 3;
        }
        return batchOk ? 0 : 4;
    }

    static View view(Map<String, Object> report, Path json) {
        return View.fields(report, summary(report, json));
    }

    /** The few lines people read: the accounting, freshness, the reconcile verdict and where the whole report is. */
    static String summary(Map<String, Object> report, Path json) {
        String n = System.lineSeparator();
        Map<?, ?> reconcile = report.get("reconcile") instanceof Map<?, ?> r ? r : Map.of();
        Object drifts = reconcile.get("drifts");
        String verdict = Boolean.TRUE.equals(reconcile.get("clean"))
                ? "clean (" + reconcile.get("devices") + " devices, " + reconcile.get("valuesCompared") + " values compared)"
                : "DRIFT (" + (drifts instanceof List<?> l ? l.size() : "?") + " drifting values)";
        return "sent " + report.get("sent") + ": applied " + report.get("applied") + ", duplicates " + report.get("duplicates")
                + ", quarantined " + report.get("quarantined") + ", failed " + report.get("failed") + ", unaccounted "
                + report.get("unaccounted") + n
                + "freshness (put -> visible): p50 " + report.get("latencyMsP50") + " ms, p99 " + report.get("latencyMsP99") + " ms" + n
                + "reconcile: " + verdict + n
                + "full report: " + json + " (or --output json)" + n;
    }

    private static <B extends AwsClientBuilder<B, C>
            & AwsSyncClientBuilder<B, C>, C> C client(B builder, String endpoint) {
        return EmulatorClients.configure(builder, URI.create(endpoint)).build();
    }
}
