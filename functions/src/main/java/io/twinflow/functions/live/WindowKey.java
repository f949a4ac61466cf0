package io.twinflow.functions.live;

import java.time.Instant;
import java.util.Objects;

/** One device's window: the unit of an aggregate write. */
public record WindowKey(String deviceId, Instant windowStart) {

    // Written out: the record's generated equals and hashCode run through method-handle chains that were
    // 7% of the stream processor's profile, which keys a map by window once or twice per record.
    @Override
    public boolean equals(Object o) {
        return o instanceof WindowKey other && Objects.equals(deviceId, other.deviceId) && Objects.equals(windowStart, other.windowStart);
    }

    @Override
    public int hashCode() {
        return 31 * Objects.hashCode(deviceId) + Objects.hashCode(windowStart);
    }
}
