package io.twinflow.local.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.twinflow.core.pipeline.PipelineSpec;
import io.twinflow.live.LiveStateReader;
import io.twinflow.local.runtime.EmbeddedRuntime;
import io.twinflow.local.runtime.EventSourceMapping;
import io.twinflow.local.runtime.KinesisEventSourceMapping;
import io.twinflow.local.runtime.StreamArchiver;
import io.twinflow.local.runtime.StreamRecord;
import io.twinflow.local.runtime.StreamSource;
import io.twinflow.local.simulate.FleetSimulator;
import io.twinflow.local.simulate.KafkaPublisher;
import io.twinflow.local.simulate.KinesisPublisher;
import io.twinflow.local.simulate.PlannedRecord;
import io.twinflow.local.simulate.RecordPublisher;
import io.twinflow.local.simulate.SendLedger;
import io.twinflow.local.simulate.SimulationConfig;
import io.twinflow.local.simulate.TelemetryGenerator;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.zip.GZIPInputStream;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * Feeds a running {@link EmbeddedRuntime} with a simulated fleet, waits until the event source mapping
 * has settled every record, and then counts what the pipeline did from its outputs — DynamoDB window
 * counts, quarantine objects, on-failure messages, archive lines — against what the stream accepted.
 *
 * <p>Latency is put → visible: from just before the PutRecords call to the moment the handler
 * invocation that held the record returned (the handler writes DynamoDB synchronously, so its data
 * is readable from then on).
 */
public final class DemoRun {

    private static final ObjectMapper JSON = new ObjectMapper();

    private DemoRun() {
    }

    public static Map<String, Object> run(EmbeddedRuntime runtime, DynamoDbClient dynamoDb, S3Client s3, SqsClient sqs,
                                          KinesisClient kinesis, SimulationConfig config, FleetSimulator.Progress progress,
                                          Duration drainTimeout) throws InterruptedException {
        return run(runtime, dynamoDb, s3, sqs, kinesis, config, progress, drainTimeout, latencies -> { });
    }

    /** {@link #run} that also hands every valid record's put → visible latency (ms, sorted) to {@code latencySink}. */
    public static Map<String, Object> run(EmbeddedRuntime runtime, DynamoDbClient dynamoDb, S3Client s3, SqsClient sqs,
                                          KinesisClient kinesis, SimulationConfig config, FleetSimulator.Progress progress,
                                          Duration drainTimeout, Consumer<List<Long>> latencySink) throws InterruptedException {
        return run(runtime, dynamoDb, s3, sqs, kinesis, config, progress, drainTimeout, latencySink, sentAt -> { });
    }

    /**
     * {@link #run} that also hands when each valid record's PutRecords started (epoch ms, by its eventID
     * {@code shardId:sequenceNumber}) to {@code sentAtSink}, so a caller can split the latency into stages.
     */
    public static Map<String, Object> run(EmbeddedRuntime runtime, DynamoDbClient dynamoDb, S3Client s3, SqsClient sqs,
                                          KinesisClient kinesis, SimulationConfig config, FleetSimulator.Progress progress,
                                          Duration drainTimeout, Consumer<List<Long>> latencySink,
                                          Consumer<Map<String, Long>> sentAtSink) throws InterruptedException {
        PipelineSpec spec = runtime.spec();
        Map<String, Long> sentAtMillis = new ConcurrentHashMap<>();
        Map<String, Long> visibleAtMillis = new ConcurrentHashMap<>();
        // A stack on Kafka is fed through Kafka; one on Kinesis, or on both, through Kinesis.
        boolean kafka = runtime.source() == StreamSource.KAFKA;
        EventSourceMapping mapping = kafka ? runtime.kafkaMapping() : runtime.mapping();
        StreamArchiver archiver = kafka ? runtime.kafkaArchiver() : runtime.archiver();
        mapping.addListener(new KinesisEventSourceMapping.Listener() {
            @Override
            public void succeeded(List<StreamRecord> records, Instant completedAt) {
                for (StreamRecord r : records) {
                    visibleAtMillis.putIfAbsent(r.eventId(), completedAt.toEpochMilli());
                }
            }
        });
        Instant begin = Instant.now();
        long t0 = System.nanoTime();
        RecordPublisher publisher = kafka ? new KafkaPublisher(runtime.kafka().bootstrapServers(), spec.stream().name())
                : new KinesisPublisher(kinesis, spec.stream().name());
        SendLedger ledger;
        try {
            ledger = new FleetSimulator(config).run(publisher, (record, ack, sentAt) -> {
                if (record.kind() == PlannedRecord.Kind.VALID) {
                    sentAtMillis.put(ack.shardId() + ":" + ack.sequenceNumber(), sentAt.toEpochMilli());
                }
            }, progress);
        } finally {
            if (publisher instanceof KafkaPublisher producer) {
                producer.close();
            }
        }
        double simulateS = (System.nanoTime() - t0) / 1e9;

        boolean drained = awaitDrained(mapping, ledger.sent(), drainTimeout);
        // The archiver reads the stream on its own and may trail the mapping: stopping it early would leave
        // records out of the archive, so it is stopped once it has read them all, then flushes now rather than
        // at the next interval.
        awaitRead(archiver, ledger.sent(), drainTimeout);
        archiver.close();

        long applied = applied(dynamoDb, spec, config.devices(), begin);
        long alerts = alerts(dynamoDb, spec, config.devices(), begin);
        long quarantined = count(s3, spec.buckets().quarantine(), spec.buckets().quarantinePrefix());
        long failed = failedRecords(sqs, runtime.queueUrl(spec.queues().streamFailures()));
        long archived = archivedLines(s3, spec.buckets().raw(), spec.buckets().rawPrefix());
        long unaccounted = ledger.sent() - applied - ledger.duplicates() - quarantined - failed;

        List<Long> latencies = new ArrayList<>(sentAtMillis.size());
        sentAtMillis.forEach((key, sent) -> {
            Long visible = visibleAtMillis.get(key);
            if (visible != null) {
                latencies.add(Math.max(0, visible - sent));
            }
        });
        latencies.sort(null);
        latencySink.accept(List.copyOf(latencies));
        sentAtSink.accept(Map.copyOf(sentAtMillis));

        Map<String, Object> report = new LinkedHashMap<>();
        report.put("sent", ledger.sent());
        report.put("applied", applied);
        report.put("duplicates", ledger.duplicates());
        report.put("quarantined", quarantined);
        report.put("failed", failed);
        report.put("unaccounted", unaccounted);
        report.put("latencyMsP50", percentile(latencies, 0.50));
        report.put("latencyMsP99", percentile(latencies, 0.99));
        report.put("durationS", round((System.nanoTime() - t0) / 1e9));
        report.put("expectedApplied", ledger.uniqueValid());
        report.put("expectedQuarantined", ledger.badTotal());
        report.put("badByReason", ledger.toMap().get("badByReason"));
        report.put("late", ledger.late());
        report.put("anomalies", ledger.anomalies());
        report.put("alerts", alerts);
        report.put("archived", archived);
        report.put("devices", config.devices());
        report.put("simulateS", round(simulateS));
        report.put("recordsPerSecond", Math.round(ledger.sent() / Math.max(0.001, simulateS)));
        report.put("drained", drained);
        report.put("source", kafka ? StreamSource.KAFKA.cliName() : StreamSource.KINESIS.cliName());
        KinesisEventSourceMapping.Stats stats = mapping.stats();
        report.put("invocations", stats.invocations());
        report.put("retries", stats.retries());
        return report;
    }

    private static boolean awaitDrained(EventSourceMapping mapping, long sent, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            KinesisEventSourceMapping.Stats s = mapping.stats();
            if (s.recordsRead() >= sent && s.inFlight() == 0) {
                return true;
            }
            Thread.sleep(50);
        }
        return false;
    }

    private static void awaitRead(StreamArchiver archiver, long sent, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (archiver.recordsRead() < sent && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
    }

    /** Sum of the window counts of every simulated device: each applied event is in exactly one window. */
    private static long applied(DynamoDbClient dynamoDb, PipelineSpec spec, int devices, Instant begin) {
        LiveStateReader reader = new LiveStateReader(dynamoDb, spec.tables().deviceState(), spec.tables().deviceWindows(), spec.tables().alerts());
        Instant from = begin.minus(Duration.ofHours(1)); // late events are at most 10 minutes old
        Instant to = Instant.now().plus(Duration.ofHours(1));
        long total = 0;
        for (int i = 0; i < devices; i++) {
            for (LiveStateReader.WindowSummary w : reader.windows(TelemetryGenerator.deviceId(i), from, to)) {
                total += w.count();
            }
        }
        return total;
    }

    private static long alerts(DynamoDbClient dynamoDb, PipelineSpec spec, int devices, Instant begin) {
        LiveStateReader reader = new LiveStateReader(dynamoDb, spec.tables().deviceState(), spec.tables().deviceWindows(), spec.tables().alerts());
        long total = 0;
        for (int i = 0; i < devices; i++) {
            total += reader.alerts(TelemetryGenerator.deviceId(i), begin.minus(Duration.ofHours(1)), Instant.now().plus(Duration.ofHours(1))).size();
        }
        return total;
    }

    private static List<S3Object> list(S3Client s3, String bucket, String prefix) {
        List<S3Object> objects = new ArrayList<>();
        s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix)).contents().forEach(objects::add);
        return objects;
    }

    private static long count(S3Client s3, String bucket, String prefix) {
        return list(s3, bucket, prefix).size();
    }

    private static long archivedLines(S3Client s3, String bucket, String prefix) {
        long lines = 0;
        for (S3Object o : list(s3, bucket, prefix)) {
            byte[] body = s3.getObjectAsBytes(b -> b.bucket(bucket).key(o.key())).asByteArray();
            try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(body))) {
                for (byte b : in.readAllBytes()) {
                    if (b == '\n') {
                        lines++;
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return lines;
    }

    /** Records described by on-failure messages (each names a contiguous range and its size). */
    private static long failedRecords(SqsClient sqs, String queueUrl) {
        long records = 0;
        while (true) {
            List<Message> messages = sqs.receiveMessage(b -> b.queueUrl(queueUrl).maxNumberOfMessages(10)
                    .visibilityTimeout(120).waitTimeSeconds(0)).messages();
            if (messages.isEmpty()) {
                return records;
            }
            for (Message m : messages) {
                try {
                    JsonNode body = JSON.readTree(m.body());
                    records += body.path("KinesisBatchInfo").path("batchSize").asLong()
                            + body.path("KafkaBatchInfo").path("batchSize").asLong();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
    }

    /** The value at or below which a share {@code p} of {@code sorted} lies; -1 for none. */
    public static long percentile(List<Long> sorted, double p) {
        if (sorted.isEmpty()) {
            return -1;
        }
        int index = (int) Math.ceil(p * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
    }

    private static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }
}
