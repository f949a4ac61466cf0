package io.twinflow.local.tradeoff;

import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** The report as the classic batch-versus-streaming table, with this run's numbers, for a terminal. */
public final class TradeoffTable {

    private static final String ROW = "%-26s %-44s %s%n";

    private TradeoffTable() {
    }

    public static String render(TradeoffReport r) {
        StringBuilder out = new StringBuilder();
        RunFacts f = r.facts();
        out.append(String.format(Locale.ROOT, "twinflow tradeoff: %,d events at %,.0f/s asked (%,.0f/s accepted); prices %s as of %s%n%n",
                f.events(), r.ratePerSecond(), f.measuredRate(), r.prices().region(), r.prices().asOf()));
        out.append(String.format(Locale.ROOT, ROW, "", "REAL-TIME (Kinesis → Lambda → DynamoDB)", "BATCH (Firehose → S3 → Redshift)"));
        out.append(String.format(Locale.ROOT, ROW, "freshness p50 / p99",
                duration(r.streamingFreshness().p50()) + " / " + duration(r.streamingFreshness().p99()) + "  [measured]",
                "events " + duration(r.eventsFreshness().p50()) + " / " + duration(r.eventsFreshness().p99()) + "  [settings+measured]"));
        out.append(String.format(Locale.ROOT, ROW, "", "",
                "summaries " + duration(r.summaryFreshness().p50()) + " / " + duration(r.summaryFreshness().p99())));
        double events = r.atRate().eventsPerMonth();
        out.append(String.format(Locale.ROOT, ROW, "USD per million events", usd(r.streamingUsdPerMillion()) + "  [published prices]",
                usd(r.batchUsdPerMillion())));
        out.append(String.format(Locale.ROOT, ROW, "USD per month at this rate", usd(CostModel.Monthly.total(r.atRate().streaming())),
                usd(CostModel.Monthly.total(r.atRate().batch()))));
        out.append(String.format(Locale.ROOT, ROW, "largest costs", top(r.atRate().streaming(), events), top(r.atRate().batch(), events)));
        out.append(String.format(Locale.ROOT, ROW, "runs", count(r.operations(), "streaming", "always on") + " always-on resources",
                count(r.operations(), "batch", "scheduled") + " scheduled jobs, " + count(r.operations(), "batch", "always on")
                        + " always-on"));
        out.append(String.format(Locale.ROOT, ROW, "usage counted", String.format(Locale.ROOT, "%,d invocations, %,.0f WRU",
                f.streamInvocations(), f.writeUnits()), String.format(Locale.ROOT, "%,d objects, loader %.1f s, rollup %.1f s",
                f.archiveObjects(), f.loaderMs() / 1000.0, f.rollupMs() / 1000.0)));
        out.append(String.format(Locale.ROOT, "%-26s %s%n%n", "both paths together", usd(CostModel.Monthly.total(
                CostModel.Monthly.perMillion(r.atRate().both(), events))) + " per million events (the stream paid once)"));

        out.append(String.format(Locale.ROOT, "%-26s", "projection, USD/month"));
        for (Map<String, Object> row : r.projection()) {
            out.append(String.format(Locale.ROOT, "%14s", String.format(Locale.ROOT, "%,.0f/s", number(row.get("ratePerSecond")))));
        }
        out.append(System.lineSeparator());
        projectionLine(out, r, "real-time", "streamingUsdPerMonth", true);
        projectionLine(out, r, "batch", "batchUsdPerMonth", true);
        projectionLine(out, r, "both", "bothUsdPerMonth", true);
        projectionLine(out, r, "shards needed", "shardsNeeded", false);
        projectionLine(out, r, "lambda concurrency", "lambdaConcurrency", false);
        projectionLine(out, r, "glue workers needed", "glueWorkersNeeded", false);
        out.append(System.lineSeparator()).append("limits of the deployed stack").append(System.lineSeparator());
        for (Map<String, Object> limit : r.limits()) {
            out.append(String.format(Locale.ROOT, "  at %,10.0f events/s  %s [%s]%n", number(limit.get("ratePerSecond")), limit.get("what"),
                    limit.get("basis")));
        }
        out.append(System.lineSeparator())
                .append("measured = counted on this machine; settings = PipelineSpec (what the CDK stack deploys); published = the price file.")
                .append(System.lineSeparator())
                .append("In AWS: Lambda on Graviton, Redshift COPY and Glue start-up differ from this machine. Every figure: --output json.")
                .append(System.lineSeparator());
        return out.toString();
    }

    private static void projectionLine(StringBuilder out, TradeoffReport r, String label, String key, boolean money) {
        out.append(String.format(Locale.ROOT, "  %-24s", label));
        for (Map<String, Object> row : r.projection()) {
            double v = number(row.get(key));
            out.append(String.format(Locale.ROOT, "%14s", money ? usd(v) : String.format(Locale.ROOT, "%,.0f", v)));
        }
        out.append(System.lineSeparator());
    }

    private static String top(Map<String, Double> monthly, double events) {
        return monthly.entrySet().stream().sorted(Map.Entry.<String, Double>comparingByValue(Comparator.reverseOrder())).limit(2)
                .map(e -> e.getKey() + " " + usd(e.getValue() / events * 1e6)).collect(Collectors.joining(", "));
    }

    private static long count(List<Map<String, Object>> operations, String path, String runs) {
        return operations.stream().filter(o -> path.equals(o.get("path")) || "both".equals(o.get("path")))
                .filter(o -> String.valueOf(o.get("runs")).startsWith(runs)).count();
    }

    static String usd(double v) {
        if (v == 0) {
            return "$0";
        }
        return v >= 100 ? String.format(Locale.ROOT, "$%,.0f", v) : v >= 1 ? String.format(Locale.ROOT, "$%.2f", v)
                : String.format(Locale.ROOT, "$%.4f", v);
    }

    static String duration(long ms) {
        if (ms < 0) {
            return "n/a";
        }
        if (ms < 10_000) {
            return String.format(Locale.ROOT, "%.2f s", ms / 1000.0);
        }
        if (ms < 3_600_000) {
            return String.format(Locale.ROOT, "%.1f min", ms / 60_000.0);
        }
        return String.format(Locale.ROOT, "%.1f h", ms / 3_600_000.0);
    }

    private static double number(Object value) {
        return value instanceof Number n ? n.doubleValue() : 0;
    }
}
