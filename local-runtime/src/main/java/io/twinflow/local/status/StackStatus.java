package io.twinflow.local.status;

import java.util.List;
import java.util.Map;

/**
 * What {@code twinflow status} reports about a running pipeline; its JSON (Jackson, field order as declared) is what
 * {@code --output json} prints.
 *
 * @param stream the stream's shards and how far the stream processor is behind on each
 * @param batches the stream processor's batch summaries added up since the stack started: batches, records, applied,
 *     duplicates, quarantined, quarantinedByReason, failed
 * @param onFailure the on-failure queue's depth
 * @param archive raw objects archived and how many of them the load log does not have as loaded
 * @param loader the load log: its newest entry and its totals
 * @param rollup the daily summaries' newest computation and the days waiting for a rollup
 */
public record StackStatus(Stream stream, Map<String, Object> batches, OnFailure onFailure, Archive archive, Loader loader,
                          Rollup rollup) {

    /** @param shards in shard id order */
    public record Stream(String name, List<Shard> shards) {
    }

    /**
     * @param checkpoint the last sequence number the mapping settled; null before its first
     * @param recordsBehind records on the shard after the checkpoint (read up to {@link StatusReader#MAX_COUNTED} of them)
     * @param millisBehind age of the oldest of those records (its arrival to now); 0 when none
     */
    public record Shard(String shardId, String checkpoint, long recordsBehind, boolean recordsBehindCapped, long millisBehind) {
    }

    /** @param depth messages waiting (ApproximateNumberOfMessages); inFlight received and not yet deleted */
    public record OnFailure(String queue, long depth, long inFlight) {
    }

    /** @param oldestUnloaded the first unloaded object's key in key order (arrival order); null when all are loaded */
    public record Archive(long rawObjects, long unloaded, String oldestUnloaded) {
    }

    /**
     * @param lastLoadAt when the newest load log entry was written; null before the first load
     * @param lastStatus that entry's status (LOADED or FAILED) and {@code lastError} its error
     */
    public record Loader(String lastLoadAt, String lastObject, String lastStatus, String lastError, long objectsLoaded,
                         long objectsFailed, long linesRead, long rowsLoaded, long rowsDuplicate, long rowsQuarantined) {
    }

    /**
     * @param lastComputedAt the newest daily summary's computation time; null before the first rollup
     * @param lastDay the newest day rolled up
     * @param pendingDays days the loader asked to be (re-)rolled up and not yet done, oldest first
     */
    public record Rollup(String lastComputedAt, String lastDay, List<String> pendingDays) {
    }
}
