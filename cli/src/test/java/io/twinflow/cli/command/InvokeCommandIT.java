package io.twinflow.cli.command;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.twinflow.core.pipeline.PipelineSpec;
import io.twinflow.local.config.ServiceClients;
import io.twinflow.local.runtime.EmbeddedRuntime;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;

/**
 * {@code twinflow invoke} on the embedded stack: on a private stack it starts and stops itself when none runs, on the
 * running one otherwise; the stream-processor applies a sample Kinesis event, the batch-loader fired by a scheduled
 * event loads what the stack archived into the warehouse (embedded PostgreSQL).
 */
class InvokeCommandIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The running stack of the tests that need one, started in this JVM as `local up` starts it. */
    private static EmbeddedRuntime runtime;
    private static Path endpointsFile;

    @TempDir
    static Path dir;

    @BeforeAll
    static void startStack() throws Exception {
        System.setProperty("aws.cborEnabled", "false");
        runtime = EmbeddedRuntime.start(PipelineSpec.defaults(), new PrintStream(OutputStream.nullOutputStream()));
        endpointsFile = dir.resolve("endpoints.json");
        runtime.endpoints().write(endpointsFile);
    }

    @AfterAll
    static void stopStack() {
        if (runtime != null) {
            runtime.close();
        }
    }

    /** The repository's sample events (events/), found walking up from the module folder Maven runs the tests in. */
    static Path eventsDir() {
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            if (Files.isRegularFile(d.resolve("events").resolve("scheduled").resolve("hourly.json"))) {
                return d.resolve("events");
            }
        }
        throw new IllegalStateException("no events/scheduled/hourly.json above " + Path.of("").toAbsolutePath());
    }

    @Test
    void withNoStackRunningAPrivateOneIsStartedForTheInvocationAndStoppedAfter() throws Exception {
        Path noStack = dir.resolve("no-stack").resolve("endpoints.json");
        Set<Long> childrenBefore = children();
        CliRun run = CliRun.of(noStack, "invoke", "stream-processor", "-e", eventsDir().resolve("kinesis/normal-batch.json").toString());

        assertThat(run.exitCode()).as(run.stderr()).isZero();
        assertThat(JSON.readTree(run.stdout())).isEqualTo(JSON.readTree("{\"batchItemFailures\":[]}"));
        JsonNode summary = summaryLine(run.stderr());
        assertThat(summary.get("records").asInt()).isEqualTo(40);
        assertThat(summary.get("applied").asInt()).isEqualTo(40);
        assertThat(summary.get("duplicates").asInt()).isZero();
        assertThat(summary.get("quarantined").asInt()).isZero();
        assertThat(summary.get("alerts").asInt()).isEqualTo(2);
        List<String> lines = run.stderr().lines().toList();
        assertThat(lines.get(0)).isEqualTo("twinflow invoke: no local stack running; starting a private one for this invocation...");
        assertThat(lines.get(lines.size() - 1)).isEqualTo("twinflow invoke: stream-processor: 40 records, 40 applied, 0 duplicates, "
                + "0 quarantined, 0 failed, 0 to retry (private stack, stopped)");
        // Stopped: its emulators (Node) and PostgreSQL processes are gone, and it never claimed the endpoints file.
        assertThat(awaitChildren(childrenBefore)).isEqualTo(childrenBefore);
        assertThat(noStack).doesNotExist();
    }

    @Test
    void aKinesisEventOnStandardInputIsAppliedByTheRunningStack() throws Exception {
        byte[] event = Files.readAllBytes(eventsDir().resolve("kinesis/normal-batch.json"));
        CliRun run = CliRun.withStdin(event, endpointsFile, "invoke", "stream-processor", "-e", "-");

        assertThat(run.exitCode()).as(run.stderr()).isZero();
        assertThat(JSON.readTree(run.stdout())).isEqualTo(JSON.readTree("{\"batchItemFailures\":[]}"));
        assertThat(summaryLine(run.stderr()).get("records").asInt()).isEqualTo(40);
        assertThat(run.stderr()).doesNotContain("private").endsWith("0 to retry (local stack pid " + ProcessHandle.current().pid() + ")"
                + System.lineSeparator());
        // The running stack holds what the invocation applied.
        CliRun state = CliRun.of(endpointsFile, "state", "sensor-0006", "--json");
        assertThat(state.exitCode()).as(state.stderr()).isZero();
        assertThat(JSON.readTree(state.stdout()).get("ts").asText()).startsWith("2026-11-24T10:1");
    }

    @Test
    void theLoaderFiredByAScheduledEventLoadsTheArchiveIntoTheWarehouse() throws Exception {
        int events = 12;
        try (KinesisClient kinesis = ServiceClients.local(runtime.endpoints()).kinesis()) {
            Instant ts = Instant.now().minusSeconds(60);
            List<PutRecordsRequestEntry> records = IntStream.range(0, events).mapToObj(i -> PutRecordsRequestEntry.builder()
                    .partitionKey("sensor-" + i)
                    .data(SdkBytes.fromString("{\"schemaVersion\":1,\"eventId\":\"invoke-it-" + i + "\",\"deviceId\":\"sensor-" + i
                            + "\",\"ts\":\"" + ts.plusMillis(i) + "\",\"metrics\":{\"temperature\":" + (20 + i) + "}}", StandardCharsets.UTF_8))
                    .build()).toList();
            assertThat(kinesis.putRecords(b -> b.streamName(runtime.spec().stream().name()).records(records)).failedRecordCount()).isZero();
        }
        CliRun.awaitSettled(runtime, events, Duration.ofMinutes(1));
        runtime.archiver().close(); // flush the raw archive, as the demo does

        CliRun fired = CliRun.of(endpointsFile, "invoke", "batch-loader", "-e", eventsDir().resolve("scheduled/hourly.json").toString());
        assertThat(fired.exitCode()).as(fired.stderr()).isZero();
        JsonNode report = JSON.readTree(fired.stdout());
        assertThat(report.get("message").asText()).isEqualTo("loader summary");
        assertThat(report.get("linesRead").asInt()).isEqualTo(events);
        assertThat(report.get("rowsLoaded").asInt()).isEqualTo(events);
        assertThat(report.get("failed").asInt()).isZero();
        long objects = report.get("loaded").asLong();
        assertThat(objects).isPositive();
        assertThat(fired.stderr()).endsWith("twinflow invoke: batch-loader fired at 2026-11-24T11:05:00Z: " + objects + " objects loaded, "
                + events + " rows, 0 failed (local stack pid " + ProcessHandle.current().pid() + ")" + System.lineSeparator());
        assertThat(((Number) runtime.batch().warehouse().query("SELECT COUNT(*) FROM telemetry.events").rows().get(0).get(0)).longValue())
                .isEqualTo(events);

        // Fired again (now, by --scheduled): the load log holds every object, so nothing is loaded twice.
        CliRun again = CliRun.of(endpointsFile, "invoke", "batch-loader", "--scheduled");
        assertThat(again.exitCode()).as(again.stderr()).isZero();
        assertThat(JSON.readTree(again.stdout()).get("rowsLoaded").asInt()).isZero();
        assertThat(((Number) runtime.batch().warehouse().query("SELECT COUNT(*) FROM telemetry.events").rows().get(0).get(0)).longValue())
                .isEqualTo(events);
    }

    private static JsonNode summaryLine(String stderr) throws Exception {
        String line = stderr.lines().filter(l -> l.contains("\"message\":\"batch summary\"")).findFirst()
                .orElseThrow(() -> new AssertionError("no batch summary line in: " + stderr));
        return JSON.readTree(line);
    }

    private static Set<Long> children() {
        return ProcessHandle.current().descendants().filter(ProcessHandle::isAlive).map(ProcessHandle::pid).collect(Collectors.toSet());
    }

    /** The processes below this JVM once those that are stopping have gone (a stopped process takes a moment to exit). */
    private static Set<Long> awaitChildren(Set<Long> expected) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        Set<Long> now = children();
        while (!now.equals(expected) && System.nanoTime() < deadline) {
            Thread.sleep(100);
            now = children();
        }
        return now;
    }
}
