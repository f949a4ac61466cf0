package io.twinflow.local.tradeoff;

import io.twinflow.core.pipeline.PipelineSpec;
import io.twinflow.local.demo.DemoRun;
import io.twinflow.local.schedule.CronExpression;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Put → readable, per path. Streaming: measured, event by event. Batch: what the deployed settings imply
 * for an event put at any moment of a week (sampled every minute), plus the job time this run measured.
 * An event waits for Firehose's buffers (counted in full: the framer's interval, then the bucket's), then
 * for the next scheduled loader run (events table) or for the first rollup run that covers its day
 * (daily summaries), then for that job.
 */
public final class Freshness {

    private static final Instant WEEK = Instant.parse("2026-01-05T00:00:00Z");
    private static final Duration STEP = Duration.ofMinutes(1);

    /** A distribution in milliseconds, with what it is made of. */
    public record Distribution(List<Long> sortedMs, List<Map<String, Object>> parts) {

        public Distribution {
            sortedMs = List.copyOf(sortedMs);
            parts = List.copyOf(parts);
        }

        public long p50() {
            return DemoRun.percentile(sortedMs, 0.50);
        }

        public long p99() {
            return DemoRun.percentile(sortedMs, 0.99);
        }

        public Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("p50", p50());
            m.put("p99", p99());
            m.put("samples", sortedMs.size());
            m.put("parts", parts);
            return m;
        }
    }

    private Freshness() {
    }

    /** The measured put → visible latencies of the streaming path. */
    public static Distribution streaming(List<Long> latenciesMs) {
        List<Long> sorted = new ArrayList<>(latenciesMs);
        sorted.sort(null);
        return new Distribution(sorted, List.of(part("put → handler returned (DynamoDB written)", "measured",
                "on this machine: emulators, one JVM; includes the 1 s batching window")));
    }

    /** Put → in the warehouse's {@code events} table. */
    public static Distribution eventsTable(PipelineSpec spec, long loaderMs) {
        CronExpression loader = CronExpression.parse(spec.schedules().loader());
        Duration buffering = buffering(spec);
        List<Long> samples = new ArrayList<>();
        for (Instant t = WEEK; t.isBefore(WEEK.plus(Duration.ofDays(7))); t = t.plus(STEP)) {
            Instant fire = loader.next(t.plus(buffering).minusMillis(1)).orElseThrow();
            samples.add(Duration.between(t, fire).toMillis() + loaderMs);
        }
        samples.sort(null);
        return new Distribution(samples, List.of(
                bufferPart(spec),
                part("wait for the loader's schedule " + spec.schedules().loader(), "setting", "an event put at any minute of a week"),
                part("loader run: " + loaderMs + " ms", "measured locally", "COPY FROM STDIN into PostgreSQL; in AWS a Redshift COPY "
                        + "through the Data API, which adds its statement latency")));
    }

    /** Put → in the daily summaries. */
    public static Distribution dailySummaries(PipelineSpec spec, long rollupMs) {
        CronExpression rollup = CronExpression.parse(spec.schedules().rollup());
        Duration buffering = buffering(spec);
        List<Long> samples = new ArrayList<>();
        for (Instant t = WEEK; t.isBefore(WEEK.plus(Duration.ofDays(7))); t = t.plus(STEP)) {
            LocalDate day = t.atZone(ZoneOffset.UTC).toLocalDate();
            Instant fire = rollup.next(t.plus(buffering).minusMillis(1)).orElseThrow();
            while (spec.schedules().rollupDay(fire).isBefore(day)) {
                fire = rollup.next(fire).orElseThrow();
            }
            samples.add(Duration.between(t, fire).toMillis() + rollupMs);
        }
        samples.sort(null);
        return new Distribution(samples, List.of(
                bufferPart(spec),
                part("wait for the rollup's schedule " + spec.schedules().rollup() + " (the day after, past "
                        + spec.schedules().rollupLateness().toHours() + " h of lateness)", "setting", "an event put at any minute of a week"),
                part("rollup run: " + rollupMs + " ms", "measured locally", "Spark local[2] in its own JVM; Glue adds its start-up "
                        + "and runs on " + spec.deployment().glueWorkers() + " " + spec.deployment().glueWorkerType() + " workers")));
    }

    /** Firehose's two buffers, each counted in full: the framer's interval, then the bucket's. */
    static Duration buffering(PipelineSpec spec) {
        return spec.deployment().framerBufferInterval().plus(spec.archive().bufferInterval());
    }

    private static Map<String, Object> bufferPart(PipelineSpec spec) {
        return part("Firehose buffering: " + spec.deployment().framerBufferInterval().toSeconds() + " s (framer) + "
                + spec.archive().bufferInterval().toSeconds() + " s (bucket)", "setting", "counted in full; less when a buffer fills first");
    }

    private static Map<String, Object> part(String what, String basis, String note) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("what", what);
        m.put("basis", basis);
        m.put("note", note);
        return m;
    }
}
