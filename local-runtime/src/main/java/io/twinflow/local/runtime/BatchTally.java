package io.twinflow.local.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The stream processor's batch summary lines added up, as CloudWatch adds up their embedded metrics in AWS: the local
 * runtime tees the function log through {@link #tee}, so the counters come from the very line the deployed stack's
 * metrics and alarms read, not from a second count kept beside it.
 */
public final class BatchTally {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String MARKER = "\"message\":\"batch summary\"";

    private long batches;
    private long records;
    private long applied;
    private long duplicates;
    private long failed;
    private final Map<String, Long> quarantinedByReason = new TreeMap<>();

    /** A stream that writes to {@code log} and adds up every batch summary line written through it. */
    public PrintStream tee(PrintStream log) {
        OutputStream lines = new OutputStream() {
            private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

            @Override
            public synchronized void write(int b) {
                log.write(b);
                if (b == '\n') {
                    count(bytes.toString(StandardCharsets.UTF_8));
                    bytes.reset();
                } else {
                    bytes.write(b);
                }
            }

            @Override
            public void flush() {
                log.flush();
            }
        };
        return new PrintStream(lines, true, StandardCharsets.UTF_8);
    }

    /** Adds one log line when it is a batch summary; other lines are ignored. */
    synchronized void count(String line) {
        if (!line.contains(MARKER)) {
            return;
        }
        JsonNode summary;
        try {
            summary = JSON.readTree(line);
        } catch (IOException notJson) {
            return;
        }
        batches++;
        records += summary.path("records").asLong();
        applied += summary.path("applied").asLong();
        duplicates += summary.path("duplicates").asLong();
        failed += summary.path("failed").asLong();
        for (Iterator<Map.Entry<String, JsonNode>> it = summary.path("quarantinedByReason").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> reason = it.next();
            quarantinedByReason.merge(reason.getKey(), reason.getValue().asLong(), Long::sum);
        }
    }

    /** {batches, records, applied, duplicates, quarantined, quarantinedByReason, failed} since the stack started. */
    public synchronized Map<String, Object> snapshot() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("batches", batches);
        json.put("records", records);
        json.put("applied", applied);
        json.put("duplicates", duplicates);
        json.put("quarantined", quarantinedByReason.values().stream().mapToLong(Long::longValue).sum());
        json.put("quarantinedByReason", new TreeMap<>(quarantinedByReason));
        json.put("failed", failed);
        return json;
    }
}
