package io.twinflow.core.event;

import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One valid telemetry event (schema version 1). Instances only come out of {@link EventDecoder} or
 * tests; the metrics map is sorted by name and unmodifiable.
 *
 * @param location may be null: it is optional in the schema
 */
public record TelemetryEvent(int schemaVersion, String eventId, String deviceId, Instant ts,
                             Map<String, Double> metrics, Location location) {

    public static final int CURRENT_SCHEMA_VERSION = 1;

    public TelemetryEvent {
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(deviceId, "deviceId");
        Objects.requireNonNull(ts, "ts");
        metrics = Collections.unmodifiableSortedMap(metrics instanceof DecodedMetrics decoded ? decoded : new TreeMap<>(metrics));
    }

    public static TelemetryEvent of(String eventId, String deviceId, Instant ts, Map<String, Double> metrics) {
        return new TelemetryEvent(CURRENT_SCHEMA_VERSION, eventId, deviceId, ts, metrics, null);
    }
}
