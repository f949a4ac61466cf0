package io.twinflow.functions.stream;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.twinflow.functions.SummaryLog;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What one invocation did with its batch. Every record is in exactly one of applied, duplicates,
 * quarantined and failed, so {@code records == applied + duplicates + quarantined + failed}. Built with
 * {@link #builder()}, whose settings are named and default to nothing done.
 *
 * @param applied valid records newly counted in their window by this invocation
 * @param duplicates valid records already counted (an earlier delivery, or a producer duplicate)
 * @param quarantined records stored in quarantine with a reason
 * @param failed records with no durable effect yet, reported in {@code batchItemFailures}
 * @param reportedForRetry records reported in {@code batchItemFailures}: the failed ones, plus applied
 *     or duplicate records whose device state or alert write must be retried
 * @param retryFromSequenceNumber the lowest reported sequence number (where Lambda resumes), or null
 * @param shardId the shard of the batch (Lambda delivers one shard per invocation), or null when empty
 */
public record BatchSummary(int records, int applied, int duplicates, int quarantined,
                           SortedMap<String, Integer> quarantinedByReason, int failed, int reportedForRetry,
                           String retryFromSequenceNumber, int windows, int alerts, String shardId,
                           long durationMs) {

    /** CloudWatch namespace of the line's embedded metrics (the batch-loader's too); the stack's alarms use it. */
    public static final String METRIC_NAMESPACE = "Twinflow";
    /** The line's {@code function} value: a dimension of every metric. */
    public static final String FUNCTION = "stream-processor";
    /** The field (and dimension) naming the stream the batch came from: {@link Source#value()}. */
    public static final String SOURCE_DIMENSION = "source";
    /**
     * Root fields published as metrics, with their units, per {@code function}, per {@code function} and
     * {@code shardId}, per {@code stack} and {@code function} and per {@code stack}, {@code function} and
     * {@code source}: fields the line always had, so the metric and the field are one value.
     */
    public static final Map<String, String> METRICS = metrics();
    /**
     * Prefix of the field (and metric) per quarantine reason, e.g. {@code quarantined_INVALID_JSON}: per
     * {@code function} only, as reasons times shards would multiply the metrics for no alarm that needs it.
     */
    public static final String REASON_METRIC_PREFIX = "quarantined_";

    /** The stream a batch was read from: which handler took it (Kinesis, or Kafka on Amazon MSK). */
    public enum Source {
        KINESIS("kinesis"), KAFKA("kafka");

        private final String value;

        Source(String value) {
            this.value = value;
        }

        /** The {@code source} field's value. */
        public String value() {
            return value;
        }
    }

    public BatchSummary {
        if (records != applied + duplicates + quarantined + failed) {
            throw new IllegalStateException("batch accounting does not add up: " + records + " != "
                    + applied + " + " + duplicates + " + " + quarantined + " + " + failed);
        }
        quarantinedByReason = Collections.unmodifiableSortedMap(new TreeMap<>(quarantinedByReason));
    }

    /**
     * The one structured line per batch that dashboards and metric filters read
     * ({@code "message":"batch summary"}); its keys up to {@code durationMs} and their order are a contract. After
     * them come {@code stack} and {@code source}, one {@code quarantined_<REASON>} field per reason in
     * {@code quarantinedByReason} and the Embedded Metric Format member {@code _aws}: {@link #METRICS} per function,
     * per function and shard (left out when the shard is unknown), per stack and function, and per stack, function
     * and source; the reason fields per function, per stack and function, and per stack, function and source. The
     * sets without {@code stack} are the ones published before it was added, kept for the dashboards and alarms
     * built on them; they add up every stack and source of the account and region.
     *
     * @param requestId the invocation's, left out when null
     * @param stack the stack's resource prefix
     * @param source the stream the batch came from
     * @param at the metrics' timestamp
     */
    public ObjectNode logLine(String requestId, String stack, Source source, Instant at) {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.put("message", "batch summary");
        node.put("function", FUNCTION);
        if (requestId != null) {
            node.put("requestId", requestId);
        }
        node.put("shardId", shardId);
        node.put("records", records);
        node.put("applied", applied);
        node.put("duplicates", duplicates);
        node.put("quarantined", quarantined);
        ObjectNode byReason = node.putObject("quarantinedByReason");
        quarantinedByReason.forEach(byReason::put);
        node.put("failed", failed);
        node.put("reportedForRetry", reportedForRetry);
        node.put("retryFromSequenceNumber", retryFromSequenceNumber);
        node.put("windows", windows);
        node.put("alerts", alerts);
        node.put("durationMs", durationMs);
        node.put(SummaryLog.STACK_DIMENSION, stack);
        node.put(SOURCE_DIMENSION, source.value());
        quarantinedByReason.forEach((reason, count) -> node.put(REASON_METRIC_PREFIX + reason, count));
        List<String> perFunction = List.of("function");
        List<String> perStack = List.of(SummaryLog.STACK_DIMENSION, "function");
        List<String> perSource = List.of(SummaryLog.STACK_DIMENSION, "function", SOURCE_DIMENSION);
        SummaryLog.addMetrics(node, at, METRIC_NAMESPACE, shardId == null ? List.of(perFunction, perStack, perSource)
                : List.of(perFunction, List.of("function", "shardId"), perStack, perSource), METRICS);
        if (!quarantinedByReason.isEmpty()) {
            Map<String, String> reasons = new LinkedHashMap<>();
            quarantinedByReason.keySet().forEach(reason -> reasons.put(REASON_METRIC_PREFIX + reason, "Count"));
            SummaryLog.addMetrics(node, at, METRIC_NAMESPACE, List.of(perFunction, perStack, perSource), reasons);
        }
        return node;
    }

    private static Map<String, String> metrics() {
        Map<String, String> metrics = new LinkedHashMap<>();
        for (String count : List.of("records", "applied", "duplicates", "quarantined", "failed")) {
            metrics.put(count, "Count");
        }
        metrics.put("durationMs", "Milliseconds");
        return Collections.unmodifiableMap(metrics);
    }

    /** A summary of an empty batch, until settings say otherwise. */
    public static Builder builder() {
        return new Builder();
    }

    /** See {@link #builder()}. */
    public static final class Builder {
        private int records;
        private int applied;
        private int duplicates;
        private int quarantined;
        private SortedMap<String, Integer> quarantinedByReason = new TreeMap<>();
        private int failed;
        private int reportedForRetry;
        private String retryFromSequenceNumber;
        private int windows;
        private int alerts;
        private String shardId;
        private long durationMs;

        private Builder() {
        }

        public Builder records(int records) {
            this.records = records;
            return this;
        }

        public Builder applied(int applied) {
            this.applied = applied;
            return this;
        }

        public Builder duplicates(int duplicates) {
            this.duplicates = duplicates;
            return this;
        }

        public Builder quarantined(int quarantined) {
            this.quarantined = quarantined;
            return this;
        }

        public Builder quarantinedByReason(SortedMap<String, Integer> quarantinedByReason) {
            this.quarantinedByReason = quarantinedByReason;
            return this;
        }

        public Builder failed(int failed) {
            this.failed = failed;
            return this;
        }

        public Builder reportedForRetry(int reportedForRetry) {
            this.reportedForRetry = reportedForRetry;
            return this;
        }

        public Builder retryFromSequenceNumber(String retryFromSequenceNumber) {
            this.retryFromSequenceNumber = retryFromSequenceNumber;
            return this;
        }

        public Builder windows(int windows) {
            this.windows = windows;
            return this;
        }

        public Builder alerts(int alerts) {
            this.alerts = alerts;
            return this;
        }

        public Builder shardId(String shardId) {
            this.shardId = shardId;
            return this;
        }

        public Builder durationMs(long durationMs) {
            this.durationMs = durationMs;
            return this;
        }

        /** @throws IllegalStateException when the counts do not add up to {@code records} (a bug) */
        public BatchSummary build() {
            return new BatchSummary(records, applied, duplicates, quarantined, quarantinedByReason, failed,
                    reportedForRetry, retryFromSequenceNumber, windows, alerts, shardId, durationMs);
        }
    }
}
