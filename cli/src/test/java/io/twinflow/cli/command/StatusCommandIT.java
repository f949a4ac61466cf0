package io.twinflow.cli.command;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.twinflow.core.pipeline.PipelineSpec;
import io.twinflow.functions.batch.LoaderReport;
import io.twinflow.local.config.Endpoints;
import io.twinflow.local.config.ServiceClients;
import io.twinflow.local.runtime.EmbeddedRuntime;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;

/**
 * {@code twinflow status} on the embedded stack counts what the test did: N good records applied, D producer duplicates
 * (the same events sent again) counted as duplicates, Q bad records quarantined under their reasons, nothing failed; the
 * raw archive is unloaded until the loader runs once, after which the load log holds that run's row counts; a
 * {@code twinflow reconcile} run is shown with its verdict.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StatusCommandIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int GOOD = 12;
    private static final int DUPLICATES = 4;
    /** The bad records, by the reason each must be quarantined for. */
    private static final Map<String, Integer> BAD_BY_REASON = Map.of("INVALID_JSON", 2, "NOT_AN_OBJECT", 1, "MISSING_FIELD", 1, "BAD_TIMESTAMP", 1);
    private static final int BAD = 5;
    private static LocalDate eventDay;

    @TempDir
    static Path dir;

    private static EmbeddedRuntime runtime;
    private static Path endpointsFile;

    @BeforeAll
    static void sendGoodAndBadRecords() throws Exception {
        runtime = EmbeddedRuntime.start(PipelineSpec.defaults(), new PrintStream(OutputStream.nullOutputStream()));
        Endpoints endpoints = runtime.endpoints();
        endpointsFile = dir.resolve("endpoints.json");
        endpoints.write(endpointsFile);
        Instant ts = Instant.now().minusSeconds(60);
        eventDay = LocalDate.ofInstant(ts, ZoneOffset.UTC);
        List<PutRecordsRequestEntry> entries = new ArrayList<>();
        for (int i = 0; i < GOOD; i++) {
            entries.add(good(i, ts));
        }
        entries.add(entry("status-bad", "not json"));
        entries.add(entry("status-bad", "{\"schemaVersion\":"));
        entries.add(entry("status-bad", "[1,2]"));
        entries.add(entry("status-bad", "{\"schemaVersion\":1,\"eventId\":\"b-1\",\"deviceId\":\"status-bad\",\"metrics\":{\"t\":1}}"));
        entries.add(entry("status-bad", "{\"schemaVersion\":1,\"eventId\":\"b-2\",\"deviceId\":\"status-bad\",\"ts\":\"noon\",\"metrics\":{\"t\":1}}"));
        assertThat(entries).hasSize(GOOD + BAD);
        assertThat(BAD_BY_REASON.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(BAD);
        try (KinesisClient kinesis = ServiceClients.local(endpoints).kinesis()) {
            put(kinesis, entries);
            CliRun.awaitSettled(runtime, GOOD + BAD, Duration.ofSeconds(60));
            // Sent again after the originals were applied, as a producer retry would: new sequence numbers, same events.
            List<PutRecordsRequestEntry> again = new ArrayList<>();
            for (int i = 0; i < DUPLICATES; i++) {
                again.add(good(i, ts));
            }
            put(kinesis, again);
        }
        CliRun.awaitSettled(runtime, GOOD + BAD + DUPLICATES, Duration.ofSeconds(60));
        runtime.archiver().close(); // flush the raw archive now rather than at its buffer interval
    }

    private static PutRecordsRequestEntry good(int i, Instant ts) {
        String device = "status-" + (i % 3);
        return entry(device, "{\"schemaVersion\":1,\"eventId\":\"s-" + i + "\",\"deviceId\":\"" + device + "\",\"ts\":\""
                + ts.plusMillis(i) + "\",\"metrics\":{\"temperature\":" + (20 + i) + "}}");
    }

    private static void put(KinesisClient kinesis, List<PutRecordsRequestEntry> entries) {
        assertThat(kinesis.putRecords(b -> b.streamName(runtime.spec().stream().name()).records(entries)).failedRecordCount()).isZero();
    }

    private static PutRecordsRequestEntry entry(String partitionKey, String data) {
        return PutRecordsRequestEntry.builder().partitionKey(partitionKey).data(SdkBytes.fromUtf8String(data)).build();
    }

    @AfterAll
    static void stop() {
        if (runtime != null) {
            runtime.close();
        }
    }

    @Test
    @Order(1)
    void beforeTheLoadTheBatchesAreCountedAndTheArchiveIsUnloaded() throws Exception {
        JsonNode status = status();
        JsonNode batches = status.get("batches");
        assertThat(batches.get("records").asLong()).isEqualTo(GOOD + DUPLICATES + BAD);
        assertThat(batches.get("applied").asLong()).isEqualTo(GOOD);
        assertThat(batches.get("duplicates").asLong()).isEqualTo(DUPLICATES);
        assertThat(batches.get("quarantined").asLong()).isEqualTo(BAD);
        assertThat(JSON.convertValue(batches.get("quarantinedByReason"), Map.class)).isEqualTo(BAD_BY_REASON);
        assertThat(batches.get("failed").asLong()).isZero();

        JsonNode shards = status.get("stream").get("shards");
        assertThat(shards).hasSize(runtime.spec().stream().shardCount());
        for (JsonNode shard : shards) {
            assertThat(shard.get("recordsBehind").asLong()).as(shard.toString()).isZero();
            assertThat(shard.get("millisBehind").asLong()).isZero();
        }
        assertThat(status.get("stream").get("iteratorAgeMillis").asLong()).isZero();
        assertThat(status.get("onFailure").get("depth").asLong()).isZero();
        assertThat(status.get("archive").get("rawObjects").asLong()).isPositive();
        assertThat(status.get("archive").get("unloaded").asLong()).isEqualTo(status.get("archive").get("rawObjects").asLong());
        assertThat(status.get("loader").get("lastLoadAt").isNull()).isTrue();
        assertThat(status.get("rollup").get("lastComputedAt").isNull()).isTrue();
        assertThat(status.get("reconcile").get("lastReconciledAt").isNull()).isTrue();
    }

    @Test
    @Order(2)
    void afterOneLoadNothingIsUnloadedAndTheLoaderReportsItsRowCounts() throws Exception {
        LoaderReport report = runtime.batch().load(Optional.empty(), outcome -> { });
        assertThat(report.failedKeys()).isEmpty();

        JsonNode status = status();
        assertThat(status.get("archive").get("unloaded").asLong()).isZero();
        JsonNode loader = status.get("loader");
        assertThat(loader.get("lastStatus").asText()).isEqualTo("LOADED");
        assertThat(loader.get("objectsLoaded").asLong()).isEqualTo(status.get("archive").get("rawObjects").asLong());
        assertThat(loader.get("objectsFailed").asLong()).isZero();
        assertThat(loader.get("linesRead").asLong()).isEqualTo(GOOD + DUPLICATES + BAD);
        assertThat(loader.get("rowsLoaded").asLong()).isEqualTo(GOOD);
        assertThat(loader.get("rowsDuplicate").asLong()).isEqualTo(DUPLICATES);
        assertThat(loader.get("rowsQuarantined").asLong()).isEqualTo(BAD);
        // The load asked for its event day to be rolled up; no rollup ran.
        assertThat(status.get("rollup").get("pendingDays")).hasSize(1);
        assertThat(status.get("batches").get("applied").asLong()).isEqualTo(GOOD);
    }

    @Test
    @Order(3)
    void theLastReconcileIsShownWithItsVerdictAndDriftCount() throws Exception {
        CliRun reconcile = CliRun.of(endpointsFile, "reconcile", "--date", eventDay.toString(), "--json");
        JsonNode report = JSON.readTree(reconcile.stdout());
        assertThat(reconcile.exitCode()).as(reconcile.stderr()).isEqualTo(report.get("clean").asBoolean() ? 0 : 1);

        JsonNode shown = status().get("reconcile");
        assertThat(shown.get("lastReconciledAt").isNull()).isFalse();
        assertThat(shown.get("date").asText()).isEqualTo(eventDay.toString());
        assertThat(shown.get("verdict").asText()).isEqualTo(report.get("clean").asBoolean() ? "clean" : "drift");
        assertThat(shown.get("drifts").asLong()).isEqualTo(report.get("drifts").size());
    }

    @Test
    @Order(4)
    void theTableSaysTheSameForPeople() {
        CliRun table = CliRun.of(endpointsFile, "status");
        assertThat(table.exitCode()).as(table.stderr()).isZero();
        assertThat(table.stdout()).contains("applied " + GOOD + ", duplicates " + DUPLICATES + ", quarantined " + BAD + " " + new TreeMap<>(BAD_BY_REASON)
                        + ", failed 0")
                .contains("0 not loaded").contains("on-failure queue " + runtime.spec().queues().streamFailures() + ": 0 waiting")
                .contains("reconcile: last of day " + eventDay);
    }

    @Test
    @Order(5)
    void targetAwsWithoutTheRawBucketIsRefusedInOneLine() {
        CliRun aws = CliRun.of(endpointsFile, "status", "--target", "aws", "--region", "us-east-1");
        assertThat(aws.exitCode()).isEqualTo(2);
        assertThat(aws.stderr().strip()).contains("--raw-bucket").doesNotContain("\n");
    }

    private static JsonNode status() throws Exception {
        CliRun run = CliRun.of(endpointsFile, "status", "--output", "json");
        assertThat(run.exitCode()).as(run.stderr()).isZero();
        return JSON.readTree(run.stdout());
    }
}
