package io.twinflow.warehouse;

import io.twinflow.core.aggregate.MetricAggregate;
import io.twinflow.core.alert.AlertRule;
import io.twinflow.core.alert.AlertRules;
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
final class SummarySql {

    /** A target table, its COPY column list and the CSV of its new rows. */
    record TableLoad(String table, List<String> columns, String csv, int rows) {
    }

    private static final List<String> DAILY = List.of("dt", "device_id", "event_count", "first_ts", "last_ts", "computed_at");
    private static final List<String> HOURLY = List.of("dt", "hour", "device_id", "event_count", "first_ts", "last_ts", "computed_at");
    private static final List<String> DAILY_METRIC = List.of(
            "dt", "device_id", "metric", "value_count", "value_sum", "value_min", "value_max", "value_avg");
    private static final List<String> HOURLY_METRIC = List.of(
            "dt", "hour", "device_id", "metric", "value_count", "value_sum", "value_min", "value_max", "value_avg");

    private final Dialect dialect;
    private final String schema;

    SummarySql(Dialect dialect, String schema) {
        this.dialect = dialect;
        this.schema = schema;
    }

    List<String> lockAndDelete(LocalDate dt) {
        List<String> sql = new ArrayList<>();
        sql.add(dialect.lockForSummaries(schema));
        for (String table : List.of("device_daily_summary", "device_daily_metric", "device_hourly", "device_hourly_metric")) {
            sql.add("DELETE FROM " + schema + "." + table + " WHERE dt = CAST('" + dt + "' AS DATE)");
        }
        return sql;
    }

    /** The four table loads for a day, after checking every row belongs to it. */
    List<TableLoad> tableLoads(LocalDate dt, List<DeviceSummary> daily, List<DeviceSummary> hourly, Instant computedAt) {
        Instant dayStart = dt.atStartOfDay(ZoneOffset.UTC).toInstant();
        Instant dayEnd = dayStart.plus(Duration.ofDays(1));
        Csv csv = new Csv();
        StringBuilder dailyRows = new StringBuilder();
        StringBuilder dailyMetrics = new StringBuilder();
        int dailyMetricRows = 0;
        for (DeviceSummary s : daily) {
            if (!s.periodStart().equals(dayStart)) {
                throw new IllegalArgumentException("daily row of " + s.deviceId() + " starts at " + s.periodStart() + ", not " + dayStart);
            }
            requireWithin(s, dayStart, dayEnd);
            dailyRows.append(csv.date(dt).string(s.deviceId()).number(s.aggregate().eventCount())
                    .timestamp(s.firstTs()).timestamp(s.lastTs()).timestamp(computedAt).end());
            for (Map.Entry<String, MetricAggregate> m : s.aggregate().metrics().entrySet()) {
                csv.date(dt).string(s.deviceId());
                dailyMetrics.append(metric(csv, m.getKey(), m.getValue()));
                dailyMetricRows++;
            }
        }
        StringBuilder hourlyRows = new StringBuilder();
        StringBuilder hourlyMetrics = new StringBuilder();
        int hourlyMetricRows = 0;
        for (DeviceSummary s : hourly) {
            Instant start = s.periodStart();
            if (start.isBefore(dayStart) || !start.isBefore(dayEnd) || !start.truncatedTo(ChronoUnit.HOURS).equals(start)) {
                throw new IllegalArgumentException("hourly row of " + s.deviceId() + " starts at " + start + ", not at an hour of " + dt);
            }
            requireWithin(s, start, start.plus(Duration.ofHours(1)));
            long hour = Duration.between(dayStart, start).toHours();
            hourlyRows.append(csv.date(dt).number(hour).string(s.deviceId()).number(s.aggregate().eventCount())
                    .timestamp(s.firstTs()).timestamp(s.lastTs()).timestamp(computedAt).end());
            for (Map.Entry<String, MetricAggregate> m : s.aggregate().metrics().entrySet()) {
                csv.date(dt).number(hour).string(s.deviceId());
                hourlyMetrics.append(metric(csv, m.getKey(), m.getValue()));
                hourlyMetricRows++;
            }
        }
        return List.of(
                new TableLoad(schema + ".device_daily_summary", DAILY, dailyRows.toString(), daily.size()),
                new TableLoad(schema + ".device_daily_metric", DAILY_METRIC, dailyMetrics.toString(), dailyMetricRows),
                new TableLoad(schema + ".device_hourly", HOURLY, hourlyRows.toString(), hourly.size()),
                new TableLoad(schema + ".device_hourly_metric", HOURLY_METRIC, hourlyMetrics.toString(), hourlyMetricRows));
    }

    private static String metric(Csv csv, String name, MetricAggregate a) {
        return csv.string(name).number(a.count()).number(a.sum()).number(a.min()).number(a.max()).number(a.avg()).end();
    }

    private static void requireWithin(DeviceSummary s, Instant start, Instant end) {
        if (s.firstTs().isBefore(start) || !s.lastTs().isBefore(end)) {
            throw new IllegalArgumentException("events of " + s.deviceId() + " lie outside [" + start + ", " + end + ")");
        }
    }

    /** Alert rules are a handful of rows: plain literals suffice. */
    List<String> replaceAlertRules(AlertRules rules) {
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
