package io.twinflow.glue;

import io.twinflow.core.aggregate.WindowAggregate;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns one partition of a day's admitted copies, clustered by device and sorted by event time, into
 * hourly and daily {@link SummaryRow}s of the counted ({@link DayCopy.Verdict#KEPT}) ones. The arithmetic
 * is core's: each hour is a {@link WindowAggregate.Builder} (as in the Lambda's windows) and the day is
 * the {@link WindowAggregate#merge} of its hours. Because the input order is fixed, a rerun adds the
 * same doubles in the same order and gets the same bits.
 */
final class DeviceSummarizer {

    private final Instant dayStart;

    DeviceSummarizer(Instant dayStart) {
        this.dayStart = dayStart;
    }

    List<SummaryRow> summarize(List<DayCopy> admitted) {
        List<SummaryRow> out = new ArrayList<>();
        String device = null;
        Instant hourStart = null;
        WindowAggregate.Builder hour = null;
        Instant hourFirst = null;
        Instant last = null;
        WindowAggregate day = WindowAggregate.EMPTY;
        Instant dayFirst = null;
        for (DayCopy e : admitted) {
            if (e.verdict() != DayCopy.Verdict.KEPT) {
                continue;
            }
            Instant ts = e.ts();
            boolean newDevice = !e.deviceId().equals(device);
            if (!newDevice && ts.isBefore(last)) {
                throw new IllegalStateException("events of " + device + " are not sorted by time");
            }
            Instant eventHour = ts.truncatedTo(ChronoUnit.HOURS);
            if (hour != null && (newDevice || !eventHour.equals(hourStart))) {
                WindowAggregate closed = hour.build();
                out.add(SummaryRow.of(SummaryRow.HOUR, device, hourStart, hourFirst, last, closed));
                day = day.merge(closed);
            }
            if (newDevice) {
                if (device != null) {
                    if (e.deviceId().compareTo(device) < 0) {
                        throw new IllegalStateException("events are not clustered by device: " + e.deviceId() + " after " + device);
                    }
                    out.add(SummaryRow.of(SummaryRow.DAY, device, dayStart, dayFirst, last, day));
                }
                device = e.deviceId();
                day = WindowAggregate.EMPTY;
                dayFirst = ts;
            }
            if (newDevice || !eventHour.equals(hourStart)) {
                hourStart = eventHour;
                hour = WindowAggregate.builder();
                hourFirst = ts;
            }
            hour.add(e.event());
            last = ts;
        }
        if (device != null) {
            WindowAggregate closed = hour.build();
            out.add(SummaryRow.of(SummaryRow.HOUR, device, hourStart, hourFirst, last, closed));
            out.add(SummaryRow.of(SummaryRow.DAY, device, dayStart, dayFirst, last, day.merge(closed)));
        }
        return out;
    }
}
