package io.twinflow.cli.command;

import static org.assertj.core.api.Assertions.assertThat;

import io.twinflow.core.pipeline.PipelineSpec;
import io.twinflow.local.simulate.SimulationConfig;
import io.twinflow.local.tradeoff.PriceTable;
import io.twinflow.local.tradeoff.RunFacts;
import io.twinflow.local.tradeoff.TradeoffReport;
import io.twinflow.local.tradeoff.TradeoffRun;
import io.twinflow.local.tradeoff.Usage;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A small fleet through both paths with the meter on: what the meter counted must be what the run did, as the
 * demo's own checks see it through clients the meter does not count (objects in the buckets, lines in the
 * archive, the loader's report, the stream's acknowledgements).
 */
class TradeoffIT {

    @TempDir
    Path dir;

    @Test
    void theCountedUsageIsWhatTheRunDid() throws Exception {
        PipelineSpec spec = PipelineSpec.defaults();
        SimulationConfig config = new SimulationConfig(8, 100, Duration.ofSeconds(5), 0.02, 0.02, 0.05, 7);
        PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
        TradeoffRun.Measured measured = TradeoffRun.measure(spec, config, (done, total, ledger) -> { }, quiet, dir.resolve("rollup.log"));
        PriceTable prices = PriceTable.bundled();
        RunFacts facts = TradeoffRun.facts(spec, prices, measured);
        Usage usage = measured.usage();
        Map<String, Object> demo = measured.demo();
        Map<String, Object> loader = measured.batch().batch();

        assertThat(demo.get("unaccounted")).isEqualTo(0L);
        // records put: every record the stream acknowledged, and each one archived once
        assertThat(facts.events()).isEqualTo(number(demo.get("sent"))).isEqualTo(number(demo.get("archived")))
                .isEqualTo(number(loader.get("linesRead")));
        // objects archived: each raw object written once and loaded once by the loader
        assertThat(facts.archiveObjects()).isPositive().isEqualTo(number(loader.get("loaded")))
                .isEqualTo(facts.loaderGetRequests());
        // quarantined records: one object each, as many as the bucket holds
        assertThat(facts.quarantinePuts()).isPositive().isEqualTo(number(demo.get("quarantined")));
        // invocations: the mapping's own count
        assertThat(facts.streamInvocations()).isEqualTo(number(demo.get("invocations"))).isPositive();
        assertThat(facts.streamBilledMs()).isGreaterThanOrEqualTo(facts.streamInvocations());
        // items written: every applied event's window item is written at least once, each write at least one unit
        Set<String> windows = Set.of(spec.tables().deviceWindows());
        double windowItems = usage.sum("DynamoDb", Set.of("PutItem", "UpdateItem", "BatchWriteItem"), windows, t -> t.items());
        double windowUnits = usage.sum("DynamoDb", Set.of("PutItem", "UpdateItem", "BatchWriteItem"), windows, t -> t.capacityUnits());
        assertThat(windowItems).isPositive();
        assertThat(windowUnits).isGreaterThanOrEqualTo(windowItems);
        assertThat(facts.writeUnits()).isGreaterThanOrEqualTo(windowUnits);
        // the demo's checks went through unmetered clients: nothing counted on the raw bucket but the archiver's
        // writes and the loader's reads
        assertThat(usage.calls("S3", Set.of("GetObject"), Set.of(spec.buckets().quarantine()))).isZero();
        assertThat(facts.rollupEvents()).isPositive();
        assertThat(facts.rollupJobMs()).isPositive().isLessThan(facts.rollupMs());

        TradeoffReport report = TradeoffRun.report(spec, config, prices, measured);
        assertThat(report.streamingUsdPerMillion()).isPositive();
        assertThat(report.batchUsdPerMillion()).isPositive();
        assertThat(report.toMap()).containsKeys("events", "ratePerSecond", "streaming", "batch", "prices", "projection");
    }

    private static long number(Object value) {
        return ((Number) value).longValue();
    }
}
