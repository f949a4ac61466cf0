package io.twinflow.local.status;

import java.util.List;
import java.util.Map;

/**
 * What {@code twinflow status} reports about a running pipeline, whichever reader filled it ({@link StatusReader} for the
 * local stack, {@link AwsStatusReader} for AWS); its JSON (Jackson, field order as declared) is what {@code --output json}
 * prints. A figure a source cannot give is null.
 *
 * @param stream the stream's shards and how far the stream processor is behind on each
 * @param batches the stream processor's batch summaries added up (locally since the stack started; in AWS over the last
 *     {@link AwsStatusReader#RECENT}, from {@code since}): batches, records, applied, duplicates, quarantined,
 *     quarantinedByReason, failed
 * @param onFailure the on-failure queue's depth
 * @param archive raw objects archived and how many of them the load log does not have as loaded
 * @param loader the load log: its newest entry and its totals
 * @param rollup the daily summaries' newest computation and the days waiting for a rollup
 * @param reconcile the newest {@code twinflow reconcile} run
 */
public record StackStatus(Stream stream, Map<String, Object> batches, OnFailure onFailure, Archive archive, Loader loader,
                          Rollup rollup, Reconcile reconcile) {

    /**
     * @param shards in shard id order
     * @param iteratorAgeMillis how far the stream processor is behind: the age of the oldest record it has not processed
     *     (locally the largest shard's {@code millisBehind}; in AWS Lambda's {@code IteratorAge} maximum over the last five
     *     minutes, null when the function reported none)
     */
    public record Stream(String name, List<Shard> shards, Long iteratorAgeMillis) {
    }

    /**
     * @param checkpoint the last sequence number the mapping settled; null before its first (and in AWS, where the event
     *     source mapping keeps it to itself)
     * @param recordsBehind records on the shard after the checkpoint (read up to {@link StatusReader#MAX_COUNTED} of them);
     *     null in AWS, where only reading the shard could count them
     * @param millisBehind age of the oldest of those records (its arrival to now); 0 when none; null in AWS (per-shard
     *     iterator age is an enhanced metric the stack does not enable: see {@link Stream#iteratorAgeMillis})
     */
    public record Shard(String shardId, String checkpoint, Long recordsBehind, boolean recordsBehindCapped, Long millisBehind) {
    }

    /** @param depth messages waiting (ApproximateNumberOfMessages); inFlight received and not yet deleted */
    public record OnFailure(String queue, long depth, long inFlight) {
    }

    /**
     * @param oldestUnloaded the first unloaded object's key in key order (arrival order); null when all are loaded
     * @param listedFrom the oldest hour prefix listed (in AWS only the last {@link AwsStatusReader#RECENT} are listed, so an
     *     archive of years costs no more than a day's); null when the whole archive was listed (locally)
     */
    public record Archive(long rawObjects, long unloaded, String oldestUnloaded, String listedFrom) {
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

    /**
     * The newest {@code twinflow reconcile} run, from the warehouse's {@code reconcile_log} ({@link ReconcileLog}); every
     * field null before the first.
     *
     * @param lastReconciledAt when it ran
     * @param date the event-time day it compared
     * @param verdict {@code clean} or {@code drift}
     * @param drifts the drifting values it found
     */
    public record Reconcile(String lastReconciledAt, String date, String verdict, Long drifts) {
    }
}
