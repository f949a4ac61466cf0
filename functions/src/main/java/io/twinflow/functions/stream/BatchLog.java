package io.twinflow.functions.stream;

import com.amazonaws.services.lambda.runtime.Context;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintStream;

/**
 * Writes the one structured JSON line per batch that dashboards and metric filters read
 * ({@code "message":"batch summary"}).
 */
class BatchLog {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final PrintStream fallback;

    BatchLog(PrintStream fallback) {
        this.fallback = fallback;
    }

    void summary(BatchSummary summary, Context context) {
        String line = toJson(summary, context == null ? null : context.getAwsRequestId());
        if (context != null && context.getLogger() != null) {
            context.getLogger().log(line + "\n");
        } else {
            fallback.println(line);
        }
    }

    static String toJson(BatchSummary s, String requestId) {
        ObjectNode node = JSON.createObjectNode();
        node.put("message", "batch summary");
        node.put("function", "stream-processor");
        if (requestId != null) {
            node.put("requestId", requestId);
        }
        node.put("shardId", s.shardId());
        node.put("records", s.records());
        node.put("applied", s.applied());
        node.put("duplicates", s.duplicates());
        node.put("quarantined", s.quarantined());
        ObjectNode byReason = node.putObject("quarantinedByReason");
        s.quarantinedByReason().forEach(byReason::put);
        node.put("failed", s.failed());
        node.put("reportedForRetry", s.reportedForRetry());
        node.put("retryFromSequenceNumber", s.retryFromSequenceNumber());
        node.put("windows", s.windows());
        node.put("alerts", s.alerts());
        node.put("durationMs", s.durationMs());
        try {
            return JSON.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a summary is always serialisable", e);
        }
    }
}
