package io.twinflow.local.simulate;

import java.time.Duration;

/**
 * What to simulate. Ratios are shares of all records put: {@code duplicateRatio} of them re-send an
 * event already in the stream (a producer retry: same eventId, same bytes), {@code badRatio} are
 * records the pipeline must quarantine, and {@code lateRatio} of the new valid events carry an event
 * time minutes in the past (so windows receive them late and out of order).
 */
public record SimulationConfig(int devices, double ratePerSecond, Duration duration, double duplicateRatio,
                               double badRatio, double lateRatio, long seed) {

    public SimulationConfig {
        if (devices < 1) {
            throw new IllegalArgumentException("devices must be >= 1");
        }
        if (!(ratePerSecond > 0)) {
            throw new IllegalArgumentException("rate must be > 0 events/s");
        }
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException("duration must be positive");
        }
        for (double r : new double[] {duplicateRatio, badRatio, lateRatio}) {
            if (!(r >= 0 && r < 1)) {
                throw new IllegalArgumentException("ratios must be in [0, 1)");
            }
        }
        if (duplicateRatio + badRatio >= 1) {
            throw new IllegalArgumentException("duplicates + bad must leave room for new events");
        }
    }

    /** How many records the whole run puts. */
    public long totalRecords() {
        return Math.max(1, Math.round(ratePerSecond * duration.toMillis() / 1000.0));
    }
}
