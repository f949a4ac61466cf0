package io.twinflow.glue;

import io.twinflow.core.aggregate.MetricAggregate;
import io.twinflow.core.aggregate.WindowAggregate;
import io.twinflow.warehouse.DeviceSummary;
import java.io.Serializable;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A device's aggregate over one UTC day or hour of event time, as it leaves the Spark executors. A bean
 * (Spark's encoder needs one); {@link #toDeviceSummary()} turns it into the warehouse's value type.
 */
public class SummaryRow implements Serializable {

    private static final long serialVersionUID = 1L;

    public static final String DAY = "DAY";
    public static final String HOUR = "HOUR";

    private String period;
    private String deviceId;
    private Instant periodStart;
    private Instant firstTs;
    private Instant lastTs;
    private long eventCount;
    private List<MetricRow> metrics;

    public SummaryRow() {
    }

    static SummaryRow of(String period, String deviceId, Instant periodStart, Instant firstTs, Instant lastTs,
                         WindowAggregate aggregate) {
        SummaryRow row = new SummaryRow();
        row.period = period;
        row.deviceId = deviceId;
        row.periodStart = periodStart;
        row.firstTs = firstTs;
        row.lastTs = lastTs;
        row.eventCount = aggregate.eventCount();
        row.metrics = new ArrayList<>(aggregate.metrics().size());
        for (Map.Entry<String, MetricAggregate> m : aggregate.metrics().entrySet()) {
            MetricAggregate a = m.getValue();
            row.metrics.add(new MetricRow(m.getKey(), a.count(), a.sum(), a.min(), a.max()));
        }
        return row;
    }

    public DeviceSummary toDeviceSummary() {
        TreeMap<String, MetricAggregate> aggregates = new TreeMap<>();
        for (MetricRow m : metrics) {
            aggregates.put(m.getName(), new MetricAggregate(m.getCount(), m.getSum(), m.getMin(), m.getMax()));
        }
        return new DeviceSummary(deviceId, periodStart, firstTs, lastTs, new WindowAggregate(eventCount, aggregates));
    }

    /** {@link #DAY} or {@link #HOUR}. */
    public String getPeriod() {
        return period;
    }

    public void setPeriod(String period) {
        this.period = period;
    }

    public String getDeviceId() {
        return deviceId;
    }

    public void setDeviceId(String deviceId) {
        this.deviceId = deviceId;
    }

    public Instant getPeriodStart() {
        return periodStart;
    }

    public void setPeriodStart(Instant periodStart) {
        this.periodStart = periodStart;
    }

    public Instant getFirstTs() {
        return firstTs;
    }

    public void setFirstTs(Instant firstTs) {
        this.firstTs = firstTs;
    }

    public Instant getLastTs() {
        return lastTs;
    }

    public void setLastTs(Instant lastTs) {
        this.lastTs = lastTs;
    }

    public long getEventCount() {
        return eventCount;
    }

    public void setEventCount(long eventCount) {
        this.eventCount = eventCount;
    }

    public List<MetricRow> getMetrics() {
        return metrics;
    }

    public void setMetrics(List<MetricRow> metrics) {
        this.metrics = metrics;
    }
}
