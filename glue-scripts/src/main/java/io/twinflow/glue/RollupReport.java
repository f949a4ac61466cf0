package io.twinflow.glue;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What one run did, printed as one JSON line at the end so that the CLI, a test or a log query can read
 * it: objects and lines read, valid events of the day, duplicates dropped, events written, lines
 * quarantined by reason, devices, summary rows, duration and throughput (lines read per second).
 *
 * @param trigger why the day was rolled up: {@code date} (an explicit {@code --date}), {@code scheduled} (a
 *     scheduled run's own day) or {@code request} (an earlier day the loader requested, in a scheduled run)
 * @param warehouse the adapter written to, or "none"
 */
public record RollupReport(LocalDate date, String trigger, int objects, long objectBytes, LineCounts lines, long events, long devices,
                           long hourlyRows, String warehouse, Duration duration) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Valid copies of the day's events that repeated an eventId already kept. */
    public long duplicates() {
        return lines.valid() - events;
    }

    public double eventsPerSecond() {
        double seconds = duration.toNanos() / 1e9;
        return seconds > 0 ? lines.read() / seconds : 0;
    }

    public String toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("job", "daily-rollup");
        json.put("date", date.toString());
        json.put("trigger", trigger);
        json.put("objects", objects);
        json.put("objectBytes", objectBytes);
        json.put("linesRead", lines.read());
        json.put("valid", lines.valid());
        json.put("duplicates", duplicates());
        json.put("events", events);
        json.put("validOtherDays", lines.validOtherDays());
        json.put("quarantined", lines.quarantined());
        json.put("quarantinedTotal", lines.quarantinedTotal());
        json.put("quarantinedOtherDays", lines.quarantinedOtherDays());
        json.put("devices", devices);
        json.put("hourlyRows", hourlyRows);
        json.put("warehouse", warehouse);
        json.put("durationMs", duration.toMillis());
        json.put("eventsPerSecond", Math.round(eventsPerSecond()));
        try {
            return JSON.writeValueAsString(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a map of numbers and strings is always JSON", e);
        }
    }
}
