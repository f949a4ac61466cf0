package io.twinflow.local.tradeoff;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.twinflow.core.pipeline.PipelineSpec;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CostModelTest {

    private static final PipelineSpec SPEC = PipelineSpec.defaults();
    private final CostModel model = new CostModel(TestPrices.facts(), TestPrices.table(), SPEC);

    /*
     * At the run's 100 events/s a 730-hour month holds E = 100 × 2,628,000 = 262,800,000 events. The stack deploys
     * an on-demand stream, a 1,024 MB arm64 stream-processor, 2 shards, batch 500, window 1 s.
     *   kinesisStreamHours  730 h × $0.04                                                = 29.2
     *   kinesisDataIn       E × 1,024 B (250 B rounded to 1 KB) / 2^30 × $0.08            = 20.050049
     *   kinesisDataOut      E × 250 B / 2^30 × $0.04 (the mapping's reads)                = 2.447516
     *   lambdaRequests      2 invocations/s measured (20 in 10 s); the batching model gives 2/s at 100/s too
     *                       (2 shards × one per 1 s window), so 2 × 2,628,000 / 1e6 × $0.20 = 1.0512
     *   lambdaDuration      E × 2 ms / 1000 × 1 GB × $0.0000133334                       = 7.008035
     *   dynamoDbWrites      E × 0.4 WRU / 1e6 × $0.625                                   = 65.7
     *   dynamoDbReads       E × 0.1 RRU / 1e6 × $0.125                                   = 3.285
     *   s3Quarantine        E × 0.01 PUT / 1000 × $0.005                                 = 13.14
     *   sqs                 0
     *   total                                                                              141.8818
     */
    @Test
    void theStreamingMonthIsTheHandComputedSum() {
        CostModel.Monthly m = model.monthly(100);

        assertThat(m.streaming()).containsExactly(
                Map.entry("kinesisStreamHours", 29.2), Map.entry("kinesisDataIn", 20.050049), Map.entry("kinesisDataOut", 2.447516),
                Map.entry("lambdaRequests", 1.0512), Map.entry("lambdaDuration", 7.008035), Map.entry("dynamoDbWrites", 65.7),
                Map.entry("dynamoDbReads", 3.285), Map.entry("s3Quarantine", 13.14), Map.entry("sqs", 0.0));
        assertThat(CostModel.Monthly.total(m.streaming())).isEqualTo(141.8818);
    }

    /*
     * Same month, batch path. 100 events/s × 250 B = 90,000,000 B an hour.
     *   firehoseIngest          E × 5,120 B (rounded to 5 KB) / 2^30 × $0.029               = 36.340714
     *   firehoseFramerRequests  max(60 per hour, ⌈90e6 / 1 MiB⌉ = 86) × 730 / 1e6 × $0.20  = 0.012556
     *   s3ArchivePuts           max(60 per hour, ⌈90e6 / 5 MiB⌉ = 18) × 730 / 1000 × $0.005 = 0.219
     *   loader: cron(5 * * * ? *) fires 730 times a month; a run gets E / 730 = 360,000 rows and takes the
     *           measured 1 s + 360,000 rows / 12,000 rows/s = 31 s
     *   loaderLambda            730 × ($0.20 / 1e6 + 31 s × 0.5 GB × $0.0000133334)        = 0.151013
     *   loaderS3Reads           43,800 GET / 1000 × $0.0004 + 730 × 2 LIST / 1000 × $0.005   = 0.02482
     *   redshiftLoad            730 × 8 RPU × 60 s (the minimum: 31 s is less) / 3600 × $0.375 = 36.5
     *   rollup: cron(30 3 * * ? *) fires 7 × 730 / 168 = 30.4167 times; a run gets 8,640,000 events and
     *           takes the measured 20 s + 8,640,000 / 4,000 events/s = 2,180 s
     *   glueRollup              30.4167 × 2 DPU × 2,180 s / 3600 × $0.44                   = 16.208704
     *   redshiftRollup          30.4167 × 8 RPU × 60 s (the minimum) / 3600 × $0.375       = 1.520833
     *   plus the stream: 29.2 + 20.050049 + 2.447516; total 142.675205
     */
    @Test
    void theBatchMonthIsTheHandComputedSum() {
        CostModel.Monthly m = model.monthly(100);

        assertThat(m.batch()).containsExactly(
                Map.entry("kinesisStreamHours", 29.2), Map.entry("kinesisDataIn", 20.050049), Map.entry("kinesisDataOut", 2.447516),
                Map.entry("firehoseIngest", 36.340714), Map.entry("firehoseFramerRequests", 0.012556), Map.entry("s3ArchivePuts", 0.219),
                Map.entry("loaderLambda", 0.151013), Map.entry("loaderS3Reads", 0.02482), Map.entry("redshiftLoad", 36.5),
                Map.entry("glueRollup", 16.208704), Map.entry("redshiftRollup", 1.520833));
        assertThat(CostModel.Monthly.total(m.batch())).isEqualTo(142.675205);
    }

    @Test
    void bothPathsTogetherPayForTheStreamOnceAndForEachConsumersReads() {
        CostModel.Monthly m = model.monthly(100);

        // 141.8818 + 142.675205 − 29.2 − 20.050049 (stream hours and data in, counted once)
        assertThat(CostModel.Monthly.total(m.both())).isCloseTo(235.306956, within(1e-6));
        assertThat(m.both().get("kinesisDataOut")).isCloseTo(2 * 2.447516, within(1e-6));
    }

    @Test
    void perMillionComponentsAddUpToTheirTotal() {
        CostModel.Monthly m = model.monthly(100);
        Map<String, Double> perMillion = CostModel.Monthly.perMillion(m.streaming(), m.eventsPerMonth());

        // 29.2 / 262.8 million events = $0.111111 per million
        assertThat(perMillion.get("kinesisStreamHours")).isEqualTo(0.111111);
        assertThat(perMillion.values().stream().mapToDouble(Double::doubleValue).sum())
                .isCloseTo(CostModel.Monthly.total(perMillion), within(1e-9));
    }

    @Test
    void shardsFollowTheRecordOrTheByteLimitWhicheverComesFirst() {
        // 250 B events: 10,000/s needs 10 shards by records (10 × 1,000) and 2.4 MiB/s by bytes (3 shards).
        assertThat(model.shardsNeeded(10_000)).isEqualTo(10);
        assertThat(model.shardsNeeded(10)).isEqualTo(1);
        assertThat(model.shardsInUse(10)).isEqualTo(2);
        assertThat(model.lambdaConcurrency(10_000)).isEqualTo(10);
        // 5,000-byte events (5,000,000 B of 1,000 events): 1,000/s is 4.77 MiB/s, 5 shards by bytes.
        RunFacts big = new RunFacts(1000, 10, 5_000_000, 5_120_000, 1000, 5_120_000, 20, 2000, 400, 100, 10, 0, 1,
                1, 1000, 1000, 2, 1, 1, 20_000, 5000, 1000);
        assertThat(new CostModel(big, TestPrices.table(), SPEC).shardsNeeded(1000)).isEqualTo(5);
    }

    @Test
    void theMappingInvokesOncePerWindowUntilBatchesFill() {
        // 2 shards, window 1 s, batch 500: 100/s → 2/s; 2,000/s → 1,000 per shard = 2 full batches each → 4/s;
        // 1/s → 0.5 per shard, fewer than one per window → one invocation per record.
        assertThat(model.batchingModel(100)).isEqualTo(2.0);
        assertThat(model.batchingModel(2000)).isEqualTo(4.0);
        assertThat(model.batchingModel(1)).isEqualTo(1.0);
    }

    @Test
    void schedulesBecomeRunsPerMonth() {
        assertThat(CostModel.runsPerMonth("cron(5 * * * ? *)")).isEqualTo(730.0);
        assertThat(CostModel.runsPerMonth("cron(30 3 * * ? *)")).isCloseTo(30.416667, within(1e-6));
    }

    @Test
    void theBatchJobsOutgrowTheirTimeoutsWhereTheHandComputationSaysSo() {
        // rollup: (3,600 s − 20 s measured) × 4,000 events/s = 14,320,000 events a day, × 30.4167 runs / 2,628,000 s = 165.7/s
        assertThat(limit("glueRollupTimeout")).isEqualTo(166L);
        // loader: (600 s − 1 s) × 12,000 rows/s = 7,188,000 rows an hour, × 730 runs / 2,628,000 s = 1,996.7/s
        assertThat(limit("loaderTimeout")).isEqualTo(1997L);
        assertThat(model.glueWorkersNeeded(100)).isEqualTo(2); // ⌈2,180 s × 2 workers / 3,600 s⌉ = 2, the deployed 2
        assertThat(model.glueWorkersNeeded(1000)).isEqualTo(13); // 20 + 86,400,000 / 4,000 = 21,620 s → ⌈12.01⌉
    }

    private Object limit(String name) {
        return model.limits().stream().filter(l -> name.equals(l.get("limit"))).findFirst().orElseThrow().get("ratePerSecond");
    }
}
