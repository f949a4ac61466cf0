package io.twinflow.benchmarks;

import io.twinflow.core.pipeline.PipelineSpec;
import io.twinflow.emulators.EmulatorClients;
import io.twinflow.local.demo.DemoRun;
import io.twinflow.local.runtime.BatchCut;
import io.twinflow.local.runtime.EmbeddedRuntime;
import io.twinflow.local.runtime.KinesisEventSourceMapping;
import io.twinflow.local.runtime.StreamRecord;
import io.twinflow.local.simulate.SimulationConfig;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * End-to-end freshness on the embedded local stack (kinesalite with the pipeline's 2 shards, the event
 * source mapping driver, the real handler, dynalite): a fleet sends at a sustained rate, and
 * every record's put -> visible latency is taken as {@code twinflow demo} takes it ({@link DemoRun}:
 * from just before PutRecords to the return of the handler invocation that wrote it, after which it
 * is readable). Then the exact account: every record sent is applied, a duplicate, quarantined or
 * reported failed, or it is counted as unaccounted.
 *
 * <p>The baseline is the mapping's own maximum batching window ({@code PipelineSpec.streamMapping()}),
 * the wait the configuration allows before a batch is invoked; the ratio says how much of the latency
 * is that wait.
 *
 * <p>Arguments: {@code [--rate N] [--seconds N] [--devices N]} (default 1,000 records/s, 60 s, 100).
 */
public final class Freshness {

    private Freshness() {
    }

    public static void main(String[] args) throws Exception {
        int rate = StreamCpu.intArg(args, "--rate", 1_000);
        int seconds = StreamCpu.intArg(args, "--seconds", 60);
        int devices = StreamCpu.intArg(args, "--devices", 100);
        // Other rates get their own file, so the figure at the 1,000 records/s stays.
        Results results = new Results(rate == 1_000 ? "freshness" : "freshness-" + rate + "rps");
        PipelineSpec spec = PipelineSpec.defaults();
        SimulationConfig config = new SimulationConfig(devices, rate, Duration.ofSeconds(seconds), 0.02, 0.01, 0.05, 1);
        Map<String, Object> figures = new LinkedHashMap<>();
        EmbeddedRuntime runtime = EmbeddedRuntime.start(spec, new PrintStream(OutputStream.nullOutputStream()));
        try (runtime;
             DynamoDbClient dynamoDb = EmulatorClients.configure(DynamoDbClient.builder(), uri(runtime.endpoints().dynamodb())).build();
             S3Client s3 = EmulatorClients.configure(S3Client.builder(), uri(runtime.endpoints().s3())).forcePathStyle(true).build();
             SqsClient sqs = EmulatorClients.configure(SqsClient.builder(), uri(runtime.endpoints().sqs())).build();
             KinesisClient kinesis = EmulatorClients.configure(KinesisClient.builder(), uri(runtime.endpoints().kinesis())).build()) {
            Stages stages = new Stages();
            runtime.mapping().addListener(stages);
            Gc gcBefore = Gc.now();
            Map<String, Object> report = DemoRun.run(runtime, dynamoDb, s3, sqs, kinesis, config,
                    (done, total, ledger) -> { }, Duration.ofMinutes(5), latencies -> { }, stages::sent);
            Gc gc = Gc.now().minus(gcBefore);
            double window = spec.streamMapping().maxBatchingWindow().toMillis();
            figures.put("targetRecordsPerSecond", rate);
            figures.put("seconds", seconds);
            figures.put("devices", devices);
            figures.put("shards", spec.stream().shardCount());
            figures.put("batchSize", spec.streamMapping().batchSize());
            figures.put("maxBatchingWindowMs", Math.round(window));
            figures.put("latencyMsP50", report.get("latencyMsP50"));
            figures.put("latencyMsP99", report.get("latencyMsP99"));
            figures.put("ratioP50ToBatchingWindow", Results.round(((Number) report.get("latencyMsP50")).doubleValue() / window, 2));
            figures.put("ratioP99ToBatchingWindow", Results.round(((Number) report.get("latencyMsP99")).doubleValue() / window, 2));
            figures.put("achievedRecordsPerSecond", report.get("recordsPerSecond"));
            figures.put("unaccounted", report.get("unaccounted"));
            figures.put("stagesMs", stages.breakdown());
            figures.put("batches", stages.batches(spec.streamMapping().batchSize()));
            figures.put("benchmarkJvmGc", Map.of("collections", gc.count(), "totalMs", gc.millis()));
            figures.put("demoReport", report);
        }
        results.write(Results.command("benchmarks/bench freshness"), figures, List.of(
                "Latency as twinflow demo measures it: PutRecords start -> return of the handler invocation that wrote the record "
                        + "(DynamoDB writes are synchronous, so the record is readable from then on).",
                "stagesMs splits each valid record's latency (first delivery; p50/p90/p99/max, ms): putToArrival = PutRecords start "
                        + "-> kinesalite's ApproximateArrivalTimestamp; arrivalToRead -> the mapping's GetRecords returned it (poll interval, "
                        + "GetRecords time, the shard's poller busy with the batch before); readToCut -> its batch closed (batch size or "
                        + "batching window counted from the batch's first record read); cutToVisible -> the invocation that wrote it returned "
                        + "(the handler's decode and DynamoDB writes, retries included). Stages of one record add up to its total; "
                        + "percentiles of stages do not add up to the total's. totalBy10sOfSending: the total by when records were sent "
                        + "(a start-up transient or a growing backlog shows there); batches.invocationMs: a batch's cut until its last record "
                        + "was written, and each shard's first batch, which also pays for what the JVM has not loaded or compiled yet.",
                "Mix: 2% producer duplicates, 1% bad records, 5% late events, as the demo's defaults.",
                "Physical limit in AWS: a shard takes 1,000 records/s or 1 MB/s of writes, so 2 shards cap the stream at 2,000 records/s; "
                        + "the local stack runs kinesalite, the handler and dynalite on the same 2 shared cores."));
        // A non-daemon pool of the embedded runtime outlives its close(); the figures are written, so end here.
        System.exit(0);
    }

    /**
     * Per-record timestamps from the mapping (read, cut, written) and the producer (sent), joined by eventID
     * {@code shardId:sequenceNumber} once the run is over.
     */
    private static final class Stages implements KinesisEventSourceMapping.Listener {
        private static final long SLICE_MS = 10_000;
        /** arrival, read, cut, visible: epoch ms, -1 until known. */
        private final Map<String, long[]> times = new ConcurrentHashMap<>();
        private final List<Integer> batchSizes = Collections.synchronizedList(new ArrayList<>());
        private final Map<String, Long> perShard = new ConcurrentHashMap<>();
        private volatile Map<String, Long> sentAt = Map.of();

        @Override
        public void batchCut(BatchCut cut) {
            batchSizes.add(cut.records().size());
            perShard.merge(cut.shardId(), (long) cut.records().size(), Long::sum);
            long cutAt = cut.cutAt().toEpochMilli();
            for (int i = 0; i < cut.records().size(); i++) {
                StreamRecord r = cut.records().get(i);
                times.putIfAbsent(r.eventId(), new long[] {r.approximateArrival().toEpochMilli(), cut.readAt().get(i).toEpochMilli(),
                    cutAt, -1});
            }
        }

        @Override
        public void succeeded(List<StreamRecord> records, Instant completedAt) {
            long done = completedAt.toEpochMilli();
            for (StreamRecord r : records) {
                long[] t = times.get(r.eventId());
                if (t != null && t[3] < 0) {
                    t[3] = done;
                }
            }
        }

        void sent(Map<String, Long> sentAtMillis) {
            this.sentAt = sentAtMillis;
        }

        Map<String, Object> breakdown() {
            String[] names = {"putToArrival", "arrivalToRead", "readToCut", "cutToVisible", "total"};
            List<List<Long>> stages = new ArrayList<>();
            for (int i = 0; i < names.length; i++) {
                stages.add(new ArrayList<>());
            }
            long firstSent = sentAt.values().stream().mapToLong(Long::longValue).min().orElse(0);
            Map<Long, List<Long>> bySlice = new TreeMap<>();
            sentAt.forEach((eventId, sent) -> {
                long[] t = times.get(eventId);
                if (t == null || t[3] < 0) {
                    return;
                }
                long[] points = {sent, t[0], t[1], t[2], t[3]};
                for (int i = 0; i < 4; i++) {
                    stages.get(i).add(points[i + 1] - points[i]);
                }
                stages.get(4).add(t[3] - sent);
                bySlice.computeIfAbsent((sent - firstSent) / SLICE_MS, k -> new ArrayList<>()).add(t[3] - sent);
            });
            Map<String, Object> out = new LinkedHashMap<>();
            for (int i = 0; i < names.length; i++) {
                List<Long> sorted = stages.get(i);
                sorted.sort(null);
                out.put(names[i], Map.of("p50", DemoRun.percentile(sorted, 0.50), "p90", DemoRun.percentile(sorted, 0.90),
                        "p99", DemoRun.percentile(sorted, 0.99), "max", DemoRun.percentile(sorted, 1.0)));
            }
            out.put("records", stages.get(4).size());
            // Whether the latency is steady or a start-up transient (cold JIT, first SDK calls) or a growing backlog.
            List<String> slices = new ArrayList<>();
            bySlice.forEach((slice, latencies) -> {
                latencies.sort(null);
                slices.add(slice * SLICE_MS / 1000 + "s: p50 " + DemoRun.percentile(latencies, 0.50) + ", p99 "
                        + DemoRun.percentile(latencies, 0.99));
            });
            out.put("totalBy10sOfSending", slices);
            return out;
        }

        Map<String, Object> batches(int batchSize) {
            List<Long> sizes;
            synchronized (batchSizes) {
                sizes = new ArrayList<>(batchSizes.stream().map(Integer::longValue).toList());
            }
            sizes.sort(null);
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("count", sizes.size());
            out.put("full", sizes.stream().filter(n -> n >= batchSize).count());
            out.put("sizeP50", DemoRun.percentile(sizes, 0.50));
            out.put("recordsPerShard", new TreeMap<>(perShard));
            // Each batch's first invocation until its last record was written, by shard and cut time; the first batch
            // of each shard also pays for whatever the handler has not loaded or compiled yet.
            Map<String, Map<Long, Long>> invocations = new TreeMap<>();
            times.forEach((eventId, t) -> {
                if (t[3] >= 0) {
                    invocations.computeIfAbsent(eventId.substring(0, eventId.indexOf(':')), k -> new TreeMap<>())
                            .merge(t[2], t[3] - t[2], Math::max);
                }
            });
            List<Long> durations = new ArrayList<>();
            List<Long> firsts = new ArrayList<>();
            invocations.values().forEach(byCut -> {
                durations.addAll(byCut.values());
                firsts.add(byCut.values().iterator().next());
            });
            durations.sort(null);
            out.put("invocationMs", Map.of("p50", DemoRun.percentile(durations, 0.50), "p90", DemoRun.percentile(durations, 0.90),
                    "p99", DemoRun.percentile(durations, 0.99), "max", DemoRun.percentile(durations, 1.0), "firstPerShard", firsts));
            return out;
        }
    }

    /** The benchmark JVM's garbage collections so far (the runtime, handler and producer all run in it). */
    private record Gc(long count, long millis) {
        static Gc now() {
            long count = 0;
            long millis = 0;
            for (GarbageCollectorMXBean bean : ManagementFactory.getGarbageCollectorMXBeans()) {
                count += Math.max(0, bean.getCollectionCount());
                millis += Math.max(0, bean.getCollectionTime());
            }
            return new Gc(count, millis);
        }

        Gc minus(Gc before) {
            return new Gc(count - before.count, millis - before.millis);
        }
    }

    private static URI uri(String endpoint) {
        return URI.create(endpoint);
    }
}
