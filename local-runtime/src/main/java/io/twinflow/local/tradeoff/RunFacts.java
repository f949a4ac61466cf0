package io.twinflow.local.tradeoff;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What one run measured, the input of {@link CostModel}: counted by {@link UsageMeter} and the local event
 * source mapping, timed on this machine. Byte and unit counts are already in AWS's billing units (each
 * record rounded up as the price table's limits say).
 *
 * @param events records the stream accepted
 * @param sendSeconds how long the fleet sent them (the measured rate is {@code events / sendSeconds})
 * @param kinesisBytes the accepted records' sizes (data plus partition key)
 * @param kinesisBilledBytes the same, each rounded up to on-demand's 1 KB
 * @param putPayloadUnits the same in 25 KB PUT payload units (provisioned mode)
 * @param firehoseBilledBytes the same, each rounded up to Firehose's 5 KB
 * @param streamInvocations stream-processor invocations
 * @param streamBilledMs their handler time, each rounded up to the millisecond
 * @param writeUnits DynamoDB write units the live tables reported, refused conditional writes included at one each
 * @param readUnits DynamoDB read units the live tables reported
 * @param quarantinePuts objects written to the quarantine bucket
 * @param streamingSqsRequests requests to the stream's on-failure queue
 * @param archiveObjects objects written to the raw bucket
 * @param loaderRuns loader runs; {@code loaderMs} their time; {@code loaderRows} archive lines they read
 * @param loaderListRequests and {@code loaderGetRequests}: the loader's S3 requests
 * @param rollupRuns rollup runs; {@code rollupMs} their wall time (its own JVM, Spark's start included); {@code rollupJobMs}
 *     the part the job itself timed once Spark was up; {@code rollupEvents} events rolled up
 */
public record RunFacts(long events, double sendSeconds, long kinesisBytes, long kinesisBilledBytes, long putPayloadUnits,
                       long firehoseBilledBytes, long streamInvocations, long streamBilledMs, double writeUnits,
                       double readUnits, long quarantinePuts, long streamingSqsRequests, long archiveObjects,
                       long loaderRuns, long loaderMs, long loaderRows, long loaderListRequests, long loaderGetRequests,
                       long rollupRuns, long rollupMs, long rollupJobMs, long rollupEvents) {

    public RunFacts {
        if (events <= 0 || sendSeconds <= 0) {
            throw new IllegalArgumentException("a run must have sent events over some time, got " + events + " in " + sendSeconds + " s");
        }
    }

    /** Events per second the stream accepted. */
    public double measuredRate() {
        return events / sendSeconds;
    }

    /** {@code total} per accepted event. */
    double perEvent(double total) {
        return total / events;
    }

    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("events", events);
        m.put("sendSeconds", sendSeconds);
        m.put("kinesisBytes", kinesisBytes);
        m.put("kinesisBilledBytes", kinesisBilledBytes);
        m.put("putPayloadUnits", putPayloadUnits);
        m.put("firehoseBilledBytes", firehoseBilledBytes);
        m.put("streamInvocations", streamInvocations);
        m.put("streamBilledMs", streamBilledMs);
        m.put("writeUnits", writeUnits);
        m.put("readUnits", readUnits);
        m.put("quarantinePuts", quarantinePuts);
        m.put("streamingSqsRequests", streamingSqsRequests);
        m.put("archiveObjects", archiveObjects);
        m.put("loaderRuns", loaderRuns);
        m.put("loaderMs", loaderMs);
        m.put("loaderRows", loaderRows);
        m.put("loaderListRequests", loaderListRequests);
        m.put("loaderGetRequests", loaderGetRequests);
        m.put("rollupRuns", rollupRuns);
        m.put("rollupMs", rollupMs);
        m.put("rollupJobMs", rollupJobMs);
        m.put("rollupEvents", rollupEvents);
        return m;
    }
}
