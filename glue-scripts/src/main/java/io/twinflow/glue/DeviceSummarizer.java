package io.twinflow.glue;

import io.twinflow.core.aggregate.WindowAggregate;
import java.time.Instant;
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

    private static final long SECONDS_PER_HOUR = 3600;

    private final Instant dayStart;

    DeviceSummarizer(Instant dayStart) {
        this.dayStart = dayStart;
    }

    List<SummaryRow> summarize(List<DayCopy> admitted) {
        List<SummaryRow> out = new ArrayList<>();
        String device = null;
        // Hours as epoch hours and times as the copies that hold them: Instants are made only for the rows.
        long hourStart = 0;
        WindowAggregate.Builder hour = null;
        DayCopy hourFirst = null;
        DayCopy last = null;
        WindowAggregate day = WindowAggregate.EMPTY;
        DayCopy dayFirst = null;
        for (DayCopy e : admitted) {
            if (e.verdict() != DayCopy.Verdict.KEPT) {
                continue;
            }
            boolean newDevice = !e.deviceId().equals(device);
            if (!newDevice && DayCopy.BY_TIME.compare(e, last) < 0) {
                throw new IllegalStateException("events of " + device + " are not sorted by time");
            }
            long eventHour = Math.floorDiv(e.tsSeconds(), SECONDS_PER_HOUR);
            if (hour != null && (newDevice || eventHour != hourStart)) {
                WindowAggregate closed = hour.build();
                out.add(SummaryRow.of(SummaryRow.HOUR, device, hourInstant(hourStart), hourFirst.ts(), last.ts(), closed));
                day = day.merge(closed);
            }
            if (newDevice) {
                if (device != null) {
                    if (e.deviceId().compareTo(device) < 0) {
                        throw new IllegalStateException("events are not clustered by device: " + e.deviceId() + " after " + device);
                    }
                    out.add(SummaryRow.of(SummaryRow.DAY, device, dayStart, dayFirst.ts(), last.ts(), day));
                }
                device = e.deviceId();
                day = WindowAggregate.EMPTY;
                dayFirst = e;
            }
            if (newDevice || eventHour != hourStart) {
                hourStart = eventHour;
                hour = WindowAggregate.builder();
                hourFirst = e;
            }
            e.addMetricsTo(hour);
            last = e;
        }
        if (device != null) {
            WindowAggregate closed = hour.build();
            out.add(SummaryRow.of(SummaryRow.HOUR, device, hourInstant(hourStart), hourFirst.ts(), last.ts(), closed));
            out.add(SummaryRow.of(SummaryRow.DAY, device, dayStart, dayFirst.ts(), last.ts(), day.merge(closed)));
        }
        return out;
    }

    private static Instant hourInstant(long epochHour) {
        return Instant.ofEpochSecond(epochHour * SECONDS_PER_HOUR);
    }
}
