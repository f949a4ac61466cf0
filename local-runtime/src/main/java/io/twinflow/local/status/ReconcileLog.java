package io.twinflow.local.status;

import io.twinflow.core.pipeline.PipelineSpec;
import io.twinflow.live.reconcile.ReconcileReport;
import io.twinflow.warehouse.WarehouseQueries;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The warehouse's {@code reconcile_log}: {@code twinflow reconcile} records each run there and {@code twinflow status}
 * shows the newest. The warehouse, not a file under {@code .twinflow/}, because it is what was reconciled and is the same
 * for every machine that reconciles or asks for the status, locally and in AWS.
 */
public final class ReconcileLog {

    private ReconcileLog() {
    }

    public static void record(WarehouseQueries warehouse, PipelineSpec spec, ReconcileReport report, Instant at) {
        // Every value is a number, a boolean or an ISO instant or date: nothing a caller types reaches the SQL text.
        warehouse.query("INSERT INTO " + table(spec) + " (reconciled_at, dt, clean, devices, values_compared, drifts) VALUES ("
                + "CAST('" + at + "' AS TIMESTAMPTZ), DATE '" + report.date() + "', " + report.clean() + ", " + report.devices() + ", "
                + report.valuesCompared() + ", " + report.drifts().size() + ")");
    }

    static StackStatus.Reconcile last(WarehouseQueries warehouse, PipelineSpec spec) {
        List<Map<String, Object>> rows = warehouse.query("SELECT reconciled_at, dt, clean, drifts FROM " + table(spec)
                + " ORDER BY reconciled_at DESC LIMIT 1").asMaps();
        if (rows.isEmpty()) {
            return new StackStatus.Reconcile(null, null, null, null);
        }
        Map<String, Object> row = rows.get(0);
        return new StackStatus.Reconcile(StatusParts.text(row.get("reconciled_at")), StatusParts.text(row.get("dt")),
                Boolean.parseBoolean(String.valueOf(row.get("clean"))) ? "clean" : "drift", StatusParts.number(row.get("drifts")));
    }

    private static String table(PipelineSpec spec) {
        return spec.warehouse().schema() + ".reconcile_log";
    }
}
