package io.twinflow.core.archive;

import java.time.Instant;
import java.util.Objects;

/**
 * One stream record as the archive keeps it: its exact bytes, when it reached the stream and where it
 * sits in it. The batch path judges {@link #data()} against {@link #arrival()}, as the stream processor
 * judges the same bytes against the same arrival time, so both give one verdict per record.
 *
 * @param shardId the shard it was read from; null for a line archived without an envelope
 * @param sequenceNumber its sequence number in that shard (up to 56 decimal digits); null likewise
 */
public record ArchivedRecord(byte[] data, Instant arrival, String shardId, String sequenceNumber) {

    public ArchivedRecord {
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(arrival, "arrival");
    }

    /** Whether the line carried its stream position (an envelope) rather than only the bytes. */
    public boolean hasPosition() {
        return shardId != null && sequenceNumber != null;
    }

    /**
     * The position as one string that sorts in stream order within a shard: the sequence number
     * zero-padded to 56 digits, after the shard id. Null without a position.
     */
    public String position() {
        return hasPosition() ? StreamPositions.key(shardId, sequenceNumber) : null;
    }
}
