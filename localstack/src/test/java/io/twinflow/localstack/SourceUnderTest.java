package io.twinflow.localstack;

import io.twinflow.functions.FunctionSettings;
import io.twinflow.local.runtime.EventSourceMapping;
import io.twinflow.local.runtime.FailureDestination;
import io.twinflow.local.runtime.ShardReader;
import io.twinflow.local.runtime.StreamSource;
import io.twinflow.local.simulate.RecordPublisher;
import java.util.List;

/**
 * The stream a scenario's pipeline reads, reduced to what the scenarios do with it: put records, list its
 * shards, read it as the archive does and drive the handler from it. A shard is a Kinesis shard or a
 * Kafka {@code topic-partition}, a position a sequence number or an offset, as the local runtime reports
 * both ({@link io.twinflow.local.runtime.StreamRecord}); so the same scenario runs over either source.
 */
interface SourceUnderTest extends AutoCloseable {

    StreamSource kind();

    /** Puts records as a producer does; an ack's position is unique within its shard only. */
    RecordPublisher publisher();

    /** The stream's shards, or the topic's partitions as {@code topic-partition}. */
    List<String> shardIds();

    /** A reader of its own for the archiver: Firehose is a consumer of its own. Closed with the source. */
    ShardReader archiveReader();

    /**
     * A mapping with no checkpoints (Kinesis) or no committed offsets (a new Kafka consumer group), so it
     * reads every shard from its oldest record, as after a redeploy or a lost checkpoint. The caller starts
     * and closes it.
     */
    EventSourceMapping newMapping(FunctionSettings settings, FailureDestination onFailure);

    /** Closes the clients the source opened. */
    @Override
    void close();
}
