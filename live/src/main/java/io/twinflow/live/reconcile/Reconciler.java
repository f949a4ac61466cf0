package io.twinflow.live.reconcile;

import io.twinflow.core.aggregate.MetricAggregate;
import io.twinflow.core.aggregate.WindowAggregate;
import io.twinflow.live.LiveStateReader;
import io.twinflow.warehouse.QueryResult;
import io.twinflow.warehouse.Warehouse;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Proves that streaming and batch agree: for one event-time day it compares, per device and metric,
 * three views that three different pieces of code wrote from the same records:
 * <ul>
 *   <li>streaming: the DynamoDB window aggregates of the day, added up (windows tile the day exactly);</li>
 *   <li>events: the warehouse's {@code events} table, aggregated in SQL (written by the loader, so an
 *       object the loader lost or miscounted shows up here);</li>
 *   <li>batch: the warehouse's daily summary (written by the Spark rollup from the raw archive).</li>
 * </ul>
 * Counts, minima and maxima must match exactly; sums within what adding the same values in another
 * order can give ({@link MetricAggregate#sameSum}): a relative 1e-9, or more where large values cancel.
 *
 * <p>The window items expire after their retention (35 days by default): reconcile days younger
 * than that.
 */
public final class Reconciler {

    public static final double SUM_TOLERANCE = MetricAggregate.RELATIVE_SUM_TOLERANCE;

    private final LiveStateReader live;
    private final Warehouse warehouse;
    private final String schema;

    public Reconciler(LiveStateReader live, Warehouse warehouse, String schema) {
        this.live = live;
        this.warehouse = warehouse;
        this.schema = Objects.requireNonNull(schema, "schema");
    }

    public ReconcileReport reconcile(LocalDate day) {
        Map<String, WindowAggregate> batch = summaryTotals(day);
        Map<String, WindowAggregate> events = eventTotals(day);
        TreeSet<String> devices = new TreeSet<>(batch.keySet());
        devices.addAll(events.keySet());
        devices.addAll(live.deviceIds());
        List<Drift> drifts = new ArrayList<>();
        int compared = 0;
        int present = 0;
        for (String device : devices) {
            WindowAggregate s = streamingTotal(device, day);
            WindowAggregate b = batch.getOrDefault(device, WindowAggregate.EMPTY);
            WindowAggregate e = events.getOrDefault(device, WindowAggregate.EMPTY);
            if (s.eventCount() == 0 && b.eventCount() == 0 && e.eventCount() == 0) {
                continue;
            }
            present++;
            compared++;
            if (s.eventCount() != b.eventCount() || s.eventCount() != e.eventCount()) {
                drifts.add(new Drift(device, null, "events", (double) s.eventCount(), (double) b.eventCount(), (double) e.eventCount()));
            }
            TreeSet<String> metrics = new TreeSet<>(s.metrics().keySet());
            metrics.addAll(b.metrics().keySet());
            metrics.addAll(e.metrics().keySet());
            for (String metric : metrics) {
                compared += 4;
                compare(device, metric, s.metrics().get(metric), b.metrics().get(metric), e.metrics().get(metric), drifts);
            }
        }
        return new ReconcileReport(day, present, compared, SUM_TOLERANCE, drifts, pendingRollup(day));
    }

    private static void compare(String device, String metric, MetricAggregate s, MetricAggregate b, MetricAggregate e,
                                List<Drift> drifts) {
        if (s == null || b == null || e == null) {
            drifts.add(new Drift(device, metric, "count", count(s), count(b), count(e)));
            return;
        }
        if (s.count() != b.count() || s.count() != e.count()) {
            drifts.add(new Drift(device, metric, "count", count(s), count(b), count(e)));
        }
        if (!MetricAggregate.sameSum(s.sum(), b.sum(), s.count(), s.min(), s.max())
                || !MetricAggregate.sameSum(s.sum(), e.sum(), s.count(), s.min(), s.max())) {
            drifts.add(new Drift(device, metric, "sum", s.sum(), b.sum(), e.sum()));
        }
        if (Double.compare(s.min(), b.min()) != 0 || Double.compare(s.min(), e.min()) != 0) {
            drifts.add(new Drift(device, metric, "min", s.min(), b.min(), e.min()));
        }
        if (Double.compare(s.max(), b.max()) != 0 || Double.compare(s.max(), e.max()) != 0) {
            drifts.add(new Drift(device, metric, "max", s.max(), b.max(), e.max()));
        }
    }

    private static Double count(MetricAggregate a) {
        return a == null ? null : (double) a.count();
    }

    private WindowAggregate streamingTotal(String device, LocalDate day) {
        WindowAggregate total = WindowAggregate.EMPTY;
        for (LiveStateReader.WindowSummary window : live.windows(device, day.atStartOfDay().toInstant(ZoneOffset.UTC),
                day.plusDays(1).atStartOfDay().toInstant(ZoneOffset.UTC))) {
            total = total.merge(new WindowAggregate(window.count(), window.metrics()));
        }
        return total;
    }

    private Map<String, WindowAggregate> summaryTotals(LocalDate day) {
        return totals(
                "SELECT device_id, event_count FROM " + schema + ".device_daily_summary WHERE dt = DATE '" + day + "'",
                "SELECT device_id, metric, value_count, value_sum, value_min, value_max FROM "
                        + schema + ".device_daily_metric WHERE dt = DATE '" + day + "'");
    }

    /** The day's events as the loader stored them: one row per event identity, every metric in its JSON document. */
    private Map<String, WindowAggregate> eventTotals(LocalDate day) {
        String value = "CAST(metric_text AS DOUBLE PRECISION)";
        return totals(
                "SELECT device_id, COUNT(*) FROM " + schema + ".events WHERE dt = DATE '" + day + "' GROUP BY device_id",
                "SELECT e.device_id, metric_name, COUNT(*), SUM(" + value + "), MIN(" + value + "), MAX(" + value + ") FROM "
                        + schema + ".events AS e" + warehouse.dialect().metricRows("e")
                        + " WHERE e.dt = DATE '" + day + "' GROUP BY e.device_id, metric_name");
    }

    /** Per device: the event count of the first query's rows, the metric aggregates of the second's. */
    private Map<String, WindowAggregate> totals(String countsSql, String metricsSql) {
        Map<String, Long> counts = new TreeMap<>();
        for (List<Object> row : warehouse.query(countsSql).rows()) {
            counts.put((String) row.get(0), ((Number) row.get(1)).longValue());
        }
        Map<String, SortedMap<String, MetricAggregate>> metrics = new TreeMap<>();
        QueryResult rows = warehouse.query(metricsSql);
        for (List<Object> row : rows.rows()) {
            metrics.computeIfAbsent((String) row.get(0), d -> new TreeMap<>()).put((String) row.get(1), new MetricAggregate(
                    ((Number) row.get(2)).longValue(), ((Number) row.get(3)).doubleValue(),
                    ((Number) row.get(4)).doubleValue(), ((Number) row.get(5)).doubleValue()));
        }
        Map<String, WindowAggregate> totals = new TreeMap<>();
        counts.forEach((device, count) -> totals.put(device, new WindowAggregate(count, metrics.getOrDefault(device, new TreeMap<>()))));
        return totals;
    }

    /** Whether the loader asked for this day to be rolled up again (late events) and the rollup has not yet. */
    private boolean pendingRollup(LocalDate day) {
        return warehouse.pendingRollupDays().contains(day);
    }
}
