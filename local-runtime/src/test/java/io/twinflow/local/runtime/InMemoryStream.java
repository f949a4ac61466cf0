package io.twinflow.local.runtime;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A stream held in memory: iterators are "shard/index", sequence numbers grow like Kinesis' do. */
final class InMemoryStream implements ShardReader {

    private final Map<String, List<StreamRecord>> shards = new LinkedHashMap<>();
    private BigInteger nextSequence = new BigInteger("49650000000000000000000000000000000000000000000000000000");

    InMemoryStream(String... shardIds) {
        for (String id : shardIds) {
            shards.put(id, new ArrayList<>());
        }
    }

    synchronized StreamRecord put(String shardId, String payload, Instant arrival) {
        nextSequence = nextSequence.add(BigInteger.valueOf(1_000_003));
        StreamRecord r = new StreamRecord(shardId, nextSequence.toString(), "pk-" + payload,
                payload.getBytes(StandardCharsets.UTF_8), arrival);
        shards.get(shardId).add(r);
        return r;
    }

    @Override
    public List<String> shardIds() {
        return List.copyOf(shards.keySet());
    }

    @Override
    public String iteratorAtOldest(String shardId) {
        return shardId + "/0";
    }

    @Override
    public synchronized String iteratorAfter(String shardId, String sequenceNumber) {
        List<StreamRecord> records = shards.get(shardId);
        for (int i = 0; i < records.size(); i++) {
            if (records.get(i).sequenceNumber().equals(sequenceNumber)) {
                return shardId + "/" + (i + 1);
            }
        }
        throw new IllegalArgumentException("no such sequence number " + sequenceNumber);
    }

    @Override
    public synchronized Page read(String shardId, String iterator, int limit) {
        int from = Integer.parseInt(iterator.substring(iterator.indexOf('/') + 1));
        List<StreamRecord> records = shards.get(shardId);
        int to = Math.min(records.size(), from + limit);
        return new Page(new ArrayList<>(records.subList(from, to)), shardId + "/" + to);
    }
}
