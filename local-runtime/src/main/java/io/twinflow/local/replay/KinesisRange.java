package io.twinflow.local.replay;

import io.twinflow.local.runtime.KinesisShardReader;
import io.twinflow.local.runtime.ShardReader;
import io.twinflow.local.runtime.StreamRecord;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.InvalidArgumentException;
import software.amazon.awssdk.services.kinesis.model.ResourceNotFoundException;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;

/**
 * Reads an on-failure batch's records back from the stream: GetShardIterator {@code AT_SEQUENCE_NUMBER} of the
 * batch's first record, then GetRecords until past its last. Once retention has trimmed the start of the range,
 * Kinesis answers from its trim horizon instead, so the first record read must be the batch's first.
 */
final class KinesisRange implements OnFailureReplay.StreamRange {

    /** Reading stops after this many pages: a range is one batch, at most 10,000 records, that is one or a few pages. */
    private static final int MAX_PAGES = 100;

    private final KinesisClient kinesis;
    private final String streamName;

    KinesisRange(KinesisClient kinesis, String streamName) {
        this.kinesis = kinesis;
        this.streamName = streamName;
    }

    @Override
    public OnFailureReplay.Found read(OnFailureMessage.Range batch) {
        String iterator;
        try {
            iterator = kinesis.getShardIterator(b -> b.streamName(streamName).shardId(batch.shardId())
                    .shardIteratorType(ShardIteratorType.AT_SEQUENCE_NUMBER).startingSequenceNumber(batch.first()))
                    .shardIterator();
        } catch (ResourceNotFoundException e) {
            return OnFailureReplay.Found.missing("stream " + streamName + " has no shard " + batch.shardId()
                    + " (closed and past retention, or the stream was re-created)");
        } catch (InvalidArgumentException e) {
            return OnFailureReplay.Found.missing("stream " + streamName + " refuses sequence number " + batch.first()
                    + " of " + batch.shardId() + ": " + e.awsErrorDetails().errorMessage());
        }
        List<StreamRecord> records = new ArrayList<>();
        KinesisShardReader reader = new KinesisShardReader(kinesis, streamName);
        for (int page = 0; iterator != null && page < MAX_PAGES; page++) {
            ShardReader.Page read = reader.read(batch.shardId(), iterator, KinesisShardReader.MAX_RECORDS_PER_CALL);
            if (take(records, read.records(), batch)) {
                return complete(records, batch);
            }
            if (read.records().isEmpty()) {
                // Most likely the shard's tip: the rest of the range is not there. Should it be a gap in a sparse shard
                // instead, the archive still has the range.
                break;
            }
            iterator = read.nextIterator();
        }
        return complete(records, batch);
    }

    /**
     * Adds a page's records to those read so far, up to the range's last.
     *
     * @return whether the range is read through: its last record, or one past it, was on the page
     */
    static boolean take(List<StreamRecord> records, List<StreamRecord> page, OnFailureMessage.Range range) {
        for (StreamRecord r : page) {
            if (range.isPast(r.sequenceNumber())) {
                return true;
            }
            records.add(r);
            if (r.sequenceNumber().equals(range.last())) {
                return true;
            }
        }
        return false;
    }

    /** The records read from the range's start, or why they are not the whole range. */
    static OnFailureReplay.Found complete(List<StreamRecord> records, OnFailureMessage.Range batch) {
        if (records.isEmpty()) {
            return OnFailureReplay.Found.missing("no record of the range is left in " + batch.shardId() + " (past the stream's retention)");
        }
        if (!records.get(0).sequenceNumber().equals(batch.first())) {
            return OnFailureReplay.Found.missing(batch.shardId() + " now starts after " + batch.first()
                    + ": the range's first records are past the stream's retention");
        }
        if (!records.get(records.size() - 1).sequenceNumber().equals(batch.last())) {
            return OnFailureReplay.Found.missing(batch.shardId() + " has no record " + batch.last());
        }
        return OnFailureReplay.Found.of(records);
    }
}
