package io.twinflow.cli.command;

import io.twinflow.core.error.UserMistakeException;
import io.twinflow.core.settings.FunctionEnvironment;
import io.twinflow.local.config.Endpoints;
import io.twinflow.local.config.ServiceClients;
import io.twinflow.local.status.AwsStatusReader;
import io.twinflow.local.status.StackStatus;
import io.twinflow.local.status.StatusReader;
import java.net.URI;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;

@CommandLine.Command(name = "status", mixinStandardHelpOptions = true,
        description = {"How the pipeline is doing: the stream's shards and how far the stream processor is behind on each, "
                + "its batches since the stack started (applied, duplicates, quarantined by reason, failed), the on-failure queue's "
                + "depth, raw objects archived but not loaded, the load log, the rollup and the last reconcile.",
                "--output json: {stream, batches, onFailure, archive, loader, rollup, reconcile} (see the README); csv: one row per field "
                        + "(field,value; nested fields as dotted paths, e.g. stream.shards[0].recordsBehind).",
                "Reads the stack started by `local up`; with --target aws the deployed stack: CloudWatch metrics of the last 24 hours, "
                        + "SQS attributes, S3 listings of the last 24 raw hours and the warehouse (never a table scan)."})
final class StatusCommand implements Callable<Integer> {

    @CommandLine.Mixin
    TargetOptions target = new TargetOptions();

    @CommandLine.Mixin
    OutputOptions output = new OutputOptions();

    @CommandLine.Mixin
    WarehouseOptions warehouseOptions = new WarehouseOptions();

    @CommandLine.Option(names = "--raw-bucket", paramLabel = "BUCKET",
            description = "The raw archive bucket (--target aws; the stack's RawBucket output). Default: $" + FunctionEnvironment.RAW_BUCKET + ".")
    String rawBucket;

    @Override
    public Integer call() throws Exception {
        StackStatus status = target.target() == TargetOptions.Target.aws ? aws() : local();
        output.print(view(status));
        return 0;
    }

    private StackStatus aws() throws Exception {
        String bucket = rawBucket != null ? rawBucket : System.getenv(FunctionEnvironment.RAW_BUCKET);
        if (bucket == null || bucket.isBlank()) {
            throw new UserMistakeException("`twinflow status --target aws` needs the raw archive bucket: pass --raw-bucket "
                    + "(the stack's RawBucket output) or set " + FunctionEnvironment.RAW_BUCKET);
        }
        ServiceClients clients = target.clients();
        try (KinesisClient kinesis = clients.kinesis(); CloudWatchClient cloudWatch = clients.cloudWatch(); SqsClient sqs = clients.sqs();
             S3Client s3 = clients.s3(); WarehouseOptions.Connection warehouse = warehouseOptions.open(clients)) {
            return new AwsStatusReader(clients.spec(), bucket, kinesis, cloudWatch, sqs, s3, warehouse.warehouse(), Clock.systemUTC()).read();
        }
    }

    private StackStatus local() throws Exception {
        ServiceClients clients = target.clients();
        Endpoints endpoints = clients.localEndpoints().orElseThrow(() -> new UserMistakeException(
                "`twinflow status` reads a stack started by `./twinflow local up` (with --target localstack too): none serves " + target.endpointUrl));
        try (KinesisClient kinesis = clients.kinesis(); SqsClient sqs = clients.sqs(); S3Client s3 = clients.s3();
             WarehouseOptions.Connection warehouse = warehouseOptions.open(clients)) {
            String queueUrl = endpoints.resources().queueUrls().get(clients.spec().queues().streamFailures());
            return new StatusReader(clients.spec(), URI.create(endpoints.api()), kinesis, sqs, queueUrl, s3, warehouse.warehouse(),
                    Clock.systemUTC()).read();
        }
    }

    /** One text for every target: a figure the source cannot give shows as - or ?. */
    static View view(StackStatus s) {
        StringBuilder text = new StringBuilder("stream " + s.stream().name() + ": stream processor "
                + (s.stream().iteratorAgeMillis() == null ? "behind by ? (no iterator age in the last minutes)"
                        : "behind by " + s.stream().iteratorAgeMillis() + " ms") + System.lineSeparator());
        text.append(String.format("  %-28s %12s %14s%n", "shard", "behind", "oldest (ms)"));
        for (StackStatus.Shard shard : s.stream().shards()) {
            text.append(String.format("  %-28s %12s %14s%n", shard.shardId(), shard.recordsBehind() == null ? "-"
                    : (shard.recordsBehindCapped() ? ">=" : "") + shard.recordsBehind(), shard.millisBehind() == null ? "-" : shard.millisBehind()));
        }
        Map<String, Object> b = s.batches();
        text.append(String.format("batches " + (b.containsKey("since") ? "since " + b.get("since") : "since start")
                + ": %s batches, %s records: applied %s, duplicates %s, quarantined %s %s, failed %s%n",
                b.get("batches"), b.get("records"), b.get("applied"), b.get("duplicates"), b.get("quarantined"), b.get("quarantinedByReason"),
                b.get("failed")));
        text.append(String.format("on-failure queue %s: %d waiting, %d in flight%n", s.onFailure().queue(), s.onFailure().depth(),
                s.onFailure().inFlight()));
        text.append(String.format("raw archive%s: %d objects, %d not loaded%s%n", s.archive().listedFrom() == null ? "" : " from "
                + s.archive().listedFrom(), s.archive().rawObjects(), s.archive().unloaded(),
                s.archive().oldestUnloaded() == null ? "" : " (oldest " + s.archive().oldestUnloaded() + ")"));
        StackStatus.Loader l = s.loader();
        text.append(l.lastLoadAt() == null ? "loader: never ran"
                : String.format("loader: last %s %s at %s%s; load log: %d objects loaded, %d failed; rows %d loaded, %d duplicate, %d quarantined",
                        l.lastStatus(), l.lastObject(), l.lastLoadAt(), l.lastError() == null ? "" : " (" + l.lastError() + ")",
                        l.objectsLoaded(), l.objectsFailed(), l.rowsLoaded(), l.rowsDuplicate(), l.rowsQuarantined())).append(System.lineSeparator());
        StackStatus.Rollup r = s.rollup();
        text.append(r.lastComputedAt() == null ? "rollup: never ran" : "rollup: last day " + r.lastDay() + " computed at " + r.lastComputedAt())
                .append(r.pendingDays().isEmpty() ? "" : "; waiting: " + String.join(", ", r.pendingDays())).append(System.lineSeparator());
        StackStatus.Reconcile c = s.reconcile();
        text.append(c.lastReconciledAt() == null ? "reconcile: never ran"
                : "reconcile: last of day " + c.date() + " at " + c.lastReconciledAt() + ": " + c.verdict() + ", " + c.drifts() + " drifting values")
                .append(System.lineSeparator());
        return View.fields(s, text.toString());
    }
}
