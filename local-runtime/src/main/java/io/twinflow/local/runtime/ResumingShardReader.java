package io.twinflow.local.runtime;

import java.util.List;
import java.util.Map;

/**
 * A {@link ShardReader} whose oldest record, for a shard with a saved position, is the one just after
 * it: what a consumer restarted on a kept stream uses to resume instead of reading everything again.
 */
final class ResumingShardReader implements ShardReader {

    private final ShardReader reader;
    private final Map<String, String> resumeAfter;

    ResumingShardReader(ShardReader reader, Map<String, String> resumeAfter) {
        this.reader = reader;
        this.resumeAfter = Map.copyOf(resumeAfter);
    }

    @Override
    public List<String> shardIds() {
        return reader.shardIds();
    }

    @Override
    public String iteratorAtOldest(String shardId) {
        String after = resumeAfter.get(shardId);
        return after == null ? reader.iteratorAtOldest(shardId) : reader.iteratorAfter(shardId, after);
    }

    @Override
    public String iteratorAfter(String shardId, String sequenceNumber) {
        return reader.iteratorAfter(shardId, sequenceNumber);
    }

    @Override
    public Page read(String shardId, String iterator, int limit) {
        return reader.read(shardId, iterator, limit);
    }
}
