package io.twinflow.local.status;

import static org.assertj.core.api.Assertions.assertThat;

import io.twinflow.aws.SdkCall;
import io.twinflow.aws.SdkCallHook;
import io.twinflow.aws.SdkClients;
import io.twinflow.core.pipeline.PipelineSpec;
import io.twinflow.live.reconcile.ReconcileReport;
import io.twinflow.local.config.ServiceClients;
import io.twinflow.local.runtime.EmbeddedRuntime;
import io.twinflow.warehouse.RawObject;
import io.twinflow.warehouse.Warehouse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.GetMetricDataRequest;
import software.amazon.awssdk.services.cloudwatch.model.MetricDataQuery;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * {@code twinflow status --target aws}'s reader against stand-ins for every service it asks: the embedded stack's
 * Kinesis, SQS, S3 and warehouse play the deployed ones (the reader knows no difference: it resolves names as in AWS),
 * and a fake CloudWatch answers GetMetricData in its real protocol. The report is exactly what was set up, and no call
 * of the JVM (the reader's or the running stack's) is a DynamoDB Scan.
 */
class AwsStatusReaderIT {

    private static final Instant NOW = Instant.parse("2026-11-28T12:34:56Z");
    private static final String RECENT_LOADED = "raw/dt=2026-11-28/hour=12/a.json.gz";
    private static final String RECENT_UNLOADED = "raw/dt=2026-11-28/hour=00/b.json.gz";
    /** In the hour of the window's start (12:34 the day before): listed. */
    private static final String FIRST_HOUR = "raw/dt=2026-11-27/hour=12/c.json.gz";
    /** An hour before the window: not listed, so not counted, although not loaded. */
    private static final String TOO_OLD = "raw/dt=2026-11-27/hour=11/d.json.gz";

    private static EmbeddedRuntime runtime;
    private static FakeCloudWatch cloudWatchServer;

    @BeforeAll
    static void start() throws IOException {
        runtime = EmbeddedRuntime.start(PipelineSpec.defaults(), new PrintStream(OutputStream.nullOutputStream()));
        cloudWatchServer = new FakeCloudWatch();
    }

    @AfterAll
    static void stop() {
        if (cloudWatchServer != null) {
            cloudWatchServer.close();
        }
        if (runtime != null) {
            runtime.close();
        }
    }

    @Test
    void everyFigureComesFromMetricsAttributesListingsAndTheWarehouseAndNoTableIsScanned() {
        PipelineSpec spec = runtime.spec();
        ServiceClients clients = ServiceClients.local(runtime.endpoints());
        Warehouse warehouse = runtime.batch().warehouse();
        List<SdkCall> calls = new CopyOnWriteArrayList<>();
        List<SdkCall> readerCalls = new CopyOnWriteArrayList<>();
        Thread reader = Thread.currentThread();
        StackStatus status;
        try (KinesisClient kinesis = clients.kinesis(); SqsClient sqs = clients.sqs(); S3Client s3 = clients.s3();
             CloudWatchClient cloudWatch = SdkClients.setup(Region.US_EAST_1, SdkClients.LOCAL_CREDENTIALS)
                     .endpoint(cloudWatchServer.endpoint()).build(CloudWatchClient.builder())) {
            for (String key : List.of(RECENT_LOADED, RECENT_UNLOADED, FIRST_HOUR, TOO_OLD)) {
                s3.putObject(b -> b.bucket(spec.buckets().raw()).key(key), RequestBody.fromBytes(gzip(
                        event(key + "-1", "2026-11-28T12:00:01Z") + "\n" + event(key + "-2", "2026-11-28T12:00:02Z") + "\n")));
            }
            assertThat(warehouse.load(new RawObject(spec.buckets().raw(), RECENT_LOADED)).rowsLoaded()).isEqualTo(2);
            String queueUrl = sqs.getQueueUrl(b -> b.queueName(spec.queues().streamFailures())).queueUrl();
            for (int i = 0; i < 2; i++) {
                sqs.sendMessage(b -> b.queueUrl(queueUrl).messageBody("{\"requestContext\":{}}"));
            }
            ReconcileLog.record(warehouse, spec, new ReconcileReport(LocalDate.parse("2026-11-27"), 3, 40, 1e-9, List.of(), false),
                    Instant.parse("2026-11-28T06:00:00Z"));
            Instant minute = NOW.minusSeconds(56);
            answer("records", List.of(minute.minusSeconds(3600), minute.minusSeconds(7200)), 6.0, 4.0);
            answer("batches", List.of(minute.minusSeconds(3600), minute.minusSeconds(7200)), 3.0, 1.0);
            answer("applied", List.of(minute.minusSeconds(3600), minute.minusSeconds(7200)), 4.0, 2.0);
            answer("duplicates", List.of(minute.minusSeconds(3600)), 1.0);
            answer("quarantined", List.of(minute.minusSeconds(3600)), 3.0);
            answer("quarantined_INVALID_JSON", List.of(minute.minusSeconds(3600)), 2.0);
            answer("quarantined_MISSING_FIELD", List.of(minute.minusSeconds(3600)), 1.0);
            answer("failed", List.of(minute.minusSeconds(3600)), 0.0);
            // The newest age is a minute old; one from two hours ago (an idle function publishes none) is not "now".
            answer(AwsStatusReader.ITERATOR_AGE_ID, List.of(minute.minusSeconds(60), minute.minusSeconds(7200)), 1500.0, 99_999.0);

            // The hook reports on the calling thread: the calls made on this one are the reader's, the others the running stack's.
            try (SdkCallHook.Registration ignored = SdkCallHook.register(call -> {
                calls.add(call);
                if (Thread.currentThread() == reader) {
                    readerCalls.add(call);
                }
            })) {
                status = new AwsStatusReader(spec, spec.buckets().raw(), kinesis, cloudWatch, sqs, s3, warehouse,
                        Clock.fixed(NOW, ZoneOffset.UTC)).read();
            }
        }

        Map<String, Object> batches = new LinkedHashMap<>();
        batches.put("batches", 4L);
        batches.put("records", 10L);
        batches.put("applied", 6L);
        batches.put("duplicates", 1L);
        batches.put("quarantined", 3L);
        batches.put("quarantinedByReason", Map.of("INVALID_JSON", 2L, "MISSING_FIELD", 1L));
        batches.put("failed", 0L);
        batches.put("since", "2026-11-27T12:34:00Z");
        assertThat(status.loader().lastLoadAt()).isNotNull();
        assertThat(status).isEqualTo(new StackStatus(
                new StackStatus.Stream(spec.stream().name(), List.of(
                        new StackStatus.Shard("shardId-000000000000", null, null, false, null),
                        new StackStatus.Shard("shardId-000000000001", null, null, false, null)), 1500L),
                batches,
                new StackStatus.OnFailure(spec.queues().streamFailures(), 2, 0),
                new StackStatus.Archive(3, 2, FIRST_HOUR, "raw/dt=2026-11-27/hour=12/"),
                new StackStatus.Loader(status.loader().lastLoadAt(), RECENT_LOADED, "LOADED", null, 1, 0, 2, 2, 0, 0),
                new StackStatus.Rollup(null, null, List.of("2026-11-28")),
                new StackStatus.Reconcile("2026-11-28 06:00:00+00", "2026-11-27", "clean", 0L)));

        assertThat(calls).noneMatch(call -> call.service().equals("DynamoDb") && call.operation().equals("Scan"));
        assertThat(readerCalls).extracting(SdkCall::service).as("the reader asks DynamoDB nothing").doesNotContain("DynamoDb");
        GetMetricDataRequest asked = readerCalls.stream().filter(call -> call.operation().equals("GetMetricData"))
                .map(call -> (GetMetricDataRequest) call.request()).findFirst().orElseThrow();
        assertThat(asked.startTime()).isEqualTo(Instant.parse("2026-11-27T12:34:00Z"));
        assertThat(asked.endTime()).isEqualTo(Instant.parse("2026-11-28T12:34:00Z"));
        MetricDataQuery applied = asked.metricDataQueries().stream().filter(q -> q.id().equals("applied")).findFirst().orElseThrow();
        assertThat(applied.metricStat().metric().namespace()).isEqualTo("Twinflow");
        // This stack's metric, every source added up: not the account-wide function=stream-processor.
        assertThat(applied.metricStat().metric().dimensions()).extracting(d -> d.name() + "=" + d.value())
                .containsExactly("stack=" + spec.prefix(), "function=stream-processor");
        assertThat(applied.metricStat().stat()).isEqualTo("Sum");
        MetricDataQuery age = asked.metricDataQueries().stream().filter(q -> q.id().equals(AwsStatusReader.ITERATOR_AGE_ID)).findFirst().orElseThrow();
        assertThat(age.metricStat().metric().namespace() + "/" + age.metricStat().metric().metricName()).isEqualTo("AWS/Lambda/IteratorAge");
        assertThat(age.metricStat().metric().dimensions()).singleElement()
                .satisfies(d -> assertThat(d.value()).isEqualTo(spec.functions().streamProcessor()));
        assertThat(cloudWatchServer.paths()).containsExactly("/service/GraniteServiceVersion20100801/operation/GetMetricData");
        assertThat(readerCalls).extracting(call -> call.service() + ":" + call.operation())
                .contains("CloudWatch:GetMetricData", "Kinesis:ListShards", "Sqs:GetQueueAttributes", "S3:ListObjectsV2");
    }

    private static void answer(String id, List<Instant> timestamps, Double... values) {
        cloudWatchServer.answer(id, new FakeCloudWatch.Points(timestamps, List.of(values)));
    }

    private static String event(String id, String ts) {
        return "{\"schemaVersion\":1,\"eventId\":\"" + id + "\",\"deviceId\":\"status-aws\",\"ts\":\"" + ts + "\",\"metrics\":{\"t\":1}}";
    }

    private static byte[] gzip(String text) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(bytes)) {
            out.write(text.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return bytes.toByteArray();
    }
}
