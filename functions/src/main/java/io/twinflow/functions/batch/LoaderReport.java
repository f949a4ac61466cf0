package io.twinflow.functions.batch;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.twinflow.functions.SummaryLog;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What one batch-loader run did. {@code pending = loaded + alreadyLoaded + failed + deferred}: every
 * object found was loaded, found loaded by a racing run, failed (retried next run) or deferred for
 * lack of time (next run). {@code unloadedObjects = failed + deferred}: the archived objects found and
 * still not loaded after the run; {@code oldestUnloadedObjectAgeSeconds} is the age of the oldest of
 * them (0 when there is none), the figure the stack alarms on.
 *
 * @param watermark the oldest partition the next run lists from; null for a run of one partition
 * @param at when the run finished (the metrics' timestamp)
 */
public record LoaderReport(int pending, long loaded, long alreadyLoaded, List<String> failedKeys, int deferred,
                           long linesRead, long rowsLoaded, long rowsDuplicate, long rowsQuarantined, Duration elapsed,
                           long unloadedObjects, long oldestUnloadedObjectAgeSeconds, LocalDate watermark, Instant at) {

    /** CloudWatch namespace, dimension and metric names of the summary line (the stack's alarm uses them). */
    public static final String METRIC_NAMESPACE = "Twinflow";
    public static final String METRIC_DIMENSION = "Function";
    public static final String FUNCTION_NAME = "batch-loader";
    public static final String UNLOADED_OBJECTS = "UnloadedObjects";
    public static final String OLDEST_UNLOADED_OBJECT_AGE_SECONDS = "OldestUnloadedObjectAgeSeconds";

    private static final ObjectMapper JSON = new ObjectMapper();

    public LoaderReport {
        failedKeys = List.copyOf(failedKeys);
    }

    public double rowsPerSecond() {
        double seconds = elapsed.toNanos() / 1e9;
        return seconds == 0 ? 0 : linesRead / seconds;
    }

    /** The report as the JSON object the handler returns. */
    public Map<String, Object> toMap() {
        Map<String, Object> map = new TreeMap<>();
        map.put("message", "loader summary");
        map.put("pending", pending);
        map.put("loaded", loaded);
        map.put("alreadyLoaded", alreadyLoaded);
        map.put("failed", failedKeys.size());
        map.put("failedKeys", failedKeys);
        map.put("deferred", deferred);
        map.put("linesRead", linesRead);
        map.put("rowsLoaded", rowsLoaded);
        map.put("rowsDuplicate", rowsDuplicate);
        map.put("rowsQuarantined", rowsQuarantined);
        map.put("durationMs", elapsed.toMillis());
        map.put("rowsPerSecond", Math.round(rowsPerSecond()));
        map.put("unloadedObjects", unloadedObjects);
        map.put("oldestUnloadedObjectAgeSeconds", oldestUnloadedObjectAgeSeconds);
        if (watermark != null) {
            map.put("watermark", watermark.toString());
        }
        return map;
    }

    /**
     * The summary log line: {@link #toMap()} plus CloudWatch Embedded Metric Format, so CloudWatch
     * Logs turns the line into the {@code UnloadedObjects} and {@code OldestUnloadedObjectAgeSeconds}
     * metrics (namespace {@code Twinflow}) with no API call, per {@code Function=batch-loader} (the set
     * published before stacks were told apart, which adds up every stack of the account and region) and per
     * {@code stack} and {@code Function} (the stack's alarm reads this one).
     *
     * @param stack the stack's resource prefix
     */
    public ObjectNode toLogLine(String stack) {
        ObjectNode line = JSON.valueToTree(toMap());
        line.put(METRIC_DIMENSION, FUNCTION_NAME);
        line.put(SummaryLog.STACK_DIMENSION, stack);
        line.put(UNLOADED_OBJECTS, unloadedObjects);
        line.put(OLDEST_UNLOADED_OBJECT_AGE_SECONDS, oldestUnloadedObjectAgeSeconds);
        Map<String, String> metrics = new LinkedHashMap<>();
        metrics.put(UNLOADED_OBJECTS, "Count");
        metrics.put(OLDEST_UNLOADED_OBJECT_AGE_SECONDS, "Seconds");
        SummaryLog.addMetrics(line, at, METRIC_NAMESPACE,
                List.of(List.of(METRIC_DIMENSION), List.of(SummaryLog.STACK_DIMENSION, METRIC_DIMENSION)), metrics);
        return line;
    }
}
