package io.twinflow.cli.command;

import io.twinflow.core.error.UserMistakeException;
import io.twinflow.local.config.ServiceClients;
import io.twinflow.warehouse.QueryResult;
import io.twinflow.warehouse.Report;
import java.time.LocalDate;
import java.util.concurrent.Callable;
import picocli.CommandLine;

@CommandLine.Command(name = "query", mixinStandardHelpOptions = true,
        description = {"Runs an analysts' report or any SQL against the warehouse: the local stack's PostgreSQL by default, "
                + "Amazon Redshift (Data API) with --target aws.",
                "Reports: daily-fleet (v_daily_fleet_report), alerts (v_alerts), top-anomalies (v_anomalies), "
                        + "device-health (v_device_health), battery-trend (v_battery_trend). Without --date a per-day "
                        + "report shows the latest day (daily-fleet: the last 31 days); device-health has no date.",
                "--output json prints ONE JSON array of row objects keyed by column name; csv is RFC 4180; table is aligned text."})
public final class QueryCommand implements Callable<Integer> {

    @CommandLine.Mixin
    TargetOptions target = new TargetOptions();

    @CommandLine.Mixin
    WarehouseOptions warehouse = new WarehouseOptions();

    @CommandLine.ArgGroup(exclusive = true, multiplicity = "1")
    What what;

    static final class What {
        @CommandLine.Option(names = "--report", paramLabel = "NAME", description = "A named report (see above).")
        String report;

        @CommandLine.Option(names = "--sql", paramLabel = "SQL", description = "One SQL statement, e.g. \"SELECT * FROM telemetry.events LIMIT 10\".")
        String sql;
    }

    @CommandLine.Option(names = "--date", converter = DayConverter.class, paramLabel = "D", description = "The day (YYYY-MM-DD, UTC event time) for --report.")
    LocalDate date;

    @CommandLine.Mixin
    OutputOptions output = new OutputOptions();

    @Override
    public Integer call() throws Exception {
        if (what.sql != null && date != null) {
            throw new UserMistakeException("--date applies to --report only; put the day into the SQL");
        }
        String sql;
        ServiceClients clients = target.clients();
        String schema = clients.spec().warehouse().schema();
        if (what.report != null) {
            sql = report(what.report).sql(schema, date);
        } else {
            sql = what.sql;
        }
        QueryResult result;
        try (WarehouseOptions.Connection connection = warehouse.open(clients)) {
            result = connection.warehouse().query(sql);
        }
        output.print(view(result));
        return 0;
    }

    static View view(QueryResult result) {
        return View.table(result.asMaps(), result);
    }

    private static Report report(String name) {
        try {
            return Report.byName(name);
        } catch (IllegalArgumentException unknown) {
            // The warehouse's message lists the known reports.
            throw new UserMistakeException(unknown.getMessage(), unknown);
        }
    }
}
