package io.twinflow.functions.stream;

import java.time.Instant;
import java.util.Objects;

/** One Kinesis record as delivered to the function, independent of the Lambda event classes. */
public record StreamRecord(String shardId, String sequenceNumber, String partitionKey, Instant arrivalTime, byte[] data) {

    public StreamRecord {
        Objects.requireNonNull(shardId, "shardId");
        Objects.requireNonNull(sequenceNumber, "sequenceNumber");
        Objects.requireNonNull(arrivalTime, "arrivalTime");
        Objects.requireNonNull(data, "data");
    }
}
