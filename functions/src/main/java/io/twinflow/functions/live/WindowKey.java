package io.twinflow.functions.live;

import java.time.Instant;

/** One device's window: the unit of an aggregate write. */
public record WindowKey(String deviceId, Instant windowStart) {
}
