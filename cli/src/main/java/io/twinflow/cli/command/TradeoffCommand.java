package io.twinflow.cli.command;

import io.twinflow.local.config.Endpoints;
import io.twinflow.local.simulate.ProgressBar;
import io.twinflow.local.simulate.SimulationConfig;
import io.twinflow.local.tradeoff.LatestTradeoff;
import io.twinflow.local.tradeoff.PriceTable;
import io.twinflow.local.tradeoff.TradeoffHtml;
import io.twinflow.local.tradeoff.TradeoffReport;
import io.twinflow.local.tradeoff.TradeoffRun;
import io.twinflow.local.tradeoff.TradeoffTable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;

@CommandLine.Command(name = "tradeoff", mixinStandardHelpOptions = true,
        description = {"Batch versus real-time on your own data: runs a simulated fleet through both paths of a private "
                + "embedded stack (as demo does), counts what each path did (an SDK interceptor on every client, the "
                + "local event source mapping, the batch jobs' time) and reports freshness, cost per million events, "
                + "a projection to 10 .. 10,000 events/s with the limits of the deployed stack, and what each path needs running.",
                "Every figure says whether it was measured here, derived from a setting of the stack, or computed from "
                        + "published prices and limits. Prices: the repository's local-runtime/src/main/resources/tradeoff/prices.json "
                        + "(us-east-1, on-demand) unless --prices names another.",
                "--output json: the whole report; csv: one row per field of it (field,value; nested fields as dotted paths).",
                "Exit code 3 when records went unaccounted, 4 when a batch job failed or reconcile found drift (the report is still printed)."})
public final class TradeoffCommand implements Callable<Integer> {

    @CommandLine.Mixin
    FleetOptions fleet = new FleetOptions();

    @CommandLine.Option(names = "--duration", paramLabel = "D", converter = DurationConverter.class,
            description = "How long the fleet sends (30s, 2m, ...). Default: 30s.")
    Duration duration = Duration.ofSeconds(30);

    @CommandLine.Option(names = "--prices", paramLabel = "FILE", description = "A price file of the same shape as the repository's.")
    Path pricesFile;

    @CommandLine.Mixin
    OutputOptions output = new OutputOptions();

    @CommandLine.Option(names = "--html", paramLabel = "FILE", description = "Also write a self-contained HTML report with charts here.")
    Path html;

    @Override
    public Integer call() throws Exception {
        // Before the stack starts: a bad price file is a one-line mistake, not a minute's wait.
        PriceTable prices = pricesFile == null ? PriceTable.bundled() : PriceTable.load(pricesFile);
        SimulationConfig config = fleet.config(duration, 1);
        TradeoffReport report = TradeoffRun.run(config, prices, new ProgressBar(System.err), System.err,
                Endpoints.stateDir().resolve("logs").resolve("rollup.log"));
        output.print(View.fields(report.toMap(), TradeoffTable.render(report)));
        if (html != null) {
            if (html.toAbsolutePath().getParent() != null) {
                Files.createDirectories(html.toAbsolutePath().getParent());
            }
            Files.writeString(html, TradeoffHtml.render(report));
            System.err.println("twinflow tradeoff: wrote " + html);
        }
        LatestTradeoff latest = new LatestTradeoff(Endpoints.stateDir());
        latest.save(report);
        System.err.println("twinflow tradeoff: kept as " + latest.htmlFile() + " (the dashboard's Trade-off page shows it)");
        Map<String, Object> run = report.run();
        if (run.get("unaccounted") instanceof Number n && n.longValue() != 0) {
            return 3;
        }
        boolean clean = run.get("reconcile") instanceof Map<?, ?> r && Boolean.TRUE.equals(r.get("clean"));
        return clean && Boolean.TRUE.equals(run.get("batchJobsSucceeded")) ? 0 : 4;
    }
}
