package io.twinflow.local.runtime;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One batch as the Kinesis mapping cut it from a shard, with when each of its records was read
 * (GetRecords returned it) and when the batch was closed and handed to the function: what the
 * freshness benchmark needs to split a record's latency into its stages.
 */
public record BatchCut(String shardId, List<StreamRecord> records, List<Instant> readAt, Instant cutAt) {

    public BatchCut {
        Objects.requireNonNull(shardId, "shardId");
        Objects.requireNonNull(cutAt, "cutAt");
        records = List.copyOf(records);
        readAt = List.copyOf(readAt);
        if (readAt.size() != records.size()) {
            throw new IllegalArgumentException("one read time per record");
        }
    }

    public boolean isEmpty() {
        return records.isEmpty();
    }
}
