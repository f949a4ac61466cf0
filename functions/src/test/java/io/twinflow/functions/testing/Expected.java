package io.twinflow.functions.testing;

import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * The window aggregates a set of valid records must produce, computed here with plain Jackson and
 * arithmetic (not with core's decoder or aggregates), so the tests check the pipeline against an
 * independent reckoning.
 */
public final class Expected {

    /** count, sum, min, max of one metric. */
    public record Stat(long count, double sum, double min, double max) {
    }

    /** One device-minute: event count and per-metric stats. */
    public record Window(long count, Map<String, Stat> metrics) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private Expected() {
    }

    /**
     * @param valid which payloads are valid events (the caller knows its inputs)
     * @return "deviceId|windowStart" -> window, counting each eventId once
     */
    public static Map<String, Window> minuteWindows(KinesisEvent batch, Predicate<byte[]> valid) {
        Set<String> seen = new HashSet<>();
        Map<String, long[]> counts = new TreeMap<>();
        Map<String, Map<String, double[]>> stats = new TreeMap<>();
        for (KinesisEvent.KinesisEventRecord record : batch.getRecords()) {
            byte[] data = bytes(record.getKinesis().getData());
            if (!valid.test(data)) {
                continue;
            }
            JsonNode event = parse(data);
            if (!seen.add(event.get("eventId").asText())) {
                continue;
            }
            Instant minute = Instant.parse(event.get("ts").asText()).truncatedTo(ChronoUnit.MINUTES);
            String key = event.get("deviceId").asText() + "|" + minute;
            counts.computeIfAbsent(key, k -> new long[1])[0]++;
            Map<String, double[]> metrics = stats.computeIfAbsent(key, k -> new TreeMap<>());
            event.get("metrics").fields().forEachRemaining(e -> {
                double v = e.getValue().asDouble();
                double[] s = metrics.computeIfAbsent(e.getKey(), k -> new double[] {0, 0, Double.MAX_VALUE, -Double.MAX_VALUE});
                s[0]++;
                s[1] += v;
                s[2] = Math.min(s[2], v);
                s[3] = Math.max(s[3], v);
            });
        }
        Map<String, Window> windows = new TreeMap<>();
        counts.forEach((key, count) -> {
            Map<String, Stat> metrics = new TreeMap<>();
            stats.get(key).forEach((name, s) -> metrics.put(name, new Stat((long) s[0], s[1], s[2], s[3])));
            windows.put(key, new Window(count[0], metrics));
        });
        return windows;
    }

    public static JsonNode parse(byte[] data) {
        try {
            return JSON.readTree(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static byte[] bytes(ByteBuffer data) {
        ByteBuffer view = data.duplicate();
        view.rewind();
        byte[] bytes = new byte[view.remaining()];
        view.get(bytes);
        return bytes;
    }
}
