package io.twinflow.local.runtime;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import io.twinflow.core.pipeline.PipelineSpec;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;

/**
 * Drives a Kinesis-triggered handler the way the Lambda event source mapping does, so the function
 * runs locally under the same delivery semantics it gets in the cloud:
 *
 * <ul>
 *   <li>one poller per shard, shards in parallel, records of a shard strictly in order;
 *   <li>a batch is invoked when it holds {@code batchSize} records, when the maximum batching window
 *       (counted from the first record gathered) has passed, or when one more record would push the
 *       payload over the 6 MB invocation limit;
 *   <li>with ReportBatchItemFailures, the lowest reported sequence number becomes the retry point and
 *       every record from there on is redelivered; an empty, null or unknown item identifier fails the
 *       whole batch; without the feature the response is ignored;
 *   <li>a thrown exception (or an invalid partial response) is a function error: with bisect on, the
 *       batch is split in two halves that are retried in order without consuming the retry quota;
 *       otherwise, and for a single record, the batch is retried with exponential back-off;
 *   <li>records past {@code maxRetries} retries or older than {@code maxRecordAge} are discarded and
 *       described to the on-failure destination (metadata, like Lambda: no payload);
 *   <li>the shard's checkpoint moves to the last record of a batch once every record in it has
 *       either succeeded or been discarded.
 * </ul>
 *
 * <p>A parallelization factor above 1 is run as 1: that is one of the orders the real mapping may
 * produce (it keeps per-partition-key order), just slower.
 *
 * <p>This class runs the shard threads and keeps the checkpoints; each step has its own class:
 * {@link ShardBatcher} polls a shard and cuts batches, {@link BatchInvoker} invokes the handler and reads
 * its answer, {@link BatchSettler} bisects, retries and expires, {@link RecordOutcomes} counts settled
 * records, tells the listeners and sends the on-failure records, {@link MappingCounters} holds the counts.
 */
public final class KinesisEventSourceMapping implements EventSourceMapping {

    /** How the local mapping names things and paces itself. */
    public record Options(String functionName, String functionArn, String streamArn, String region,
                          Duration pollInterval, Duration retryBackoff, Duration maxRetryBackoff,
                          Duration functionTimeout) {
        public Options {
            Objects.requireNonNull(functionName, "functionName");
            Objects.requireNonNull(functionArn, "functionArn");
            Objects.requireNonNull(streamArn, "streamArn");
            Objects.requireNonNull(region, "region");
            if (pollInterval.isNegative() || pollInterval.isZero()) {
                throw new IllegalArgumentException("pollInterval must be positive");
            }
        }

        /**
         * Local defaults: poll every 100 ms (Lambda polls about once a second per shard; locally the
         * faster pace keeps the demo's latency down), back off 100 ms doubling to 5 s between retries.
         */
        public static Options local(String region, String account, String functionName, String streamName) {
            return new Options(functionName,
                    "arn:aws:lambda:" + region + ":" + account + ":function:" + functionName,
                    "arn:aws:kinesis:" + region + ":" + account + ":stream/" + streamName,
                    region, Duration.ofMillis(100), Duration.ofMillis(100), Duration.ofSeconds(5),
                    Duration.ofSeconds(60));
        }

        public Options withPacing(Duration poll, Duration backoff, Duration maxBackoff) {
            return new Options(functionName, functionArn, streamArn, region, poll, backoff, maxBackoff, functionTimeout);
        }
    }

    /** Notified from the shard threads; must be fast and thread-safe. */
    public interface Listener {
        /**
         * A batch was cut and is about to be invoked for the first time (Kinesis mapping only): when each
         * record was read and when the batch closed, for a breakdown of where a record's latency goes.
         */
        default void batchCut(BatchCut cut) {
        }

        /** These records were processed: the invocation that held them returned without reporting them. */
        default void succeeded(List<StreamRecord> records, Instant completedAt) {
        }

        /** These records were given up on and described to the on-failure destination. */
        default void discarded(List<StreamRecord> records, OnFailureRecord.Condition condition) {
        }
    }

    /**
     * Counters since start; every record read ends in exactly one of succeeded, discarded or expired.
     * {@code billedMillis} adds up each invocation's handler time rounded up to the millisecond (Lambda's
     * billing unit), measured on this machine.
     */
    public record Stats(long recordsRead, long recordsSucceeded, long recordsDiscarded, long recordsExpired,
                        long invocations, long functionErrors, long partialFailures, long bisections, long retries,
                        long billedMillis) {
        /** Records read but not yet settled (in a batch being worked on, or buffered). */
        public long inFlight() {
            return recordsRead - recordsSucceeded - recordsDiscarded - recordsExpired;
        }
    }

    private static final System.Logger LOG = System.getLogger(KinesisEventSourceMapping.class.getName());

    private final ShardReader reader;
    private final PipelineSpec.StreamMapping settings;
    private final Options options;
    private final Clock clock;
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    private final MappingCounters counters = new MappingCounters();
    private final BatchSettler settler;

    private final Map<String, String> checkpoints = new ConcurrentHashMap<>();
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean running;

    public KinesisEventSourceMapping(ShardReader reader, RequestHandler<KinesisEvent, StreamsEventResponse> handler,
                                     PipelineSpec.StreamMapping settings, FailureDestination destination,
                                     Options options, Clock clock, PrintStream functionLog) {
        this.reader = reader;
        this.settings = settings;
        this.options = options;
        this.clock = clock;
        BooleanSupplier isRunning = () -> running;
        this.settler = new BatchSettler(new BatchInvoker(handler, settings, options, functionLog, counters),
                new RecordOutcomes(destination, options, clock, listeners, isRunning, counters),
                settings, options, clock, isRunning, counters);
    }

    @Override
    public KinesisEventSourceMapping addListener(Listener listener) {
        listeners.add(listener);
        return this;
    }

    /** Lists the shards and starts one poller thread per shard, reading from the oldest record. */
    @Override
    public synchronized void start() {
        if (running) {
            throw new IllegalStateException("already started");
        }
        if (settings.parallelizationFactor() > 1) {
            LOG.log(System.Logger.Level.INFO, "parallelization factor {0} runs as 1 locally", settings.parallelizationFactor());
        }
        running = true;
        for (String shardId : reader.shardIds()) {
            Thread t = new Thread(() -> poll(shardId), "esm-" + shardId);
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
    }

    /** The last sequence number settled per shard. */
    public Map<String, String> checkpoints() {
        return Map.copyOf(checkpoints);
    }

    @Override
    public Stats stats() {
        return counters.snapshot();
    }

    /**
     * Stops polling. A batch being invoked finishes its current invocation; records not settled by then
     * are not checkpointed, so a restarted mapping would deliver them again (at least once).
     */
    @Override
    public synchronized void close() {
        running = false;
        for (Thread t : threads) {
            t.interrupt();
        }
        for (Thread t : threads) {
            try {
                t.join(options.functionTimeout().toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        threads.clear();
    }

    /** One shard's poller: batch, settle, checkpoint, in order, until stopped or the shard is done. */
    private void poll(String shardId) {
        ShardBatcher batcher = new ShardBatcher(reader, shardId, settings, options.pollInterval(), clock,
                () -> running, counters);
        try {
            batcher.open();
            while (running) {
                BatchCut cut = batcher.nextBatch();
                List<StreamRecord> batch = cut.records();
                if (batch.isEmpty()) {
                    if (batcher.exhausted()) {
                        return; // a closed shard that is fully processed needs no poller
                    }
                    continue;
                }
                for (Listener l : listeners) {
                    l.batchCut(cut);
                }
                if (!settler.settle(shardId, batch)) {
                    return; // stopped in the middle of a batch: leave the checkpoint where it was
                }
                checkpoints.put(shardId, batch.get(batch.size() - 1).sequenceNumber());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "poller for " + shardId + " stopped", e);
        }
    }
}
