package io.twinflow.local.batch;

import io.twinflow.live.reconcile.Drift;
import io.twinflow.live.reconcile.ReconcileReport;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON shape of {@code twinflow reconcile --json} and of the demo summary's {@code reconcile}: an
 * interface, keep it. {@code {clean, dates, devices, valuesCompared, sumTolerance, pendingRollupDates, drifts:[{date,
 * deviceId, metric, field, streaming, batch, events}]}}; {@code metric} is null for a device's event count;
 * {@code streaming} is DynamoDB's side, {@code batch} the rollup's daily summary, {@code events} the loader's
 * events table.
 */
public final class ReconcileSummary {

    private ReconcileSummary() {
    }

    public static Map<String, Object> of(List<ReconcileReport> reports) {
        List<Map<String, Object>> drifts = new ArrayList<>();
        List<String> dates = new ArrayList<>();
        List<String> pending = new ArrayList<>();
        int devices = 0;
        int compared = 0;
        double tolerance = 0;
        for (ReconcileReport report : reports) {
            dates.add(report.date().toString());
            if (report.pendingRollup()) {
                pending.add(report.date().toString());
            }
            devices += report.devices();
            compared += report.valuesCompared();
            tolerance = Math.max(tolerance, report.sumTolerance());
            for (Drift d : report.drifts()) {
                Map<String, Object> drift = new LinkedHashMap<>();
                drift.put("date", report.date().toString());
                drift.put("deviceId", d.deviceId());
                drift.put("metric", d.metric());
                drift.put("field", d.field());
                drift.put("streaming", d.streaming());
                drift.put("batch", d.batch());
                drift.put("events", d.events());
                drifts.add(drift);
            }
        }
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("clean", drifts.isEmpty());
        map.put("dates", dates);
        map.put("devices", devices);
        map.put("valuesCompared", compared);
        map.put("sumTolerance", tolerance);
        map.put("pendingRollupDates", pending);
        map.put("drifts", drifts);
        return map;
    }
}
