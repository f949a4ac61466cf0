package io.twinflow.warehouse.sql;

import io.twinflow.core.aggregate.MetricAggregate;
import io.twinflow.core.alert.AlertRule;
import io.twinflow.core.alert.AlertRules;
import io.twinflow.warehouse.DeviceSummary;
import java.io.IOException;
import java.io.Writer;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Summary and alert-rule writes for both adapters: the day's rows are deleted and the new rows copied
 * in, per table, under one lock and in one transaction. The rows travel as CSV (COPY FROM STDIN
 * locally, COPY from S3 on Redshift) because a day of a large fleet is too many rows for literals.
 */
public final class SummarySql {

    /** Writes a table's rows as CSV. */
    @FunctionalInterface
    public interface CsvSource {
        void writeTo(Writer out) throws IOException;
    }

    /**
     * A target table, its COPY column list, how many rows it gets, and the rows themselves, rendered
     * only while they are copied: a day of a large fleet is never held as one big string.
     */
    public record TableLoad(String table, List<String> columns, int rows, CsvSource csv) {
    }

    private static final List<String> DAILY = List.of("dt", "device_id", "event_count", "first_ts", "last_ts", "computed_at");
    private static final List<String> HOURLY = List.of("dt", "hour", "device_id", "event_count", "first_ts", "last_ts", "computed_at");
    private static final List<String> DAILY_METRIC = List.of(
            "dt", "device_id", "metric", "value_count", "value_sum", "value_min", "value_max", "value_avg");
    private static final List<String> HOURLY_METRIC = List.of(
            "dt", "hour", "device_id", "metric", "value_count", "value_sum", "value_min", "value_max", "value_avg");

    private final Dialect dialect;
    private final String schema;

    public SummarySql(Dialect dialect, String schema) {
        this.dialect = dialect;
        this.schema = schema;
    }

    public List<String> lockAndDelete(LocalDate dt) {
        List<String> sql = new ArrayList<>();
        sql.add(dialect.lockForSummaries(schema));
        for (String table : List.of("device_daily_summary", "device_daily_metric", "device_hourly", "device_hourly_metric")) {
            sql.add("DELETE FROM " + schema + "." + table + " WHERE dt = CAST('" + dt + "' AS DATE)");
        }
        return sql;
    }

    /** Deletes a day's rollup requests made up to a moment (the rollup's listing time). */
    public String deleteRollupRequests(LocalDate dt, Instant upTo) {
        return "DELETE FROM " + schema + ".rollup_requests WHERE dt = CAST('" + dt + "' AS DATE) AND requested_at <= CAST('"
                + Csv.timestampLiteral(upTo) + "' AS TIMESTAMPTZ)";
    }

    /** The four table loads for a day, after checking that every row belongs to it. */
    public List<TableLoad> tableLoads(LocalDate dt, List<DeviceSummary> daily, List<DeviceSummary> hourly, Instant computedAt) {
        Instant dayStart = dt.atStartOfDay(ZoneOffset.UTC).toInstant();
        Instant dayEnd = dayStart.plus(Duration.ofDays(1));
        for (DeviceSummary s : daily) {
            if (!s.periodStart().equals(dayStart)) {
                throw new IllegalArgumentException("daily row of " + s.deviceId() + " starts at " + s.periodStart() + ", not " + dayStart);
            }
            requireWithin(s, dayStart, dayEnd);
        }
        for (DeviceSummary s : hourly) {
            Instant start = s.periodStart();
            if (start.isBefore(dayStart) || !start.isBefore(dayEnd) || !start.truncatedTo(ChronoUnit.HOURS).equals(start)) {
                throw new IllegalArgumentException("hourly row of " + s.deviceId() + " starts at " + start + ", not at an hour of " + dt);
            }
            requireWithin(s, start, start.plus(Duration.ofHours(1)));
        }
        int dailyMetrics = daily.stream().mapToInt(s -> s.aggregate().metrics().size()).sum();
        int hourlyMetrics = hourly.stream().mapToInt(s -> s.aggregate().metrics().size()).sum();
        return List.of(
                new TableLoad(schema + ".device_daily_summary", DAILY, daily.size(), out -> {
                    Csv csv = new Csv();
                    for (DeviceSummary s : daily) {
                        out.write(totals(csv.date(dt), s, computedAt));
                    }
                }),
                new TableLoad(schema + ".device_daily_metric", DAILY_METRIC, dailyMetrics, out -> {
                    Csv csv = new Csv();
                    for (DeviceSummary s : daily) {
                        for (Map.Entry<String, MetricAggregate> m : s.aggregate().metrics().entrySet()) {
                            out.write(metric(csv.date(dt).string(s.deviceId()), m.getKey(), m.getValue()));
                        }
                    }
                }),
                new TableLoad(schema + ".device_hourly", HOURLY, hourly.size(), out -> {
                    Csv csv = new Csv();
                    for (DeviceSummary s : hourly) {
                        out.write(totals(csv.date(dt).number(hourOf(dayStart, s)), s, computedAt));
                    }
                }),
                new TableLoad(schema + ".device_hourly_metric", HOURLY_METRIC, hourlyMetrics, out -> {
                    Csv csv = new Csv();
                    for (DeviceSummary s : hourly) {
                        for (Map.Entry<String, MetricAggregate> m : s.aggregate().metrics().entrySet()) {
                            out.write(metric(csv.date(dt).number(hourOf(dayStart, s)).string(s.deviceId()), m.getKey(), m.getValue()));
                        }
                    }
                }));
    }

    private static long hourOf(Instant dayStart, DeviceSummary s) {
        return Duration.between(dayStart, s.periodStart()).toHours();
    }

    private static String totals(Csv csv, DeviceSummary s, Instant computedAt) {
        return csv.string(s.deviceId()).number(s.aggregate().eventCount())
                .timestamp(s.firstTs()).timestamp(s.lastTs()).timestamp(computedAt).end();
    }

    /** Appends a metric's columns to a row that already holds its key columns. */
    private static String metric(Csv csv, String name, MetricAggregate a) {
        return csv.string(name).number(a.count()).number(a.sum()).number(a.min()).number(a.max()).number(a.avg()).end();
    }

    private static void requireWithin(DeviceSummary s, Instant start, Instant end) {
        if (s.firstTs().isBefore(start) || !s.lastTs().isBefore(end)) {
            throw new IllegalArgumentException("events of " + s.deviceId() + " lie outside [" + start + ", " + end + ")");
        }
    }

    /** Alert rules are a handful of rows: plain literals suffice. */
    public List<String> replaceAlertRules(AlertRules rules) {
        List<String> sql = new ArrayList<>();
        sql.add("DELETE FROM " + schema + ".alert_rules");
        if (!rules.rules().isEmpty()) {
            List<String> values = new ArrayList<>();
            for (AlertRule r : rules.rules()) {
                values.add("(" + dialect.quote(r.id()) + ", " + dialect.quote(r.metric()) + ", "
                        + dialect.quote(r.operator().symbol()) + ", " + r.threshold() + ")");
            }
            sql.add("INSERT INTO " + schema + ".alert_rules (rule_id, metric, operator, threshold) VALUES "
                    + String.join(", ", values));
        }
        return sql;
    }
}
