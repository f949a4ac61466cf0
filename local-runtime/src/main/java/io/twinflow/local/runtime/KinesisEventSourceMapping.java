package io.twinflow.local.runtime;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import io.twinflow.core.pipeline.PipelineSpec;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

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
 */
public final class KinesisEventSourceMapping implements AutoCloseable {

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
        /** These records were processed: the invocation that held them returned without reporting them. */
        default void succeeded(List<StreamRecord> records, Instant completedAt) {
        }

        /** These records were given up on and described to the on-failure destination. */
        default void discarded(List<StreamRecord> records, OnFailureRecord.Condition condition) {
        }
    }

    /** Counters since start; every record read ends in exactly one of succeeded, discarded or expired. */
    public record Stats(long recordsRead, long recordsSucceeded, long recordsDiscarded, long recordsExpired,
                        long invocations, long functionErrors, long partialFailures, long bisections, long retries) {
        /** Records read but not yet settled (in a batch being worked on, or buffered). */
        public long inFlight() {
            return recordsRead - recordsSucceeded - recordsDiscarded - recordsExpired;
        }
    }

    private static final System.Logger LOG = System.getLogger(KinesisEventSourceMapping.class.getName());

    private final ShardReader reader;
    private final RequestHandler<KinesisEvent, StreamsEventResponse> handler;
    private final PipelineSpec.StreamMapping settings;
    private final FailureDestination destination;
    private final Options options;
    private final Clock clock;
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    private final PrintStream functionLog;

    private final Map<String, String> checkpoints = new ConcurrentHashMap<>();
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean running;

    private final AtomicLong recordsRead = new AtomicLong();
    private final AtomicLong recordsSucceeded = new AtomicLong();
    private final AtomicLong recordsDiscarded = new AtomicLong();
    private final AtomicLong recordsExpired = new AtomicLong();
    private final AtomicLong invocations = new AtomicLong();
    private final AtomicLong functionErrors = new AtomicLong();
    private final AtomicLong partialFailures = new AtomicLong();
    private final AtomicLong bisections = new AtomicLong();
    private final AtomicLong retries = new AtomicLong();

    public KinesisEventSourceMapping(ShardReader reader, RequestHandler<KinesisEvent, StreamsEventResponse> handler,
                                     PipelineSpec.StreamMapping settings, FailureDestination destination,
                                     Options options, Clock clock, PrintStream functionLog) {
        this.reader = reader;
        this.handler = handler;
        this.settings = settings;
        this.destination = destination;
        this.options = options;
        this.clock = clock;
        this.functionLog = functionLog;
    }

    public KinesisEventSourceMapping addListener(Listener listener) {
        listeners.add(listener);
        return this;
    }

    /** Lists the shards and starts one poller thread per shard, reading from the oldest record. */
    public synchronized void start() {
        if (running) {
            throw new IllegalStateException("already started");
        }
        if (settings.parallelizationFactor() > 1) {
            LOG.log(System.Logger.Level.INFO, "parallelization factor {0} runs as 1 locally", settings.parallelizationFactor());
        }
        running = true;
        for (String shardId : reader.shardIds()) {
            Thread t = new Thread(new ShardPoller(shardId), "esm-" + shardId);
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
    }

    /** The last sequence number settled per shard. */
    public Map<String, String> checkpoints() {
        return Map.copyOf(checkpoints);
    }

    public Stats stats() {
        return new Stats(recordsRead.get(), recordsSucceeded.get(), recordsDiscarded.get(), recordsExpired.get(),
                invocations.get(), functionErrors.get(), partialFailures.get(), bisections.get(), retries.get());
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

    /** What one invocation came to. {@code retryFrom} is the index of the first record to redeliver. */
    private record Outcome(int retryFrom, String requestId, String functionError) {
        boolean succeeded() {
            return retryFrom < 0;
        }

        boolean isFunctionError() {
            return functionError != null;
        }
    }

    /** Records still to settle, with the retries they have already used. */
    private record Attempt(List<StreamRecord> records, int retriesUsed, int invokeCount) {
    }

    private final class ShardPoller implements Runnable {
        private final String shardId;
        private final Deque<StreamRecord> buffer = new ArrayDeque<>();
        private String iterator;
        private String lastRead;
        private boolean closed;

        ShardPoller(String shardId) {
            this.shardId = shardId;
        }

        @Override
        public void run() {
            try {
                iterator = reader.iteratorAtOldest(shardId);
                while (running) {
                    List<StreamRecord> batch = gather();
                    if (batch.isEmpty()) {
                        if (closed && buffer.isEmpty()) {
                            return; // a closed shard that is fully processed needs no poller
                        }
                        continue;
                    }
                    if (!settle(batch)) {
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

        /** Reads until a batch is full, the batching window has passed, or the payload limit is near. */
        private List<StreamRecord> gather() throws InterruptedException {
            Instant deadline = buffer.isEmpty() ? null : clock.instant().plus(settings.maxBatchingWindow());
            while (running && buffer.size() < settings.batchSize() && !closed) {
                if (deadline != null && !clock.instant().isBefore(deadline)) {
                    break;
                }
                List<StreamRecord> page = readPage(settings.batchSize() - buffer.size());
                buffer.addAll(page);
                if (deadline == null && !buffer.isEmpty()) {
                    deadline = clock.instant().plus(settings.maxBatchingWindow());
                }
                if (!buffer.isEmpty() && settings.maxBatchingWindow().isZero()) {
                    break;
                }
                if (page.isEmpty() || buffer.size() < settings.batchSize()) {
                    Duration wait = options.pollInterval();
                    if (deadline != null) {
                        Duration left = Duration.between(clock.instant(), deadline);
                        if (left.compareTo(wait) < 0) {
                            wait = left;
                        }
                    }
                    if (!wait.isNegative() && !wait.isZero()) {
                        Thread.sleep(wait.toMillis(), wait.toNanosPart() % 1_000_000);
                    }
                }
            }
            List<StreamRecord> batch = new ArrayList<>(Math.min(buffer.size(), settings.batchSize()));
            long payload = 0;
            while (!buffer.isEmpty() && batch.size() < settings.batchSize()) {
                long size = KinesisEvents.payloadBytes(buffer.peekFirst());
                if (!batch.isEmpty() && payload + size > KinesisEvents.MAX_PAYLOAD_BYTES) {
                    break;
                }
                payload += size;
                batch.add(buffer.pollFirst());
            }
            return batch;
        }

        private List<StreamRecord> readPage(int limit) throws InterruptedException {
            try {
                ShardReader.Page page = reader.read(shardId, iterator, limit);
                iterator = page.nextIterator();
                closed = iterator == null;
                if (!page.records().isEmpty()) {
                    lastRead = page.records().get(page.records().size() - 1).sequenceNumber();
                    recordsRead.addAndGet(page.records().size());
                }
                return page.records();
            } catch (RuntimeException e) {
                if (!running) {
                    return List.of(); // interrupted by close()
                }
                // Iterators expire and emulators hiccup: resume right after the last record read.
                LOG.log(System.Logger.Level.WARNING, "reading " + shardId + " failed, repositioning: " + e.getMessage());
                Thread.sleep(options.pollInterval().toMillis());
                iterator = lastRead == null ? reader.iteratorAtOldest(shardId) : reader.iteratorAfter(shardId, lastRead);
                return List.of();
            }
        }

        /**
         * Works on the batch until every record has succeeded or been discarded.
         *
         * @return false when the mapping was stopped before that
         */
        private boolean settle(List<StreamRecord> batch) throws InterruptedException {
            Deque<Attempt> work = new ArrayDeque<>();
            work.push(new Attempt(batch, 0, 0));
            while (!work.isEmpty()) {
                if (!running) {
                    return false;
                }
                Attempt attempt = work.pop();
                List<StreamRecord> records = dropExpired(attempt.records(), attempt.invokeCount());
                if (records.isEmpty()) {
                    continue;
                }
                Outcome outcome = invoke(records);
                int invokeCount = attempt.invokeCount() + 1;
                if (outcome.succeeded()) {
                    succeeded(records);
                    continue;
                }
                List<StreamRecord> done = records.subList(0, outcome.retryFrom());
                List<StreamRecord> failed = records.subList(outcome.retryFrom(), records.size());
                if (!done.isEmpty()) {
                    succeeded(done);
                }
                if (outcome.isFunctionError() && settings.bisectOnError() && failed.size() > 1) {
                    // Both halves keep the retries used so far: splitting does not consume the quota.
                    bisections.incrementAndGet();
                    int half = failed.size() / 2;
                    work.push(new Attempt(List.copyOf(failed.subList(half, failed.size())), attempt.retriesUsed(), invokeCount));
                    work.push(new Attempt(List.copyOf(failed.subList(0, half)), attempt.retriesUsed(), invokeCount));
                    continue;
                }
                if (settings.maxRetries() >= 0 && attempt.retriesUsed() >= settings.maxRetries()) {
                    discard(failed, OnFailureRecord.Condition.RETRY_ATTEMPTS_EXHAUSTED, outcome.requestId(),
                            invokeCount, outcome.functionError());
                    continue;
                }
                retries.incrementAndGet();
                backOff(attempt.retriesUsed());
                work.push(new Attempt(List.copyOf(failed), attempt.retriesUsed() + 1, invokeCount));
            }
            return true;
        }

        /** Records are in arrival order within a shard, so the expired ones are a prefix. */
        private List<StreamRecord> dropExpired(List<StreamRecord> records, int invokeCount) {
            Duration maxAge = settings.maxRecordAge();
            if (maxAge == null || maxAge.isNegative() || maxAge.isZero()) {
                return records; // infinite: only the stream's retention ends a record's life
            }
            Instant oldestAllowed = clock.instant().minus(maxAge);
            int expired = 0;
            while (expired < records.size() && records.get(expired).approximateArrival().isBefore(oldestAllowed)) {
                expired++;
            }
            if (expired == 0) {
                return records;
            }
            List<StreamRecord> old = records.subList(0, expired);
            sendToDestination(old, OnFailureRecord.Condition.RECORD_AGE_EXCEEDED, null, invokeCount, null);
            recordsExpired.addAndGet(old.size());
            for (Listener l : listeners) {
                l.discarded(old, OnFailureRecord.Condition.RECORD_AGE_EXCEEDED);
            }
            return records.subList(expired, records.size());
        }

        private Outcome invoke(List<StreamRecord> records) {
            KinesisEvent event = KinesisEvents.toEvent(records, options.region(), options.streamArn(),
                    options.functionArn());
            LocalLambdaContext context = new LocalLambdaContext(options.functionName(), options.functionArn(),
                    options.functionTimeout(), functionLog);
            invocations.incrementAndGet();
            StreamsEventResponse response;
            try {
                response = handler.handleRequest(event, context);
            } catch (RuntimeException | Error e) {
                if (e instanceof VirtualMachineError vme) {
                    throw vme;
                }
                functionErrors.incrementAndGet();
                functionLog.println("[" + context.getAwsRequestId() + "] function error on " + shardId + ": " + e);
                return new Outcome(0, context.getAwsRequestId(), "Unhandled");
            }
            return interpret(response, records, context.getAwsRequestId());
        }

        private Outcome interpret(StreamsEventResponse response, List<StreamRecord> records, String requestId) {
            if (!settings.reportBatchItemFailures() || response == null || response.getBatchItemFailures() == null
                    || response.getBatchItemFailures().isEmpty()) {
                return new Outcome(-1, requestId, null);
            }
            Map<String, Integer> position = new HashMap<>(records.size() * 2);
            for (int i = 0; i < records.size(); i++) {
                position.put(records.get(i).sequenceNumber(), i);
            }
            int lowest = Integer.MAX_VALUE;
            for (StreamsEventResponse.BatchItemFailure failure : response.getBatchItemFailures()) {
                Integer index = failure == null ? null : position.get(failure.getItemIdentifier());
                if (index == null) {
                    // Lambda treats an empty, null or unknown identifier as a failure of the whole batch.
                    functionErrors.incrementAndGet();
                    functionLog.println("[" + requestId + "] invalid batchItemFailures entry on " + shardId
                            + ": " + (failure == null ? null : failure.getItemIdentifier()));
                    return new Outcome(0, requestId, "InvalidResponse");
                }
                lowest = Math.min(lowest, index);
            }
            partialFailures.incrementAndGet();
            return new Outcome(lowest, requestId, null);
        }

        private void succeeded(List<StreamRecord> records) {
            recordsSucceeded.addAndGet(records.size());
            Instant now = clock.instant();
            for (Listener l : listeners) {
                l.succeeded(records, now);
            }
        }

        private void discard(List<StreamRecord> records, OnFailureRecord.Condition condition, String requestId,
                             int invokeCount, String functionError) {
            sendToDestination(records, condition, requestId, invokeCount, functionError);
            recordsDiscarded.addAndGet(records.size());
            for (Listener l : listeners) {
                l.discarded(records, condition);
            }
        }

        private void sendToDestination(List<StreamRecord> records, OnFailureRecord.Condition condition,
                                       String requestId, int invokeCount, String functionError) {
            String body = OnFailureRecord.toJson(records, condition, options.functionArn(), options.streamArn(),
                    requestId, invokeCount, functionError, clock.instant());
            // Losing this message would lose the only trace of the records, so keep trying while running.
            while (true) {
                try {
                    destination.send(body);
                    return;
                } catch (RuntimeException e) {
                    LOG.log(System.Logger.Level.WARNING, "on-failure destination failed, retrying: " + e.getMessage());
                    if (!running) {
                        throw e;
                    }
                    try {
                        Thread.sleep(options.maxRetryBackoff().toMillis());
                    } catch (InterruptedException ie) {
                        Thread.currentThread().interrupt();
                        throw e;
                    }
                }
            }
        }

        private void backOff(int retriesUsed) throws InterruptedException {
            long base = options.retryBackoff().toMillis();
            if (base <= 0) {
                return;
            }
            long delay = Math.min(options.maxRetryBackoff().toMillis(), base << Math.min(retriesUsed, 16));
            Thread.sleep(delay);
        }
    }
}
