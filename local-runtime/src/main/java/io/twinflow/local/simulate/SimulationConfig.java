package io.twinflow.local.simulate;

import io.twinflow.core.error.UserMistakeException;
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
            throw new UserMistakeException("devices must be >= 1, got " + devices);
        }
        if (!(ratePerSecond > 0)) {
            throw new UserMistakeException("rate must be > 0 events/s, got " + ratePerSecond);
        }
        if (duration.isNegative() || duration.isZero()) {
            throw new UserMistakeException("duration must be positive, got " + duration);
        }
        for (double r : new double[] {duplicateRatio, badRatio, lateRatio}) {
            if (!(r >= 0 && r < 1)) {
                throw new UserMistakeException("the duplicates, bad and late ratios must be in [0, 1), got " + r);
            }
        }
        if (duplicateRatio + badRatio >= 1) {
            throw new UserMistakeException("duplicates + bad must stay below 1 to leave room for new events, got " + (duplicateRatio + badRatio));
        }
    }

    /** How many records the whole run puts. */
    public long totalRecords() {
        return Math.max(1, Math.round(ratePerSecond * duration.toMillis() / 1000.0));
    }
}
