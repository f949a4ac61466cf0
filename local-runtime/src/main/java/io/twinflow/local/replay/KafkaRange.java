package io.twinflow.local.replay;

import io.twinflow.local.runtime.KafkaShardReader;
import io.twinflow.local.runtime.KinesisShardReader;
import io.twinflow.local.runtime.ShardReader;
import io.twinflow.local.runtime.StreamRecord;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.KafkaException;

/**
 * Reads one partition's part of a Kafka on-failure batch back from the topic: from its first offset to its last, with
 * the archiver's reader ({@link KafkaShardReader}, a consumer without a group, so no group's committed offsets move).
 * The partition's beginning and end offsets are asked first: a range the topic no longer holds (retention, or
 * records deleted) or does not hold yet is missing at once instead of polled for.
 */
final class KafkaRange implements OnFailureReplay.StreamRange {

    /** Empty polls are given this long: the first fetch of a freshly assigned partition can take a while. */
    private static final Duration PATIENCE = Duration.ofSeconds(15);

    private final KafkaShardReader reader;

    KafkaRange(KafkaShardReader reader) {
        this.reader = reader;
    }

    @Override
    public OnFailureReplay.Found read(OnFailureMessage.Range range) {
        long first = Long.parseLong(range.first());
        long last = Long.parseLong(range.last());
        long beginning;
        long end;
        try {
            beginning = Long.parseLong(reader.iteratorAtOldest(range.shardId()));
            end = reader.endOffset(range.shardId());
        } catch (KafkaException | IllegalArgumentException e) {
            return OnFailureReplay.Found.missing("the topic has no partition " + range.shardId() + " to read (" + e.getMessage() + ")");
        }
        if (first < beginning) {
            return OnFailureReplay.Found.missing(range.shardId() + " now starts at offset " + beginning + ", after " + first
                    + ": the range's first records are past the topic's retention");
        }
        if (last >= end) {
            return OnFailureReplay.Found.missing(range.shardId() + " ends before offset " + last + " (its next offset is " + end + ")");
        }
        List<StreamRecord> records = new ArrayList<>();
        String iterator = range.first();
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (System.nanoTime() < deadline) {
            ShardReader.Page page = reader.read(range.shardId(), iterator, KinesisShardReader.MAX_RECORDS_PER_CALL);
            if (KinesisRange.take(records, page.records(), range)) {
                break;
            }
            iterator = page.nextIterator();
        }
        return KinesisRange.complete(records, range);
    }
}
