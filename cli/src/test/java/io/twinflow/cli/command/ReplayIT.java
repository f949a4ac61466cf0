package io.twinflow.cli.command;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.twinflow.core.pipeline.PipelineSpec;
import io.twinflow.local.config.ServiceClients;
import io.twinflow.local.runtime.EmbeddedRuntime;
import io.twinflow.local.simulate.FleetSimulator;
import io.twinflow.local.simulate.KinesisPublisher;
import io.twinflow.local.simulate.PlannedRecord;
import io.twinflow.local.simulate.SimulationConfig;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.kinesis.KinesisClient;

/**
 * `twinflow replay` on the embedded stack: a fleet streams in and is archived, then the archive is fed
 * through the stream processor again. Exactly-once makes that a no-op: every live table stays exactly as
 * it was, every valid record comes back as a duplicate and every bad one is quarantined again, once per
 * replay. Expected counts come from the records the stream accepted, not from the pipeline's counters.
 */
class ReplayIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static EmbeddedRuntime runtime;
    private static final List<PlannedRecord> accepted = new CopyOnWriteArrayList<>();
    private static Instant sentFrom;
    private static Instant sentTo;
    private static long bad;

    @TempDir
    static Path dir;

    @BeforeAll
    static void streamAndArchiveAFleet() throws Exception {
        runtime = EmbeddedRuntime.start(PipelineSpec.defaults(), new PrintStream(OutputStream.nullOutputStream()));
        runtime.endpoints().write(dir.resolve("endpoints.json"));
        System.setProperty("aws.cborEnabled", "false");
        sentFrom = Instant.now().minusSeconds(1);
        SimulationConfig config = new SimulationConfig(4, 600, Duration.ofSeconds(2), 0.05, 0.03, 0.2, 11);
        try (KinesisClient kinesis = ServiceClients.local(runtime.endpoints()).kinesis()) {
            new FleetSimulator(config).run(new KinesisPublisher(kinesis, runtime.spec().stream().name()),
                    (record, ack, at) -> accepted.add(record), (done, total, ledger) -> { });
        }
        CliRun.awaitSettled(runtime, accepted.size(), Duration.ofMinutes(2));
        runtime.archiver().close(); // flush the raw archive, as the demo does
        sentTo = Instant.now().plusSeconds(1);
        bad = accepted.stream().filter(r -> r.kind() == PlannedRecord.Kind.BAD).count();
        assertThat(bad).isPositive();
    }

    @AfterAll
    static void stop() {
        if (runtime != null) {
            runtime.close();
        }
    }

    @Test
    void replayingEverythingOnceThenTwiceLeavesEveryLiveTableExactlyAsItWas() throws Exception {
        Map<String, List<String>> before = liveTables();
        assertThat(before.values()).allSatisfy(items -> assertThat(items).isNotEmpty());
        for (int run = 1; run <= 2; run++) {
            CliRun replay = cli("replay", "--from", sentFrom.toString(), "--to", sentTo.toString());
            assertThat(replay.exitCode()).as(replay.stderr()).isZero();
            JsonNode summary = JSON.readTree(replay.stdout());
            assertThat(summary.get("message").asText()).isEqualTo("replay summary");
            assertThat(summary.get("records").asLong()).as("run %d", run).isEqualTo(accepted.size());
            assertThat(summary.get("applied").asLong()).isZero();
            assertThat(summary.get("duplicates").asLong()).isEqualTo(accepted.size() - bad);
            assertThat(summary.get("quarantined").asLong()).isEqualTo(bad);
            long byReason = 0;
            for (JsonNode count : summary.get("quarantinedByReason")) {
                byReason += count.asLong();
            }
            assertThat(byReason).isEqualTo(bad);
            assertThat(summary.get("failed").asLong()).isZero();
            assertThat(summary.get("notReplayed").asLong()).isZero();
            assertThat(summary.get("skipped").asLong()).isZero();
            assertThat(replay.stderr()).contains("100% " + accepted.size() + "/" + accepted.size() + " records");
            assertThat(liveTables()).as("the live tables after replay %d", run).isEqualTo(before);
        }
    }

    @Test
    void deviceFiltersAndARangeBeforeTheFleetReplaysNothing() throws Exception {
        Map<String, Long> perDevice = new TreeMap<>();
        for (PlannedRecord r : accepted) {
            try {
                JsonNode id = JSON.readTree(r.data()).path("deviceId");
                if (id.isTextual()) {
                    perDevice.merge(id.asText(), 1L, Long::sum);
                }
            } catch (IOException notJson) {
                // a bad record that is not JSON belongs to no device
            }
        }
        List<String> devices = new ArrayList<>(perDevice.keySet());
        CliRun two = cli("replay", "--from", sentFrom.toString(), "--to", sentTo.toString(), "--device", devices.get(0),
                "--device", devices.get(1));
        assertThat(two.exitCode()).as(two.stderr()).isZero();
        JsonNode summary = JSON.readTree(two.stdout());
        assertThat(summary.get("records").asLong()).isEqualTo(perDevice.get(devices.get(0)) + perDevice.get(devices.get(1)));
        assertThat(summary.get("applied").asLong()).isZero();

        CliRun none = cli("replay", "--from", sentFrom.minusSeconds(3600).toString(), "--to", sentFrom.minusSeconds(1800).toString());
        assertThat(none.exitCode()).isZero();
        assertThat(JSON.readTree(none.stdout()).get("records").asLong()).isZero();
    }

    /** Each live table's items, every attribute, as sorted text: equal maps mean byte-for-byte equal tables. */
    private static Map<String, List<String>> liveTables() {
        PipelineSpec.Tables tables = runtime.spec().tables();
        Map<String, List<String>> items = new TreeMap<>();
        try (DynamoDbClient dynamoDb = ServiceClients.local(runtime.endpoints()).dynamoDb()) {
            for (String table : List.of(tables.deviceState(), tables.deviceWindows(), tables.alerts())) {
                List<String> rows = new ArrayList<>();
                for (Map<String, AttributeValue> item : dynamoDb.scanPaginator(b -> b.tableName(table).consistentRead(true)).items()) {
                    rows.add(new TreeMap<>(item).toString());
                }
                rows.sort(null);
                items.put(table, rows);
            }
        }
        return items;
    }

    private static CliRun cli(String... args) {
        return CliRun.of(dir.resolve("endpoints.json"), args);
    }
}
