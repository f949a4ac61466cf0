package io.twinflow.functions.quarantine;

import io.twinflow.core.event.ReasonCode;
import java.time.Instant;
import java.util.Objects;

/**
 * A record the pipeline could not apply, kept whole: its stream position, why it was rejected and its
 * exact bytes.
 *
 * @param reason a {@link ReasonCode} name, or {@code STORE_REJECTED} when the
 *     record was valid but the serving store refused it for good
 */
public record QuarantinedRecord(String shardId, String sequenceNumber, String partitionKey, Instant arrivalTime,
                                String reason, String detail, byte[] payload) {

    /** Reason for valid records that the serving store refused permanently (e.g. an oversized item). */
    public static final String STORE_REJECTED = ReasonCode.STORE_REJECTED.name();

    public QuarantinedRecord {
        Objects.requireNonNull(shardId, "shardId");
        Objects.requireNonNull(sequenceNumber, "sequenceNumber");
        Objects.requireNonNull(arrivalTime, "arrivalTime");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(payload, "payload");
    }
}
