package io.twinflow.local.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.twinflow.core.archive.ArchiveLine;
import io.twinflow.core.pipeline.PipelineSpec;
import io.twinflow.live.LiveStateReader;
import io.twinflow.local.config.Endpoints;
import io.twinflow.local.simulate.FleetSimulator;
import io.twinflow.local.simulate.KinesisPublisher;
import io.twinflow.local.simulate.PlannedRecord;
import io.twinflow.local.simulate.SendLedger;
import io.twinflow.local.simulate.SimulationConfig;
import io.twinflow.local.simulate.TelemetryGenerator;
import java.io.ByteArrayInputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.sqs.SqsClient;

/** The embedded stack end to end: a fleet with duplicates, bad and late records, accounted exactly. */
class EmbeddedRuntimeIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static EmbeddedRuntime runtime;
    private static Endpoints endpoints;
    /** Plain clients sign with the keys the endpoints file names, nothing else from this code base. */
    private static StaticCredentialsProvider keys;

    @BeforeAll
    static void start() {
        runtime = EmbeddedRuntime.start(PipelineSpec.defaults(), new PrintStream(OutputStream.nullOutputStream()));
        endpoints = runtime.endpoints();
        keys = StaticCredentialsProvider.create(AwsBasicCredentials.create(endpoints.credentials().accessKeyId(),
                endpoints.credentials().secretAccessKey()));
    }

    @AfterAll
    static void stop() {
        if (runtime != null) {
            runtime.close();
        }
    }

    private static DynamoDbClient dynamoDb(Endpoints e) {
        return DynamoDbClient.builder().region(Region.of(e.region())).credentialsProvider(keys)
                .endpointOverride(URI.create(e.dynamodb())).build();
    }

    private static S3Client s3(Endpoints e) {
        return S3Client.builder().region(Region.of(e.region())).credentialsProvider(keys).forcePathStyle(true)
                .endpointOverride(URI.create(e.s3())).build();
    }

    private static SqsClient sqs(Endpoints e) {
        return SqsClient.builder().region(Region.of(e.region())).credentialsProvider(keys)
                .endpointOverride(URI.create(e.sqs())).build();
    }

    private static KinesisClient kinesis(Endpoints e) {
        System.setProperty("aws.cborEnabled", "false");
        return KinesisClient.builder().region(Region.of(e.region())).credentialsProvider(keys)
                .endpointOverride(URI.create(e.kinesis())).build();
    }

    @Test
    void endpointsFileIsEnoughForPlainClientsAndJdbc(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("endpoints.json");
        endpoints.write(file);
        Endpoints e = Endpoints.read(file);
        PipelineSpec spec = PipelineSpec.defaults();

        try (DynamoDbClient d = dynamoDb(e); S3Client s = s3(e); SqsClient q = sqs(e); KinesisClient k = kinesis(e)) {
            assertThat(d.listTables().tableNames()).containsAll(e.resources().tables().values());
            assertThat(s.listBuckets().buckets()).extracting(b -> b.name()).containsAll(e.resources().buckets().values());
            assertThat(q.getQueueUrl(b -> b.queueName(e.resources().queues().get("streamFailures"))).queueUrl())
                    .isEqualTo(e.resources().queueUrls().get(spec.queues().streamFailures()));
            assertThat(k.describeStreamSummary(b -> b.streamName(e.resources().stream()))
                    .streamDescriptionSummary().openShardCount()).isEqualTo(spec.stream().shardCount());
        }
        try (Connection c = DriverManager.getConnection(e.postgres().jdbcUrl(), e.postgres().user(), e.postgres().password());
             ResultSet rs = c.createStatement().executeQuery("select 41 + 1")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getInt(1)).isEqualTo(42);
        }
        assertThat(e.pid()).isEqualTo(ProcessHandle.current().pid());
    }

    @Test
    void fleetWithDuplicatesBadAndLateRecordsIsAccountedForExactly() throws Exception {
        PipelineSpec spec = runtime.spec();
        SimulationConfig config = new SimulationConfig(8, 1500, Duration.ofSeconds(2), 0.06, 0.05, 0.25, 11);
        List<PlannedRecord> accepted = new CopyOnWriteArrayList<>();
        SendLedger ledger;
        try (KinesisClient k = kinesis(endpoints)) {
            ledger = new FleetSimulator(config).run(new KinesisPublisher(k, spec.stream().name()),
                    (record, ack, at) -> accepted.add(record), (done, total, l) -> { });
        }
        MappingProgress.awaitSettled(runtime.mapping(), accepted.size());
        runtime.archiver().close();

        // The expectation, computed here from the records the stream accepted: first copy of each
        // eventId counts once, in the window of its event time; bad records by their intended reason.
        long window = spec.window().toMillis();
        Map<String, Map<Instant, Long>> expectedWindows = new TreeMap<>();
        Map<String, JsonNode> expectedLatest = new HashMap<>();
        Map<String, Long> expectedReasons = new TreeMap<>();
        Set<String> seen = new HashSet<>();
        for (PlannedRecord r : accepted) {
            if (r.kind() == PlannedRecord.Kind.BAD) {
                expectedReasons.merge(r.expectedReason().name(), 1L, Long::sum);
                continue;
            }
            JsonNode event = JSON.readTree(r.data());
            if (!seen.add(event.get("eventId").asText())) {
                continue;
            }
            String device = event.get("deviceId").asText();
            Instant ts = Instant.parse(event.get("ts").asText());
            Instant start = Instant.ofEpochMilli(Math.floorDiv(ts.toEpochMilli(), window) * window);
            expectedWindows.computeIfAbsent(device, d -> new TreeMap<>()).merge(start, 1L, Long::sum);
            expectedLatest.merge(device, event, (a, b) -> later(a, b));
        }
        assertThat(seen).hasSize((int) ledger.uniqueValid());
        assertThat(ledger.late()).isPositive();
        assertThat(ledger.duplicates()).isPositive();

        try (DynamoDbClient d = dynamoDb(endpoints); S3Client s = s3(endpoints); SqsClient q = sqs(endpoints)) {
            LiveStateReader reader = new LiveStateReader(d, spec.tables().deviceState(), spec.tables().deviceWindows(), spec.tables().alerts());
            Map<String, Map<Instant, Long>> actualWindows = new TreeMap<>();
            for (int i = 0; i < config.devices(); i++) {
                String device = TelemetryGenerator.deviceId(i);
                for (LiveStateReader.WindowSummary w : reader.windows(device, Instant.now().minus(Duration.ofHours(1)), Instant.now().plusSeconds(600))) {
                    actualWindows.computeIfAbsent(device, x -> new TreeMap<>()).put(w.windowStart(), w.count());
                }
                JsonNode latest = expectedLatest.get(device);
                LiveStateReader.DeviceState state = reader.state(device).orElseThrow();
                assertThat(state.eventId()).as("latest state of " + device).isEqualTo(latest.get("eventId").asText());
            }
            assertThat(actualWindows).isEqualTo(expectedWindows);

            Map<String, Long> actualReasons = new TreeMap<>();
            for (S3Object o : list(s, spec.buckets().quarantine(), spec.buckets().quarantinePrefix())) {
                JsonNode quarantined = JSON.readTree(s.getObjectAsBytes(b -> b.bucket(spec.buckets().quarantine()).key(o.key())).asByteArray());
                actualReasons.merge(quarantined.get("reason").asText(), 1L, Long::sum);
            }
            assertThat(actualReasons).isEqualTo(expectedReasons);

            assertThat(q.receiveMessage(b -> b.queueUrl(runtime.queueUrl(spec.queues().streamFailures()))).messages())
                    .as("nothing should reach the on-failure destination").isEmpty();

            // The archive holds every accepted record's exact bytes, one envelope line each.
            List<String> archived = new ArrayList<>();
            for (S3Object o : list(s, spec.buckets().raw(), spec.buckets().rawPrefix())) {
                assertThat(o.key()).matches("raw/dt=\\d{4}-\\d{2}-\\d{2}/hour=\\d{2}/.+\\.json\\.gz");
                byte[] body = s.getObjectAsBytes(b -> b.bucket(spec.buckets().raw()).key(o.key())).asByteArray();
                byte[] text = new GZIPInputStream(new ByteArrayInputStream(body)).readAllBytes();
                int from = 0;
                for (int i = 0; i < text.length; i++) {
                    if (text[i] == '\n') {
                        ArchiveLine.Read read = ArchiveLine.read(Arrays.copyOfRange(text, from, i), Instant.EPOCH);
                        archived.add(Base64.getEncoder().encodeToString(((ArchiveLine.Record) read).record().data()));
                        from = i + 1;
                    }
                }
            }
            List<String> sent = accepted.stream().map(r -> Base64.getEncoder().encodeToString(r.data())).toList();
            assertThat(archived).containsExactlyInAnyOrderElementsOf(sent);
        }
        KinesisEventSourceMapping.Stats stats = runtime.mapping().stats();
        assertThat(stats.recordsSucceeded()).isEqualTo(accepted.size());
        assertThat(stats.recordsDiscarded() + stats.recordsExpired()).isZero();
    }

    private static JsonNode later(JsonNode a, JsonNode b) {
        int byTime = Instant.parse(a.get("ts").asText()).compareTo(Instant.parse(b.get("ts").asText()));
        if (byTime != 0) {
            return byTime > 0 ? a : b;
        }
        return a.get("eventId").asText().compareTo(b.get("eventId").asText()) >= 0 ? a : b;
    }

    private static List<S3Object> list(S3Client s3, String bucket, String prefix) {
        List<S3Object> objects = new ArrayList<>();
        s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix)).contents().forEach(objects::add);
        return objects;
    }
}
