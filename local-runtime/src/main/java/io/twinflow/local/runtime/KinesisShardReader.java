package io.twinflow.local.runtime;

import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.GetRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.ListShardsRequest;
import software.amazon.awssdk.services.kinesis.model.ListShardsResponse;
import software.amazon.awssdk.services.kinesis.model.Record;
import software.amazon.awssdk.services.kinesis.model.Shard;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;

/** {@link ShardReader} over the Kinesis API (GetShardIterator + GetRecords), for AWS or kinesalite. */
public final class KinesisShardReader implements ShardReader {

    /** GetRecords returns at most this many records per call. */
    public static final int MAX_RECORDS_PER_CALL = 10_000;

    private final KinesisClient kinesis;
    private final String streamName;

    public KinesisShardReader(KinesisClient kinesis, String streamName) {
        this.kinesis = kinesis;
        this.streamName = streamName;
    }

    @Override
    public List<String> shardIds() {
        List<String> ids = new ArrayList<>();
        String next = null;
        do {
            ListShardsRequest request = next == null
                    ? ListShardsRequest.builder().streamName(streamName).build()
                    : ListShardsRequest.builder().nextToken(next).build();
            ListShardsResponse response = kinesis.listShards(request);
            response.shards().stream().map(Shard::shardId).forEach(ids::add);
            next = response.nextToken();
        } while (next != null);
        return ids;
    }

    @Override
    public String iteratorAtOldest(String shardId) {
        return kinesis.getShardIterator(b -> b.streamName(streamName).shardId(shardId)
                .shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator();
    }

    @Override
    public String iteratorAfter(String shardId, String sequenceNumber) {
        return kinesis.getShardIterator(b -> b.streamName(streamName).shardId(shardId)
                .shardIteratorType(ShardIteratorType.AFTER_SEQUENCE_NUMBER)
                .startingSequenceNumber(sequenceNumber)).shardIterator();
    }

    @Override
    public Page read(String shardId, String iterator, int limit) {
        GetRecordsResponse response = kinesis.getRecords(b -> b.shardIterator(iterator)
                .limit(Math.min(limit, MAX_RECORDS_PER_CALL)));
        List<StreamRecord> records = new ArrayList<>(response.records().size());
        for (Record r : response.records()) {
            records.add(new StreamRecord(shardId, r.sequenceNumber(), r.partitionKey(), r.data().asByteArrayUnsafe(),
                    r.approximateArrivalTimestamp()));
        }
        return new Page(records, response.nextShardIterator());
    }
}
