package io.twinflow.local.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.twinflow.core.pipeline.PipelineSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ShardBatcherTest {

    private static final String SHARD = "shardId-000000000000";

    private final MappingCounters counters = new MappingCounters();

    private ShardBatcher batcher(ShardReader reader, int batchSize) {
        PipelineSpec.StreamMapping settings = PipelineSpec.StreamMapping.builder()
                .batchSize(batchSize).maxBatchingWindow(Duration.ZERO).build();
        ShardBatcher batcher = new ShardBatcher(reader, SHARD, settings, Duration.ofMillis(1), Clock.systemUTC(),
                () -> true, counters);
        batcher.open();
        return batcher;
    }

    /** How a test reader answers {@code read}. */
    private interface Reads {
        ShardReader.Page read(String shardId, String iterator, int limit);
    }

    /** The in-memory stream, with its reads answered by {@code reads} (which may fail, or close the shard). */
    private static ShardReader readingWith(InMemoryStream stream, Reads reads) {
        return new ShardReader() {
            @Override
            public List<String> shardIds() {
                return stream.shardIds();
            }

            @Override
            public String iteratorAtOldest(String shardId) {
                return stream.iteratorAtOldest(shardId);
            }

            @Override
            public String iteratorAfter(String shardId, String sequenceNumber) {
                return stream.iteratorAfter(shardId, sequenceNumber);
            }

            @Override
            public Page read(String shardId, String iterator, int limit) {
                return reads.read(shardId, iterator, limit);
            }
        };
    }

    private static List<String> sequenceNumbers(List<StreamRecord> records) {
        return records.stream().map(StreamRecord::sequenceNumber).toList();
    }

    @Test
    void aBatchEndsBeforeOneMoreRecordWouldPassTheInvocationPayloadLimit() throws Exception {
        InMemoryStream stream = new InMemoryStream(SHARD);
        // Each record is about 2.8 MB of event JSON (base64 data, its partition key, the envelope): two fit in 6 MB, three do not.
        String large = "x".repeat(1_200_000);
        List<StreamRecord> sent = List.of(stream.put(SHARD, large + "a", Instant.now()),
                stream.put(SHARD, large + "b", Instant.now()), stream.put(SHARD, large + "c", Instant.now()));
        ShardBatcher batcher = batcher(stream, 10);

        List<StreamRecord> first = batcher.nextBatch();
        List<StreamRecord> second = batcher.nextBatch();

        assertThat(sequenceNumbers(first)).isEqualTo(sequenceNumbers(sent.subList(0, 2)));
        assertThat(first.stream().mapToLong(KinesisEvents::payloadBytes).sum()).isLessThanOrEqualTo(KinesisEvents.MAX_PAYLOAD_BYTES);
        assertThat(sequenceNumbers(second)).isEqualTo(sequenceNumbers(sent.subList(2, 3)));
        assertThat(counters.recordsRead.get()).isEqualTo(3);
    }

    @Test
    void aFailedReadResumesRightAfterTheLastRecordReadWithNothingLostOrRepeated() throws Exception {
        InMemoryStream stream = new InMemoryStream(SHARD);
        List<StreamRecord> sent = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            sent.add(stream.put(SHARD, "r" + i, Instant.now()));
        }
        int[] reads = {0};
        ShardReader failsOnSecondRead = readingWith(stream, (shardId, iterator, limit) -> {
            if (++reads[0] == 2) {
                throw new IllegalStateException("iterator expired");
            }
            return stream.read(shardId, iterator, limit);
        });
        ShardBatcher batcher = batcher(failsOnSecondRead, 2);

        List<StreamRecord> delivered = new ArrayList<>();
        for (int i = 0; i < 10 && delivered.size() < sent.size(); i++) {
            delivered.addAll(batcher.nextBatch());
        }

        assertThat(sequenceNumbers(delivered)).isEqualTo(sequenceNumbers(sent));
    }

    @Test
    void aClosedShardIsExhaustedOnceItsLastRecordIsHandedOut() throws Exception {
        InMemoryStream stream = new InMemoryStream(SHARD);
        StreamRecord only = stream.put(SHARD, "last", Instant.now());
        ShardReader closedAfterOnePage = readingWith(stream,
                (shardId, iterator, limit) -> new ShardReader.Page(stream.read(shardId, iterator, limit).records(), null));
        ShardBatcher batcher = batcher(closedAfterOnePage, 10);

        assertThat(batcher.exhausted()).isFalse();
        assertThat(sequenceNumbers(batcher.nextBatch())).containsExactly(only.sequenceNumber());
        assertThat(batcher.exhausted()).isTrue();
        assertThat(batcher.nextBatch()).isEmpty();
    }
}
