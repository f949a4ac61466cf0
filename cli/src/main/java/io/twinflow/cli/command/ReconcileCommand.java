package io.twinflow.cli.command;

import io.twinflow.live.reconcile.Drift;
import io.twinflow.live.reconcile.ReconcileReport;
import io.twinflow.live.reconcile.Reconciler;
import io.twinflow.local.batch.ReconcileSummary;
import io.twinflow.local.config.ServiceClients;
import io.twinflow.local.status.ReconcileLog;
import io.twinflow.warehouse.QueryResult;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

@CommandLine.Command(name = "reconcile", mixinStandardHelpOptions = true,
        description = {"Proves streaming and batch agree for one event-time day: per device and metric, the day's totals "
                + "from the DynamoDB window aggregates, from the warehouse's events table (written by the loader) and from its "
                + "daily summary (written by the rollup). "
                + "Counts, minima and maxima must match exactly, sums within what adding the same values in another "
                + "order can give (a relative 1e-9, more where large values cancel).",
                "--output json: {clean, dates, devices, valuesCompared, sumTolerance, pendingRollupDates, drifts:[{date, deviceId, "
                        + "metric, field, streaming, batch, events}]}; csv: the drifting values, one row each (only the header when clean).",
                "Exit code 1 when anything drifts. Local stack by default; --target aws reads DynamoDB and Redshift. "
                        + "Each run is recorded in the warehouse's reconcile_log: `twinflow status` shows the last."})
public final class ReconcileCommand implements Callable<Integer> {

    @CommandLine.Mixin
    TargetOptions target = new TargetOptions();

    @CommandLine.Mixin
    WarehouseOptions warehouse = new WarehouseOptions();

    @CommandLine.Option(names = "--date", converter = DayConverter.class, required = true, paramLabel = "D",
            description = "The UTC event-time day, YYYY-MM-DD.")
    LocalDate date;

    @CommandLine.Mixin
    OutputOptions output = new OutputOptions();

    @Override
    public Integer call() throws Exception {
        ServiceClients clients = target.clients();
        ReconcileReport report;
        try (DynamoDbClient dynamoDb = clients.dynamoDb();
             WarehouseOptions.Connection connection = warehouse.open(clients)) {
            report = new Reconciler(LiveQueries.reader(clients, dynamoDb), connection.warehouse(),
                    clients.spec().warehouse().schema()).reconcile(date);
            ReconcileLog.record(connection.warehouse(), clients.spec(), report, Instant.now());
        }
        output.print(view(report));
        return report.clean() ? 0 : 1;
    }

    /** The table: the summary line, then the drifting values; CSV: those values' rows. */
    static View view(ReconcileReport report) {
        List<List<Object>> rows = new ArrayList<>();
        for (Drift d : report.drifts()) {
            rows.add(Arrays.asList(report.date().toString(), d.deviceId(), d.metric(), d.field(), d.streaming(), d.events(), d.batch()));
        }
        StringBuilder text = new StringBuilder(String.format("%s: %d devices, %d values compared: %s%n", report.date(), report.devices(),
                report.valuesCompared(), report.clean() ? "no drift" : report.drifts().size() + " drifting values"));
        if (!report.clean()) {
            text.append(String.format("%-24s %-14s %-7s %20s %20s %20s%n", "device", "metric", "field", "streaming", "events table", "daily summary"));
            for (Drift d : report.drifts()) {
                text.append(String.format("%-24s %-14s %-7s %20s %20s %20s%n", d.deviceId(), d.metric() == null ? "(events)" : d.metric(),
                        d.field(), value(d.streaming()), value(d.events()), value(d.batch())));
            }
        }
        if (report.pendingRollup()) {
            text.append("late events of this day were loaded after its rollup: the next scheduled rollup re-rolls it "
                    + "(or now: twinflow batch run --job rollup --date " + report.date() + ")").append(System.lineSeparator());
        }
        return new View(ReconcileSummary.of(List.of(report)), new QueryResult(
                List.of("date", "deviceId", "metric", "field", "streaming", "events", "batch"), rows), text.toString());
    }

    private static String value(Double v) {
        return v == null ? "missing" : (v == Math.rint(v) && Math.abs(v) < 1e15 ? String.valueOf(v.longValue()) : String.valueOf(v));
    }
}
