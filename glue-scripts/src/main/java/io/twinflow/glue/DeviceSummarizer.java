package io.twinflow.glue;

import io.twinflow.core.aggregate.WindowAggregate;
import io.twinflow.core.event.TelemetryEvent;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.function.MapPartitionsFunction;

/**
 * Turns one partition of a day's events, clustered by device and sorted by event time, into hourly
 * and daily {@link SummaryRow}s. The arithmetic is core's: each hour is a {@link WindowAggregate.Builder}
 * (as in the Lambda's windows) and the day is the {@link WindowAggregate#merge} of its hours. Because the
 * input order is fixed, a rerun adds the same doubles in the same order and gets the same bits.
 */
final class DeviceSummarizer implements MapPartitionsFunction<DecodedLine, SummaryRow> {

    private static final long serialVersionUID = 1L;

    private final Instant dayStart;

    DeviceSummarizer(Instant dayStart) {
        this.dayStart = dayStart;
    }

    @Override
    public Iterator<SummaryRow> call(Iterator<DecodedLine> events) {
        List<SummaryRow> out = new ArrayList<>();
        String device = null;
        Instant hourStart = null;
        WindowAggregate.Builder hour = null;
        Instant hourFirst = null;
        Instant last = null;
        WindowAggregate day = WindowAggregate.EMPTY;
        Instant dayFirst = null;
        while (events.hasNext()) {
            DecodedLine e = events.next();
            boolean newDevice = !e.getDeviceId().equals(device);
            if (!newDevice && e.getTs().isBefore(last)) {
                throw new IllegalStateException("events of " + device + " are not sorted by time");
            }
            Instant eventHour = e.getTs().truncatedTo(ChronoUnit.HOURS);
            if (hour != null && (newDevice || !eventHour.equals(hourStart))) {
                WindowAggregate closed = hour.build();
                out.add(SummaryRow.of(SummaryRow.HOUR, device, hourStart, hourFirst, last, closed));
                day = day.merge(closed);
            }
            if (newDevice) {
                if (device != null) {
                    if (e.getDeviceId().compareTo(device) < 0) {
                        throw new IllegalStateException("events are not clustered by device: " + e.getDeviceId() + " after " + device);
                    }
                    out.add(SummaryRow.of(SummaryRow.DAY, device, dayStart, dayFirst, last, day));
                }
                device = e.getDeviceId();
                day = WindowAggregate.EMPTY;
                dayFirst = e.getTs();
            }
            if (newDevice || !eventHour.equals(hourStart)) {
                hourStart = eventHour;
                hour = WindowAggregate.builder();
                hourFirst = e.getTs();
            }
            hour.add(TelemetryEvent.of(e.getEventId(), e.getDeviceId(), e.getTs(), e.getMetrics()));
            last = e.getTs();
        }
        if (device != null) {
            WindowAggregate closed = hour.build();
            out.add(SummaryRow.of(SummaryRow.HOUR, device, hourStart, hourFirst, last, closed));
            out.add(SummaryRow.of(SummaryRow.DAY, device, dayStart, dayFirst, last, day.merge(closed)));
        }
        return out.iterator();
    }
}
