package io.twinflow.dashboard;

import io.twinflow.live.LiveStateReader;
import io.twinflow.live.reconcile.ReconcileReport;
import io.twinflow.live.reconcile.Reconciler;
import io.twinflow.local.batch.ReconcileSummary;
import io.twinflow.warehouse.QueryResult;
import io.twinflow.warehouse.Report;
import io.twinflow.warehouse.Warehouse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The analysts' side of the page: the warehouse's report views, queried as {@code twinflow query --report}
 * queries them, and the reconciliation of streaming against batch for the newest rolled-up day.
 *
 * <p>A reconciliation reads every device's windows of a day (about 1,440 items per device), so it never
 * runs on a timer: it runs when someone asks, at most one at a time, and its result is kept. Where the
 * fleet is local ({@code autoReconcile}) the page's first look also runs one.
 */
public final class ReportSource {

    private final Optional<Warehouse> warehouse;
    private final String missingWarehouse;
    private final String schema;
    private final LiveStateReader live;
    private final boolean autoReconcile;
    private final Clock clock;
    private Map<String, Object> latestReconcile;

    /**
     * @param warehouse        the warehouse, or empty where none is reachable
     * @param missingWarehouse what the page says when it is empty: why, and how to fix it
     */
    public ReportSource(Optional<Warehouse> warehouse, String missingWarehouse, String schema, LiveStateReader live, boolean autoReconcile,
                        Clock clock) {
        this.warehouse = warehouse;
        this.missingWarehouse = missingWarehouse;
        this.schema = schema;
        this.live = live;
        this.autoReconcile = autoReconcile;
        this.clock = clock;
    }

    /** {@code {report, columns, rows}}: the report's latest day (daily fleet: the last 31 days). */
    public Map<String, Object> report(String name) {
        Report report = Report.byName(name);
        QueryResult result = warehouse().query(report.sql(schema, null));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("report", report.cliName());
        m.put("columns", result.columns());
        m.put("rows", result.rows());
        return m;
    }

    /**
     * The latest reconciliation, {@code {checkedAt, date, result}} with {@code result} in the shape of
     * {@code twinflow reconcile --json}, or {@code date} null when no day has been rolled up yet and {@code checkedAt}
     * null when none has run.
     */
    public synchronized Map<String, Object> latestReconcile() {
        if (latestReconcile == null && autoReconcile && warehouse.isPresent()) {
            return reconcile(Optional.empty());
        }
        if (latestReconcile == null) {
            Map<String, Object> never = new LinkedHashMap<>();
            never.put("checkedAt", null);
            return never;
        }
        return latestReconcile;
    }

    /** Reconciles the given day, or the newest day in the daily summary, and keeps the result. */
    public synchronized Map<String, Object> reconcile(Optional<LocalDate> date) {
        Instant started = clock.instant();
        Optional<LocalDate> day = date.or(this::newestRolledUpDay);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("checkedAt", started.toString());
        m.put("date", day.map(LocalDate::toString).orElse(null));
        if (day.isPresent()) {
            ReconcileReport report = new Reconciler(live, warehouse(), schema).reconcile(day.get());
            m.put("result", ReconcileSummary.of(List.of(report)));
            m.put("tookMs", Duration.between(started, clock.instant()).toMillis());
        }
        latestReconcile = m;
        return m;
    }

    private Warehouse warehouse() {
        return warehouse.orElseThrow(() -> new IllegalStateException(missingWarehouse));
    }

    private Optional<LocalDate> newestRolledUpDay() {
        List<List<Object>> rows = warehouse().query("SELECT MAX(dt) FROM " + schema + ".device_daily_summary").rows();
        Object newest = rows.isEmpty() ? null : rows.get(0).get(0);
        return newest == null ? Optional.empty() : Optional.of(LocalDate.parse(newest.toString().substring(0, 10)));
    }
}
