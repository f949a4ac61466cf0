package io.twinflow.benchmarks;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.twinflow.core.aggregate.WindowState;
import io.twinflow.core.alert.AlertRules;
import io.twinflow.core.event.DecodeResult;
import io.twinflow.core.event.EventDecoder;
import io.twinflow.core.event.TelemetryEvent;
import io.twinflow.core.window.Windows;
import io.twinflow.functions.live.WindowKey;
import io.twinflow.functions.stream.StreamProcessor;
import io.twinflow.functions.stream.StreamRecord;
import io.twinflow.functions.testing.InMemoryLiveStateStore;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * CPU per record of the stream path, one thread, one batch (500 records) per invocation so that JMH's
 * ops/s are records/s. {@link #jacksonReadTree} is the baseline: the cheapest thing any JSON consumer
 * must do with the same bytes. {@link StreamCpu} runs these interleaved and reports the ratios.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@OperationsPerInvocation(StreamCpuBenchmark.BATCH_SIZE)
public class StreamCpuBenchmark {

    static final int BATCH_SIZE = 500;
    static final int DEVICES = 100;
    /** 100 s of a fleet reporting every second: 10,000 records, about two windows per device. */
    static final Duration SPAN = Duration.ofSeconds(100);

    private List<List<StreamRecord>> batches;
    private int next;
    private ObjectMapper mapper;
    private EventDecoder decoder;
    private Windows windows;
    private InMemoryLiveStateStore store;
    private StreamProcessor processor;

    @Setup(Level.Trial)
    public void setUp() {
        batches = Fleet.batches(new Fleet(DEVICES, Duration.ofSeconds(1), 42)
                .records(Instant.parse("2026-11-24T10:00:00Z"), SPAN, "shardId-000000000000"), BATCH_SIZE);
        mapper = new ObjectMapper();
        decoder = new EventDecoder();
        windows = Windows.ofMinutes(1);
        store = new InMemoryLiveStateStore();
        processor = new StreamProcessor(decoder, windows, AlertRules.defaults(), store, records -> Set.of());
    }

    /**
     * The batches in a cycle. The store forgets its windows when the cycle restarts: replayed records
     * would otherwise be duplicates, which skip the aggregation being measured.
     */
    private List<StreamRecord> nextBatch() {
        if (next == batches.size()) {
            next = 0;
            store.clear();
        }
        return batches.get(next++);
    }

    @Benchmark
    public void jacksonReadTree(Blackhole bh) throws IOException {
        for (StreamRecord r : nextBatch()) {
            bh.consume(mapper.readTree(r.data()));
        }
    }

    @Benchmark
    public void decode(Blackhole bh) {
        for (StreamRecord r : nextBatch()) {
            bh.consume(decoder.decode(r.data(), r.arrivalTime()));
        }
    }

    /** Core only: decode and validate, group by (device, window), apply each group to a fresh window. */
    @Benchmark
    public void decodeAggregate(Blackhole bh) {
        Map<WindowKey, List<TelemetryEvent>> groups = new LinkedHashMap<>();
        for (StreamRecord r : nextBatch()) {
            if (decoder.decode(r.data(), r.arrivalTime()) instanceof DecodeResult.Valid valid) {
                TelemetryEvent e = valid.event();
                groups.computeIfAbsent(new WindowKey(e.deviceId(), windows.startOf(e.ts())), k -> new ArrayList<>()).add(e);
            }
        }
        groups.values().forEach(events -> bh.consume(WindowState.EMPTY.apply(events)));
    }

    /** The real StreamProcessor (decode, validate, group, exactly-once apply, latest state, alerts) minus I/O. */
    @Benchmark
    public void streamProcessor(Blackhole bh) {
        bh.consume(processor.process(nextBatch(), () -> Long.MAX_VALUE));
    }
}
