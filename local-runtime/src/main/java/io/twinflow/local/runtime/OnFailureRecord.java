package io.twinflow.local.runtime;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;

/**
 * The invocation record Lambda sends to a Kinesis mapping's on-failure destination: metadata only
 * (shard and sequence range), never the payload, so the records must be read back from the stream
 * while they are retained. Field names follow what Lambda sends so the same tooling reads both.
 */
public final class OnFailureRecord {

    /** Why the records were discarded ({@code requestContext.condition}). */
    public enum Condition {
        RETRY_ATTEMPTS_EXHAUSTED("RetryAttemptsExhausted"),
        RECORD_AGE_EXCEEDED("RecordAgeExceeded");

        private final String wireName;

        Condition(String wireName) {
            this.wireName = wireName;
        }

        public String wireName() {
            return wireName;
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private OnFailureRecord() {
    }

    /**
     * @param requestId the last invocation's request id, or null when the records were never invoked
     * @param invokeCount how many times these records were sent to the function
     * @param functionError "Unhandled" when the last invocation threw, null for a reported partial failure
     */
    public static String toJson(List<StreamRecord> records, Condition condition, String functionArn, String streamArn,
                                String requestId, int invokeCount, String functionError, Instant now) {
        StreamRecord first = records.get(0);
        StreamRecord last = records.get(records.size() - 1);
        ObjectNode root = envelope(condition, functionArn, requestId, invokeCount, functionError, now);
        ObjectNode batch = root.putObject("KinesisBatchInfo");
        batch.put("shardId", first.shardId());
        batch.put("startSequenceNumber", first.sequenceNumber());
        batch.put("endSequenceNumber", last.sequenceNumber());
        batch.put("approximateArrivalOfFirstRecord", first.approximateArrival().toString());
        batch.put("approximateArrivalOfLastRecord", last.approximateArrival().toString());
        batch.put("batchSize", records.size());
        batch.put("streamArn", streamArn);
        return root.toString();
    }

    /**
     * What every source's invocation record has: the request and response contexts, version and time;
     * the caller adds its batch info ({@code KinesisBatchInfo}, {@code KafkaBatchInfo}).
     */
    static ObjectNode envelope(Condition condition, String functionArn, String requestId, int invokeCount,
                               String functionError, Instant now) {
        ObjectNode root = JSON.createObjectNode();
        ObjectNode request = root.putObject("requestContext");
        if (requestId != null) {
            request.put("requestId", requestId);
        }
        request.put("functionArn", functionArn);
        request.put("condition", condition.wireName());
        request.put("approximateInvokeCount", invokeCount);
        if (invokeCount > 0) {
            ObjectNode response = root.putObject("responseContext");
            response.put("statusCode", 200);
            response.put("executedVersion", "$LATEST");
            if (functionError != null) {
                response.put("functionError", functionError);
            }
        }
        root.put("version", "1.0");
        root.put("timestamp", now.toString());
        return root;
    }
}
