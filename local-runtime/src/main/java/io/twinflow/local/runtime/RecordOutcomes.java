package io.twinflow.local.runtime;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * Where settled records go: succeeded ones are counted and told to the listeners; given-up ones are
 * also described to the on-failure destination first (metadata, like Lambda: no payload).
 */
final class RecordOutcomes {

    private static final System.Logger LOG = System.getLogger(RecordOutcomes.class.getName());

    private final FailureDestination destination;
    private final KinesisEventSourceMapping.Options options;
    private final Clock clock;
    private final List<KinesisEventSourceMapping.Listener> listeners;
    private final BooleanSupplier running;
    private final MappingCounters counters;

    RecordOutcomes(FailureDestination destination, KinesisEventSourceMapping.Options options, Clock clock,
                   List<KinesisEventSourceMapping.Listener> listeners, BooleanSupplier running, MappingCounters counters) {
        this.destination = destination;
        this.options = options;
        this.clock = clock;
        this.listeners = listeners;
        this.running = running;
        this.counters = counters;
    }

    void succeeded(List<StreamRecord> records) {
        counters.recordsSucceeded.addAndGet(records.size());
        Instant now = clock.instant();
        for (KinesisEventSourceMapping.Listener l : listeners) {
            l.succeeded(records, now);
        }
    }

    /** Records older than the maximum record age, given up on before they were invoked (again). */
    void expired(List<StreamRecord> records, int invokeCount) {
        OnFailureRecord.Condition condition = OnFailureRecord.Condition.RECORD_AGE_EXCEEDED;
        send(records, condition, null, invokeCount, null);
        counters.recordsExpired.addAndGet(records.size());
        notifyDiscarded(records, condition);
    }

    /** Records whose retries are used up. */
    void discarded(List<StreamRecord> records, OnFailureRecord.Condition condition, String requestId,
                   int invokeCount, String functionError) {
        send(records, condition, requestId, invokeCount, functionError);
        counters.recordsDiscarded.addAndGet(records.size());
        notifyDiscarded(records, condition);
    }

    private void notifyDiscarded(List<StreamRecord> records, OnFailureRecord.Condition condition) {
        for (KinesisEventSourceMapping.Listener l : listeners) {
            l.discarded(records, condition);
        }
    }

    private void send(List<StreamRecord> records, OnFailureRecord.Condition condition,
                      String requestId, int invokeCount, String functionError) {
        String body = OnFailureRecord.toJson(records, condition, options.functionArn(), options.streamArn(),
                requestId, invokeCount, functionError, clock.instant());
        Duration pause = options.maxRetryBackoff();
        // Losing this message would lose the only trace of the records, so keep trying while running.
        while (true) {
            try {
                destination.send(body);
                return;
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "on-failure destination failed, retrying: " + e.getMessage());
                if (!running.getAsBoolean()) {
                    throw e;
                }
                try {
                    Thread.sleep(pause.toMillis());
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }
}
