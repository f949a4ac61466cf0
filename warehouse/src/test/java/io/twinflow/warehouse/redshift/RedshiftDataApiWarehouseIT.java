package io.twinflow.warehouse.redshift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.twinflow.core.aggregate.MetricAggregate;
import io.twinflow.core.aggregate.WindowAggregate;
import io.twinflow.emulators.EmbeddedS3;
import io.twinflow.warehouse.DeviceSummary;
import io.twinflow.warehouse.LoadResult;
import io.twinflow.warehouse.LoadRules;
import io.twinflow.warehouse.RawLines;
import io.twinflow.warehouse.RawObject;
import io.twinflow.warehouse.sql.Dialect;
import io.twinflow.warehouse.sql.Migration;
import io.twinflow.warehouse.sql.Migrations;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.redshiftdata.model.BatchExecuteStatementRequest;
import software.amazon.awssdk.services.redshiftdata.model.DescribeStatementResponse;
import software.amazon.awssdk.services.redshiftdata.model.StatusString;
import software.amazon.awssdk.services.redshiftdata.model.SubStatementData;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The Data API adapter's S3 side for real (embedded S3) and its Redshift side against a fake Data API
 * client that reads the staging object the way COPY would. No SQL runs on Redshift here: the SQL text
 * is checked by LoadSqlTest/DialectTest, and the same statements (in the PostgreSQL dialect) run for
 * real in JdbcWarehouseIT.
 */
class RedshiftDataApiWarehouseIT {

    private static final String RAW = "raw-bucket";
    private static final String STAGE = "stage-bucket";
    private static final Pattern COPY_SOURCE = Pattern.compile("FROM 's3://" + STAGE + "/([^']+)'");

    private static EmbeddedS3 s3Server;
    private static S3Client s3;

    private final FakeRedshiftData client = new FakeRedshiftData();
    private final Map<String, List<String>> stagedByKey = new TreeMap<>();
    private final Instant now = Instant.parse("2026-11-24T11:00:00Z");
    private RedshiftDataApiWarehouse warehouse;

    @BeforeAll
    static void start() {
        s3Server = EmbeddedS3.start();
        s3 = s3Server.s3Client();
        s3.createBucket(b -> b.bucket(RAW));
        s3.createBucket(b -> b.bucket(STAGE));
    }

    @AfterAll
    static void stop() {
        s3.close();
        s3Server.close();
    }

    @BeforeEach
    void adapter() {
        RedshiftDataApiSettings settings = RedshiftDataApiSettings.builder().database("dev").workgroupName("twinflow")
                .secretArn("arn:aws:secretsmanager:eu-central-1:123456789012:secret:rs").copyRoleArn("arn:aws:iam::123456789012:role/copy")
                .stagingBucket(STAGE).stagingPrefix("warehouse-staging/").pollInitial(Duration.ofMillis(10)).pollMax(Duration.ofMillis(40))
                .statementTimeout(Duration.ofMinutes(1)).build();
        warehouse = new RedshiftDataApiWarehouse(client, s3, settings, "telemetry", LoadRules.defaults(),
                Clock.fixed(now, ZoneOffset.UTC), d -> { }, System::nanoTime);
        // Like COPY, the fake reads every staging object named in a batch while the batch runs.
        client.onBatch = request -> {
            for (String sql : request.sqls()) {
                Matcher m = COPY_SOURCE.matcher(sql);
                if (m.find()) {
                    stagedByKey.put(m.group(1), gunzipLines(s3.getObjectAsBytes(b -> b.bucket(STAGE).key(m.group(1))).asByteArray()));
                }
            }
            return List.of(FakeRedshiftData.status(StatusString.STARTED), FakeRedshiftData.finished(false));
        };
    }

    @Test
    void aLoadStagesOneCsvLinePerRawLineAndRunsCopyMergeAndLoadLogInOneBatch() {
        // Fixed event times judged against the arrival their envelopes carry, not against the wall clock.
        Instant t = Instant.parse("2026-11-24T10:00:00Z");
        RawObject object = put("raw/dt=2026-11-24/hour=10/a.gz",
                envelope(RawLines.event("e1", "dev-1", t, 20.0, 40.0, 0.5), t.plusSeconds(1), "7"), "broken",
                envelope(RawLines.event("e2", "dev-1", t, 21.0, 41.0, 0.4), t.plusSeconds(1), "8"));
        answerLoadLog(true);

        LoadResult result = warehouse.load(object);

        assertThat(result.status()).isEqualTo(LoadResult.Status.LOADED);
        assertThat(result.rowsLoaded()).isEqualTo(2);
        BatchExecuteStatementRequest batch = client.batches.get(0);
        assertThat(batch.sqls()).hasSize(12);
        assertThat(batch.sqls().get(0)).startsWith("CREATE TEMP TABLE stage_lines (");
        assertThat(batch.sqls().get(1)).startsWith("COPY stage_lines (").contains("IAM_ROLE 'arn:aws:iam::123456789012:role/copy'", "GZIP");
        assertThat(batch.sqls().get(2)).isEqualTo("LOCK telemetry.events, telemetry.quarantine, telemetry.load_log, telemetry.rollup_requests");
        assertThat(batch.sqls().get(3)).startsWith("CREATE TEMP TABLE stage_identities AS ");
        assertThat(batch.sqls().get(4)).startsWith("UPDATE stage_identities SET is_full = 1 FROM (");
        assertThat(batch.sqls().get(7)).startsWith("INSERT INTO telemetry.events (");
        assertThat(batch.sqls().get(8)).startsWith("MERGE INTO telemetry.events USING stage_stored s");
        assertThat(batch.sqls().get(9)).startsWith("INSERT INTO telemetry.rollup_requests (dt, requested_at, source_key)");
        assertThat(batch.sqls().get(11)).startsWith("INSERT INTO telemetry.load_log").contains("'" + result.etag() + "'");
        assertThat(batch.workgroupName()).isEqualTo("twinflow");

        List<String> staged = stagedByKey.values().iterator().next();
        assertThat(staged).hasSize(3);
        assertThat(staged.get(0)).startsWith("1,\"e1\",\"dev-1\",2026-11-24 10:00:00.000000+00,2026-11-24,2026-11-24 10:00:00.000000+00,1,20.0,40.0,0.5,");
        assertThat(staged.get(1)).startsWith("2,,,,,,,,,,,,,,,,,\"INVALID_JSON\"").contains(",\"broken\",\"utf8\",6,false");
        assertThat(staged.get(2)).startsWith("3,\"e2\"").contains(",\"shardId-000000000000\",\"8\",");
        assertThat(s3.listObjectsV2(b -> b.bucket(STAGE)).contents()).as("staging objects are deleted").isEmpty();
    }

    @Test
    void aLoadedVersionIsNotDownloadedAgain() {
        RawObject object = put("raw/dt=2026-11-24/hour=10/b.gz", "x");
        client.onQuery = sql -> FakeRedshiftData.result(List.of("?column?"), List.of(List.of(FakeRedshiftData.number(1))));

        LoadResult result = warehouse.load(object);

        assertThat(result.status()).isEqualTo(LoadResult.Status.ALREADY_LOADED);
        assertThat(client.batches).isEmpty();
        assertThat(client.queries.get(0).sql()).contains("FROM telemetry.load_log WHERE object_key = 'raw/dt=2026-11-24/hour=10/b.gz'");
    }

    @Test
    void losingARaceToAnotherLoaderIsReportedAsAlreadyLoaded() {
        RawObject object = put("raw/dt=2026-11-24/hour=10/c.gz", RawLines.event("e1", "d", now.minusSeconds(60), 1, 1, 1));
        answerLoadLog(false);

        assertThat(warehouse.load(object).status()).isEqualTo(LoadResult.Status.ALREADY_LOADED);
    }

    @Test
    void aFailedCopyIsSurfacedWithFileAndLineAndNotedInTheLoadLog() {
        RawObject object = put("raw/dt=2026-11-24/hour=10/d.gz", RawLines.event("e1", "d", now.minusSeconds(60), 1, 1, 1));
        client.onBatch = request -> request.sqls().stream().anyMatch(s -> s.startsWith("COPY"))
                ? List.of(DescribeStatementResponse.builder().status(StatusString.FAILED).error("Load failed")
                        .subStatements(SubStatementData.builder().status("FAILED").redshiftQueryId(99L)
                                .queryString(request.sqls().get(1)).error("Load into table 'stage_lines' failed").build())
                        .build())
                : List.of(FakeRedshiftData.finished(false));
        client.onQuery = sql -> sql.contains("sys_load_error_detail")
                ? FakeRedshiftData.result(List.of("file_name", "line_number", "column_name", "error_message"),
                        List.of(List.of(FakeRedshiftData.text("s3://stage-bucket/x.csv.gz"), FakeRedshiftData.number(1),
                                FakeRedshiftData.text("metrics_json"), FakeRedshiftData.text("String length exceeds DDL length"))))
                : FakeRedshiftData.result(List.of("x"), List.of());

        assertThatThrownBy(() -> warehouse.load(object)).isInstanceOfSatisfying(DataApiStatementException.class,
                e -> assertThat(e.loadErrors()).extracting(LoadError::line).containsExactly(1L));
        assertThat(client.batches).hasSize(2);
        assertThat(client.batches.get(1).sqls()).anySatisfy(s -> assertThat(s).contains("'FAILED'", "String length exceeds DDL length"));
        assertThat(s3.listObjectsV2(b -> b.bucket(STAGE)).contents()).isEmpty();
    }

    @Test
    void summariesAreCopiedFromStagingObjectsAfterTheDayIsDeletedUnderALock() {
        Instant midnight = Instant.parse("2026-11-24T00:00:00Z");
        TreeMap<String, MetricAggregate> metrics = new TreeMap<>(Map.of("temperature", new MetricAggregate(2, 40, 19, 21)));
        DeviceSummary daily = new DeviceSummary("dev-1", midnight, midnight.plusSeconds(5), midnight.plusSeconds(9),
                new WindowAggregate(2, metrics));
        DeviceSummary hourly = new DeviceSummary("dev-1", midnight, midnight.plusSeconds(5), midnight.plusSeconds(9),
                new WindowAggregate(2, metrics));

        warehouse.replaceDaySummaries(LocalDate.parse("2026-11-24"), List.of(daily), List.of(hourly));

        List<String> sqls = client.batches.get(0).sqls();
        assertThat(sqls.get(0)).startsWith("LOCK telemetry.device_daily_summary");
        assertThat(sqls.subList(1, 5)).allSatisfy(s -> assertThat(s).startsWith("DELETE FROM telemetry.device_")
                .endsWith("WHERE dt = CAST('2026-11-24' AS DATE)"));
        assertThat(sqls.subList(5, 9)).allSatisfy(s -> assertThat(s).startsWith("COPY telemetry.device_"));
        assertThat(stagedByKey.values()).containsExactlyInAnyOrder(
                List.of("2026-11-24,\"dev-1\",2,2026-11-24 00:00:05.000000+00,2026-11-24 00:00:09.000000+00,2026-11-24 11:00:00.000000+00"),
                List.of("2026-11-24,\"dev-1\",\"temperature\",2,40.0,19.0,21.0,20.0"),
                List.of("2026-11-24,0,\"dev-1\",2,2026-11-24 00:00:05.000000+00,2026-11-24 00:00:09.000000+00,2026-11-24 11:00:00.000000+00"),
                List.of("2026-11-24,0,\"dev-1\",\"temperature\",2,40.0,19.0,21.0,20.0"));
        assertThat(s3.listObjectsV2(b -> b.bucket(STAGE)).contents()).isEmpty();
    }

    @Test
    void migrateBootstrapsReadsAppliedVersionsAndAppliesTheRestOneBatchEach() {
        Migration first = Migrations.all().get(0);
        client.onQuery = sql -> FakeRedshiftData.result(List.of("version", "checksum"),
                List.of(List.of(FakeRedshiftData.number(1), FakeRedshiftData.text(first.checksum()))));

        assertThat(warehouse.migrate()).containsExactly(2, 3, 4, 5, 6, 7, 8);
        assertThat(client.batches).hasSize(8);
        assertThat(client.batches.get(0).sqls().get(0)).isEqualTo("CREATE SCHEMA IF NOT EXISTS telemetry");
        assertThat(client.batches.get(1).sqls().get(0)).isEqualTo("LOCK telemetry.schema_migrations");
        assertThat(client.batches.get(1).sqls()).anySatisfy(s -> assertThat(s).contains("device_daily_metric", "SORTKEY"));
        assertThat(client.batches.get(2).sqls()).last().asString().contains("SELECT 3,");
        // V006 only re-keys PostgreSQL's events: on Redshift its batch is the lock and the record, nothing else.
        assertThat(client.batches.get(5).sqls()).hasSize(2).last().asString().contains("SELECT 6,");
        // V008 only replaces a PostgreSQL index (Redshift has its sort key): the lock and the record again.
        assertThat(client.batches.get(7).sqls()).hasSize(2).last().asString().contains("SELECT 8,");
    }

    @Test
    void rollupRequestsAndTheLoaderWatermarkAreReadAndWrittenWithTheSharedStatements() {
        client.onQuery = sql -> sql.contains("rollup_requests")
                ? FakeRedshiftData.result(List.of("dt"), List.of(List.of(FakeRedshiftData.text("2026-11-23")),
                        List.of(FakeRedshiftData.text("2026-11-24"))))
                : FakeRedshiftData.result(List.of("oldest_unloaded_dt"), List.of(List.of(FakeRedshiftData.text("2026-11-20"))));

        assertThat(warehouse.pendingRollupDays()).containsExactly(LocalDate.parse("2026-11-23"), LocalDate.parse("2026-11-24"));
        assertThat(warehouse.loaderWatermark("raw/")).contains(LocalDate.parse("2026-11-20"));
        warehouse.saveLoaderWatermark("raw/", LocalDate.parse("2026-11-21"));
        warehouse.replaceDaySummaries(LocalDate.parse("2026-11-23"), List.of(), List.of(), Instant.parse("2026-11-24T09:10:00Z"));

        assertThat(client.queries).extracting(q -> q.sql()).containsExactly(
                "SELECT DISTINCT dt FROM telemetry.rollup_requests ORDER BY dt",
                "SELECT CAST(oldest_unloaded_dt AS VARCHAR(10)) FROM telemetry.loader_watermark WHERE raw_prefix = 'raw/'");
        assertThat(client.batches.get(0).sqls()).containsExactly(
                Dialect.REDSHIFT.lockForLoad("telemetry"),
                "DELETE FROM telemetry.loader_watermark WHERE raw_prefix = 'raw/'",
                "INSERT INTO telemetry.loader_watermark (raw_prefix, oldest_unloaded_dt, updated_at) VALUES ('raw/', "
                        + "CAST('2026-11-21' AS DATE), CAST('2026-11-24 11:00:00.000000+00' AS TIMESTAMPTZ))");
        assertThat(client.batches.get(1).sqls()).last().isEqualTo("DELETE FROM telemetry.rollup_requests WHERE dt = "
                + "CAST('2026-11-23' AS DATE) AND requested_at <= CAST('2026-11-24 09:10:00.000000+00' AS TIMESTAMPTZ)");
    }

    @Test
    void aMigrationThatARacingRunnerAppliedBetweenOurReadAndOurLockIsSkipped() {
        List<Migration> all = Migrations.all();
        int[] reads = {0};
        client.onQuery = sql -> {
            // First read: V1-V4 applied; after our V5 batch fails, the racing runner's V5 is there too.
            int applied = reads[0]++ == 0 ? 4 : 5;
            return FakeRedshiftData.result(List.of("version", "checksum"), all.subList(0, applied).stream()
                    .map(m -> List.of(FakeRedshiftData.number(m.version()), FakeRedshiftData.text(m.checksum()))).toList());
        };
        client.onBatch = request -> request.statementName().equals("twinflow-migrate-v5")
                ? List.of(DescribeStatementResponse.builder().status(StatusString.FAILED).error("column window_start already exists").build())
                : List.of(FakeRedshiftData.finished(false));

        // V5 is skipped; the migrations after it are ours to apply.
        List<Migration> later = all.subList(5, all.size());
        assertThat(warehouse.migrate()).isEqualTo(later.stream().map(Migration::version).toList());
        assertThat(client.batches).extracting(BatchExecuteStatementRequest::statementName).startsWith("twinflow-migrate-bootstrap", "twinflow-migrate-v5")
                .hasSize(2 + later.size());
    }

    /** The load log row the adapter reads back; {@code ours} decides whose load id it carries. */
    private void answerLoadLog(boolean ours) {
        client.onQuery = sql -> {
            if (sql.startsWith("SELECT 1 FROM telemetry.load_log")) {
                return FakeRedshiftData.result(List.of("?column?"), List.of());
            }
            String loadId = ours ? loadIdOfLastBatch() : "someone-else";
            return FakeRedshiftData.result(List.of("status", "lines_read", "rows_loaded", "rows_duplicate", "rows_quarantined", "load_id"),
                    List.of(List.of(FakeRedshiftData.text("LOADED"), FakeRedshiftData.number(3), FakeRedshiftData.number(2),
                            FakeRedshiftData.number(0), FakeRedshiftData.number(1), FakeRedshiftData.text(loadId))));
        };
    }

    private String loadIdOfLastBatch() {
        String insert = client.batches.get(client.batches.size() - 1).sqls().stream()
                .filter(s -> s.startsWith("INSERT INTO telemetry.load_log")).findFirst().orElseThrow();
        Matcher m = Pattern.compile("'redshift-data-api', '([0-9a-f-]{36})'").matcher(insert);
        assertThat(m.find()).isTrue();
        return m.group(1);
    }

    private static String envelope(String event, Instant arrival, String sequence) {
        return new String(RawLines.envelope(event, arrival, "shardId-000000000000", sequence), StandardCharsets.UTF_8);
    }

    private static RawObject put(String key, String... lines) {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(buffer)) {
            gzip.write((String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        s3.putObject(b -> b.bucket(RAW).key(key), RequestBody.fromBytes(buffer.toByteArray()));
        return new RawObject(RAW, key);
    }

    private static List<String> gunzipLines(byte[] gz) {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gz))) {
            return new ArrayList<>(List.of(new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
