package io.twinflow.local.demo;

import io.twinflow.core.pipeline.PipelineSpec;
import io.twinflow.functions.batch.LoaderReport;
import io.twinflow.live.LiveStateReader;
import io.twinflow.live.reconcile.ReconcileReport;
import io.twinflow.live.reconcile.Reconciler;
import io.twinflow.local.batch.LocalBatch;
import io.twinflow.local.batch.ReconcileSummary;
import io.twinflow.local.batch.RollupLauncher;
import io.twinflow.warehouse.Warehouse;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The demo's batch half, after the stream has settled and the archive is flushed: the loader over the
 * whole archive, the rollup for every event-time day the warehouse now holds, then the reconciliation of
 * those days against the streaming aggregates. The stack is the demo's own, so those days are the demo's.
 */
public final class DemoBatch {

    /** The summary's {@code batch} and {@code reconcile} entries, and whether the batch jobs themselves succeeded. */
    public record Outcome(Map<String, Object> batch, Map<String, Object> reconcile, boolean jobsSucceeded, boolean clean) {
    }

    private DemoBatch() {
    }

    public static Outcome run(LocalBatch local, DynamoDbClient dynamoDb, Path rollupLog, PrintStream progress)
            throws InterruptedException {
        PipelineSpec spec = local.spec();
        Warehouse warehouse = local.warehouse();
        String schema = spec.warehouse().schema();

        progress.println("twinflow demo: loading the raw archive into the warehouse...");
        LoaderReport loader = local.load(Optional.empty(), outcome -> { });
        Map<String, Object> batch = new LinkedHashMap<>(loader.toMap());
        batch.remove("message");
        batch.put("warehouseEvents", count(warehouse, schema + ".events"));
        batch.put("warehouseQuarantined", count(warehouse, schema + ".quarantine"));

        List<LocalDate> days = new ArrayList<>();
        for (List<Object> row : warehouse.query("SELECT DISTINCT dt FROM " + schema + ".events ORDER BY dt").rows()) {
            days.add(LocalDate.parse(row.get(0).toString()));
        }
        progress.printf("twinflow demo: rolling up %s in a Spark JVM...%n", days);
        List<RollupLauncher.Result> rollups = local.rollup(days, rollupLog);
        boolean rollupOk = rollups.size() == days.size() && rollups.stream().allMatch(RollupLauncher.Result::succeeded);
        Map<String, Object> rollup = new LinkedHashMap<>();
        rollup.put("succeeded", rollupOk);
        rollup.put("events", rollups.stream().mapToLong(r -> number(r.report().orElse(Map.of()).get("events"))).sum());
        rollup.put("wallMs", rollups.stream().mapToLong(r -> r.elapsed().toMillis()).sum());
        rollup.put("runs", rollups.stream().map(RollupLauncher.Result::toMap).toList());
        batch.put("rollup", rollup);

        progress.println("twinflow demo: reconciling streaming with batch...");
        var tables = spec.tables();
        Reconciler reconciler = new Reconciler(new LiveStateReader(dynamoDb, tables.deviceState(), tables.deviceWindows(), tables.alerts()),
                warehouse, schema);
        List<ReconcileReport> reports = days.stream().map(reconciler::reconcile).toList();
        boolean clean = reports.stream().allMatch(ReconcileReport::clean);
        return new Outcome(batch, ReconcileSummary.of(reports), loader.failedKeys().isEmpty() && rollupOk, clean);
    }

    private static long count(Warehouse warehouse, String table) {
        return number(warehouse.query("SELECT COUNT(*) FROM " + table).rows().get(0).get(0));
    }

    private static long number(Object value) {
        return value instanceof Number n ? n.longValue() : 0;
    }
}
