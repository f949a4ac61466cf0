package io.twinflow.cli.command;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.twinflow.core.pipeline.PipelineSpec;
import io.twinflow.functions.batch.LoaderReport;
import io.twinflow.local.batch.RollupLauncher;
import io.twinflow.local.config.Endpoints;
import io.twinflow.local.config.ServiceClients;
import io.twinflow.local.runtime.EmbeddedRuntime;
import io.twinflow.local.simulate.FleetSimulator;
import io.twinflow.local.simulate.KinesisPublisher;
import io.twinflow.local.simulate.PlannedRecord;
import io.twinflow.local.simulate.SimulationConfig;
import io.twinflow.warehouse.QueryResult;
import io.twinflow.warehouse.Warehouse;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.kinesis.KinesisClient;

/**
 * The batch path on the embedded stack, as `twinflow demo` and the schedules run it: a fleet streams in,
 * the archive is flushed, the loader fills telemetry.events, the rollup (a Spark JVM) writes the daily
 * and hourly summaries, and reconcile finds no drift. Every expected number is computed here from the
 * records the stream accepted, not from the pipeline's own counters.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BatchPathIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static EmbeddedRuntime runtime;
    private static Endpoints endpoints;
    private static final List<PlannedRecord> accepted = new CopyOnWriteArrayList<>();
    /** (day -> device -> events) of the first copy of each valid eventId. */
    private static final Map<LocalDate, Map<String, Long>> expectedDaily = new TreeMap<>();
    /** (day -> distinct device/hour pairs). */
    private static final Map<LocalDate, Set<String>> expectedHourly = new TreeMap<>();
    private static long expectedEvents;
    private static long expectedBad;
    private static long expectedDuplicates;

    @TempDir
    static Path dir;

    @BeforeAll
    static void streamAFleet() throws Exception {
        runtime = EmbeddedRuntime.start(PipelineSpec.defaults(), new PrintStream(OutputStream.nullOutputStream()));
        endpoints = runtime.endpoints();
        endpoints.write(dir.resolve("endpoints.json"));
        System.setProperty("aws.cborEnabled", "false");
        SimulationConfig config = new SimulationConfig(6, 1200, Duration.ofSeconds(2), 0.05, 0.03, 0.2, 7);
        try (KinesisClient kinesis = ServiceClients.local(endpoints).kinesis()) {
            new FleetSimulator(config).run(new KinesisPublisher(kinesis, runtime.spec().stream().name()),
                    (record, ack, at) -> accepted.add(record), (done, total, ledger) -> { });
        }
        awaitSettled(accepted.size());
        runtime.archiver().close(); // flush the raw archive, as the demo does

        Set<String> seen = new HashSet<>();
        for (PlannedRecord r : accepted) {
            if (r.kind() == PlannedRecord.Kind.BAD) {
                expectedBad++;
                continue;
            }
            JsonNode event = JSON.readTree(r.data());
            if (!seen.add(event.get("eventId").asText())) {
                expectedDuplicates++;
                continue;
            }
            expectedEvents++;
            Instant ts = Instant.parse(event.get("ts").asText());
            LocalDate day = LocalDate.ofInstant(ts, ZoneOffset.UTC);
            String device = event.get("deviceId").asText();
            expectedDaily.computeIfAbsent(day, d -> new TreeMap<>()).merge(device, 1L, Long::sum);
            expectedHourly.computeIfAbsent(day, d -> new HashSet<>()).add(device + "@" + ts.atZone(ZoneOffset.UTC).getHour());
        }
        assertThat(expectedBad).isPositive();
        assertThat(expectedDuplicates).isPositive();
    }

    @AfterAll
    static void stop() {
        if (runtime != null) {
            runtime.close();
        }
    }

    @Test
    @Order(1)
    void loaderPutsEveryValidEventInTheWarehouseOnceAndQuarantinesTheRest() {
        LoaderReport report = runtime.batch().load(Optional.empty(), outcome -> { });
        assertThat(report.failedKeys()).isEmpty();
        assertThat(report.linesRead()).isEqualTo(accepted.size());
        assertThat(report.rowsLoaded()).isEqualTo(expectedEvents);
        assertThat(report.rowsDuplicate()).isEqualTo(expectedDuplicates);
        assertThat(report.rowsQuarantined()).isEqualTo(expectedBad);

        Warehouse warehouse = runtime.batch().warehouse();
        assertThat(single(warehouse.query("SELECT COUNT(*) FROM telemetry.events"))).isEqualTo(expectedEvents);
        assertThat(single(warehouse.query("SELECT COUNT(DISTINCT event_id) FROM telemetry.events"))).isEqualTo(expectedEvents);
        assertThat(single(warehouse.query("SELECT COUNT(*) FROM telemetry.quarantine"))).isEqualTo(expectedBad);
        Map<LocalDate, Map<String, Long>> perDay = new TreeMap<>();
        for (List<Object> row : warehouse.query("SELECT dt, device_id, COUNT(*) FROM telemetry.events GROUP BY dt, device_id").rows()) {
            perDay.computeIfAbsent(LocalDate.parse(row.get(0).toString()), d -> new TreeMap<>())
                    .put((String) row.get(1), ((Number) row.get(2)).longValue());
        }
        assertThat(perDay).isEqualTo(expectedDaily);

        LoaderReport again = runtime.batch().load(Optional.empty(), outcome -> { });
        assertThat(again.pending()).as("a second run finds everything in the load log").isZero();
        assertThat(single(warehouse.query("SELECT COUNT(*) FROM telemetry.events"))).isEqualTo(expectedEvents);
    }

    @Test
    @Order(2)
    void rollupWritesTheDailyAndHourlySummariesOfEachDay() throws Exception {
        List<LocalDate> days = List.copyOf(expectedDaily.keySet());
        List<RollupLauncher.Result> results = runtime.batch().rollup(days, dir.resolve("rollup.log"));
        assertThat(results).hasSize(days.size());
        for (RollupLauncher.Result r : results) {
            assertThat(r.succeeded()).as("rollup of %s, log %s", r.date(), r.log()).isTrue();
            Map<String, Object> report = r.report().orElseThrow();
            long dayEvents = expectedDaily.get(r.date()).values().stream().mapToLong(Long::longValue).sum();
            assertThat(((Number) report.get("events")).longValue()).isEqualTo(dayEvents);
        }
        Warehouse warehouse = runtime.batch().warehouse();
        Map<LocalDate, Map<String, Long>> daily = new TreeMap<>();
        for (List<Object> row : warehouse.query("SELECT dt, device_id, event_count FROM telemetry.device_daily_summary").rows()) {
            daily.computeIfAbsent(LocalDate.parse(row.get(0).toString()), d -> new TreeMap<>())
                    .put((String) row.get(1), ((Number) row.get(2)).longValue());
        }
        assertThat(daily).isEqualTo(expectedDaily);
        for (LocalDate day : days) {
            assertThat(single(warehouse.query("SELECT COUNT(*) FROM telemetry.device_hourly WHERE dt = DATE '" + day + "'")))
                    .isEqualTo(expectedHourly.get(day).size());
            assertThat(single(warehouse.query("SELECT SUM(event_count) FROM telemetry.device_hourly WHERE dt = DATE '" + day + "'")))
                    .isEqualTo(expectedDaily.get(day).values().stream().mapToLong(Long::longValue).sum());
        }
    }

    @Test
    @Order(3)
    void reconcileCommandFindsNoDriftThenExactlyTheCorruptedDevice() throws Exception {
        LocalDate day = expectedDaily.keySet().iterator().next();
        CliRun clean = cli("reconcile", "--date", day.toString(), "--json");
        assertThat(clean.exitCode()).as(clean.stderr()).isZero();
        JsonNode report = JSON.readTree(clean.stdout());
        assertThat(report.get("clean").asBoolean()).isTrue();
        assertThat(report.get("devices").asInt()).isEqualTo(expectedDaily.get(day).size());
        assertThat(report.get("drifts")).isEmpty();

        String victim = expectedDaily.get(day).keySet().iterator().next();
        corrupt(day, victim, +1);
        CliRun drift = cli("reconcile", "--date", day.toString(), "--json");
        assertThat(drift.exitCode()).isEqualTo(1);
        JsonNode drifts = JSON.readTree(drift.stdout()).get("drifts");
        assertThat(drifts).hasSize(1);
        assertThat(drifts.get(0).get("deviceId").asText()).isEqualTo(victim);
        assertThat(drifts.get(0).get("field").asText()).isEqualTo("events");
        assertThat(drifts.get(0).get("batch").asDouble() - drifts.get(0).get("streaming").asDouble()).isEqualTo(1.0);

        corrupt(day, victim, -1);
        assertThat(cli("reconcile", "--date", day.toString()).exitCode()).isZero();
    }

    @Test
    @Order(4)
    void queryCommandPrintsReportsAsOneJsonArrayKeyedByColumn() throws Exception {
        LocalDate day = expectedDaily.keySet().iterator().next();
        CliRun fleet = cli("query", "--report", "daily-fleet", "--date", day.toString(), "--format", "json");
        assertThat(fleet.exitCode()).as(fleet.stderr()).isZero();
        JsonNode rows = JSON.readTree(fleet.stdout());
        assertThat(rows.isArray()).isTrue();
        assertThat(rows).hasSize(1);
        assertThat(rows.get(0).get("dt").asText()).isEqualTo(day.toString());
        assertThat(rows.get(0).get("events").asLong()).isEqualTo(expectedDaily.get(day).values().stream().mapToLong(Long::longValue).sum());
        assertThat(rows.get(0).get("devices_reporting").asInt()).isEqualTo(expectedDaily.get(day).size());

        CliRun sql = cli("query", "--sql", "SELECT device_id, COUNT(*) AS n FROM telemetry.events WHERE dt = DATE '" + day
                + "' GROUP BY device_id ORDER BY device_id", "--format", "csv");
        assertThat(sql.exitCode()).isZero();
        StringBuilder expected = new StringBuilder("device_id,n\r\n");
        expectedDaily.get(day).forEach((device, n) -> expected.append(device).append(',').append(n).append("\r\n"));
        assertThat(sql.stdout()).isEqualTo(expected.toString());

        CliRun health = cli("query", "--report", "device-health", "--format", "table");
        assertThat(health.exitCode()).isZero();
        assertThat(health.stdout()).contains("device_id").contains("(" + expectedDaily.values().stream()
                .flatMap(m -> m.keySet().stream()).distinct().count() + " rows)");

        assertThat(cli("query", "--report", "no-such-report").exitCode()).isEqualTo(2);
    }

    @Test
    @Order(5)
    void batchRunCommandPrintsTheLoadersReport() throws Exception {
        CliRun run = cli("batch", "run", "--job", "loader");
        assertThat(run.exitCode()).as(run.stderr()).isZero();
        JsonNode report = JSON.readTree(run.stdout());
        assertThat(report.get("pending").asInt()).isZero();
        assertThat(report.get("failed").asInt()).isZero();
    }

    @Test
    @Order(6)
    void aRollupRangeEqualsThePerDayRunsAndRerunningItChangesNothing() throws Exception {
        // The per-day runs of test 2 (test 3 put back the row it corrupted).
        List<List<Object>> perDay = dailySummaries();
        List<LocalDate> days = List.copyOf(expectedDaily.keySet());
        String first = days.get(0).toString();
        String last = days.get(days.size() - 1).toString();
        for (int run = 1; run <= 2; run++) {
            CliRun range = cli("batch", "run", "--job", "rollup", "--from", first, "--to", last, "--output", "json");
            assertThat(range.exitCode()).as(range.stderr()).isZero();
            JsonNode reports = JSON.readTree(range.stdout());
            assertThat(reports).hasSize(days.size());
            for (int i = 0; i < days.size(); i++) {
                assertThat(reports.get(i).get("date").asText()).as("days in order").isEqualTo(days.get(i).toString());
                assertThat(reports.get(i).get("exitCode").asInt()).isZero();
                assertThat(reports.get(i).get("events").asLong())
                        .isEqualTo(expectedDaily.get(days.get(i)).values().stream().mapToLong(Long::longValue).sum());
            }
            assertThat(dailySummaries()).as("run %d of the range", run).isEqualTo(perDay);
        }
    }

    @Test
    @Order(7)
    void aLoaderRangeReportsEachArrivalDayAsATableAndLoadsNothingTwice() throws Exception {
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        long events = single(runtime.batch().warehouse().query("SELECT COUNT(*) FROM telemetry.events"));
        CliRun range = cli("batch", "run", "--job", "loader", "--from", today.minusDays(1).toString(), "--to", today.toString());
        assertThat(range.exitCode()).as(range.stderr()).isZero();
        List<String> lines = range.stdout().lines().toList();
        assertThat(lines.get(0)).startsWith("date").contains("loaded", "failed");
        assertThat(lines).anySatisfy(l -> assertThat(l).startsWith(today.minusDays(1).toString()))
                .anySatisfy(l -> assertThat(l).startsWith(today.toString()));
        assertThat(single(runtime.batch().warehouse().query("SELECT COUNT(*) FROM telemetry.events"))).isEqualTo(events);
    }

    /** The rollup's daily rows without computed_at, which each run sets anew. */
    private static List<List<Object>> dailySummaries() {
        Warehouse warehouse = runtime.batch().warehouse();
        List<List<Object>> rows = new ArrayList<>(warehouse.query(
                "SELECT dt, device_id, event_count, first_ts, last_ts FROM telemetry.device_daily_summary ORDER BY dt, device_id").rows());
        rows.addAll(warehouse.query("SELECT dt, device_id, metric, value_count, value_sum, value_min, value_max, value_avg "
                + "FROM telemetry.device_daily_metric ORDER BY dt, device_id, metric").rows());
        return rows;
    }

    private static void corrupt(LocalDate day, String device, int delta) throws SQLException {
        try (Connection c = DriverManager.getConnection(endpoints.postgres().jdbcUrl(), endpoints.postgres().user(), endpoints.postgres().password())) {
            c.createStatement().executeUpdate("UPDATE telemetry.device_daily_summary SET event_count = event_count + (" + delta
                    + ") WHERE dt = DATE '" + day + "' AND device_id = '" + device + "'");
        }
    }

    /** Runs the CLI in-process against this stack through its endpoints file. */
    private static CliRun cli(String... args) {
        return CliRun.of(dir.resolve("endpoints.json"), args);
    }

    private static long single(QueryResult result) {
        return ((Number) result.rows().get(0).get(0)).longValue();
    }

    private static void awaitSettled(long records) throws InterruptedException {
        CliRun.awaitSettled(runtime, records, Duration.ofMinutes(2));
    }
}
