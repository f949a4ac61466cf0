package io.twinflow.cli.command;

import io.twinflow.core.error.UserMistakeException;
import io.twinflow.local.config.Endpoints;
import io.twinflow.local.config.ServiceClients;
import io.twinflow.local.status.StackStatus;
import io.twinflow.local.status.StatusReader;
import java.net.URI;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;

@CommandLine.Command(name = "status", mixinStandardHelpOptions = true,
        description = {"How the pipeline is doing: the stream's shards and how far the stream processor is behind on each, "
                + "its batches since the stack started (applied, duplicates, quarantined by reason, failed), the on-failure queue's "
                + "depth, raw objects archived but not loaded, the load log and the rollup.",
                "--output json: {stream, batches, onFailure, archive, loader, rollup} (see the README); csv: one row per field "
                        + "(field,value; nested fields as dotted paths, e.g. stream.shards[0].recordsBehind).",
                "Reads the stack started by `local up`; --target aws is not built yet."})
final class StatusCommand implements Callable<Integer> {

    @CommandLine.Mixin
    TargetOptions target = new TargetOptions();

    @CommandLine.Mixin
    OutputOptions output = new OutputOptions();

    @Override
    public Integer call() throws Exception {
        if (target.target() == TargetOptions.Target.aws) {
            throw new UserMistakeException("`twinflow status --target aws` is not built yet: use the stack's CloudWatch dashboard and alarms");
        }
        ServiceClients clients = target.clients();
        Endpoints endpoints = clients.localEndpoints().orElseThrow(() -> new UserMistakeException(
                "`twinflow status` reads a stack started by `./twinflow local up` (with --target localstack too): none serves " + target.endpointUrl));
        StackStatus status;
        try (KinesisClient kinesis = clients.kinesis(); SqsClient sqs = clients.sqs(); S3Client s3 = clients.s3();
             WarehouseOptions.Connection warehouse = new WarehouseOptions().open(clients)) {
            String queueUrl = endpoints.resources().queueUrls().get(clients.spec().queues().streamFailures());
            status = new StatusReader(clients.spec(), URI.create(endpoints.api()), kinesis, sqs, queueUrl, s3, warehouse.warehouse(),
                    Clock.systemUTC()).read();
        }
        output.print(view(status));
        return 0;
    }

    static View view(StackStatus s) {
        StringBuilder text = new StringBuilder("stream " + s.stream().name() + System.lineSeparator());
        text.append(String.format("  %-28s %12s %14s%n", "shard", "behind", "oldest (ms)"));
        for (StackStatus.Shard shard : s.stream().shards()) {
            text.append(String.format("  %-28s %12s %14d%n", shard.shardId(), (shard.recordsBehindCapped() ? ">=" : "") + shard.recordsBehind(),
                    shard.millisBehind()));
        }
        Map<String, Object> b = s.batches();
        text.append(String.format("batches since start: %s batches, %s records: applied %s, duplicates %s, quarantined %s %s, failed %s%n",
                b.get("batches"), b.get("records"), b.get("applied"), b.get("duplicates"), b.get("quarantined"), b.get("quarantinedByReason"),
                b.get("failed")));
        text.append(String.format("on-failure queue %s: %d waiting, %d in flight%n", s.onFailure().queue(), s.onFailure().depth(),
                s.onFailure().inFlight()));
        text.append(String.format("raw archive: %d objects, %d not loaded%s%n", s.archive().rawObjects(), s.archive().unloaded(),
                s.archive().oldestUnloaded() == null ? "" : " (oldest " + s.archive().oldestUnloaded() + ")"));
        StackStatus.Loader l = s.loader();
        text.append(l.lastLoadAt() == null ? "loader: never ran"
                : String.format("loader: last %s %s at %s%s; load log: %d objects loaded, %d failed; rows %d loaded, %d duplicate, %d quarantined",
                        l.lastStatus(), l.lastObject(), l.lastLoadAt(), l.lastError() == null ? "" : " (" + l.lastError() + ")",
                        l.objectsLoaded(), l.objectsFailed(), l.rowsLoaded(), l.rowsDuplicate(), l.rowsQuarantined())).append(System.lineSeparator());
        StackStatus.Rollup r = s.rollup();
        text.append(r.lastComputedAt() == null ? "rollup: never ran" : "rollup: last day " + r.lastDay() + " computed at " + r.lastComputedAt())
                .append(r.pendingDays().isEmpty() ? "" : "; waiting: " + String.join(", ", r.pendingDays())).append(System.lineSeparator());
        return View.fields(s, text.toString());
    }
}
