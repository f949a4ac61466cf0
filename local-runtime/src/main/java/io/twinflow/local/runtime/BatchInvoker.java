package io.twinflow.local.runtime;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import io.twinflow.core.pipeline.PipelineSpec;
import java.io.PrintStream;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One invocation of the handler with a batch, and what Lambda makes of the answer: success, a partial
 * batch response (ReportBatchItemFailures), or a function error (a throw, or a response naming a record
 * that is not in the batch).
 */
final class BatchInvoker {

    /** What one invocation came to. {@code retryFrom} is the index of the first record to redeliver. */
    record Outcome(int retryFrom, String requestId, String functionError) {
        boolean succeeded() {
            return retryFrom < 0;
        }

        boolean isFunctionError() {
            return functionError != null;
        }
    }

    private final RequestHandler<KinesisEvent, StreamsEventResponse> handler;
    private final PipelineSpec.StreamMapping settings;
    private final KinesisEventSourceMapping.Options options;
    private final PrintStream functionLog;
    private final MappingCounters counters;

    BatchInvoker(RequestHandler<KinesisEvent, StreamsEventResponse> handler, PipelineSpec.StreamMapping settings,
                 KinesisEventSourceMapping.Options options, PrintStream functionLog, MappingCounters counters) {
        this.handler = handler;
        this.settings = settings;
        this.options = options;
        this.functionLog = functionLog;
        this.counters = counters;
    }

    Outcome invoke(String shardId, List<StreamRecord> records) {
        KinesisEvent event = KinesisEvents.toEvent(records, options.region(), options.streamArn(),
                options.functionArn());
        LocalLambdaContext context = new LocalLambdaContext(options.functionName(), options.functionArn(),
                options.functionTimeout(), functionLog);
        counters.invocations.incrementAndGet();
        StreamsEventResponse response;
        long started = System.nanoTime();
        try {
            response = handler.handleRequest(event, context);
        } catch (RuntimeException | Error e) {
            if (e instanceof VirtualMachineError vme) {
                throw vme;
            }
            counters.functionErrors.incrementAndGet();
            functionLog.println("[" + context.getAwsRequestId() + "] function error on " + shardId + ": " + e);
            return new Outcome(0, context.getAwsRequestId(), "Unhandled");
        } finally {
            counters.billedMillis.addAndGet(billedMillis(System.nanoTime() - started));
        }
        return interpret(shardId, response, records, context.getAwsRequestId());
    }

    /** Lambda bills duration in whole milliseconds, rounded up. */
    static long billedMillis(long nanos) {
        return (nanos + 999_999) / 1_000_000;
    }

    private Outcome interpret(String shardId, StreamsEventResponse response, List<StreamRecord> records, String requestId) {
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
                counters.functionErrors.incrementAndGet();
                functionLog.println("[" + requestId + "] invalid batchItemFailures entry on " + shardId
                        + ": " + (failure == null ? null : failure.getItemIdentifier()));
                return new Outcome(0, requestId, "InvalidResponse");
            }
            lowest = Math.min(lowest, index);
        }
        counters.partialFailures.incrementAndGet();
        return new Outcome(lowest, requestId, null);
    }
}
