package io.twinflow.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import io.twinflow.functions.stream.StreamRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class FleetTest {

    private static final Instant START = Instant.parse("2026-11-24T10:00:00Z");

    @Test
    void pipelineBatchesHoldOneShardEachWithinTheBatchSizeAndTheBatchingWindow() {
        List<StreamRecord> records = new Fleet(100, Duration.ofMillis(100), 7).records(START, Duration.ofSeconds(20), "s");

        List<List<StreamRecord>> batches = Fleet.pipelineBatches(records, 2, 500, Duration.ofSeconds(1));

        assertThat(batches.stream().mapToInt(List::size).sum()).isEqualTo(records.size());
        for (List<StreamRecord> batch : batches) {
            assertThat(batch).hasSizeLessThanOrEqualTo(500);
            assertThat(batch.stream().map(StreamRecord::shardId).distinct()).hasSize(1);
            assertThat(batch.get(batch.size() - 1).arrivalTime()).isBefore(batch.get(0).arrivalTime().plusSeconds(1));
        }
        // Every device stays on one shard, and the 100 devices spread over both.
        Map<String, List<String>> shardsByDevice = batches.stream().flatMap(List::stream).collect(Collectors.groupingBy(
                StreamRecord::partitionKey, Collectors.mapping(StreamRecord::shardId, Collectors.toList())));
        assertThat(shardsByDevice.values()).allSatisfy(shards -> assertThat(shards.stream().distinct()).hasSize(1));
        assertThat(shardsByDevice.values().stream().map(shards -> shards.get(0)).distinct()).hasSize(2);
    }

    @Test
    void aShardHoldsTheKeysWhoseMd5FallsInItsHalfOfTheHashRange() {
        // MD5("a") = 0cc175b9..., in the lower half; MD5("c") = 4a8a08f0...; MD5("b") = 92eb5ffe..., upper half.
        assertThat(Fleet.shardOf("a", 2)).isZero();
        assertThat(Fleet.shardOf("b", 2)).isEqualTo(1);
        assertThat(Fleet.shardOf("c", 4)).isEqualTo(1);
        assertThat(Fleet.shardOf("b", 1)).isZero();
    }

    @Test
    void deviceBatchPairsCountEachDeviceOncePerBatch() {
        List<StreamRecord> records = new Fleet(10, Duration.ofMillis(100), 7).records(START, Duration.ofSeconds(1), "s");

        assertThat(Fleet.deviceBatchPairs(Fleet.batches(records, 50))).isEqualTo(20);
    }
}
