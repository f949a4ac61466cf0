package io.twinflow.functions.batch;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What one batch-loader run did. {@code pending = loaded + alreadyLoaded + failed + deferred}: every
 * object found was loaded, found loaded by a racing run, failed (retried next run) or deferred for
 * lack of time (next run).
 */
public record LoaderReport(int pending, long loaded, long alreadyLoaded, List<String> failedKeys, int deferred,
                           long linesRead, long rowsLoaded, long rowsDuplicate, long rowsQuarantined, Duration elapsed) {

    public LoaderReport {
        failedKeys = List.copyOf(failedKeys);
    }

    public double rowsPerSecond() {
        double seconds = elapsed.toNanos() / 1e9;
        return seconds == 0 ? 0 : linesRead / seconds;
    }

    /** The report as the JSON object the handler returns and logs. */
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
        return map;
    }
}
