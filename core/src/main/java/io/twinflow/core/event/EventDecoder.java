package io.twinflow.core.event;

import java.time.Instant;

/**
 * Turns the bytes of one record into a {@link TelemetryEvent} or a {@link DecodeResult.Rejected} with
 * a stable {@link ReasonCode}. The streaming Lambda and the Spark jobs both call this, so both paths
 * accept and reject exactly the same records.
 *
 * <p>It is a pure function of the bytes and a reference time (the time the record reached the
 * stream), so a redelivered record always gets the same verdict. Thread-safe; build one and share it.
 *
 * <p>The whole document is parsed before any field rule is checked ({@link EventRules}): a record that
 * is broken JSON is {@code INVALID_JSON} whatever its fields say. Records of the shape devices send are
 * read by {@link RecordScanner}; it gives up on anything else, which {@link RecordParser} (Jackson) reads.
 * Both fill the same {@link EventFields}, so the verdict does not depend on which one read the record.
 * {@link RejectionDetail} writes the detail of every rejection.
 */
public final class EventDecoder {

    private final DecoderLimits limits;
    private final RecordParser parser;
    private final boolean scan;

    public EventDecoder(DecoderLimits limits) {
        this(limits, true);
    }

    public EventDecoder() {
        this(DecoderLimits.defaults());
    }

    /** @param scan false to read every record with Jackson: the reference the scanner is tested against */
    EventDecoder(DecoderLimits limits, boolean scan) {
        this.limits = limits;
        this.parser = new RecordParser(limits);
        this.scan = scan;
    }

    public DecoderLimits limits() {
        return limits;
    }

    /**
     * @param data the record's bytes
     * @param referenceTime when the record reached the stream; events later than this plus the allowed
     *     skew are {@link ReasonCode#FUTURE_TIMESTAMP}
     */
    public DecodeResult decode(byte[] data, Instant referenceTime) {
        EventFields fields = new EventFields();
        // A record the scanner reads is ASCII without NUL, so of checkBytes' checks only the size, made first, can reject it.
        if (scan && data.length <= limits.maxRecordBytes() && RecordScanner.scan(data, limits, fields)) {
            return EventRules.validate(fields, referenceTime, limits);
        }
        DecodeResult unreadable = parser.checkBytes(data);
        if (unreadable != null) {
            return unreadable;
        }
        fields = new EventFields();
        DecodeResult notAnObject = parser.parse(data, fields);
        return notAnObject != null ? notAnObject : EventRules.validate(fields, referenceTime, limits);
    }
}
