package io.twinflow.cli.command;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.twinflow.core.archive.ArchiveLine;
import io.twinflow.core.pipeline.PipelineSpec;
import io.twinflow.functions.FunctionSettings;
import io.twinflow.functions.stream.StreamProcessorHandler;
import io.twinflow.local.config.ServiceClients;
import io.twinflow.local.replay.ArchiveReplay;
import io.twinflow.local.replay.OnFailureMessage;
import io.twinflow.local.replay.OnFailureReplay;
import io.twinflow.local.runtime.EmbeddedRuntime;
import io.twinflow.local.runtime.KinesisEventSourceMapping;
import io.twinflow.local.runtime.KinesisEvents;
import io.twinflow.local.runtime.KinesisShardReader;
import io.twinflow.local.runtime.OnFailureRecord;
import io.twinflow.local.runtime.ShardReader;
import io.twinflow.local.runtime.SqsFailureDestination;
import io.twinflow.local.runtime.StreamRecord;
import io.twinflow.resources.PipelineResources;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * `twinflow replay --on-failure` on the embedded stack. The stack's own event source mapping is stopped; in its place
 * the test runs the same mapping over the same stream with a transient fault injected in front of the stream processor
 * for one device's records, with one retry, so the mapping gives those records up and sends their ranges to the
 * on-failure queue. What the re-drive leaves in the live tables is compared with a run of the same stream records,
 * without the fault, through the same handler into a second set of tables (prefix {@code control}).
 */
class ReplayOnFailureIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int HEALTHY_DEVICES = 3;
    private static final int EVENTS_PER_DEVICE = 6;
    /** The device of the batch re-driven from the archive. */
    private static final String ARCHIVED_DEVICE = "archived-1";

    private static EmbeddedRuntime runtime;
    private static PipelineSpec spec;
    private static ServiceClients clients;
    private static String queueUrl;
    private static OnFailureQueueProbe queue;
    private static Instant minute;
    /** What the faulty mapping sent to the on-failure queue. */
    private static final List<String> onFailureBodies = new CopyOnWriteArrayList<>();
    private static KinesisEventSourceMapping.Stats faultyRun;

    @TempDir
    static Path dir;

    @BeforeAll
    static void streamWithAFaultUntilTheMappingGivesUp() throws Exception {
        System.setProperty("aws.cborEnabled", "false");
        runtime = EmbeddedRuntime.start(PipelineSpec.defaults(), new PrintStream(OutputStream.nullOutputStream()));
        runtime.mapping().close(); // the test's own mapping, with the fault, consumes the stream instead
        runtime.endpoints().write(dir.resolve("endpoints.json"));
        spec = runtime.spec();
        clients = ServiceClients.local(runtime.endpoints());
        queueUrl = runtime.queueUrl(spec.queues().streamFailures());
        queue = new OnFailureQueueProbe(clients, queueUrl);
        minute = Instant.now().truncatedTo(ChronoUnit.MINUTES).minus(Duration.ofMinutes(5));

        List<PutRecordsRequestEntry> entries = new ArrayList<>();
        for (int e = 0; e < EVENTS_PER_DEVICE; e++) {
            for (int d = 0; d <= HEALTHY_DEVICES; d++) {
                String device = d == HEALTHY_DEVICES ? "faulty-1" : "healthy-" + d;
                // Whole numbers add up the same in any order, so sums compare exactly; 60 degrees raises an alert.
                double temperature = d == HEALTHY_DEVICES && e == 2 ? 60 : 20 + e;
                entries.add(PutRecordsRequestEntry.builder().partitionKey(device)
                        .data(SdkBytes.fromUtf8String(event(device, device + "-" + e, minute.plusSeconds(5L * e), temperature))).build());
            }
        }
        try (KinesisClient kinesis = clients.kinesis(); SqsClient sqs = clients.sqs()) {
            assertThat(kinesis.putRecords(b -> b.streamName(spec.stream().name()).records(entries)).failedRecordCount()).isZero();
            AtomicBoolean fault = new AtomicBoolean(true);
            StreamProcessorHandler real = handler(spec, new ByteArrayOutputStream());
            RequestHandler<KinesisEvent, StreamsEventResponse> faulty = (event, context) -> {
                if (fault.get() && event.getRecords().stream().anyMatch(r -> r.getKinesis().getPartitionKey().startsWith("faulty"))) {
                    throw new IllegalStateException("injected transient fault");
                }
                return real.handleRequest(event, context);
            };
            SqsFailureDestination queue = new SqsFailureDestination(sqs, queueUrl);
            PipelineSpec.StreamMapping oneRetry = PipelineSpec.StreamMapping.builder().batchSize(spec.streamMapping().batchSize())
                    .maxBatchingWindow(Duration.ofMillis(200)).bisectOnError(true).reportBatchItemFailures(true).maxRetries(1)
                    .maxRecordAge(Duration.ofHours(1)).build();
            KinesisEventSourceMapping mapping = new KinesisEventSourceMapping(new KinesisShardReader(kinesis, spec.stream().name()),
                    faulty, oneRetry, body -> {
                        onFailureBodies.add(body);
                        queue.send(body);
                    }, KinesisEventSourceMapping.Options.local(runtime.endpoints().region(), EmbeddedRuntime.ACCOUNT,
                            EmbeddedRuntime.functionName(spec), spec.stream().name())
                            .withPacing(Duration.ofMillis(20), Duration.ofMillis(10), Duration.ofMillis(20)),
                    Clock.systemUTC(), new PrintStream(OutputStream.nullOutputStream()));
            try (mapping) {
                mapping.start();
                long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
                while (mapping.stats().recordsRead() < entries.size() || mapping.stats().inFlight() > 0) {
                    assertThat(System.nanoTime()).as("the faulty mapping settles: %s", mapping.stats()).isLessThan(deadline);
                    Thread.sleep(50);
                }
                faultyRun = mapping.stats();
            }
        }
        assertThat(queueDepth()).isEqualTo(onFailureBodies.size());
        // Each test puts on the queue what it re-drives: these bodies, for the test that needs them.
        new ReplayOnFailureIT().leaveTheQueueEmpty();
    }

    @AfterAll
    static void stop() {
        if (runtime != null) {
            runtime.close();
        }
    }

    @AfterEach
    void leaveTheQueueEmpty() {
        queue.drain();
    }

    @Test
    void theBatchesTheMappingGaveUpOnAreRedrivenFromTheStreamOnceAndTheTablesEqualARunWithoutTheFault() throws Exception {
        assertThat(faultyRun.recordsDiscarded()).as("the fault made the mapping give up the faulty device's records")
                .isEqualTo(EVENTS_PER_DEVICE);
        List<String> bodies = List.copyOf(onFailureBodies);
        assertThat(bodies).isNotEmpty();
        assertThat(bodies.stream().mapToInt(b -> readTree(b).at("/KinesisBatchInfo/batchSize").asInt()).sum()).isEqualTo(EVENTS_PER_DEVICE);
        PipelineSpec control = runWithoutTheFault();
        bodies.forEach(ReplayOnFailureIT::send);

        CliRun first = cli("replay", "--on-failure");
        assertThat(first.exitCode()).as(first.stderr()).isZero();
        JsonNode summary = JSON.readTree(first.stdout());
        assertThat(summary.get("message").asText()).isEqualTo("replay summary");
        assertThat(summary.get("records").asLong()).isEqualTo(EVENTS_PER_DEVICE);
        assertThat(summary.get("applied").asLong()).isEqualTo(EVENTS_PER_DEVICE);
        assertThat(summary.get("duplicates").asLong()).isZero();
        assertThat(summary.get("failed").asLong()).isZero();
        assertThat(summary.at("/messages/received").asLong()).isEqualTo(bodies.size());
        assertThat(summary.at("/messages/redriven").asLong()).isEqualTo(bodies.size());
        assertThat(summary.at("/messages/fromStream").asLong()).isEqualTo(bodies.size());
        assertThat(summary.at("/messages/fromArchive").asLong()).isZero();
        assertThat(summary.get("kept")).isEmpty();
        assertThat(first.stderr()).contains("100% " + bodies.size() + "/" + bodies.size() + " messages");
        assertThat(queueDepth()).as("every message is deleted").isZero();
        Map<String, List<String>> redriven = liveTables(spec);
        assertThat(redriven).as("the tables after the re-drive equal a run without the fault").isEqualTo(liveTables(control));

        // The same messages again (as if a run had died before deleting them): nothing is counted twice.
        bodies.forEach(ReplayOnFailureIT::send);
        CliRun second = cli("replay", "--on-failure");
        assertThat(second.exitCode()).as(second.stderr()).isZero();
        JsonNode again = JSON.readTree(second.stdout());
        assertThat(again.get("applied").asLong()).isZero();
        assertThat(again.get("duplicates").asLong()).isEqualTo(EVENTS_PER_DEVICE);
        assertThat(again.at("/messages/redriven").asLong()).isEqualTo(bodies.size());
        assertThat(queueDepth()).isZero();
        assertThat(liveTables(spec)).isEqualTo(redriven);
    }

    @Test
    void aBatchOfAShardTheStreamNoLongerHasIsRedrivenFromTheArchive() throws Exception {
        // A shard closed by resharding and past retention: the stream has no such shard, the archive still has its records.
        String shard = "shardId-000000000077";
        List<StreamRecord> records = new ArrayList<>();
        Instant arrival = Instant.now().minusSeconds(60);
        for (int i = 0; i < 3; i++) {
            String data = event(ARCHIVED_DEVICE, ARCHIVED_DEVICE + "-" + i, minute.plusSeconds(i), 30 + i);
            records.add(new StreamRecord(shard, "4960000000000000000000000000000000000000000000000000000" + i, ARCHIVED_DEVICE,
                    data.getBytes(StandardCharsets.UTF_8), arrival.plusMillis(i)));
        }
        putArchiveObject(records);
        String body = OnFailureRecord.toJson(records, OnFailureRecord.Condition.RECORD_AGE_EXCEEDED,
                "arn:aws:lambda:fn", ArchiveReplay.Target.streamArn(runtime.endpoints(), spec), null, 0, null, Instant.now());

        for (int run = 1; run <= 2; run++) {
            send(body);
            CliRun replay = cli("replay", "--on-failure");
            assertThat(replay.exitCode()).as(replay.stderr()).isZero();
            JsonNode summary = JSON.readTree(replay.stdout());
            assertThat(summary.at("/messages/fromArchive").asLong()).isEqualTo(1);
            assertThat(summary.at("/messages/fromStream").asLong()).isZero();
            assertThat(summary.get("records").asLong()).isEqualTo(3);
            assertThat(summary.get("applied").asLong()).as("run %d", run).isEqualTo(run == 1 ? 3 : 0);
            assertThat(summary.get("duplicates").asLong()).isEqualTo(run == 1 ? 0 : 3);
            assertThat(queueDepth()).isZero();
        }
        try (DynamoDbClient dynamoDb = clients.dynamoDb()) {
            Map<String, AttributeValue> window = dynamoDb.getItem(b -> b.tableName(spec.tables().deviceWindows()).consistentRead(true)
                    .key(Map.of("deviceId", AttributeValue.fromS(ARCHIVED_DEVICE), "windowStart",
                            AttributeValue.fromS(DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss'Z'").withZone(ZoneOffset.UTC)
                                    .format(minute))))).item();
            assertThat(window.get("eventCount").n()).isEqualTo("3");
        }
    }

    @Test
    void aMessageWhoseRecordsAreNowhereAndAMalformedOneStayOnTheQueueWithTheirReasons() throws Exception {
        Instant now = Instant.now();
        List<StreamRecord> gone = List.of(new StreamRecord("shardId-000000000000", "1", "nobody", new byte[] {'{', '}'}, now),
                new StreamRecord("shardId-000000000000", "2", "nobody", new byte[] {'{', '}'}, now));
        send(OnFailureRecord.toJson(gone, OnFailureRecord.Condition.RETRY_ATTEMPTS_EXHAUSTED, "arn:aws:lambda:fn",
                ArchiveReplay.Target.streamArn(runtime.endpoints(), spec), "req", 2, "Unhandled", now));
        send("this is not an invocation record");

        CliRun replay = cli("replay", "--on-failure");

        assertThat(replay.exitCode()).as("a message left on the queue is a negative outcome").isEqualTo(1);
        JsonNode summary = JSON.readTree(replay.stdout());
        assertThat(summary.at("/messages/received").asLong()).isEqualTo(2);
        assertThat(summary.at("/messages/redriven").asLong()).isZero();
        assertThat(summary.at("/messages/kept").asLong()).isEqualTo(2);
        assertThat(summary.get("records").asLong()).isZero();
        assertThat(summary.get("notReplayed").asLong()).isEqualTo(2);
        Map<String, String> reasons = new TreeMap<>();
        summary.get("kept").forEach(k -> reasons.put(k.get("reason").asText(), k.get("detail").asText()));
        assertThat(reasons).containsOnlyKeys(OnFailureReplay.RECORDS_NOT_FOUND, OnFailureMessage.NOT_JSON);
        assertThat(reasons.get(OnFailureReplay.RECORDS_NOT_FOUND)).contains("records shardId-000000000000 1..2 are not all in the stream")
                .contains("0 record(s) of shardId-000000000000 1..2 found");
        assertThat(queue.visible()).as("both messages are back on the queue, visible").isEqualTo(2);
    }

    private static String event(String device, String eventId, Instant ts, double temperature) {
        return "{\"schemaVersion\":1,\"eventId\":\"" + eventId + "\",\"deviceId\":\"" + device + "\",\"ts\":\"" + ts
                + "\",\"metrics\":{\"temperature\":" + temperature + ",\"battery\":0.5}}";
    }

    private static StreamProcessorHandler handler(PipelineSpec pipeline, ByteArrayOutputStream summaries) {
        return StreamProcessorHandler.builder().settings(FunctionSettings.local(pipeline, URI.create(runtime.endpoints().dynamodb()),
                URI.create(runtime.endpoints().s3()))).summaryOutput(new PrintStream(summaries, true, StandardCharsets.UTF_8)).build();
    }

    /** The stream's records, every one, through the same handler into a second set of tables, in the mapping's batches. */
    private static PipelineSpec runWithoutTheFault() {
        PipelineSpec control = PipelineSpec.withPrefix("control");
        try (KinesisClient kinesis = clients.kinesis(); DynamoDbClient dynamoDb = clients.dynamoDb(); S3Client s3 = clients.s3();
             SqsClient sqs = clients.sqs()) {
            PipelineResources.create(control, kinesis, dynamoDb, s3, sqs);
            StreamProcessorHandler handler = handler(control, new ByteArrayOutputStream());
            KinesisShardReader reader = new KinesisShardReader(kinesis, spec.stream().name());
            String arn = ArchiveReplay.Target.streamArn(runtime.endpoints(), spec);
            for (String shard : reader.shardIds()) {
                ShardReader.Page page = reader.read(shard, reader.iteratorAtOldest(shard), spec.streamMapping().batchSize());
                while (!page.records().isEmpty()) {
                    StreamsEventResponse response = handler.handleRequest(KinesisEvents.toEvent(page.records(), runtime.endpoints().region(),
                            arn, "control"), null);
                    assertThat(response.getBatchItemFailures()).isEmpty();
                    page = reader.read(shard, page.nextIterator(), spec.streamMapping().batchSize());
                }
            }
        }
        return control;
    }

    private static void putArchiveObject(List<StreamRecord> records) throws Exception {
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
            for (StreamRecord r : records) {
                out.write(ArchiveLine.encode(r.data(), r.approximateArrival(), r.shardId(), r.sequenceNumber()));
            }
        }
        Instant first = records.get(0).approximateArrival();
        String key = spec.buckets().rawPrefix() + "dt=" + first.atZone(ZoneOffset.UTC).toLocalDate() + "/hour="
                + String.format("%02d", first.atZone(ZoneOffset.UTC).getHour()) + "/old-shard-77.json.gz";
        try (S3Client s3 = clients.s3()) {
            s3.putObject(b -> b.bucket(spec.buckets().raw()).key(key), RequestBody.fromBytes(gz.toByteArray()));
        }
    }

    private static void send(String body) {
        queue.send(body);
    }

    private static long queueDepth() {
        return queue.depth();
    }

    private static Map<String, List<String>> liveTables(PipelineSpec pipeline) {
        return queue.liveTables(pipeline, d -> !d.equals(ARCHIVED_DEVICE));
    }

    private static JsonNode readTree(String body) {
        try {
            return JSON.readTree(body);
        } catch (Exception e) {
            throw new AssertionError(body, e);
        }
    }

    private static CliRun cli(String... args) {
        return CliRun.of(dir.resolve("endpoints.json"), args);
    }
}
