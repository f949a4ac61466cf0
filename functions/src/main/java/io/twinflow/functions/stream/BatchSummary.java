package io.twinflow.functions.stream;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Collections;
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

    public BatchSummary {
        if (records != applied + duplicates + quarantined + failed) {
            throw new IllegalStateException("batch accounting does not add up: " + records + " != "
                    + applied + " + " + duplicates + " + " + quarantined + " + " + failed);
        }
        quarantinedByReason = Collections.unmodifiableSortedMap(new TreeMap<>(quarantinedByReason));
    }

    /**
     * The one structured line per batch that dashboards and metric filters read
     * ({@code "message":"batch summary"}); its keys and their order are a contract.
     *
     * @param requestId the invocation's, left out when null
     */
    public ObjectNode logLine(String requestId) {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.put("message", "batch summary");
        node.put("function", "stream-processor");
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
        return node;
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
