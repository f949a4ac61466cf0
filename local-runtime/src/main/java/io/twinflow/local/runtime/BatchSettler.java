package io.twinflow.local.runtime;

import io.twinflow.core.pipeline.PipelineSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * Works one batch until every record in it has succeeded or been given up on, as the event source
 * mapping does: a partial batch response redelivers from the lowest reported record; a function error
 * bisects the batch (the halves keep the retries used so far) or, for a single record or without
 * bisect, retries it with exponential back-off; records past {@code maxRetries} retries or older than
 * {@code maxRecordAge} are given up on.
 */
final class BatchSettler {

    /** Records still to settle, with the retries they have already used. */
    private record Attempt(List<StreamRecord> records, int retriesUsed, int invokeCount) {
    }

    private final BatchInvoker invoker;
    private final RecordOutcomes outcomes;
    private final PipelineSpec.StreamMapping settings;
    private final KinesisEventSourceMapping.Options options;
    private final Clock clock;
    private final BooleanSupplier running;
    private final MappingCounters counters;

    BatchSettler(BatchInvoker invoker, RecordOutcomes outcomes, PipelineSpec.StreamMapping settings,
                 KinesisEventSourceMapping.Options options, Clock clock, BooleanSupplier running, MappingCounters counters) {
        this.invoker = invoker;
        this.outcomes = outcomes;
        this.settings = settings;
        this.options = options;
        this.clock = clock;
        this.running = running;
        this.counters = counters;
    }

    /** @return false when the mapping was stopped before every record settled */
    boolean settle(String shardId, List<StreamRecord> batch) throws InterruptedException {
        Deque<Attempt> work = new ArrayDeque<>();
        work.push(new Attempt(batch, 0, 0));
        while (!work.isEmpty()) {
            if (!running.getAsBoolean()) {
                return false;
            }
            Attempt attempt = work.pop();
            List<StreamRecord> records = dropExpired(attempt.records(), attempt.invokeCount());
            if (records.isEmpty()) {
                continue;
            }
            BatchInvoker.Outcome outcome = invoker.invoke(shardId, records);
            int invokeCount = attempt.invokeCount() + 1;
            if (outcome.succeeded()) {
                outcomes.succeeded(records);
                continue;
            }
            List<StreamRecord> done = records.subList(0, outcome.retryFrom());
            List<StreamRecord> failed = records.subList(outcome.retryFrom(), records.size());
            if (!done.isEmpty()) {
                outcomes.succeeded(done);
            }
            if (outcome.isFunctionError() && settings.bisectOnError() && failed.size() > 1) {
                // Both halves keep the retries used so far: splitting does not consume the quota.
                counters.bisections.incrementAndGet();
                int half = failed.size() / 2;
                work.push(new Attempt(List.copyOf(failed.subList(half, failed.size())), attempt.retriesUsed(), invokeCount));
                work.push(new Attempt(List.copyOf(failed.subList(0, half)), attempt.retriesUsed(), invokeCount));
                continue;
            }
            if (settings.maxRetries() >= 0 && attempt.retriesUsed() >= settings.maxRetries()) {
                outcomes.discarded(failed, OnFailureRecord.Condition.RETRY_ATTEMPTS_EXHAUSTED, outcome.requestId(),
                        invokeCount, outcome.functionError());
                continue;
            }
            counters.retries.incrementAndGet();
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
        outcomes.expired(records.subList(0, expired), invokeCount);
        return records.subList(expired, records.size());
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
