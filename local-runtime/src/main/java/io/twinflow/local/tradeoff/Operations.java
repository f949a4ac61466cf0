package io.twinflow.local.tradeoff;

import io.twinflow.core.pipeline.PipelineSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What each path needs running, read from {@link PipelineSpec} (names, settings, schedules) and its {@code Deployment}. */
public final class Operations {

    private Operations() {
    }

    /** One resource: its path ({@code streaming}, {@code batch} or {@code both}), how it runs, how it is billed. */
    public static List<Map<String, Object>> of(PipelineSpec spec) {
        PipelineSpec.Deployment d = spec.deployment();
        String arch = d.lambdaOnGraviton() ? "arm64" : "x86_64";
        List<Map<String, Object>> list = new ArrayList<>();
        list.add(item("both", "Kinesis stream " + spec.stream().name(), "always on",
                d.streamOnDemand() ? "on-demand: per stream-hour and GB in and out" : spec.stream().shardCount() + " shards: per shard-hour"));
        list.add(item("streaming", "Lambda " + spec.functions().streamProcessor() + " (" + d.streamProcessorMemoryMb() + " MB, " + arch + ")",
                "always on: the event source mapping polls every shard (batch " + spec.streamMapping().batchSize() + ", window "
                        + spec.streamMapping().maxBatchingWindow().toMillis() + " ms)", "per invocation and GB-second"));
        for (String table : List.of(spec.tables().deviceState(), spec.tables().deviceWindows(), spec.tables().alerts())) {
            list.add(item("streaming", "DynamoDB table " + table, "always on (on-demand capacity)", "per request unit and GB-month"));
        }
        list.add(item("streaming", "S3 bucket " + spec.buckets().quarantine(), "on demand", "per request and GB-month"));
        list.add(item("streaming", "SQS queue " + spec.queues().streamFailures() + " (on-failure destination)", "on demand", "per request"));
        list.add(item("batch", "Firehose to " + spec.buckets().raw() + " with the archive framer Lambda (" + d.archiveFramerMemoryMb() + " MB)",
                "always on: flushes every " + spec.archive().bufferInterval().toSeconds() + " s or " + spec.archive().bufferBytes() / (1024 * 1024)
                        + " MiB", "per GB ingested; framer per invocation"));
        list.add(item("batch", "Lambda " + spec.functions().batchLoader() + " (" + d.batchLoaderMemoryMb() + " MB, " + arch + ")",
                "scheduled " + spec.schedules().loader(), "per invocation and GB-second"));
        list.add(item("batch", "Glue job " + spec.functions().rollupJob() + " (" + d.glueWorkers() + " × " + d.glueWorkerType() + ")",
                "scheduled " + spec.schedules().rollup(), "per DPU-second, 1-minute minimum"));
        list.add(item("batch", "Redshift Serverless workgroup (base " + d.warehouseBaseRpu() + " RPU)", "on demand: while the loader's and "
                + "the rollup's statements run (and analysts' queries)", "per RPU-second, 60-second minimum"));
        list.add(item("batch", "S3 buckets " + spec.buckets().raw() + ", " + spec.buckets().curated(), "on demand", "per request and GB-month"));
        list.add(item("batch", "SQS queue " + spec.queues().scheduleDeadLetter() + " (schedules' dead letters)", "on demand", "per request"));
        return list;
    }

    private static Map<String, Object> item(String path, String resource, String runs, String billed) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("path", path);
        m.put("resource", resource);
        m.put("runs", runs);
        m.put("billed", billed);
        return m;
    }
}
