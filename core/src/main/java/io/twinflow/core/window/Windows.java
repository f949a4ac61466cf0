package io.twinflow.core.window;

import java.time.Duration;
import java.time.Instant;

/**
 * Event-time tumbling windows aligned to the Unix epoch: with a one-minute size every window starts
 * exactly on a UTC minute. Unix time has no leap seconds, so neither do the windows.
 */
public record Windows(Duration size) {

    public static final Duration DEFAULT_SIZE = Duration.ofMinutes(1);

    public Windows {
        // getNano(), not toMillis(): a size with a sub-millisecond fraction must not pass as whole seconds.
        if (size.isZero() || size.isNegative() || size.getNano() != 0 || size.toDays() > 1) {
            throw new IllegalArgumentException("window size must be whole seconds between 1 s and 1 day: " + size);
        }
        if (Duration.ofDays(1).toMillis() % size.toMillis() != 0) {
            // Windows must tile the UTC day so daily totals are exact sums of windows (reconciliation).
            throw new IllegalArgumentException("window size must divide a day evenly: " + size);
        }
    }

    public static Windows ofMinutes(long minutes) {
        return new Windows(Duration.ofMinutes(minutes));
    }

    /** The start of the window that holds {@code eventTime} (inclusive). */
    public Instant startOf(Instant eventTime) {
        long millis = eventTime.toEpochMilli();
        return Instant.ofEpochMilli(Math.floorDiv(millis, size.toMillis()) * size.toMillis());
    }

    /** The end of the window that starts at {@code start} (exclusive). */
    public Instant endOf(Instant start) {
        return start.plus(size);
    }
}
