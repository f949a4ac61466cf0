package io.twinflow.local.status;

import io.twinflow.core.pipeline.PipelineSpec;
import io.twinflow.warehouse.LoadedObject;
import io.twinflow.warehouse.QueryResult;
import io.twinflow.warehouse.WarehouseQueries;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * The parts of a {@link StackStatus} that are read the same way wherever the pipeline runs: SQS attributes, the raw
 * archive against the load log, and the warehouse's load log, summaries and reconcile log.
 */
final class StatusParts {

    private StatusParts() {
    }

    static StackStatus.OnFailure onFailure(SqsClient sqs, String queueName, String queueUrl) {
        Map<QueueAttributeName, String> attributes = sqs.getQueueAttributes(b -> b.queueUrl(queueUrl).attributeNames(
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE))
                .attributes();
        return new StackStatus.OnFailure(queueName,
                Long.parseLong(attributes.getOrDefault(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES, "0")),
                Long.parseLong(attributes.getOrDefault(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE, "0")));
    }

    /**
     * @param objects the listed raw objects, in key order
     * @param loaded the object versions the load log has as loaded, covering at least the listed keys
     */
    static StackStatus.Archive archive(Iterable<S3Object> objects, Set<LoadedObject> loaded, String listedFrom) {
        long total = 0;
        long unloaded = 0;
        String oldest = null;
        for (S3Object object : objects) {
            total++;
            if (!loaded.contains(new LoadedObject(object.key(), LoadedObject.normalizeEtag(object.eTag())))) {
                unloaded++;
                if (oldest == null) {
                    oldest = object.key();
                }
            }
        }
        return new StackStatus.Archive(total, unloaded, oldest, listedFrom);
    }

    static StackStatus.Loader loader(WarehouseQueries warehouse, PipelineSpec spec) {
        String log = spec.warehouse().schema() + ".load_log";
        Map<String, Object> totals = warehouse.query("SELECT"
                + " SUM(CASE WHEN status = 'LOADED' THEN 1 ELSE 0 END) AS loaded, SUM(CASE WHEN status = 'FAILED' THEN 1 ELSE 0 END) AS failed,"
                + " SUM(lines_read) AS lines_read, SUM(rows_loaded) AS rows_loaded, SUM(rows_duplicate) AS rows_duplicate,"
                + " SUM(rows_quarantined) AS rows_quarantined FROM " + log).asMaps().get(0);
        List<Map<String, Object>> last = warehouse.query("SELECT loaded_at, object_key, status, error FROM " + log
                + " ORDER BY loaded_at DESC, object_key DESC LIMIT 1").asMaps();
        Map<String, Object> newest = last.isEmpty() ? Map.of() : last.get(0);
        return new StackStatus.Loader(text(newest.get("loaded_at")), text(newest.get("object_key")), text(newest.get("status")),
                text(newest.get("error")), number(totals.get("loaded")), number(totals.get("failed")), number(totals.get("lines_read")),
                number(totals.get("rows_loaded")), number(totals.get("rows_duplicate")), number(totals.get("rows_quarantined")));
    }

    static StackStatus.Rollup rollup(WarehouseQueries warehouse, PipelineSpec spec) {
        String schema = spec.warehouse().schema();
        List<Map<String, Object>> last = warehouse.query("SELECT computed_at, dt FROM " + schema + ".device_daily_summary"
                + " ORDER BY computed_at DESC, dt DESC LIMIT 1").asMaps();
        QueryResult pending = warehouse.query("SELECT DISTINCT dt FROM " + schema + ".rollup_requests ORDER BY dt");
        List<String> days = pending.rows().stream().map(row -> text(row.get(0))).toList();
        Map<String, Object> newest = last.isEmpty() ? Map.of() : last.get(0);
        return new StackStatus.Rollup(text(newest.get("computed_at")), text(newest.get("dt")), days);
    }

    static String text(Object value) {
        return value == null ? null : value.toString();
    }

    static long number(Object value) {
        return value == null ? 0 : Long.parseLong(value.toString());
    }
}
