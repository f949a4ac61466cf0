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
                "Reads the stack started by `local up`; --target aws is not built yet."})
final class StatusCommand implements Callable<Integer> {

    public enum Output { table, json }

    @CommandLine.Mixin
    TargetOptions target = new TargetOptions();

    @CommandLine.Option(names = "--output", paramLabel = "table|json",
            description = "json: {stream, batches, onFailure, archive, loader, rollup} (see the README). Default: ${DEFAULT-VALUE}.")
    Output output = Output.table;

    @Override
    public Integer call() throws Exception {
        if (target.target == TargetOptions.Target.aws) {
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
        if (output == Output.json) {
            JsonOutput.print(status);
        } else {
            print(status);
        }
        return 0;
    }

    private static void print(StackStatus s) {
        System.out.println("stream " + s.stream().name());
        System.out.printf("  %-28s %12s %14s%n", "shard", "behind", "oldest (ms)");
        for (StackStatus.Shard shard : s.stream().shards()) {
            System.out.printf("  %-28s %12s %14d%n", shard.shardId(), (shard.recordsBehindCapped() ? ">=" : "") + shard.recordsBehind(),
                    shard.millisBehind());
        }
        Map<String, Object> b = s.batches();
        System.out.printf("batches since start: %s batches, %s records: applied %s, duplicates %s, quarantined %s %s, failed %s%n",
                b.get("batches"), b.get("records"), b.get("applied"), b.get("duplicates"), b.get("quarantined"), b.get("quarantinedByReason"),
                b.get("failed"));
        System.out.printf("on-failure queue %s: %d waiting, %d in flight%n", s.onFailure().queue(), s.onFailure().depth(), s.onFailure().inFlight());
        System.out.printf("raw archive: %d objects, %d not loaded%s%n", s.archive().rawObjects(), s.archive().unloaded(),
                s.archive().oldestUnloaded() == null ? "" : " (oldest " + s.archive().oldestUnloaded() + ")");
        StackStatus.Loader l = s.loader();
        System.out.println(l.lastLoadAt() == null ? "loader: never ran"
                : String.format("loader: last %s %s at %s%s; load log: %d objects loaded, %d failed; rows %d loaded, %d duplicate, %d quarantined",
                        l.lastStatus(), l.lastObject(), l.lastLoadAt(), l.lastError() == null ? "" : " (" + l.lastError() + ")",
                        l.objectsLoaded(), l.objectsFailed(), l.rowsLoaded(), l.rowsDuplicate(), l.rowsQuarantined()));
        StackStatus.Rollup r = s.rollup();
        System.out.println((r.lastComputedAt() == null ? "rollup: never ran" : "rollup: last day " + r.lastDay() + " computed at " + r.lastComputedAt())
                + (r.pendingDays().isEmpty() ? "" : "; waiting: " + String.join(", ", r.pendingDays())));
    }
}
