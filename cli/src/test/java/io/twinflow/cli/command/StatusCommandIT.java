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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
 * {@code twinflow status} on the embedded stack counts what the test did: N good records, two that are not JSON and one
 * that is not an object are applied, quarantined by reason and never failed; the raw archive is unloaded until the loader
 * runs once, after which the load log holds that run's row counts.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StatusCommandIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int GOOD = 12;
    private static final int BAD = 3;

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
        List<PutRecordsRequestEntry> entries = new ArrayList<>();
        for (int i = 0; i < GOOD; i++) {
            String device = "status-" + (i % 3);
            entries.add(entry(device, "{\"schemaVersion\":1,\"eventId\":\"s-" + i + "\",\"deviceId\":\"" + device + "\",\"ts\":\""
                    + ts.plusMillis(i) + "\",\"metrics\":{\"temperature\":" + (20 + i) + "}}"));
        }
        entries.add(entry("status-bad", "not json"));
        entries.add(entry("status-bad", "{\"schemaVersion\":"));
        entries.add(entry("status-bad", "[1,2]"));
        try (KinesisClient kinesis = ServiceClients.local(endpoints).kinesis()) {
            assertThat(kinesis.putRecords(b -> b.streamName(runtime.spec().stream().name()).records(entries)).failedRecordCount()).isZero();
        }
        CliRun.awaitSettled(runtime, GOOD + BAD, Duration.ofSeconds(60));
        runtime.archiver().close(); // flush the raw archive now rather than at its buffer interval
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
        assertThat(batches.get("records").asLong()).isEqualTo(GOOD + BAD);
        assertThat(batches.get("applied").asLong()).isEqualTo(GOOD);
        assertThat(batches.get("duplicates").asLong()).isZero();
        assertThat(batches.get("quarantined").asLong()).isEqualTo(BAD);
        assertThat(JSON.convertValue(batches.get("quarantinedByReason"), Map.class))
                .isEqualTo(Map.of("INVALID_JSON", 2, "NOT_AN_OBJECT", 1));
        assertThat(batches.get("failed").asLong()).isZero();

        JsonNode shards = status.get("stream").get("shards");
        assertThat(shards).hasSize(runtime.spec().stream().shardCount());
        for (JsonNode shard : shards) {
            assertThat(shard.get("recordsBehind").asLong()).as(shard.toString()).isZero();
            assertThat(shard.get("millisBehind").asLong()).isZero();
        }
        assertThat(status.get("onFailure").get("depth").asLong()).isZero();
        assertThat(status.get("archive").get("rawObjects").asLong()).isPositive();
        assertThat(status.get("archive").get("unloaded").asLong()).isEqualTo(status.get("archive").get("rawObjects").asLong());
        assertThat(status.get("loader").get("lastLoadAt").isNull()).isTrue();
        assertThat(status.get("rollup").get("lastComputedAt").isNull()).isTrue();
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
        assertThat(loader.get("linesRead").asLong()).isEqualTo(GOOD + BAD);
        assertThat(loader.get("rowsLoaded").asLong()).isEqualTo(GOOD);
        assertThat(loader.get("rowsDuplicate").asLong()).isZero();
        assertThat(loader.get("rowsQuarantined").asLong()).isEqualTo(BAD);
        // The load asked for its event day to be rolled up; no rollup ran.
        assertThat(status.get("rollup").get("pendingDays")).hasSize(1);
        assertThat(status.get("batches").get("applied").asLong()).isEqualTo(GOOD);
    }

    @Test
    @Order(3)
    void theTableSaysTheSameForPeople() {
        CliRun table = CliRun.of(endpointsFile, "status");
        assertThat(table.exitCode()).as(table.stderr()).isZero();
        assertThat(table.stdout()).contains("applied " + GOOD + ", duplicates 0, quarantined " + BAD + " {INVALID_JSON=2, NOT_AN_OBJECT=1}, failed 0")
                .contains("0 not loaded").contains("on-failure queue " + runtime.spec().queues().streamFailures() + ": 0 waiting");
    }

    @Test
    @Order(4)
    void targetAwsIsRefusedInOneLine() {
        CliRun aws = CliRun.of(endpointsFile, "status", "--target", "aws");
        assertThat(aws.exitCode()).isEqualTo(2);
        assertThat(aws.stderr().strip()).contains("not built yet").doesNotContain("\n");
    }

    private static JsonNode status() throws Exception {
        CliRun run = CliRun.of(endpointsFile, "status", "--output", "json");
        assertThat(run.exitCode()).as(run.stderr()).isZero();
        return JSON.readTree(run.stdout());
    }
}
