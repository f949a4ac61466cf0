package io.twinflow.glue;

import io.twinflow.core.aggregate.WindowAggregate;
import io.twinflow.core.archive.StreamPositions;
import io.twinflow.core.event.TelemetryEvent;
import java.io.Externalizable;
import java.io.IOException;
import java.io.ObjectInput;
import java.io.ObjectOutput;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * One valid copy of the day's events as the shuffle by device carries it: the event, where it came
 * from and, after {@link WindowAdmission}, the stream's verdict on it. Only what the admission, the
 * summaries and the curated rows need travels, as plain fields written by hand: Spark's bean encoder
 * and Java's field-by-field serialization of {@link DecodedLine} cost more than the rest of the rollup. The shuffle
 * carries copies packed into {@link CopyBlock}s; Java serialization (a collect) writes the same packing.
 * Times are kept to the nanosecond (seconds and nanos), as the stream processor keeps them.
 */
public final class DayCopy implements Externalizable {

    private static final long serialVersionUID = 1L;

    /**
     * Stream order within a (device, window): plain lines first (the older archive format, without a
     * position), by object LastModified, object key and line; then envelope lines by shard and sequence
     * number, as core's {@link StreamPositions#key} strings sort.
     */
    static final Comparator<DayCopy> STREAM_ORDER = ((Comparator<DayCopy>) DayCopy::comparePositions)
            .thenComparing(DayCopy::objectTime)
            .thenComparing(c -> c.objectPath)
            .thenComparingLong(c -> c.lineNo);

    /** Plain lines (no position) first, then as core's position keys sort. */
    private static int comparePositions(DayCopy a, DayCopy b) {
        if (a.shardId == null || b.shardId == null) {
            return Boolean.compare(a.shardId != null, b.shardId != null);
        }
        return StreamPositions.compare(a.shardId, a.sequenceNumber, b.shardId, b.sequenceNumber);
    }

    /** How {@link WindowAdmission} groups the copies: by device, then window, then stream order. */
    static final Comparator<DayCopy> BY_DEVICE_WINDOW_AND_STREAM_ORDER = DayCopy::compareDeviceWindowAndStreamOrder;

    /**
     * Written out rather than chained: the partition's one big sort spent most of its time in the chain's
     * lambdas. A device's copies share one string instance per partition, so equal devices compare by reference.
     */
    private static int compareDeviceWindowAndStreamOrder(DayCopy a, DayCopy b) {
        int c = a.deviceId == b.deviceId ? 0 : a.deviceId.compareTo(b.deviceId);
        if (c != 0) {
            return c;
        }
        c = Long.compare(a.windowSeconds, b.windowSeconds);
        if (c != 0) {
            return c;
        }
        c = Integer.compare(a.windowNanos, b.windowNanos);
        return c != 0 ? c : STREAM_ORDER.compare(a, b);
    }

    /** By event time. */
    static final Comparator<DayCopy> BY_TIME = Comparator.<DayCopy>comparingLong(c -> c.tsSeconds).thenComparingInt(c -> c.tsNanos);

    /** The order of the counted events in a partition and in a curated file. */
    static final Comparator<DayCopy> BY_TIME_AND_EVENT_ID = BY_TIME.thenComparing(c -> c.eventId);

    /** {@link WindowAdmission}'s verdicts. */
    public enum Verdict { KEPT, DUPLICATE, WINDOW_FULL }

    private String deviceId;
    private String eventId;
    private long tsSeconds;
    private int tsNanos;
    private long windowSeconds;
    private int windowNanos;
    private int schemaVersion;
    private String[] metricNames;
    private double[] metricValues;
    private boolean located;
    private double lat;
    private double lon;
    private String objectPath;
    private long objectSeconds;
    private int objectNanos;
    private long lineNo;
    private long arrivalSeconds;
    private int arrivalNanos;
    private String shardId;
    private String sequenceNumber;
    private Verdict verdict = Verdict.KEPT;
    private transient TelemetryEvent event;

    /** For Java serialization only. */
    public DayCopy() {
    }

    /** The copy of a valid line (its reason null). */
    static DayCopy of(DecodedLine line) {
        DayCopy c = new DayCopy();
        c.deviceId = line.getDeviceId();
        c.eventId = line.getEventId();
        c.tsSeconds = line.getTs().getEpochSecond();
        c.tsNanos = line.getTs().getNano();
        c.windowSeconds = line.getWindowStart().getEpochSecond();
        c.windowNanos = line.getWindowStart().getNano();
        c.schemaVersion = line.getSchemaVersion();
        Map<String, Double> metrics = line.getMetrics();
        c.metricNames = new String[metrics.size()];
        c.metricValues = new double[metrics.size()];
        // forEach, not entrySet(): the event's unmodifiable map wraps every entry its entry set hands out.
        int[] i = {0};
        metrics.forEach((name, value) -> {
            c.metricNames[i[0]] = name;
            c.metricValues[i[0]++] = value;
        });
        c.located = line.getLat() != null;
        c.lat = c.located ? line.getLat() : 0;
        c.lon = c.located ? line.getLon() : 0;
        c.objectPath = line.getObjectPath();
        c.objectSeconds = line.getObjectTime().getEpochSecond();
        c.objectNanos = line.getObjectTime().getNano();
        c.lineNo = line.getLineNo();
        c.arrivalSeconds = line.getArrival().getEpochSecond();
        c.arrivalNanos = line.getArrival().getNano();
        c.shardId = line.getShardId();
        c.sequenceNumber = line.getSequenceNumber();
        return c;
    }

    public String deviceId() {
        return deviceId;
    }

    public String eventId() {
        return eventId;
    }

    public Instant ts() {
        return Instant.ofEpochSecond(tsSeconds, tsNanos);
    }

    long tsSeconds() {
        return tsSeconds;
    }

    int tsNanos() {
        return tsNanos;
    }

    int metricCount() {
        return metricNames.length;
    }

    /** The i-th metric's name, in name order. */
    String metricName(int i) {
        return metricNames[i];
    }

    double metricValue(int i) {
        return metricValues[i];
    }

    boolean sameWindow(DayCopy other) {
        return windowSeconds == other.windowSeconds && windowNanos == other.windowNanos && deviceId.equals(other.deviceId);
    }

    public int schemaVersion() {
        return schemaVersion;
    }

    /** The metrics by name, in name order. */
    public Map<String, Double> metrics() {
        Map<String, Double> metrics = new LinkedHashMap<>();
        for (int i = 0; i < metricNames.length; i++) {
            metrics.put(metricNames[i], metricValues[i]);
        }
        return metrics;
    }

    /** Adds the copy's metrics to an aggregate as {@code add(event())} would, without building the event. */
    void addMetricsTo(WindowAggregate.Builder aggregate) {
        aggregate.add(metricNames, metricValues);
    }

    /** The event as core's admission takes it (built only for a window of several copies, after the shuffle). */
    TelemetryEvent event() {
        if (event == null) {
            // Sorted already: the event's own sorted copy of it is a linear build, not a sort.
            TreeMap<String, Double> sorted = new TreeMap<>();
            for (int i = 0; i < metricNames.length; i++) {
                sorted.put(metricNames[i], metricValues[i]);
            }
            event = TelemetryEvent.of(eventId, deviceId, ts(), sorted);
        }
        return event;
    }

    /** Lets go of {@link #event()} once the copy is judged and summed: the judged copies are kept for the curated write. */
    void dropEvent() {
        event = null;
    }

    public Double lat() {
        return located ? lat : null;
    }

    public Double lon() {
        return located ? lon : null;
    }

    public String objectPath() {
        return objectPath;
    }

    /** The object's LastModified. */
    public Instant objectTime() {
        return Instant.ofEpochSecond(objectSeconds, objectNanos);
    }

    public long lineNo() {
        return lineNo;
    }

    public Instant arrival() {
        return Instant.ofEpochSecond(arrivalSeconds, arrivalNanos);
    }

    /** Null for a plain line. */
    public String shardId() {
        return shardId;
    }

    /** Null for a plain line. */
    public String sequenceNumber() {
        return sequenceNumber;
    }

    /** core's {@link StreamPositions#key}, or null for a plain line. */
    public String position() {
        return shardId == null ? null : StreamPositions.key(shardId, sequenceNumber);
    }

    public Verdict verdict() {
        return verdict;
    }

    void verdict(Verdict verdict) {
        this.verdict = verdict;
    }

    /** Packs the copy into a shuffle block; {@link #readFrom} reads it back. */
    void writeTo(CopyBlock.Writer out) {
        out.putShared(deviceId);
        out.putString(eventId);
        out.putLong(tsSeconds);
        out.putInt(tsNanos);
        out.putLong(windowSeconds);
        out.putInt(windowNanos);
        out.putVarInt(schemaVersion);
        out.putVarInt(metricNames.length);
        for (int i = 0; i < metricNames.length; i++) {
            out.putShared(metricNames[i]);
            out.putDouble(metricValues[i]);
        }
        out.putBoolean(located);
        if (located) {
            out.putDouble(lat);
            out.putDouble(lon);
        }
        out.putShared(objectPath);
        out.putLong(objectSeconds);
        out.putInt(objectNanos);
        out.putLong(lineNo);
        out.putLong(arrivalSeconds);
        out.putInt(arrivalNanos);
        out.putBoolean(shardId != null);
        if (shardId != null) {
            out.putShared(shardId);
            out.putString(sequenceNumber);
        }
        out.putByte(verdict.ordinal());
    }

    /** The next copy of a shuffle block. */
    static DayCopy readFrom(CopyBlock.Reader in) {
        DayCopy c = new DayCopy();
        c.read(in);
        return c;
    }

    private void read(CopyBlock.Reader in) {
        deviceId = in.getShared();
        eventId = in.getString();
        tsSeconds = in.getLong();
        tsNanos = in.getInt();
        windowSeconds = in.getLong();
        windowNanos = in.getInt();
        schemaVersion = in.getVarInt();
        int metrics = in.getVarInt();
        metricNames = new String[metrics];
        metricValues = new double[metrics];
        for (int i = 0; i < metrics; i++) {
            metricNames[i] = in.getShared();
            metricValues[i] = in.getDouble();
        }
        located = in.getBoolean();
        if (located) {
            lat = in.getDouble();
            lon = in.getDouble();
        }
        objectPath = in.getShared();
        objectSeconds = in.getLong();
        objectNanos = in.getInt();
        lineNo = in.getLong();
        arrivalSeconds = in.getLong();
        arrivalNanos = in.getInt();
        if (in.getBoolean()) {
            shardId = in.getShared();
            sequenceNumber = in.getString();
        }
        verdict = Verdict.values()[in.getByte()];
    }

    /** Java serialization (a collect of judged copies) writes the shuffle's packing of the one copy. */
    @Override
    public void writeExternal(ObjectOutput out) throws IOException {
        CopyBlock.Writer block = new CopyBlock.Writer();
        writeTo(block);
        out.writeInt(block.size());
        out.write(block.take());
    }

    @Override
    public void readExternal(ObjectInput in) throws IOException {
        byte[] bytes = new byte[in.readInt()];
        in.readFully(bytes);
        read(new CopyBlock.Reader(bytes, new HashMap<>()));
    }
}
