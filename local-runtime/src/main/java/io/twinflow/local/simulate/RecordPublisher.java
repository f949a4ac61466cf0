package io.twinflow.local.simulate;

import java.util.List;

/** Puts records into the stream. */
public interface RecordPublisher {

    /**
     * Puts the records, retrying entries the stream refused.
     *
     * @return one entry per record, in order: where it landed, or null when it could not be put
     */
    List<Ack> put(List<PlannedRecord> records);

    /** Where an accepted record landed. */
    record Ack(String shardId, String sequenceNumber) {
    }
}
