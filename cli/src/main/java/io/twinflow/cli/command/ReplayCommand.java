package io.twinflow.cli.command;

import io.twinflow.cli.progress.StatusLine;
import io.twinflow.cli.query.ResultFormat;
import io.twinflow.core.error.UserMistakeException;
import io.twinflow.local.config.ServiceClients;
import io.twinflow.local.replay.ArchiveReplay;
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
                "Safe to repeat: the processor's exactly-once state counts a record it already applied as a duplicate and changes nothing.",
                "--output: json (default), table or csv: the summary's fields, one row each (quarantinedByReason.REASON).",
                "Local stack only for now (--target aws is refused). Exit code 1 when records failed or a shard stopped early."})
public final class ReplayCommand implements Callable<Integer> {

    private static final int BAR_WIDTH = 30;

    @CommandLine.Mixin
    TargetOptions target = new TargetOptions();

    @CommandLine.Option(names = "--from", required = true, paramLabel = "T",
            description = "First arrival time replayed (included): an ISO-8601 instant, or a duration back from now (e.g. 2h).")
    String from;

    @CommandLine.Option(names = "--to", required = true, paramLabel = "T", description = "End of the arrival range (excluded), as --from.")
    String to;

    @CommandLine.Option(names = "--device", paramLabel = "D", description = "Only this device's records; repeat for several. Default: all.")
    List<String> devices = new ArrayList<>();

    @CommandLine.Mixin
    OutputOptions output = new OutputOptions();

    @Override
    public Integer call() throws Exception {
        Instant now = Instant.now();
        Instant start = MetricsCommand.instant("--from", from, now);
        Instant end = MetricsCommand.instant("--to", to, now);
        ArchiveReplay.checkRange(start, end);
        ServiceClients clients = target.clients();
        if (clients.localEndpoints().isEmpty()) {
            throw new UserMistakeException("replay runs against a local stack only for now: leave out --target aws");
        }
        Map<String, Object> summary;
        try (StatusLine status = new StatusLine(System.err, "replay")) {
            summary = ArchiveReplay.local(clients.localEndpoints().get(), start, end, Set.copyOf(devices),
                    (done, total) -> status.set(bar(done, total)));
        }
        output.print(View.fields(summary), ResultFormat.json);
        long failed = ((Number) summary.get("failed")).longValue() + ((Number) summary.get("notReplayed")).longValue();
        return failed == 0 ? 0 : 1;
    }

    static String bar(long done, long total) {
        int filled = (int) (BAR_WIDTH * done / Math.max(1, total));
        return String.format("[%s%s] %3d%% %d/%d records", "#".repeat(filled), ".".repeat(BAR_WIDTH - filled),
                100 * done / Math.max(1, total), done, total);
    }
}
