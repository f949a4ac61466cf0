package io.twinflow.local.simulate;

import io.twinflow.core.event.ReasonCode;
import java.time.Instant;

/**
 * One record the simulator intends to put, with what it is meant to be, so the run can account for
 * every record exactly.
 *
 * @param eventId null for bad records (they may not have a usable one)
 * @param eventTime null for bad records
 * @param expectedReason the reason the pipeline must quarantine it with; null unless {@link Kind#BAD}
 * @param anomaly a metric value that should raise an alert, e.g. "temperature" or "battery"; null if none
 */
public record PlannedRecord(Kind kind, String partitionKey, byte[] data, String eventId, Instant eventTime,
                            ReasonCode expectedReason, boolean late, String anomaly) {

    public enum Kind {
        /** A new event, first time in the stream. */
        VALID,
        /** A producer retry of an event already acknowledged by the stream. */
        DUPLICATE,
        /** A record the decoder rejects. */
        BAD
    }
}
