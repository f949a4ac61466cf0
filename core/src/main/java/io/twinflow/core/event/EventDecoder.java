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
 * <p>The whole document is parsed ({@link RecordParser}) before any field rule is checked
 * ({@link EventRules}): a record that is broken JSON is {@code INVALID_JSON} whatever its fields say.
 * {@link RejectionDetail} writes the detail of every rejection.
 */
public final class EventDecoder {

    private final DecoderLimits limits;
    private final RecordParser parser;

    public EventDecoder(DecoderLimits limits) {
        this.limits = limits;
        this.parser = new RecordParser(limits);
    }

    public EventDecoder() {
        this(DecoderLimits.defaults());
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
        DecodeResult unreadable = parser.checkBytes(data);
        if (unreadable != null) {
            return unreadable;
        }
        EventFields fields = new EventFields();
        DecodeResult notAnObject = parser.parse(data, fields);
        return notAnObject != null ? notAnObject : EventRules.validate(fields, referenceTime, limits);
    }
}
