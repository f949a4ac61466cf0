package io.twinflow.functions.quarantine;

import java.util.List;
import java.util.Set;

/** Durable storage for rejected records. Writes must be idempotent: a record may be quarantined twice. */
public interface QuarantineSink {

    /** @return the sequence numbers of the records that could not be stored (to be retried) */
    Set<String> put(List<QuarantinedRecord> records);
}
