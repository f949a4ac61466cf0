package io.twinflow.glue;

import io.twinflow.core.aggregate.WindowState;
import io.twinflow.core.event.ReasonCode;
import io.twinflow.core.event.TelemetryEvent;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.spark.api.java.function.MapPartitionsFunction;

/**
 * Applies the stream's identity and window-capacity rule to the valid copies of one partition, which
 * arrive clustered by (device, window) and, within each, in stream order. Each (device, window) is handed
 * to core's {@link WindowState#apply} in that order, as the stream processor applies it: the first copy of
 * an eventId in the window counts, later copies are duplicates, and once the window holds
 * {@code maxEvents} distinct events every copy of any further eventId is {@code WINDOW_FULL}. Using the
 * stream's own code keeps even its eventId fingerprinting (and so a fingerprint collision) identical.
 *
 * <p>Each window's copies leave sorted by (time, eventId): windows are contiguous ranges of time, so the
 * partition comes out sorted by (device, time, eventId), the order the summaries and the curated files
 * need, without a second sort of the whole partition.
 */
final class WindowAdmission implements MapPartitionsFunction<DecodedLine, DecodedLine> {

    private static final long serialVersionUID = 1L;

    private static final Comparator<DecodedLine> BY_TIME_AND_EVENT_ID =
            Comparator.comparing(DecodedLine::getTs).thenComparing(DecodedLine::getEventId);

    private final int maxEvents;

    WindowAdmission(int maxEvents) {
        if (maxEvents < 1) {
            throw new IllegalArgumentException("a window must hold at least one event: " + maxEvents);
        }
        this.maxEvents = maxEvents;
    }

    @Override
    public Iterator<DecodedLine> call(Iterator<DecodedLine> copies) {
        return new Iterator<>() {
            private DecodedLine next = copies.hasNext() ? copies.next() : null;
            private Iterator<DecodedLine> window = Collections.emptyIterator();

            @Override
            public boolean hasNext() {
                return window.hasNext() || next != null;
            }

            @Override
            public DecodedLine next() {
                if (!window.hasNext()) {
                    if (next == null) {
                        throw new NoSuchElementException();
                    }
                    window = admitNextWindow();
                }
                return window.next();
            }

            /** Reads the copies of the next (device, window) and marks each with its verdict. */
            private Iterator<DecodedLine> admitNextWindow() {
                List<DecodedLine> group = new ArrayList<>();
                DecodedLine first = next;
                while (next != null && next.getDeviceId().equals(first.getDeviceId())
                        && next.getWindowStart().equals(first.getWindowStart())) {
                    group.add(next);
                    next = copies.hasNext() ? copies.next() : null;
                }
                List<TelemetryEvent> events = new ArrayList<>(group.size());
                for (DecodedLine line : group) {
                    events.add(TelemetryEvent.of(line.getEventId(), line.getDeviceId(), line.getTs(), line.getMetrics()));
                }
                WindowState.Applied applied = WindowState.EMPTY.apply(events, maxEvents);
                for (int i = 0; i < group.size(); i++) {
                    if (applied.full()[i]) {
                        group.get(i).setReason(ReasonCode.WINDOW_FULL.name());
                    } else if (!applied.applied()[i]) {
                        group.get(i).setDuplicate(true);
                    }
                }
                // A stable sort: copies with equal time and eventId keep their stream order.
                group.sort(BY_TIME_AND_EVENT_ID);
                return group.iterator();
            }
        };
    }
}
