package io.twinflow.local.status;

import io.twinflow.core.event.ReasonCode;
import io.twinflow.core.pipeline.PipelineSpec;
import io.twinflow.functions.SummaryLog;
import io.twinflow.functions.stream.BatchSummary;
import io.twinflow.local.runtime.KinesisShardReader;
import io.twinflow.warehouse.LoadedObject;
import io.twinflow.warehouse.Warehouse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.Dimension;
import software.amazon.awssdk.services.cloudwatch.model.GetMetricDataResponse;
import software.amazon.awssdk.services.cloudwatch.model.MetricDataQuery;
import software.amazon.awssdk.services.cloudwatch.model.MetricDataResult;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Reads a deployed stack's {@link StackStatus} with as few, cheap calls as the figures allow, and never scans a table:
 * the shards from Kinesis ListShards; how far the stream processor is behind and its recent batches from CloudWatch
 * (GetMetricData, one call: Lambda's {@code IteratorAge} and the Embedded Metric Format metrics of the batch summary
 * line, {@link BatchSummary#METRICS} and the per-reason {@code quarantined_<REASON>}, per {@code stack} (the prefix) and
 * {@code function}); the on-failure queue from SQS
 * GetQueueAttributes; the raw objects of the last {@link #RECENT} (one S3 listing per hour prefix) against the load log;
 * the loader, rollup and reconcile from the warehouse.
 */
public final class AwsStatusReader {

    /** How far back the batch metrics are added up and raw hour prefixes listed. */
    public static final Duration RECENT = Duration.ofHours(24);

    /** Lambda publishes {@code IteratorAge} per minute while it reads; its newest point of these minutes is "now". */
    static final Duration ITERATOR_AGE_LOOKBACK = Duration.ofMinutes(5);

    static final String ITERATOR_AGE_ID = "iteratorAge";

    private static final DateTimeFormatter HOUR_PREFIX = DateTimeFormatter.ofPattern("'dt='yyyy-MM-dd'/hour='HH'/'").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter DAY_PREFIX = DateTimeFormatter.ofPattern("'dt='yyyy-MM-dd'/'").withZone(ZoneOffset.UTC);

    private final PipelineSpec spec;
    private final String rawBucket;
    private final KinesisClient kinesis;
    private final CloudWatchClient cloudWatch;
    private final SqsClient sqs;
    private final S3Client s3;
    private final Warehouse warehouse;
    private final Clock clock;

    /** @param rawBucket the stack's raw archive bucket (its {@code RawBucket} output: CloudFormation names it) */
    public AwsStatusReader(PipelineSpec spec, String rawBucket, KinesisClient kinesis, CloudWatchClient cloudWatch, SqsClient sqs,
                           S3Client s3, Warehouse warehouse, Clock clock) {
        this.spec = spec;
        this.rawBucket = rawBucket;
        this.kinesis = kinesis;
        this.cloudWatch = cloudWatch;
        this.sqs = sqs;
        this.s3 = s3;
        this.warehouse = warehouse;
        this.clock = clock;
    }

    public StackStatus read() {
        // Whole minutes: CloudWatch aligns its periods to them, so the sums cover exactly [since, now).
        Instant now = clock.instant().truncatedTo(ChronoUnit.MINUTES);
        Instant since = now.minus(RECENT);
        Map<String, List<Double>> metrics = metrics(since, now);
        String queueName = spec.queues().streamFailures();
        String queueUrl = sqs.getQueueUrl(b -> b.queueName(queueName)).queueUrl();
        return new StackStatus(stream(metrics), batches(metrics, since), StatusParts.onFailure(sqs, queueName, queueUrl),
                archive(since, now), StatusParts.loader(warehouse, spec), StatusParts.rollup(warehouse, spec), ReconcileLog.last(warehouse, spec));
    }

    private StackStatus.Stream stream(Map<String, List<Double>> metrics) {
        String name = spec.stream().name();
        List<StackStatus.Shard> shards = new KinesisShardReader(kinesis, name).shardIds().stream().sorted()
                .map(id -> new StackStatus.Shard(id, null, null, false, null)).toList();
        // GetMetricData returns the newest point first.
        List<Double> age = metrics.getOrDefault(ITERATOR_AGE_ID, List.of());
        return new StackStatus.Stream(name, shards, age.isEmpty() ? null : Math.round(age.get(0)));
    }

    /**
     * Every query in one GetMetricData call (pages followed): each id's values, newest first; of the iterator age only
     * the points of the last {@link #ITERATOR_AGE_LOOKBACK}.
     */
    private Map<String, List<Double>> metrics(Instant since, Instant now) {
        List<MetricDataQuery> queries = new ArrayList<>();
        for (String name : counted()) {
            queries.add(batchMetric(name, "Sum"));
        }
        queries.add(batchMetric("records", "SampleCount").toBuilder().id("batches").build());
        queries.add(MetricDataQuery.builder().id(ITERATOR_AGE_ID).metricStat(s -> s.stat("Maximum").period(60).metric(m -> m
                .namespace("AWS/Lambda").metricName("IteratorAge")
                .dimensions(Dimension.builder().name("FunctionName").value(spec.functions().streamProcessor()).build()))).build());
        Instant recentAge = now.minus(ITERATOR_AGE_LOOKBACK);
        Map<String, List<Double>> values = new HashMap<>();
        for (GetMetricDataResponse page : cloudWatch.getMetricDataPaginator(b -> b.metricDataQueries(queries).startTime(since).endTime(now))) {
            for (MetricDataResult result : page.metricDataResults()) {
                List<Double> kept = values.computeIfAbsent(result.id(), id -> new ArrayList<>());
                for (int i = 0; i < result.values().size(); i++) {
                    // An idle function publishes no age: an old point says nothing about now.
                    if (!result.id().equals(ITERATOR_AGE_ID) || !result.timestamps().get(i).isBefore(recentAge)) {
                        kept.add(result.values().get(i));
                    }
                }
            }
        }
        return values;
    }

    /** The batch summary's counts, then one {@code quarantined_<REASON>} per reason code: a reason never seen has no data. */
    private static List<String> counted() {
        List<String> names = new ArrayList<>(List.of("records", "applied", "duplicates", "quarantined", "failed"));
        for (ReasonCode reason : ReasonCode.values()) {
            names.add(BatchSummary.REASON_METRIC_PREFIX + reason.name());
        }
        return names;
    }

    /** This stack's metric (its prefix), every source added up: the account's other stacks publish beside it. */
    private MetricDataQuery batchMetric(String name, String stat) {
        return MetricDataQuery.builder().id(name).metricStat(s -> s.stat(stat).period((int) RECENT.toSeconds()).metric(m -> m
                .namespace(BatchSummary.METRIC_NAMESPACE).metricName(name)
                .dimensions(Dimension.builder().name(SummaryLog.STACK_DIMENSION).value(spec.prefix()).build(),
                        Dimension.builder().name("function").value(BatchSummary.FUNCTION).build()))).build();
    }

    private static Map<String, Object> batches(Map<String, List<Double>> metrics, Instant since) {
        Map<String, Object> batches = new LinkedHashMap<>();
        batches.put("batches", sum(metrics, "batches"));
        for (String name : List.of("records", "applied", "duplicates", "quarantined")) {
            batches.put(name, sum(metrics, name));
        }
        Map<String, Long> byReason = new TreeMap<>();
        for (ReasonCode reason : ReasonCode.values()) {
            long count = sum(metrics, BatchSummary.REASON_METRIC_PREFIX + reason.name());
            if (count > 0) {
                byReason.put(reason.name(), count);
            }
        }
        batches.put("quarantinedByReason", byReason);
        batches.put("failed", sum(metrics, "failed"));
        batches.put("since", since.toString());
        return batches;
    }

    private static long sum(Map<String, List<Double>> metrics, String id) {
        return Math.round(metrics.getOrDefault(id, List.of()).stream().mapToDouble(Double::doubleValue).sum());
    }

    /** The raw hour prefixes of [since, now], each listed, against the load log of their days. */
    private StackStatus.Archive archive(Instant since, Instant now) {
        String raw = spec.buckets().rawPrefix();
        Set<String> days = new LinkedHashSet<>();
        List<S3Object> objects = new ArrayList<>();
        Instant firstHour = since.truncatedTo(ChronoUnit.HOURS);
        for (Instant hour = firstHour; !hour.isAfter(now); hour = hour.plus(Duration.ofHours(1))) {
            String prefix = raw + HOUR_PREFIX.format(hour);
            days.add(raw + DAY_PREFIX.format(hour));
            s3.listObjectsV2Paginator(b -> b.bucket(rawBucket).prefix(prefix)).contents().forEach(objects::add);
        }
        Set<LoadedObject> loaded = new HashSet<>();
        for (String day : days) {
            loaded.addAll(warehouse.loadedObjects(day));
        }
        return StatusParts.archive(objects, loaded, raw + HOUR_PREFIX.format(firstHour));
    }
}
