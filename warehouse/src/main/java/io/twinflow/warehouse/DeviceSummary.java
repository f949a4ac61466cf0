package io.twinflow.warehouse;

import io.twinflow.core.aggregate.WindowAggregate;
import java.time.Instant;
import java.util.Objects;

/**
 * The aggregate of one device's events in one period (a UTC day or hour) of event time.
 *
 * @param periodStart midnight UTC for a daily row, the start of the hour for an hourly row
 * @param firstTs the earliest event time in the period; {@code lastTs} the latest
 */
public record DeviceSummary(String deviceId, Instant periodStart, Instant firstTs, Instant lastTs,
                            WindowAggregate aggregate) {

    public DeviceSummary {
        Objects.requireNonNull(deviceId, "deviceId");
        Objects.requireNonNull(periodStart, "periodStart");
        Objects.requireNonNull(firstTs, "firstTs");
        Objects.requireNonNull(lastTs, "lastTs");
        Objects.requireNonNull(aggregate, "aggregate");
        if (aggregate.eventCount() < 1) {
            throw new IllegalArgumentException("a summary covers at least one event: " + deviceId);
        }
        if (firstTs.isBefore(periodStart) || lastTs.isBefore(firstTs)) {
            throw new IllegalArgumentException("need periodStart <= firstTs <= lastTs for " + deviceId);
        }
    }
}
