package io.twinflow.local.runtime;

import java.util.concurrent.atomic.AtomicLong;

/**
 * What the event source mapping has done since it started, counted from every shard thread. Every
 * record read ends in exactly one of succeeded, discarded or expired.
 */
final class MappingCounters {

    final AtomicLong recordsRead = new AtomicLong();
    final AtomicLong recordsSucceeded = new AtomicLong();
    final AtomicLong recordsDiscarded = new AtomicLong();
    final AtomicLong recordsExpired = new AtomicLong();
    final AtomicLong invocations = new AtomicLong();
    final AtomicLong functionErrors = new AtomicLong();
    final AtomicLong partialFailures = new AtomicLong();
    final AtomicLong bisections = new AtomicLong();
    final AtomicLong retries = new AtomicLong();
    /** Each invocation's handler time rounded up to the next millisecond, as Lambda bills it. */
    final AtomicLong billedMillis = new AtomicLong();

    KinesisEventSourceMapping.Stats snapshot() {
        return new KinesisEventSourceMapping.Stats(recordsRead.get(), recordsSucceeded.get(), recordsDiscarded.get(),
                recordsExpired.get(), invocations.get(), functionErrors.get(), partialFailures.get(), bisections.get(),
                retries.get(), billedMillis.get());
    }
}
