package io.twinflow.cli.command;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.twinflow.cli.Main;
import io.twinflow.core.pipeline.PipelineSpec;
import io.twinflow.emulators.EmbeddedDynamoDb;
import io.twinflow.emulators.EmbeddedKinesis;
import io.twinflow.emulators.EmbeddedS3;
import io.twinflow.emulators.EmbeddedSqs;
import io.twinflow.emulators.EmulatorEdge;
import io.twinflow.live.LiveTables;
import io.twinflow.local.config.Endpoints;
import io.twinflow.local.simulate.TelemetryGenerator;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * `local up --target localstack` and the commands with `--target localstack --endpoint-url`, without
 * Docker: the four embedded emulators behind one {@link EmulatorEdge} address stand in for the
 * container. The stack runs in its own JVM as a user runs it; the commands run in this one.
 */
class LocalStackTargetIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final PipelineSpec SPEC = PipelineSpec.defaults();

    @Test
    void theStackAndEveryCommandWorkAgainstAContainerEdge(@TempDir Path home, @TempDir Path tmp, @TempDir Path data)
            throws Exception {
        try (EmbeddedKinesis kinesisEmulator = EmbeddedKinesis.start();
             EmbeddedDynamoDb dynamoDbEmulator = EmbeddedDynamoDb.start();
             EmbeddedS3 s3Emulator = EmbeddedS3.start();
             EmbeddedSqs sqsEmulator = EmbeddedSqs.start();
             EmulatorEdge edge = EmulatorEdge.start(kinesisEmulator.endpoint(), dynamoDbEmulator.endpoint(),
                     s3Emulator.endpoint(), sqsEmulator.endpoint())) {
            String edgeUrl = edge.endpoint().toString();
            String[] up = {"--target", "localstack", "--endpoint-url", edgeUrl, "--data-dir", data.toString()};
            Path endpointsFile = home.resolve(".twinflow").resolve(Endpoints.FILE_NAME);
            List<String> target = List.of("--target", "localstack", "--endpoint-url", edgeUrl, "--endpoints-file", endpointsFile.toString());

            LocalUpProcess first = LocalUpProcess.start(home, tmp, up);
            assertThat(first.endpoints().target()).isEqualTo("localstack");
            assertThat(List.of(first.endpoints().kinesis(), first.endpoints().dynamodb(), first.endpoints().s3(), first.endpoints().sqs()))
                    .containsOnly(edgeUrl);
            // The resources were created on the "container", each service on its own emulator.
            try (KinesisClient kinesis = kinesisEmulator.kinesisClient(); DynamoDbClient dynamoDb = dynamoDbEmulator.dynamoDbClient();
                 S3Client s3 = s3Emulator.s3Client(); SqsClient sqs = sqsEmulator.sqsClient()) {
                assertThat(kinesis.listStreams().streamNames()).containsExactly(SPEC.stream().name());
                assertThat(dynamoDb.listTables().tableNames()).containsExactlyInAnyOrder(
                        SPEC.tables().deviceState(), SPEC.tables().deviceWindows(), SPEC.tables().alerts());
                assertThat(s3.listBuckets().buckets()).extracting(b -> b.name()).containsExactlyInAnyOrder(
                        SPEC.buckets().raw(), SPEC.buckets().curated(), SPEC.buckets().quarantine());
                assertThat(sqs.listQueues().queueUrls()).hasSize(2);
            }

            Run simulate = run(target, "simulate", "--devices", "3", "--rate", "150", "--duration", "2s", "--late", "0");
            assertThat(simulate.exitCode()).isZero();
            long uniqueValid = simulate.json().get("uniqueValid").asLong();
            awaitApplied(dynamoDbEmulator, uniqueValid);

            String device = TelemetryGenerator.deviceId(0);
            Run state = run(target, "state", device, "--json");
            assertThat(state.exitCode()).isZero();
            assertThat(state.json().get("deviceId").asText()).isEqualTo(device);
            Run metrics = run(target, "metrics", device, "--json");
            assertThat(metrics.exitCode()).isZero();
            assertThat(metrics.json()).isNotEmpty();

            // A restart flushes the archive (the archiver writes what it holds on stop) and resumes on the kept data.
            first.stop();
            LocalUpProcess second = LocalUpProcess.start(home, tmp, up);
            try {
                Run loader = run(target, "batch", "run", "--job", "loader");
                assertThat(loader.exitCode()).isZero();
                assertThat(loader.json().get("rowsLoaded").asLong()).isEqualTo(uniqueValid);

                Run query = run(target, "query", "--sql", "select count(*) as n from " + SPEC.warehouse().schema() + ".events",
                        "--format", "json");
                assertThat(query.exitCode()).isZero();
                assertThat(query.json().get(0).get("n").asLong()).isEqualTo(uniqueValid);

                String today = LocalDate.now(ZoneOffset.UTC).toString();
                Run rollup = run(target, "batch", "run", "--job", "rollup", "--date", today);
                assertThat(rollup.exitCode()).as("rollup: %s", rollup.stdout()).isZero();
                Run reconcile = run(target, "reconcile", "--date", today, "--json");
                assertThat(reconcile.exitCode()).as("reconcile: %s", reconcile.stdout()).isZero();
                assertThat(reconcile.json().get("clean").asBoolean()).isTrue();
            } finally {
                second.stop();
            }
        }
    }

    private record Run(int exitCode, String stdout) {
        JsonNode json() throws Exception {
            return JSON.readTree(stdout);
        }
    }

    /** One `twinflow` command in this JVM, its standard output captured. */
    private static synchronized Run run(List<String> target, String... command) {
        List<String> args = new ArrayList<>(List.of(command));
        args.addAll(target);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream stdout = System.out;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            return new Run(Main.run(args.toArray(String[]::new)), out.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(stdout);
        }
    }

    private static void awaitApplied(EmbeddedDynamoDb dynamoDbEmulator, long events) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        long applied = 0;
        try (DynamoDbClient dynamoDb = dynamoDbEmulator.dynamoDbClient()) {
            while (System.nanoTime() < deadline) {
                applied = dynamoDb.scanPaginator(b -> b.tableName(SPEC.tables().deviceWindows()).consistentRead(true)).items().stream()
                        .filter(item -> !LiveTables.isPage(item))
                        .mapToLong(item -> Long.parseLong(item.get(LiveTables.WINDOW_EVENT_COUNT).n())).sum();
                if (applied >= events) {
                    break;
                }
                Thread.sleep(200);
            }
        }
        assertThat(applied).as("events applied to the container's DynamoDB").isEqualTo(events);
    }
}
