package io.twinflow.local.runtime;

import java.time.Instant;
import java.util.Objects;

/**
 * One record as read from a shard: what GetRecords returns and what the event source mapping turns
 * into a {@code KinesisEvent} record. The data array is never modified once read.
 */
public record StreamRecord(String shardId, String sequenceNumber, String partitionKey, byte[] data,
                           Instant approximateArrival) {

    public StreamRecord {
        Objects.requireNonNull(shardId, "shardId");
        Objects.requireNonNull(sequenceNumber, "sequenceNumber");
        Objects.requireNonNull(partitionKey, "partitionKey");
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(approximateArrival, "approximateArrival");
    }

    /** The eventID Lambda puts on the record: {@code shardId:sequenceNumber}. */
    public String eventId() {
        return shardId + ":" + sequenceNumber;
    }
}
