package io.twinflow.functions.reconcile;

import io.twinflow.core.aggregate.MetricAggregate;
import io.twinflow.core.aggregate.WindowAggregate;
import io.twinflow.functions.live.LiveStateReader;
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
 * Proves that streaming and batch agree: for one event-time day it adds up each device's DynamoDB
 * window aggregates (windows tile the day exactly) and compares them, per metric, with the
 * warehouse's daily summary written by the rollup. Counts, minima and maxima must match exactly;
 * sums within a relative tolerance, because floating-point sums depend on the order of addition.
 *
 * <p>The window items expire after their retention (35 days by default): reconcile days younger
 * than that.
 */
public final class Reconciler {

    public static final double SUM_TOLERANCE = 1e-9;

    private final LiveStateReader live;
    private final Warehouse warehouse;
    private final String schema;

    public Reconciler(LiveStateReader live, Warehouse warehouse, String schema) {
        this.live = live;
        this.warehouse = warehouse;
        this.schema = Objects.requireNonNull(schema, "schema");
    }

    public ReconcileReport reconcile(LocalDate day) {
        Map<String, WindowAggregate> batch = batchTotals(day);
        TreeSet<String> devices = new TreeSet<>(batch.keySet());
        devices.addAll(live.deviceIds());
        List<Drift> drifts = new ArrayList<>();
        int compared = 0;
        int present = 0;
        for (String device : devices) {
            WindowAggregate streaming = streamingTotal(device, day);
            WindowAggregate batched = batch.getOrDefault(device, WindowAggregate.EMPTY);
            if (streaming.eventCount() == 0 && batched.eventCount() == 0) {
                continue;
            }
            present++;
            compared++;
            if (streaming.eventCount() != batched.eventCount()) {
                drifts.add(new Drift(device, null, "events", (double) streaming.eventCount(), (double) batched.eventCount()));
            }
            TreeSet<String> metrics = new TreeSet<>(streaming.metrics().keySet());
            metrics.addAll(batched.metrics().keySet());
            for (String metric : metrics) {
                compared += 4;
                compare(device, metric, streaming.metrics().get(metric), batched.metrics().get(metric), drifts);
            }
        }
        return new ReconcileReport(day, present, compared, SUM_TOLERANCE, drifts);
    }

    private static void compare(String device, String metric, MetricAggregate s, MetricAggregate b, List<Drift> drifts) {
        if (s == null || b == null) {
            drifts.add(new Drift(device, metric, "count", s == null ? null : (double) s.count(), b == null ? null : (double) b.count()));
            return;
        }
        if (s.count() != b.count()) {
            drifts.add(new Drift(device, metric, "count", (double) s.count(), (double) b.count()));
        }
        if (Math.abs(s.sum() - b.sum()) > SUM_TOLERANCE * Math.max(1.0, Math.max(Math.abs(s.sum()), Math.abs(b.sum())))) {
            drifts.add(new Drift(device, metric, "sum", s.sum(), b.sum()));
        }
        if (Double.compare(s.min(), b.min()) != 0) {
            drifts.add(new Drift(device, metric, "min", s.min(), b.min()));
        }
        if (Double.compare(s.max(), b.max()) != 0) {
            drifts.add(new Drift(device, metric, "max", s.max(), b.max()));
        }
    }

    private WindowAggregate streamingTotal(String device, LocalDate day) {
        WindowAggregate total = WindowAggregate.EMPTY;
        for (LiveStateReader.WindowSummary window : live.windows(device, day.atStartOfDay().toInstant(ZoneOffset.UTC),
                day.plusDays(1).atStartOfDay().toInstant(ZoneOffset.UTC))) {
            total = total.merge(new WindowAggregate(window.count(), window.metrics()));
        }
        return total;
    }

    private Map<String, WindowAggregate> batchTotals(LocalDate day) {
        Map<String, Long> counts = new TreeMap<>();
        QueryResult devices = warehouse.query("SELECT device_id, event_count FROM " + schema
                + ".device_daily_summary WHERE dt = DATE '" + day + "'");
        for (List<Object> row : devices.rows()) {
            counts.put((String) row.get(0), ((Number) row.get(1)).longValue());
        }
        Map<String, SortedMap<String, MetricAggregate>> metrics = new TreeMap<>();
        QueryResult rows = warehouse.query("SELECT device_id, metric, value_count, value_sum, value_min, value_max FROM "
                + schema + ".device_daily_metric WHERE dt = DATE '" + day + "'");
        for (List<Object> row : rows.rows()) {
            metrics.computeIfAbsent((String) row.get(0), d -> new TreeMap<>()).put((String) row.get(1), new MetricAggregate(
                    ((Number) row.get(2)).longValue(), ((Number) row.get(3)).doubleValue(),
                    ((Number) row.get(4)).doubleValue(), ((Number) row.get(5)).doubleValue()));
        }
        Map<String, WindowAggregate> totals = new TreeMap<>();
        counts.forEach((device, count) -> totals.put(device, new WindowAggregate(count, metrics.getOrDefault(device, new TreeMap<>()))));
        return totals;
    }
}
