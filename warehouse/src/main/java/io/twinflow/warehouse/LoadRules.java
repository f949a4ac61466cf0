package io.twinflow.warehouse;

import io.twinflow.core.aggregate.WindowState;
import io.twinflow.core.event.DecoderLimits;
import io.twinflow.core.window.Windows;
import java.util.Objects;

/**
 * The rules a raw-object load judges lines by, which must be the stream processor's: the decoder
 * limits (record size, future skew, lateness bound), the event-time window size (an event's identity
 * is its device, eventId and window start) and how many distinct events one (device, window) holds.
 *
 * @param maxEventsPerWindow {@link WindowState#MAX_EVENTS} in production; tests pass a small cap
 */
public record LoadRules(DecoderLimits limits, Windows windows, int maxEventsPerWindow) {

    public LoadRules {
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(windows, "windows");
        if (maxEventsPerWindow < 1) {
            throw new IllegalArgumentException("maxEventsPerWindow must be >= 1");
        }
    }

    /** The configured limits and window size with the stream's window capacity. */
    public static LoadRules of(DecoderLimits limits, Windows windows) {
        return new LoadRules(limits, windows, WindowState.MAX_EVENTS);
    }

    public static LoadRules defaults() {
        return of(DecoderLimits.defaults(), new Windows(Windows.DEFAULT_SIZE));
    }

    public LoadRules withMaxEventsPerWindow(int max) {
        return new LoadRules(limits, windows, max);
    }
}
