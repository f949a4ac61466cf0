package io.twinflow.functions.stream;

import java.util.Collections;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What one invocation did with its batch. Every record is in exactly one of applied, duplicates,
 * quarantined and failed, so {@code records == applied + duplicates + quarantined + failed}.
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
}
