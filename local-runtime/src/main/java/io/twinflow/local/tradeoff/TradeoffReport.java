package io.twinflow.local.tradeoff;

import io.twinflow.core.pipeline.PipelineSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The result of {@code twinflow tradeoff}, as a value: the terminal table, the HTML report and the JSON
 * ({@link #toMap}) are all drawn from it, and so can a dashboard be.
 *
 * @param ratePerSecond the rate the fleet was asked to send
 * @param streamingFreshness put → visible in DynamoDB, measured
 * @param eventsFreshness put → in the warehouse's events table, from the settings and the measured loader time
 * @param summaryFreshness put → in the daily summaries, from the settings and the measured rollup time
 * @param atRate a month of each path at the measured rate
 * @param projection a month of each path at each projected rate
 * @param curve each path's monthly total from 1 to 100,000 events/s, for the cost-versus-rate chart
 * @param run what the run itself did (sent, applied, ... as {@code demo} reports it)
 */
public record TradeoffReport(double ratePerSecond, RunFacts facts, PriceTable prices, Freshness.Distribution streamingFreshness,
                             Freshness.Distribution eventsFreshness, Freshness.Distribution summaryFreshness,
                             CostModel.Monthly atRate, List<Map<String, Object>> projection, List<Map<String, Object>> curve,
                             List<Map<String, Object>> limits,
                             List<Map<String, Object>> operations, Map<String, Object> streamingUsage, Map<String, Object> batchUsage,
                             Map<String, Object> meter, Map<String, Object> run, List<String> notes) {

    /** The rates the projection covers, events per second. */
    public static final List<Double> PROJECTED_RATES = List.of(10.0, 100.0, 1_000.0, 10_000.0);

    /** Everything that is not measured here but would be in AWS, said once. */
    static final List<String> NOTES = List.of(
            "measured locally: records put, handler time, DynamoDB capacity units (as the local DynamoDB reports them), S3 and "
                    + "SQS requests, the loader's and the rollup's run time; on this machine, emulators sharing its cores",
            "computed from settings: Firehose buffering, the loader's and the rollup's schedules, the functions' memory, "
                    + "Glue workers, Redshift base capacity (PipelineSpec and its Deployment, which the CDK stack reads)",
            "computed from published prices and limits: every dollar figure, shard limits, billing roundings and minimums",
            "would differ in AWS: Lambda duration on Graviton (this JVM is not a 1 GB arm64 sandbox; SnapStart cold starts "
                    + "are not in it), Redshift COPY and MERGE versus local PostgreSQL, Glue start-up and its workers versus Spark "
                    + "local[2], Firehose flushing early when a buffer fills, the framer's duration (not measured: the local archiver "
                    + "frames in-process)",
            "not priced: storage (S3, DynamoDB, Redshift managed storage, PITR), KMS requests, CloudWatch logs and metrics, "
                    + "data transfer; DynamoDB units per event fall as more events of a device share a batch");

    /** Assembles the report from a run's facts. */
    public static TradeoffReport of(double ratePerSecond, RunFacts facts, PriceTable prices, PipelineSpec spec, List<Long> latenciesMs,
                                    Map<String, Object> meter, Map<String, Object> run) {
        CostModel model = new CostModel(facts, prices, spec);
        long loaderMs = facts.loaderMs() / Math.max(1, facts.loaderRuns());
        long rollupMs = facts.rollupMs() / Math.max(1, facts.rollupRuns());
        List<Map<String, Object>> projection = new ArrayList<>();
        for (double rate : PROJECTED_RATES) {
            projection.add(projectionRow(model, prices, spec, rate));
        }
        List<Map<String, Object>> curve = new ArrayList<>();
        for (int decade = 0; decade <= 5; decade++) {
            for (int step : decade == 5 ? new int[] {1} : new int[] {1, 2, 5}) {
                double rate = step * Math.pow(10, decade);
                CostModel.Monthly m = model.monthly(rate);
                Map<String, Object> point = new LinkedHashMap<>();
                point.put("ratePerSecond", rate);
                point.put("streamingUsdPerMonth", CostModel.Monthly.total(m.streaming()));
                point.put("batchUsdPerMonth", CostModel.Monthly.total(m.batch()));
                point.put("bothUsdPerMonth", CostModel.Monthly.total(m.both()));
                curve.add(point);
            }
        }
        return new TradeoffReport(ratePerSecond, facts, prices, Freshness.streaming(latenciesMs), Freshness.eventsTable(spec, loaderMs),
                Freshness.dailySummaries(spec, rollupMs), model.monthly(facts.measuredRate()), projection, curve, model.limits(),
                Operations.of(spec), streamingUsage(facts, spec), batchUsage(facts, model, spec), meter, run, NOTES);
    }

    private static Map<String, Object> projectionRow(CostModel model, PriceTable prices, PipelineSpec spec, double rate) {
        CostModel.Monthly m = model.monthly(rate);
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("ratePerSecond", rate);
        row.put("streamingUsdPerMonth", CostModel.Monthly.total(m.streaming()));
        row.put("batchUsdPerMonth", CostModel.Monthly.total(m.batch()));
        row.put("bothUsdPerMonth", CostModel.Monthly.total(m.both()));
        row.put("streamingUsdPerMillionEvents", CostModel.round(CostModel.Monthly.total(m.streaming()) / m.eventsPerMonth() * 1e6));
        row.put("batchUsdPerMillionEvents", CostModel.round(CostModel.Monthly.total(m.batch()) / m.eventsPerMonth() * 1e6));
        row.put("shardsNeeded", model.shardsNeeded(rate));
        row.put("shardsDeployed", spec.stream().shardCount());
        row.put("lambdaConcurrency", model.lambdaConcurrency(rate));
        row.put("rollupMinutesPerRun", CostModel.round(model.rollupSecondsPerRun(rate) / 60));
        row.put("glueWorkersNeeded", model.glueWorkersNeeded(rate));
        List<String> reached = new ArrayList<>();
        for (Map<String, Object> limit : model.limits()) {
            if (((Number) limit.get("ratePerSecond")).doubleValue() <= rate) {
                reached.add((String) limit.get("limit"));
            }
        }
        row.put("limitsReached", reached);
        row.put("streaming", m.streaming());
        row.put("batch", m.batch());
        return row;
    }

    private static Map<String, Object> streamingUsage(RunFacts f, PipelineSpec spec) {
        Map<String, Object> u = new LinkedHashMap<>();
        u.put("kinesisRecords", figure(f.events(), "records", "measured", "records the stream accepted (PutRecords answers)"));
        u.put("kinesisBytes", figure(f.kinesisBytes(), "bytes", "measured", "data plus partition key"));
        u.put("kinesisBilledBytes", figure(f.kinesisBilledBytes(), "bytes", "measured sizes, published rounding",
                "each record rounded up to 1 KB (on-demand)"));
        u.put("kinesisPutPayloadUnits", figure(f.putPayloadUnits(), "units", "measured sizes, published rounding", "25 KB chunks (provisioned mode)"));
        u.put("lambdaInvocations", figure(f.streamInvocations(), "invocations", "measured locally", "by the local event source mapping"));
        double gbSeconds = f.streamBilledMs() / 1000.0 * spec.deployment().streamProcessorMemoryMb() / 1024.0;
        u.put("lambdaGbSeconds", figure(CostModel.round(gbSeconds), "GB-s", "measured time, memory setting",
                f.streamBilledMs() + " ms of handler time (each invocation rounded up to 1 ms) at " + spec.deployment().streamProcessorMemoryMb()
                        + " MB; on Graviton it will differ"));
        u.put("dynamoDbWriteUnits", figure(f.writeUnits(), "WRU", "measured locally", "ConsumedCapacity the local DynamoDB reported, "
                + "refused conditional writes at one unit each"));
        u.put("dynamoDbReadUnits", figure(f.readUnits(), "RRU", "measured locally", "ConsumedCapacity the local DynamoDB reported"));
        u.put("s3QuarantinePuts", figure(f.quarantinePuts(), "requests", "measured", "one object per quarantined record"));
        u.put("sqsRequests", figure(f.streamingSqsRequests(), "requests", "measured", "on-failure destination"));
        return u;
    }

    private static Map<String, Object> batchUsage(RunFacts f, CostModel model, PipelineSpec spec) {
        Map<String, Object> u = new LinkedHashMap<>();
        u.put("firehoseBilledBytes", figure(f.firehoseBilledBytes(), "bytes", "measured sizes, published rounding", "each record rounded up to 5 KB"));
        u.put("archiveObjects", figure(f.archiveObjects(), "objects", "measured locally", "the local archiver flushed at the end of the "
                + "run; Firehose writes one per " + spec.archive().bufferInterval().toSeconds() + " s"));
        u.put("loaderRuns", figure(f.loaderRuns(), "runs", "measured", "scheduled " + spec.schedules().loader() + ": "
                + Math.round(model.loaderRunsPerMonth()) + " a month"));
        u.put("loaderSeconds", figure(f.loaderMs() / 1000.0, "s", "measured locally", "PostgreSQL COPY; Redshift will differ"));
        u.put("loaderRows", figure(f.loaderRows(), "lines", "measured", "archive lines read"));
        u.put("loaderS3Requests", figure(f.loaderListRequests() + f.loaderGetRequests(), "requests", "measured",
                f.loaderListRequests() + " LIST, " + f.loaderGetRequests() + " GET"));
        u.put("rollupRuns", figure(f.rollupRuns(), "runs", "measured", "scheduled " + spec.schedules().rollup() + ": "
                + Math.round(model.rollupRunsPerMonth()) + " a month"));
        u.put("rollupSeconds", figure(f.rollupMs() / 1000.0, "s", "measured locally", "wall time of the rollup's own JVM (Spark local[2])"));
        u.put("rollupEvents", figure(f.rollupEvents(), "events", "measured", "events the rollup counted"));
        return u;
    }

    private static Map<String, Object> figure(double value, String unit, String basis, String note) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("value", value == Math.rint(value) && Math.abs(value) < 1e15 ? (Object) (long) value : (Object) value);
        m.put("unit", unit);
        m.put("basis", basis);
        m.put("note", note);
        return m;
    }

    public double streamingUsdPerMillion() {
        return CostModel.Monthly.total(CostModel.Monthly.perMillion(atRate.streaming(), atRate.eventsPerMonth()));
    }

    public double batchUsdPerMillion() {
        return CostModel.Monthly.total(CostModel.Monthly.perMillion(atRate.batch(), atRate.eventsPerMonth()));
    }

    /** The JSON shape of the issue: events, ratePerSecond, streaming, batch, prices, projection; and more. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("events", facts.events());
        m.put("ratePerSecond", ratePerSecond);
        m.put("measuredRatePerSecond", CostModel.round(facts.measuredRate()));
        Map<String, Object> streaming = path(streamingFreshness, atRate.streaming(), streamingUsage);
        Map<String, Object> batch = path(eventsFreshness, atRate.batch(), batchUsage);
        batch.put("summaryFreshnessMs", summaryFreshness.toMap());
        m.put("streaming", streaming);
        m.put("batch", batch);
        Map<String, Object> both = new LinkedHashMap<>();
        Map<String, Double> perMillion = CostModel.Monthly.perMillion(atRate.both(), atRate.eventsPerMonth());
        both.put("costPerMillionEventsUsd", CostModel.Monthly.total(perMillion));
        both.put("cost", perMillion);
        both.put("usdPerMonth", CostModel.Monthly.total(atRate.both()));
        both.put("note", "each path alone includes the stream; together it is paid once");
        m.put("both", both);
        m.put("prices", prices.toMap());
        m.put("projection", projection);
        m.put("costCurve", curve);
        m.put("limits", limits);
        m.put("operations", operations);
        m.put("notes", notes);
        m.put("run", run);
        m.put("facts", facts.toMap());
        m.put("meter", meter);
        return m;
    }

    private Map<String, Object> path(Freshness.Distribution freshness, Map<String, Double> monthly, Map<String, Object> usage) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("freshnessMs", freshness.toMap());
        Map<String, Double> perMillion = CostModel.Monthly.perMillion(monthly, atRate.eventsPerMonth());
        p.put("costPerMillionEventsUsd", CostModel.Monthly.total(perMillion));
        p.put("cost", perMillion);
        p.put("costBasis", "USD per million events in a month at the measured rate, by component; the components add up to the total");
        p.put("usdPerMonth", CostModel.Monthly.total(monthly));
        p.put("usage", usage);
        return p;
    }
}
