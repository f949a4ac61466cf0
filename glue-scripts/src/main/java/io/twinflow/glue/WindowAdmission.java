package io.twinflow.glue;

import io.twinflow.core.aggregate.WindowState;
import io.twinflow.core.event.TelemetryEvent;
import java.util.ArrayList;
import java.util.List;

/**
 * Applies the stream's identity and window-capacity rule to the valid copies of one partition, sorted
 * by {@link DayCopy#BY_DEVICE_WINDOW_AND_STREAM_ORDER}. Each (device, window) is handed to core's
 * {@link WindowState#apply} in stream order, as the stream processor applies it: the first copy of an
 * eventId in the window counts, later copies are duplicates, and once the window holds
 * {@code maxEvents} distinct events every copy of any further eventId is {@code WINDOW_FULL}. Using the
 * stream's own code keeps even its eventId fingerprinting (and so a fingerprint collision) identical.
 *
 * <p>Each window's copies are then sorted by (time, eventId): windows are contiguous ranges of time, so
 * the partition ends sorted by (device, time, eventId), the order the summaries and the curated files
 * need, without a second sort of the whole partition.
 */
final class WindowAdmission {

    private final int maxEvents;

    WindowAdmission(int maxEvents) {
        if (maxEvents < 1) {
            throw new IllegalArgumentException("a window must hold at least one event: " + maxEvents);
        }
        this.maxEvents = maxEvents;
    }

    /** Marks every copy with its verdict and re-sorts each window in place; returns the {@code WINDOW_FULL} copies. */
    long admit(List<DayCopy> sorted) {
        long windowFull = 0;
        List<TelemetryEvent> events = new ArrayList<>();
        for (int from = 0; from < sorted.size(); ) {
            DayCopy first = sorted.get(from);
            int to = from + 1;
            while (to < sorted.size() && sorted.get(to).sameWindow(first)) {
                to++;
            }
            if (to == from + 1) {
                // One copy in an empty window: WindowState.apply always counts it (capacity is at least 1).
                from = to;
                continue;
            }
            List<DayCopy> window = sorted.subList(from, to);
            events.clear();
            for (DayCopy copy : window) {
                events.add(copy.event());
            }
            WindowState.Applied applied = WindowState.EMPTY.apply(events, maxEvents);
            for (int i = 0; i < window.size(); i++) {
                if (applied.full()[i]) {
                    window.get(i).verdict(DayCopy.Verdict.WINDOW_FULL);
                    windowFull++;
                } else if (!applied.applied()[i]) {
                    window.get(i).verdict(DayCopy.Verdict.DUPLICATE);
                }
            }
            // A stable sort: copies with equal time and eventId keep their stream order.
            window.sort(DayCopy.BY_TIME_AND_EVENT_ID);
            from = to;
        }
        return windowFull;
    }
}
