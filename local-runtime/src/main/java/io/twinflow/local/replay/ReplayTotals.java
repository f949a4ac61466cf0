package io.twinflow.local.replay;

import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.twinflow.functions.stream.BatchSummary;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The sums of the handler's batch summary lines over a replay: the replay summary's counts. */
final class ReplayTotals {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> COUNTS = List.of("records", "applied", "duplicates", "quarantined", "failed", "reportedForRetry",
            "windows", "alerts");

    private final Map<String, Long> counts = new LinkedHashMap<>();
    private final Map<String, Long> quarantinedByReason = new TreeMap<>();
    private long batches;
    private long notReplayed;

    ReplayTotals() {
        COUNTS.forEach(c -> counts.put(c, 0L));
    }

    /** Whether the handler reported records for retry: those and the shard's later records are not done. */
    static boolean asksForRetry(StreamsEventResponse response) {
        return response != null && response.getBatchItemFailures() != null && !response.getBatchItemFailures().isEmpty();
    }

    /**
     * Adds the batch summary lines written since the last call (and forgets them).
     *
     * @return the records these lines count as failed
     */
    long add(ByteArrayOutputStream lines) {
        String text = lines.toString(StandardCharsets.UTF_8);
        lines.reset();
        long failed = 0;
        for (String line : text.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            JsonNode node;
            try {
                node = JSON.readTree(line);
            } catch (IOException notJson) {
                continue; // the handler's other log lines
            }
            if (!"batch summary".equals(node.path("message").asText())) {
                continue;
            }
            batches++;
            failed += node.path("failed").asLong();
            COUNTS.forEach(c -> counts.merge(c, node.path(c).asLong(), Long::sum));
            node.fields().forEachRemaining(f -> {
                if (f.getKey().startsWith(BatchSummary.REASON_METRIC_PREFIX)) {
                    quarantinedByReason.merge(f.getKey().substring(BatchSummary.REASON_METRIC_PREFIX.length()), f.getValue().asLong(), Long::sum);
                }
            });
        }
        return failed;
    }

    /** Records the replay did not get to. */
    void notReplayed(long records) {
        notReplayed += records;
    }

    Map<String, Object> toMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("message", "replay summary");
        map.putAll(counts);
        map.put("quarantinedByReason", quarantinedByReason);
        map.put("batches", batches);
        map.put("notReplayed", notReplayed);
        return map;
    }
}
