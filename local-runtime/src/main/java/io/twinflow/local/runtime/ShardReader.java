package io.twinflow.local.runtime;

import java.util.List;

/**
 * The reading side of a Kinesis stream, reduced to what a polling consumer needs. The event source
 * mapping and the archiver are written against this so their semantics can be tested with an
 * in-memory stream; {@link KinesisShardReader} is the real one.
 */
public interface ShardReader {

    /** The stream's shards, in the order the service lists them. */
    List<String> shardIds();

    /** An iterator at the oldest record still in the shard (TRIM_HORIZON). */
    String iteratorAtOldest(String shardId);

    /** An iterator just after {@code sequenceNumber} (AFTER_SEQUENCE_NUMBER): used to resume. */
    String iteratorAfter(String shardId, String sequenceNumber);

    /**
     * Reads up to {@code limit} records. An empty page is normal (nothing new yet); a null
     * {@link Page#nextIterator()} means the shard is closed and fully read.
     */
    Page read(String shardId, String iterator, int limit);

    record Page(List<StreamRecord> records, String nextIterator) {
        public Page {
            records = List.copyOf(records);
        }
    }
}
