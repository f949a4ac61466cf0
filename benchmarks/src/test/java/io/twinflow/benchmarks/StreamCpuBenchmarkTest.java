package io.twinflow.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import io.twinflow.core.alert.AlertRules;
import io.twinflow.core.event.DecodeResult;
import io.twinflow.core.event.EventDecoder;
import io.twinflow.core.window.Windows;
import io.twinflow.functions.stream.BatchOutcome;
import io.twinflow.functions.stream.StreamProcessor;
import io.twinflow.functions.stream.StreamRecord;
import io.twinflow.functions.testing.InMemoryLiveStateStore;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.infra.Blackhole;

/** The benchmarks measure what they claim: realistic, valid records that the real processor fully applies. */
class StreamCpuBenchmarkTest {

    private final List<StreamRecord> records = new Fleet(100, Duration.ofSeconds(1), 42)
            .records(Instant.parse("2026-11-24T10:00:00Z"), Duration.ofSeconds(10), "shardId-000000000000");

    @Test
    void fleetRecordsAreValidAndAboutTwoHundredBytes() {
        EventDecoder decoder = new EventDecoder();
        assertThat(records).hasSize(1_000);
        assertThat(records).allSatisfy(r -> assertThat(decoder.decode(r.data(), r.arrivalTime())).isInstanceOf(DecodeResult.Valid.class));
        double averageBytes = records.stream().mapToInt(r -> r.data().length).average().orElseThrow();
        assertThat(averageBytes).isBetween(180.0, 260.0);
        assertThat(records.stream().map(StreamRecord::partitionKey).distinct()).hasSize(100);
    }

    @Test
    void streamProcessorOnTheInMemoryStoreAppliesEveryRecordOnce() {
        InMemoryLiveStateStore store = new InMemoryLiveStateStore();
        StreamProcessor processor = new StreamProcessor(new EventDecoder(), Windows.ofMinutes(1), AlertRules.defaults(), store, q -> Set.of());
        for (List<StreamRecord> batch : Fleet.batches(records, StreamCpuBenchmark.BATCH_SIZE)) {
            BatchOutcome outcome = processor.process(batch, () -> Long.MAX_VALUE);
            assertThat(outcome.retrySequenceNumbers()).isEmpty();
        }
        processor.process(records.subList(0, 10), () -> Long.MAX_VALUE); // a redelivery changes nothing
        assertThat(store.eventCount()).isEqualTo(records.size());
    }

    @Test
    void everyBenchmarkRunsOnce() throws Exception {
        StreamCpuBenchmark benchmark = new StreamCpuBenchmark();
        benchmark.setUp();
        Blackhole bh = new Blackhole(
                "Today's password is swordfish. I understand instantiating Blackholes directly is dangerous.");
        benchmark.jacksonReadTree(bh);
        benchmark.decode(bh);
        benchmark.decodeAggregate(bh);
        benchmark.streamProcessor(bh);
    }
}
