package io.twinflow.local.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.twinflow.core.pipeline.PipelineSpec;
import io.twinflow.local.testing.ManualClock;
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

    /** Each record is about 2.8 MB of event JSON (base64 data, its partition key, the envelope): two fit in 6 MB, three do not. */
    private static List<StreamRecord> threeLargeRecords(InMemoryStream stream) {
        String large = "x".repeat(1_200_000);
        return List.of(stream.put(SHARD, large + "a", Instant.now()), stream.put(SHARD, large + "b", Instant.now()),
                stream.put(SHARD, large + "c", Instant.now()));
    }

    @Test
    void aBatchEndsBeforeOneMoreRecordWouldPassTheInvocationPayloadLimit() throws Exception {
        InMemoryStream stream = new InMemoryStream(SHARD);
        List<StreamRecord> sent = threeLargeRecords(stream);
        ShardBatcher batcher = batcher(stream, 10);

        List<StreamRecord> first = batcher.nextBatch().records();
        List<StreamRecord> second = batcher.nextBatch().records();

        assertThat(sequenceNumbers(first)).isEqualTo(sequenceNumbers(sent.subList(0, 2)));
        assertThat(first.stream().mapToLong(KinesisEvents::payloadBytes).sum()).isLessThanOrEqualTo(KinesisEvents.MAX_PAYLOAD_BYTES);
        assertThat(sequenceNumbers(second)).isEqualTo(sequenceNumbers(sent.subList(2, 3)));
        assertThat(counters.recordsRead.get()).isEqualTo(3);
    }

    @Test
    void aLeftoverRecordKeepsTheWindowThatOpenedWhenItWasReadInsteadOfWaitingAFreshOne() throws Exception {
        InMemoryStream stream = new InMemoryStream(SHARD);
        List<StreamRecord> sent = threeLargeRecords(stream);
        // Time moves 100 ms with every read, so the window passes after a few polls without waiting for it.
        ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
        ShardReader slowReads = readingWith(stream, (shardId, iterator, limit) -> {
            clock.advance(Duration.ofMillis(100));
            return stream.read(shardId, iterator, limit);
        });
        Duration window = Duration.ofSeconds(1);
        PipelineSpec.StreamMapping settings = PipelineSpec.StreamMapping.builder().batchSize(10).maxBatchingWindow(window).build();
        ShardBatcher batcher = new ShardBatcher(slowReads, SHARD, settings, Duration.ofMillis(1), clock, () -> true, counters);
        batcher.open();

        BatchCut first = batcher.nextBatch();
        BatchCut leftover = batcher.nextBatch();

        assertThat(sequenceNumbers(first.records())).isEqualTo(sequenceNumbers(sent.subList(0, 2)));
        assertThat(sequenceNumbers(leftover.records())).isEqualTo(sequenceNumbers(sent.subList(2, 3)));
        // All three were gathered by one read, so the third's window closed with the first batch's: it goes at once.
        assertThat(leftover.readAt().get(0)).isEqualTo(first.readAt().get(0));
        assertThat(first.cutAt()).isAfterOrEqualTo(first.readAt().get(0).plus(window));
        assertThat(leftover.cutAt()).isBefore(first.cutAt().plus(window));
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
            delivered.addAll(batcher.nextBatch().records());
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
        assertThat(sequenceNumbers(batcher.nextBatch().records())).containsExactly(only.sequenceNumber());
        assertThat(batcher.exhausted()).isTrue();
        assertThat(batcher.nextBatch().records()).isEmpty();
    }
}
