package io.twinflow.cli.command;

import io.twinflow.cli.progress.StatusLine;
import io.twinflow.cli.query.ResultFormat;
import io.twinflow.core.error.UserMistakeException;
import io.twinflow.local.config.ServiceClients;
import io.twinflow.local.replay.ArchiveReplay;
import io.twinflow.local.replay.OnFailureReplay;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;

@CommandLine.Command(name = "replay", mixinStandardHelpOptions = true,
        description = {"Feeds the archived records whose arrival time is in [--from, --to) from the S3 raw archive through the same "
                + "stream processor handler, per shard in sequence order and in batches; a progress bar on stderr, then one summary "
                + "JSON on stdout shaped like the batch summary line (records, applied, duplicates, quarantined by reason, failed).",
                "With --on-failure instead: re-drives every batch recorded on the stream's on-failure queue (its shard and sequence "
                        + "range) from the stream while it retains the records, else from the archive, through the same handler; "
                        + "a message is deleted only once its records are applied, duplicates or quarantined, and each message left "
                        + "on the queue is listed in the summary's \"kept\" with a reason code.",
                "Safe to repeat: the processor's exactly-once state counts a record it already applied as a duplicate and changes nothing.",
                "--output: json (default), table or csv: the summary's fields, one row each (quarantinedByReason.REASON, kept[0].reason).",
                "Local stack only for now (--target aws is refused). Exit code 1 when records failed, a shard stopped early or a message "
                        + "stayed on the on-failure queue."})
public final class ReplayCommand implements Callable<Integer> {

    private static final int BAR_WIDTH = 30;

    @CommandLine.Mixin
    TargetOptions target = new TargetOptions();

    @CommandLine.Option(names = "--from", paramLabel = "T",
            description = "First arrival time replayed (included): an ISO-8601 instant, or a duration back from now (e.g. 2h).")
    String from;

    @CommandLine.Option(names = "--to", paramLabel = "T", description = "End of the arrival range (excluded), as --from.")
    String to;

    @CommandLine.Option(names = "--device", paramLabel = "D", description = "Only this device's records; repeat for several. Default: all.")
    List<String> devices = new ArrayList<>();

    @CommandLine.Option(names = "--on-failure",
            description = "Re-drive the batches on the on-failure queue instead of an arrival range (no --from, --to or --device).")
    boolean onFailure;

    @CommandLine.Mixin
    OutputOptions output = new OutputOptions();

    @Override
    public Integer call() throws Exception {
        if (onFailure && (from != null || to != null || !devices.isEmpty())) {
            throw new UserMistakeException("--on-failure re-drives whole batches from the on-failure queue: leave out --from, --to and --device");
        }
        if (!onFailure && (from == null || to == null)) {
            throw new UserMistakeException("replay needs --from T and --to T (an arrival range), or --on-failure");
        }
        Instant now = Instant.now();
        Instant start = onFailure ? null : MetricsCommand.instant("--from", from, now);
        Instant end = onFailure ? null : MetricsCommand.instant("--to", to, now);
        if (!onFailure) {
            ArchiveReplay.checkRange(start, end);
        }
        ServiceClients clients = target.clients();
        if (clients.localEndpoints().isEmpty()) {
            throw new UserMistakeException("replay runs against a local stack only for now: leave out --target aws");
        }
        Map<String, Object> summary;
        try (StatusLine status = new StatusLine(System.err, "replay")) {
            summary = onFailure
                    ? OnFailureReplay.local(clients.localEndpoints().get(), (done, total) -> status.set(bar(done, total, "messages")))
                    : ArchiveReplay.local(clients.localEndpoints().get(), start, end, Set.copyOf(devices),
                            (done, total) -> status.set(bar(done, total, "records")));
        }
        output.print(View.fields(summary), ResultFormat.json);
        long failed = ((Number) summary.get("failed")).longValue() + ((Number) summary.get("notReplayed")).longValue();
        boolean keptMessages = summary.get("kept") instanceof List<?> kept && !kept.isEmpty();
        return failed == 0 && !keptMessages ? 0 : 1;
    }

    static String bar(long done, long total, String unit) {
        int filled = (int) (BAR_WIDTH * done / Math.max(1, total));
        return String.format("[%s%s] %3d%% %d/%d %s", "#".repeat(filled), ".".repeat(BAR_WIDTH - filled),
                100 * done / Math.max(1, total), done, total, unit);
    }
}
