package io.twinflow.glue;

import java.io.Serializable;
import java.time.Instant;
import java.util.Map;

/**
 * One raw line after core's decoder judged it: where it came from, and either the event's fields
 * ({@code reason} null) or the rejection's reason code. A Java bean for Spark's bean encoder.
 */
public class DecodedLine implements Serializable {

    private static final long serialVersionUID = 1L;

    private String objectPath;
    private Instant objectTime;
    private String arrivalDate;
    private long lineNo;
    private Instant arrival;
    private String shardId;
    private String sequenceNumber;
    private Instant windowStart;
    private String reason;
    private String eventId;
    private String deviceId;
    private Instant ts;
    private String eventDate;
    private Integer schemaVersion;
    private Map<String, Double> metrics;
    private Double lat;
    private Double lon;

    public DecodedLine() {
    }

    /** The object this line came from. */
    public String getObjectPath() {
        return objectPath;
    }

    public void setObjectPath(String objectPath) {
        this.objectPath = objectPath;
    }

    /** The object's S3 LastModified: a plain line's arrival, and part of a plain line's stream order. */
    public Instant getObjectTime() {
        return objectTime;
    }

    public void setObjectTime(Instant objectTime) {
        this.objectTime = objectTime;
    }

    /** The {@code dt=} partition of the object (UTC arrival day), the day a rejected line counts for. */
    public String getArrivalDate() {
        return arrivalDate;
    }

    public void setArrivalDate(String arrivalDate) {
        this.arrivalDate = arrivalDate;
    }

    public long getLineNo() {
        return lineNo;
    }

    public void setLineNo(long lineNo) {
        this.lineNo = lineNo;
    }

    /**
     * When the record reached the stream: the envelope's arrival time, or the object's LastModified for a
     * plain line. The decoder judges the event time against it (future skew and lateness), as the stream did.
     */
    public Instant getArrival() {
        return arrival;
    }

    public void setArrival(Instant arrival) {
        this.arrival = arrival;
    }

    /** The shard the record was read from; null for a plain line or a malformed envelope. */
    public String getShardId() {
        return shardId;
    }

    public void setShardId(String shardId) {
        this.shardId = shardId;
    }

    /** The record's sequence number in its shard (up to 56 digits); null like {@link #getShardId()}. */
    public String getSequenceNumber() {
        return sequenceNumber;
    }

    public void setSequenceNumber(String sequenceNumber) {
        this.sequenceNumber = sequenceNumber;
    }

    /** The start of the event-time window of {@code ts}: part of the event's identity. Null when rejected. */
    public Instant getWindowStart() {
        return windowStart;
    }

    public void setWindowStart(Instant windowStart) {
        this.windowStart = windowStart;
    }

    /** The rejection's reason code, or null for a valid event. */
    public String getReason() {
        return reason;
    }

    public void setReason(String reason) {
        this.reason = reason;
    }

    public String getEventId() {
        return eventId;
    }

    public void setEventId(String eventId) {
        this.eventId = eventId;
    }

    public String getDeviceId() {
        return deviceId;
    }

    public void setDeviceId(String deviceId) {
        this.deviceId = deviceId;
    }

    public Instant getTs() {
        return ts;
    }

    public void setTs(Instant ts) {
        this.ts = ts;
    }

    /** The UTC day of {@code ts} as YYYY-MM-DD, computed here so no session time zone can shift it. */
    public String getEventDate() {
        return eventDate;
    }

    public void setEventDate(String eventDate) {
        this.eventDate = eventDate;
    }

    public Integer getSchemaVersion() {
        return schemaVersion;
    }

    public void setSchemaVersion(Integer schemaVersion) {
        this.schemaVersion = schemaVersion;
    }

    public Map<String, Double> getMetrics() {
        return metrics;
    }

    public void setMetrics(Map<String, Double> metrics) {
        this.metrics = metrics;
    }

    public Double getLat() {
        return lat;
    }

    public void setLat(Double lat) {
        this.lat = lat;
    }

    public Double getLon() {
        return lon;
    }

    public void setLon(Double lon) {
        this.lon = lon;
    }
}
