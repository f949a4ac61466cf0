package io.twinflow.local.tradeoff;

import io.twinflow.core.pipeline.PipelineSpec;
import io.twinflow.local.schedule.CronExpression;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Turns a run's measured usage into dollars at any event rate: a month of each path at that rate, by
 * component, from the price table. Per-event quantities (bytes, write units, handler time) scale with the
 * rate; what a setting fixes (the stream's hourly charge, a schedule's runs, a buffer's flushes, a minimum
 * billed duration) does not. The rules, each with the setting or published limit it follows:
 *
 * <ul>
 *   <li>a month is 730 hours, AWS's convention;</li>
 *   <li>stream-processor invocations follow the event source mapping: a shard is invoked once per batching
 *       window, or once per full batch when more arrive; the measured count is the model's at the run's rate,
 *       scaled by the model to other rates;</li>
 *   <li>a batch job's time (loader, rollup) is at least what this run measured and grows linearly with the
 *       events a run handles; a run is billed at least the service's minimum;</li>
 *   <li>Firehose writes one object per buffer interval, or per buffer size when that fills first.</li>
 * </ul>
 */
public final class CostModel {

    /** Hours in AWS's billing month. */
    public static final double HOURS_PER_MONTH = 730;
    static final double SECONDS_PER_MONTH = HOURS_PER_MONTH * 3600;
    private static final double GIB = 1024.0 * 1024 * 1024;
    private static final double MIB = 1024.0 * 1024;

    /** Components both paths need: in the combined cost they are counted once. */
    static final Set<String> SHARED = Set.of("kinesisStreamHours", "kinesisDataIn");

    /** DPUs per Glue worker type, from Glue's worker type documentation. */
    private static final Map<String, Double> DPU_PER_WORKER = Map.of("G.025X", 0.25, "G.1X", 1.0, "G.2X", 2.0, "G.4X", 4.0, "G.8X", 8.0);

    private final RunFacts facts;
    private final PriceTable prices;
    private final PipelineSpec spec;
    private final PipelineSpec.Deployment deployment;
    private final double loaderRunsPerMonth;
    private final double rollupRunsPerMonth;

    public CostModel(RunFacts facts, PriceTable prices, PipelineSpec spec) {
        this.facts = facts;
        this.prices = prices;
        this.spec = spec;
        this.deployment = spec.deployment();
        this.loaderRunsPerMonth = runsPerMonth(spec.schedules().loader());
        this.rollupRunsPerMonth = runsPerMonth(spec.schedules().rollup());
    }

    /** A month of the streaming path, the batch path and both together at {@code rate} events/s: USD by component. */
    public record Monthly(double ratePerSecond, Map<String, Double> streaming, Map<String, Double> batch, Map<String, Double> both) {

        public double eventsPerMonth() {
            return ratePerSecond * SECONDS_PER_MONTH;
        }

        /** Each component in USD per million events. */
        public static Map<String, Double> perMillion(Map<String, Double> monthly, double eventsPerMonth) {
            Map<String, Double> m = new LinkedHashMap<>();
            monthly.forEach((k, v) -> m.put(k, round(v / eventsPerMonth * 1e6)));
            return m;
        }

        public static double total(Map<String, Double> components) {
            return round(components.values().stream().mapToDouble(Double::doubleValue).sum());
        }
    }

    public Monthly monthly(double rate) {
        Map<String, Double> streaming = new LinkedHashMap<>();
        Map<String, Double> batch = new LinkedHashMap<>();
        double events = rate * SECONDS_PER_MONTH;
        boolean onDemand = deployment.streamOnDemand();

        double streamHours = onDemand ? HOURS_PER_MONTH * price(PriceTable.KINESIS_STREAM_HOUR)
                : shardsInUse(rate) * HOURS_PER_MONTH * price(PriceTable.KINESIS_SHARD_HOUR);
        double dataIn = onDemand ? events * facts.perEvent(facts.kinesisBilledBytes()) / GIB * price(PriceTable.KINESIS_DATA_IN_GB)
                : events * facts.perEvent(facts.putPayloadUnits()) / 1e6 * price(PriceTable.KINESIS_PUT_UNITS_MILLION);
        // In on-demand mode every standard consumer's reads are billed: the mapping's and Firehose's.
        double dataOut = onDemand ? events * facts.perEvent(facts.kinesisBytes()) / GIB * price(PriceTable.KINESIS_DATA_OUT_GB) : 0;
        double lambdaGbSecond = price(deployment.lambdaOnGraviton() ? PriceTable.LAMBDA_ARM_GB_SECOND : PriceTable.LAMBDA_X86_GB_SECOND);

        streaming.put("kinesisStreamHours", streamHours);
        streaming.put("kinesisDataIn", dataIn);
        streaming.put("kinesisDataOut", dataOut);
        streaming.put("lambdaRequests", streamInvocationsPerSecond(rate) * SECONDS_PER_MONTH / 1e6 * price(PriceTable.LAMBDA_REQUESTS_MILLION));
        streaming.put("lambdaDuration", events * facts.perEvent(facts.streamBilledMs()) / 1000
                * deployment.streamProcessorMemoryMb() / 1024.0 * lambdaGbSecond);
        streaming.put("dynamoDbWrites", events * facts.perEvent(facts.writeUnits()) / 1e6 * price(PriceTable.DYNAMODB_WRU_MILLION));
        streaming.put("dynamoDbReads", events * facts.perEvent(facts.readUnits()) / 1e6 * price(PriceTable.DYNAMODB_RRU_MILLION));
        streaming.put("s3Quarantine", events * facts.perEvent(facts.quarantinePuts()) / 1000 * price(PriceTable.S3_PUT_THOUSAND));
        streaming.put("sqs", events * facts.perEvent(facts.streamingSqsRequests()) / 1e6 * price(PriceTable.SQS_REQUESTS_MILLION));

        batch.put("kinesisStreamHours", streamHours);
        batch.put("kinesisDataIn", dataIn);
        batch.put("kinesisDataOut", dataOut);
        batch.put("firehoseIngest", events * facts.perEvent(facts.firehoseBilledBytes()) / GIB * price(PriceTable.FIREHOSE_GB));
        batch.put("firehoseFramerRequests", framerInvocationsPerHour(rate) * HOURS_PER_MONTH / 1e6 * price(PriceTable.LAMBDA_REQUESTS_MILLION));
        double objects = archiveObjectsPerHour(rate) * HOURS_PER_MONTH;
        batch.put("s3ArchivePuts", objects / 1000 * price(PriceTable.S3_PUT_THOUSAND));
        double loaderSeconds = loaderSecondsPerRun(rate);
        batch.put("loaderLambda", loaderRunsPerMonth * (price(PriceTable.LAMBDA_REQUESTS_MILLION) / 1e6
                + loaderSeconds * deployment.batchLoaderMemoryMb() / 1024.0 * lambdaGbSecond));
        batch.put("loaderS3Reads", objects / 1000 * price(PriceTable.S3_GET_THOUSAND)
                + loaderRunsPerMonth * perRun(facts.loaderListRequests(), facts.loaderRuns()) / 1000 * price(PriceTable.S3_PUT_THOUSAND));
        batch.put("redshiftLoad", loaderRunsPerMonth * rpuHours(loaderSeconds) * price(PriceTable.REDSHIFT_RPU_HOUR));
        batch.put("glueRollup", rollupRunsPerMonth * glueDpuHours(rollupSecondsPerRun(rate)) * price(PriceTable.GLUE_DPU_HOUR));
        // The rollup's summary statements: their Redshift time is not measured here, so the minimum charge.
        batch.put("redshiftRollup", rollupRunsPerMonth * rpuHours(0) * price(PriceTable.REDSHIFT_RPU_HOUR));

        Map<String, Double> both = new LinkedHashMap<>(streaming);
        batch.forEach((k, v) -> {
            if (!SHARED.contains(k)) {
                both.merge(k, v, Double::sum);
            }
        });
        return new Monthly(rate, rounded(streaming), rounded(batch), rounded(both));
    }

    /** Shards the rate needs: a shard takes 1,000 records/s or 1 MiB/s, whichever the records reach first. */
    public int shardsNeeded(double rate) {
        double byRecords = rate / prices.limit(PriceTable.SHARD_RECORDS_PER_SECOND);
        double byBytes = rate * facts.perEvent(facts.kinesisBytes()) / prices.limit(PriceTable.SHARD_BYTES_PER_SECOND);
        return (int) Math.max(1, Math.ceil(Math.max(byRecords, byBytes) - 1e-9));
    }

    /** The deployed shards, or more when the rate needs them (on-demand adds them itself; provisioned needs a resharding). */
    public int shardsInUse(double rate) {
        return Math.max(spec.stream().shardCount(), shardsNeeded(rate));
    }

    /** Concurrent stream-processor invocations: one per shard and parallelization factor. */
    public int lambdaConcurrency(double rate) {
        return shardsInUse(rate) * spec.streamMapping().parallelizationFactor();
    }

    /** Invocations per second: the measured figure, scaled by the batching model from the run's rate to {@code rate}. */
    double streamInvocationsPerSecond(double rate) {
        double measured = facts.streamInvocations() / facts.sendSeconds();
        double atRun = batchingModel(facts.measuredRate());
        return atRun == 0 ? 0 : measured * batchingModel(rate) / atRun;
    }

    /** Invocations per second the mapping's settings imply: per shard, one per window, or one per full batch. */
    double batchingModel(double rate) {
        int shards = shardsInUse(rate);
        double perShard = rate / shards;
        double window = Math.max(0.001, spec.streamMapping().maxBatchingWindow().toMillis() / 1000.0);
        double perWindow = 1 / window;
        double invocations = perShard >= perWindow ? Math.max(perShard / spec.streamMapping().batchSize(), perWindow) : perShard;
        return shards * invocations;
    }

    /** Firehose calls the framer once per its buffer interval, or per its buffer size when that fills first. */
    double framerInvocationsPerHour(double rate) {
        return flushesPerHour(rate, deployment.framerBufferInterval(), deployment.framerBufferMib() * MIB);
    }

    /** Firehose writes an object once per buffer interval, or per buffer size when that fills first. */
    double archiveObjectsPerHour(double rate) {
        return flushesPerHour(rate, spec.archive().bufferInterval(), spec.archive().bufferBytes());
    }

    private double flushesPerHour(double rate, Duration interval, double bufferBytes) {
        if (rate <= 0) {
            return 0;
        }
        double bytesPerHour = rate * 3600 * facts.perEvent(facts.kinesisBytes());
        return Math.max(3600.0 / interval.toSeconds(), Math.ceil(bytesPerHour / bufferBytes));
    }

    /**
     * A loader run: this run's measured time (a small run is almost all fixed cost: connections, statements,
     * the load log) plus an hour's rows at the benchmarked COPY rate.
     */
    public double loaderSecondsPerRun(double rate) {
        double rowsPerRun = rate * SECONDS_PER_MONTH / loaderRunsPerMonth;
        return facts.loaderMs() / 1000.0 / Math.max(1, facts.loaderRuns()) + rowsPerRun / prices.limit(PriceTable.LOADER_ROWS_PER_SECOND);
    }

    /**
     * A rollup run: this run's measured wall time (a small day is almost all Spark's fixed cost) plus a day's
     * events at the benchmarked Spark rate.
     */
    public double rollupSecondsPerRun(double rate) {
        double eventsPerRun = rate * SECONDS_PER_MONTH / rollupRunsPerMonth;
        return rollupFixedSeconds() + eventsPerRun / prices.limit(PriceTable.ROLLUP_EVENTS_PER_SECOND);
    }

    private double rollupFixedSeconds() {
        return facts.rollupMs() / 1000.0 / Math.max(1, facts.rollupRuns());
    }

    /** Workers the rollup needs to finish within the job's timeout (the deployed number at least). */
    public int glueWorkersNeeded(double rate) {
        double workerSeconds = rollupSecondsPerRun(rate) * deployment.glueWorkers();
        return (int) Math.max(deployment.glueWorkers(), Math.ceil(workerSeconds / deployment.glueTimeout().toSeconds()));
    }

    private double glueDpuHours(double seconds) {
        double billed = Math.max(prices.limit(PriceTable.GLUE_MINIMUM_SECONDS), seconds);
        double dpus = DPU_PER_WORKER.getOrDefault(deployment.glueWorkerType(), 1.0) * deployment.glueWorkers();
        return dpus * billed / 3600;
    }

    private double rpuHours(double seconds) {
        return deployment.warehouseBaseRpu() * Math.max(prices.limit(PriceTable.REDSHIFT_MINIMUM_SECONDS), seconds) / 3600;
    }

    private static double perRun(long total, long runs) {
        return runs == 0 ? 0 : (double) total / runs;
    }

    private double price(String key) {
        return prices.price(key);
    }

    public double loaderRunsPerMonth() {
        return loaderRunsPerMonth;
    }

    public double rollupRunsPerMonth() {
        return rollupRunsPerMonth;
    }

    /** Fires of {@code cron} in a 730-hour month: the fires of a whole week, scaled. */
    static double runsPerMonth(String cron) {
        CronExpression expression = CronExpression.parse(cron);
        Instant start = Instant.parse("2026-01-05T00:00:00Z"); // a Monday: a week from it holds every weekday once
        Instant end = start.plus(Duration.ofDays(7));
        int fires = 0;
        Instant t = start.minusMillis(1);
        while (true) {
            var next = expression.next(t);
            if (next.isEmpty() || !next.get().isBefore(end)) {
                break;
            }
            fires++;
            t = next.get();
        }
        return fires * HOURS_PER_MONTH / (7 * 24);
    }

    /** The rates at which a limit of the deployed stack is reached, and what happens there. */
    public List<Map<String, Object>> limits() {
        List<Map<String, Object>> limits = new ArrayList<>();
        double bytesPerEvent = facts.perEvent(facts.kinesisBytes());
        int shards = spec.stream().shardCount();
        double shardRate = Math.min(prices.limit(PriceTable.SHARD_RECORDS_PER_SECOND),
                prices.limit(PriceTable.SHARD_BYTES_PER_SECOND) / bytesPerEvent);
        limits.add(limit("kinesisShards", shards * shardRate, "published",
                shards + " shards take " + Math.round(shards * shardRate) + " events/s (1,000 records/s or 1 MiB/s each, "
                        + Math.round(bytesPerEvent) + " B per event): provisioned mode throttles above it; on-demand adds shards"));
        double msPerEvent = facts.perEvent(facts.streamBilledMs());
        int pf = spec.streamMapping().parallelizationFactor();
        if (msPerEvent > 0) {
            limits.add(limit("streamProcessorPerShard", shards * pf * 1000 / msPerEvent, "measured locally",
                    "one invocation at a time per shard (parallelization factor " + pf + ") at " + String.format(Locale.ROOT, "%.2f", msPerEvent)
                            + " ms per event as measured here: above it the iterator age grows; Lambda on Graviton will differ"));
        }
        double concurrency = prices.limit(PriceTable.LAMBDA_CONCURRENCY);
        limits.add(limit("lambdaConcurrency", concurrency / pf * shardRate, "published",
                "the account's default " + Math.round(concurrency) + " concurrent executions are one per shard and parallelization factor"));
        double timeout = deployment.glueTimeout().toSeconds();
        double rollupEvents = Math.max(0, timeout - rollupFixedSeconds()) * prices.limit(PriceTable.ROLLUP_EVENTS_PER_SECOND);
        limits.add(limit("glueRollupTimeout", rollupEvents * rollupRunsPerMonth / SECONDS_PER_MONTH, "benchmark",
                "a day's rollup outgrows the job's " + deployment.glueTimeout().toMinutes() + "-minute timeout on "
                        + deployment.glueWorkers() + " " + deployment.glueWorkerType() + " workers at "
                        + Math.round(prices.limit(PriceTable.ROLLUP_EVENTS_PER_SECOND)) + " events/s (the Spark benchmark): add workers"));
        double loaderTimeout = deployment.batchLoaderTimeout().toSeconds();
        double loaderRows = Math.max(0, loaderTimeout - facts.loaderMs() / 1000.0 / Math.max(1, facts.loaderRuns()))
                * prices.limit(PriceTable.LOADER_ROWS_PER_SECOND);
        limits.add(limit("loaderTimeout", loaderRows * loaderRunsPerMonth / SECONDS_PER_MONTH, "benchmark",
                "an hour's rows outgrow the loader's " + deployment.batchLoaderTimeout().toMinutes() + "-minute Lambda timeout at "
                        + Math.round(prices.limit(PriceTable.LOADER_ROWS_PER_SECOND)) + " rows/s (the COPY benchmark): load more often"));
        return limits;
    }

    private static Map<String, Object> limit(String name, double rate, String basis, String what) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("limit", name);
        m.put("ratePerSecond", Math.round(rate));
        m.put("basis", basis);
        m.put("what", what);
        return m;
    }

    private static Map<String, Double> rounded(Map<String, Double> m) {
        Map<String, Double> r = new LinkedHashMap<>();
        m.forEach((k, v) -> r.put(k, round(v)));
        return r;
    }

    /** Dollars to a millionth: below what any figure here can claim. */
    static double round(double v) {
        return Math.round(v * 1e6) / 1e6;
    }
}
