package io.twinflow.warehouse.jdbc;

import static io.twinflow.warehouse.RawLines.envelope;
import static io.twinflow.warehouse.RawLines.event;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.twinflow.core.aggregate.MetricAggregate;
import io.twinflow.core.aggregate.WindowAggregate;
import io.twinflow.core.alert.AlertRules;
import io.twinflow.warehouse.DeviceSummary;
import io.twinflow.warehouse.LoadResult;
import io.twinflow.warehouse.LoadRules;
import io.twinflow.warehouse.LoadedObject;
import io.twinflow.warehouse.QueryResult;
import io.twinflow.warehouse.RawObject;
import io.twinflow.warehouse.Report;
import io.twinflow.warehouse.WarehouseException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The JDBC adapter against embedded PostgreSQL 17 and the embedded S3, each test in its own schema. */
class JdbcWarehouseIT {

    private static final String BUCKET = "twinflow-raw";

    @RegisterExtension
    static final LocalWarehouseStack STACK = new LocalWarehouseStack(BUCKET);

    private String schema;
    private JdbcWarehouse warehouse;

    @BeforeEach
    void freshSchema() {
        schema = STACK.newSchema("wh");
        warehouse = STACK.warehouse(schema);
    }

    @Test
    void migrationsApplyOnceAndASecondRunChangesNothing() {
        assertThat(warehouse.migrate()).containsExactly(1, 2, 3, 4, 5, 6, 7, 8);
        assertThat(warehouse.migrate()).isEmpty();

        assertThat(longValue("SELECT COUNT(*) FROM " + schema + ".schema_migrations")).isEqualTo(8);
        for (Report report : Report.values()) {
            assertThat(warehouse.query(report.sql(schema, null)).rows()).as(report.cliName()).isEmpty();
            assertThat(warehouse.query(report.sql(schema, LocalDate.parse("2026-11-24"))).rows()).as(report.cliName()).isEmpty();
        }
    }

    @Test
    void anAdapterBuiltFromAJdbcUrlSeesTheSameDatabase() {
        warehouse.migrate();

        JdbcWarehouse byUrl = JdbcWarehouse.connect(STACK.postgres().jdbcUrl(), STACK.postgres().user(), STACK.postgres().password(), STACK.s3(),
                schema, LoadRules.defaults());

        assertThat(byUrl.migrate()).isEmpty();
        assertThat(byUrl.query("SELECT COUNT(*) AS n FROM " + schema + ".schema_migrations").rows()).containsExactly(List.of(8L));
        assertThat(byUrl.query("DELETE FROM " + schema + ".alert_rules")).isEqualTo(new QueryResult(List.of(), List.of()));
    }

    @Test
    void concurrentMigrationsApplyEachVersionExactlyOnce() throws Exception {
        List<List<Integer>> results = concurrently(4, () -> warehouse.migrate());

        assertThat(results.stream().flatMap(List::stream).toList()).containsExactly(1, 2, 3, 4, 5, 6, 7, 8);
        assertThat(longValue("SELECT COUNT(*) FROM " + schema + ".schema_migrations")).isEqualTo(8);
    }

    @Test
    void loadingTheSameObjectTwiceAddsItsRowsOnce() {
        warehouse.migrate();
        Instant t = Instant.now().minus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.MILLIS);
        RawObject object = put("raw/dt=2026-11-24/hour=10/a.json.gz", List.of(
                event("e1", "dev-1", t, 21.5, 40.0, 0.9),
                event("e2", "dev-1", t.plusSeconds(1), 22.0, 41.0, 0.89),
                event("e1", "dev-1", t, 21.5, 40.0, 0.9), // a producer retry inside the same object
                event("e3", "dev-2", t.plusSeconds(2), 19.0, 55.0, 0.5)));

        LoadResult first = warehouse.load(object);
        LoadResult second = warehouse.load(object);

        assertThat(first.status()).isEqualTo(LoadResult.Status.LOADED);
        assertThat(first.linesRead()).isEqualTo(4);
        assertThat(first.rowsLoaded()).isEqualTo(3);
        assertThat(first.rowsDuplicate()).isEqualTo(1);
        assertThat(first.rowsQuarantined()).isZero();
        assertThat(second.status()).isEqualTo(LoadResult.Status.ALREADY_LOADED);
        assertThat(longValue("SELECT COUNT(*) FROM " + schema + ".events")).isEqualTo(3);
        assertThat(longValue("SELECT copies_seen FROM " + schema + ".events WHERE event_id = 'e1'")).isEqualTo(2);
        assertThat(longValue("SELECT source_line FROM " + schema + ".events WHERE event_id = 'e1'")).isEqualTo(1);
        assertThat(longValue("SELECT COUNT(*) FROM " + schema + ".load_log")).isEqualTo(1);
        assertThat(warehouse.loadedObjects("raw/dt=2026-11-24/"))
                .containsExactly(new LoadedObject(object.key(), first.etag()));
        assertThat(warehouse.loadedObjects("raw/dt=2026-11-25/")).isEmpty();
    }

    @Test
    void eventsAreStoredWithTheirColumnsAllMetricsAsJsonAndTheirStreamPosition() {
        warehouse.migrate();
        // A fixed event time, judged against the arrival its envelope carries, not against the wall clock.
        Instant t = Instant.parse("2026-11-24T10:15:30.123456Z");
        RawObject object = putBytes("raw/dt=2026-11-24/hour=10/cols.json.gz", List.of(envelope(
                "{\"schemaVersion\":1,\"eventId\":\"x-1\",\"deviceId\":\"dev-9\",\"ts\":\"" + t + "\","
                        + "\"metrics\":{\"temperature\":21.5,\"co2\":415.0},\"location\":{\"lat\":52.52,\"lon\":13.4},"
                        + "\"firmware\":\"ignored\"}", t.plusSeconds(2), "shardId-000000000001", "49650")));

        warehouse.load(object);

        QueryResult row = warehouse.query("SELECT event_id, device_id, ts = CAST('2026-11-24 10:15:30.123456+00' AS TIMESTAMPTZ) AS ts_ok, "
                + "CAST(dt AS VARCHAR) AS dt, temperature, humidity, metrics ->> 'co2' AS co2, metric_count, lat, lon, source_key, "
                + "window_start = CAST('2026-11-24 10:15:00+00' AS TIMESTAMPTZ) AS window_ok, shard_id, sequence_number, stream_position "
                + "FROM " + schema + ".events");
        assertThat(row.columns()).containsExactly("event_id", "device_id", "ts_ok", "dt", "temperature", "humidity",
                "co2", "metric_count", "lat", "lon", "source_key", "window_ok", "shard_id", "sequence_number", "stream_position");
        assertThat(row.rows()).containsExactly(Arrays.asList(
                "x-1", "dev-9", true, "2026-11-24", 21.5, null, "415.0", 2L, 52.52, 13.4, object.key(), true,
                "shardId-000000000001", "49650", "shardId-000000000001/" + "0".repeat(51) + "49650"));
    }

    @Test
    void overlappingObjectsStoreEachEventOnceAndCountTheCopies() {
        warehouse.migrate();
        Instant t = Instant.now().minus(2, ChronoUnit.HOURS);
        RawObject a = put("raw/dt=2026-11-24/hour=10/a.json.gz", List.of(
                event("e1", "dev-1", t, 1.0, 1.0, 1.0), event("e2", "dev-1", t.plusSeconds(1), 1.0, 1.0, 1.0)));
        RawObject b = put("raw/dt=2026-11-24/hour=11/b.json.gz", List.of(
                event("e2", "dev-1", t.plusSeconds(1), 1.0, 1.0, 1.0), event("e3", "dev-1", t.plusSeconds(2), 1.0, 1.0, 1.0)));

        warehouse.load(a);
        LoadResult second = warehouse.load(b);

        assertThat(second.rowsLoaded()).isEqualTo(1);
        assertThat(second.rowsDuplicate()).isEqualTo(1);
        assertThat(longValue("SELECT COUNT(*) FROM " + schema + ".events")).isEqualTo(3);
        assertThat(warehouse.query("SELECT source_key, copies_seen FROM " + schema + ".events WHERE event_id = 'e2'").rows())
                .containsExactly(List.of(a.key(), 2L));
    }

    @Test
    void aCrashBetweenCopyAndMergeLeavesNothingAndARerunLoadsEverything() {
        crashAtThenRerun(LoadFailpoint.Step.STAGED);
    }

    @Test
    void aCrashAfterMergeBeforeCommitLeavesNothingAndARerunLoadsEverything() {
        crashAtThenRerun(LoadFailpoint.Step.MERGED);
    }

    @Test
    void aLoaderWhoseDatabaseSessionIsKilledMidLoadLeavesNothingAndARerunLoadsEverything() {
        warehouse.migrate();
        Instant t = Instant.now().minus(1, ChronoUnit.HOURS);
        RawObject object = put("raw/dt=2026-11-24/hour=12/killed.json.gz", List.of(
                event("k1", "dev-1", t, 1.0, 2.0, 0.5), event("k2", "dev-2", t, 3.0, 4.0, 0.6)));
        JdbcWarehouse killed = warehouse.withFailpoint(step -> {
            if (step == LoadFailpoint.Step.STAGED) {
                // What a crashed loader looks like to the server: its session ends mid-transaction.
                assertThat(longValue("SELECT COUNT(*) FROM (SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                        + "WHERE state = 'idle in transaction' AND query LIKE 'COPY stage_lines%') k")).isEqualTo(1);
            }
        });

        assertThatThrownBy(() -> killed.load(object)).isInstanceOf(WarehouseException.class);
        assertThat(longValue("SELECT COUNT(*) FROM " + schema + ".events")).isZero();

        LoadResult rerun = warehouse.load(object);

        assertThat(rerun.status()).isEqualTo(LoadResult.Status.LOADED);
        assertThat(rerun.rowsLoaded()).isEqualTo(2);
        assertThat(warehouse.query("SELECT status FROM " + schema + ".load_log").rows()).containsExactly(List.of("LOADED"));
    }

    private void crashAtThenRerun(LoadFailpoint.Step crashAt) {
        warehouse.migrate();
        Instant t = Instant.now().minus(1, ChronoUnit.HOURS);
        RawObject object = put("raw/dt=2026-11-24/hour=12/crash.json.gz", List.of(
                event("c1", "dev-1", t, 1.0, 2.0, 0.5), "garbage", event("c2", "dev-2", t, 3.0, 4.0, 0.6)));
        JdbcWarehouse crashing = warehouse.withFailpoint(step -> {
            if (step == crashAt) {
                throw new IllegalStateException("injected crash at " + step);
            }
        });

        assertThatThrownBy(() -> crashing.load(object)).hasMessageContaining("injected crash at " + crashAt);
        assertThat(longValue("SELECT COUNT(*) FROM " + schema + ".events")).isZero();
        assertThat(longValue("SELECT COUNT(*) FROM " + schema + ".quarantine")).isZero();
        assertThat(warehouse.query("SELECT status, error FROM " + schema + ".load_log").rows())
                .containsExactly(List.of("FAILED", "injected crash at " + crashAt));
        assertThat(warehouse.loadedObjects("raw/")).isEmpty();

        LoadResult rerun = warehouse.load(object);

        assertThat(rerun.status()).isEqualTo(LoadResult.Status.LOADED);
        assertThat(warehouse.query("SELECT event_id FROM " + schema + ".events ORDER BY event_id").rows())
                .containsExactly(List.of("c1"), List.of("c2"));
        assertThat(warehouse.query("SELECT line_no, reason FROM " + schema + ".quarantine").rows())
                .containsExactly(List.of(2L, "INVALID_JSON"));
        assertThat(warehouse.query("SELECT status, lines_read, rows_loaded, rows_duplicate, rows_quarantined, error FROM "
                + schema + ".load_log").rows())
                .containsExactly(Arrays.asList("LOADED", 3L, 2L, 0L, 1L, null));
    }

    @Test
    void badLinesAreQuarantinedWithReasonLineNumberAndFullPayload() {
        warehouse.migrate();
        Instant t = Instant.now().minus(10, ChronoUnit.MINUTES);
        String huge = "{\"pad\":\"" + "x".repeat(70_000) + "\"}";
        List<byte[]> lines = List.of(
                bytes(event("ok-1", "dev-1", t, 20.0, 30.0, 0.8)),
                bytes("not json at all"),
                bytes(""),
                bytes("{\"schemaVersion\":2,\"eventId\":\"v2\",\"deviceId\":\"dev-1\",\"ts\":\"" + t + "\",\"metrics\":{\"a\":1}}"),
                new byte[] {'{', '"', (byte) 0xC3, (byte) 0x28, '"', '}'},
                bytes(event("future", "dev-1", Instant.now().plus(1, ChronoUnit.DAYS), 1.0, 1.0, 1.0)),
                bytes(huge),
                bytes("{\"schemaVersion\":1,\"eventId\":\"m\",\"deviceId\":\"bad id!\",\"ts\":\"" + t + "\",\"metrics\":{\"a\":1}}"),
                bytes(event("ok-2", "dev-2", t, 21.0, 31.0, 0.7)));
        RawObject object = putBytes("raw/dt=2026-11-24/hour=13/bad.json.gz", lines);

        LoadResult result = warehouse.load(object);

        assertThat(result.linesRead()).isEqualTo(9);
        assertThat(result.rowsLoaded()).isEqualTo(2);
        assertThat(result.rowsQuarantined()).isEqualTo(7);
        assertThat(warehouse.query("SELECT line_no, reason, payload_encoding, payload_bytes, payload_truncated FROM "
                + schema + ".quarantine ORDER BY line_no").rows()).containsExactly(
                List.of(2L, "INVALID_JSON", "utf8", 15L, false),
                List.of(3L, "INVALID_JSON", "utf8", 0L, false),
                List.of(4L, "UNSUPPORTED_SCHEMA", "utf8", (long) lines.get(3).length, false),
                List.of(5L, "INVALID_UTF8", "base64", 6L, false),
                List.of(6L, "FUTURE_TIMESTAMP", "utf8", (long) lines.get(5).length, false),
                List.of(7L, "RECORD_TOO_LARGE", "utf8", (long) huge.length(), false),
                List.of(8L, "BAD_DEVICE_ID", "utf8", (long) lines.get(7).length, false));
        assertThat(warehouse.query("SELECT payload FROM " + schema + ".quarantine WHERE line_no IN (2, 5, 7) ORDER BY line_no").rows())
                .containsExactly(List.of("not json at all"), List.of("eyLDKCJ9"), List.of(huge));
        assertThat(warehouse.query("SELECT source_key, detail <> '' FROM " + schema + ".quarantine WHERE line_no = 8").rows())
                .containsExactly(List.of(object.key(), true));
    }

    @Test
    void concurrentLoadsOfTheSameObjectStoreItsRowsOnce() throws Exception {
        warehouse.migrate();
        Instant t = Instant.now().minus(1, ChronoUnit.HOURS);
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 2_000; i++) {
            lines.add(event("r" + i, "dev-" + (i % 7), t.plusMillis(i), 20.0 + i % 5, 40.0, 0.5));
        }
        RawObject object = put("raw/dt=2026-11-24/hour=14/race.json.gz", lines);

        List<LoadResult> results = concurrently(4, () -> warehouse.load(object));

        assertThat(results).extracting(LoadResult::status).containsOnlyOnce(LoadResult.Status.LOADED);
        assertThat(longValue("SELECT COUNT(*) FROM " + schema + ".events")).isEqualTo(2_000);
        assertThat(longValue("SELECT MAX(copies_seen) FROM " + schema + ".events")).isEqualTo(1);
        assertThat(longValue("SELECT COUNT(*) FROM " + schema + ".load_log")).isEqualTo(1);
    }

    @Test
    void concurrentLoadsOfOverlappingObjectsStoreSharedEventsOnce() throws Exception {
        warehouse.migrate();
        Instant t = Instant.now().minus(1, ChronoUnit.HOURS);
        List<RawObject> objects = new ArrayList<>();
        for (int o = 0; o < 4; o++) {
            List<String> lines = new ArrayList<>();
            for (int i = 0; i < 1_000; i++) {
                lines.add(event("shared-" + i, "dev-1", t.plusMillis(i), 1.0, 1.0, 1.0));
            }
            lines.add(event("own-" + o, "dev-2", t, 1.0, 1.0, 1.0));
            objects.add(put("raw/dt=2026-11-24/hour=15/o" + o + ".json.gz", lines));
        }
        AtomicInteger next = new AtomicInteger();

        concurrently(4, () -> warehouse.load(objects.get(next.getAndIncrement())));

        assertThat(longValue("SELECT COUNT(*) FROM " + schema + ".events")).isEqualTo(1_004);
        assertThat(longValue("SELECT SUM(rows_loaded) FROM " + schema + ".load_log")).isEqualTo(1_004);
        assertThat(longValue("SELECT MIN(copies_seen) FROM " + schema + ".events WHERE event_id LIKE 'shared-%'")).isEqualTo(4);
    }

    @Test
    void loaderThroughputOnA100kLineObject() {
        warehouse.migrate();
        Instant t = Instant.now().minus(1, ChronoUnit.DAYS);
        List<String> lines = new ArrayList<>(100_000);
        for (int i = 0; i < 100_000; i++) {
            lines.add(i % 1000 == 999 ? "{\"broken\": " : event("perf-" + i, "sensor-" + (i % 500), t.plusMillis(i * 10L),
                    15.0 + (i % 200) / 10.0, 30.0 + i % 40, 1.0 - (i % 100) / 200.0));
        }
        RawObject object = put("raw/dt=2026-11-24/hour=16/perf.json.gz", lines);
        long objectBytes = STACK.s3().headObject(b -> b.bucket(BUCKET).key(object.key())).contentLength();

        long[] at = new long[3];
        at[0] = System.nanoTime();
        LoadResult result = warehouse.withFailpoint(step -> at[step.ordinal() + 1] = System.nanoTime()).load(object);
        long end = System.nanoTime();
        double seconds = (end - at[0]) / 1e9;

        assertThat(result.linesRead()).isEqualTo(100_000);
        assertThat(result.rowsQuarantined()).isEqualTo(100);
        assertThat(longValue("SELECT COUNT(*) FROM " + schema + ".events")).isEqualTo(99_900);
        System.out.printf("LOADER THROUGHPUT: %,d lines (%,d gzip bytes) in %.2f s = %,.0f rows/s (JDBC, COPY FROM STDIN + MERGE)%n",
                result.linesRead(), objectBytes, seconds, result.linesRead() / seconds);
        System.out.printf("LOADER PHASES: stream+decode+COPY %.2f s, dedupe+quarantine+MERGE+load_log %.2f s, commit+read-back %.2f s%n",
                (at[1] - at[0]) / 1e9, (at[2] - at[1]) / 1e9, (end - at[2]) / 1e9);
    }

    @Test
    void daySummariesAreReplacedNotAddedAndFeedTheReports() {
        warehouse.migrate();
        warehouse.replaceAlertRules(AlertRules.defaults());
        LocalDate day = LocalDate.parse("2026-11-24");
        Instant midnight = Instant.parse("2026-11-24T00:00:00Z");
        Instant ten = Instant.parse("2026-11-24T10:00:00Z");

        warehouse.replaceDaySummaries(day,
                List.of(summary("dev-1", midnight, ten, 5, Map.of("temperature", agg(5, 100, 10, 30)))),
                List.of(summary("dev-1", ten, ten, 5, Map.of("temperature", agg(5, 100, 10, 30)))));
        warehouse.replaceDaySummaries(day,
                List.of(summary("dev-1", midnight, ten, 4, Map.of("temperature", agg(4, 200, 20, 60), "battery", agg(4, 2, 0.05, 0.9))),
                        summary("dev-2", midnight, ten, 2, Map.of("temperature", agg(2, 40, 19, 21)))),
                List.of(summary("dev-1", ten, ten, 4, Map.of("temperature", agg(4, 200, 20, 60), "battery", agg(4, 2, 0.05, 0.9))),
                        summary("dev-2", ten, ten, 2, Map.of("temperature", agg(2, 40, 19, 21)))));

        assertThat(warehouse.query("SELECT devices_reporting, events, temperature_avg, temperature_max, battery_min FROM "
                + schema + ".v_daily_fleet_report").rows())
                .containsExactly(List.of(2L, 6L, 40.0, 60.0, 0.05));
        assertThat(warehouse.query("SELECT device_id, hour, rule_id, peak FROM " + schema + ".v_alerts ORDER BY rule_id").rows())
                .containsExactly(List.of("dev-1", 10L, "high-temperature", 60.0), List.of("dev-1", 10L, "low-battery", 0.05));
        assertThat(longValue("SELECT COUNT(*) FROM " + schema + ".device_hourly_metric")).isEqualTo(3);
    }

    @Test
    void summaryRowsOutsideTheirDayAreRefusedAndTheDayIsLeftAsItWas() {
        warehouse.migrate();
        LocalDate day = LocalDate.parse("2026-11-24");
        Instant midnight = Instant.parse("2026-11-24T00:00:00Z");
        warehouse.replaceDaySummaries(day, List.of(summary("dev-1", midnight, midnight, 1, Map.of("t", agg(1, 1, 1, 1)))), List.of());

        assertThatThrownBy(() -> warehouse.replaceDaySummaries(day,
                List.of(summary("dev-1", midnight.plusSeconds(86_400), midnight.plusSeconds(86_400), 1, Map.of("t", agg(1, 1, 1, 1)))),
                List.of())).isInstanceOf(IllegalArgumentException.class);
        assertThat(longValue("SELECT COUNT(*) FROM " + schema + ".device_daily_summary")).isEqualTo(1);
    }

    @Test
    void deviceHealthAndAnomalyReportsReadTheLoadedEvents() {
        warehouse.migrate();
        // Noon of yesterday (UTC): the 30 readings must fall in one day, since v_anomalies scores each
        // reading against its device's day; "three hours ago" split them across midnight when run after 00:00.
        Instant t = Instant.now().truncatedTo(ChronoUnit.DAYS).minus(12, ChronoUnit.HOURS);
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            lines.add(event("h" + i, "steady", t.plusSeconds(60L * i), i == 29 ? 90.0 : 20.0 + (i % 3) * 0.1, 40.0, 0.8 - i * 0.001));
        }
        lines.add(event("q1", "quiet", t.minus(2, ChronoUnit.HOURS), 20.0, 40.0, 0.3));
        warehouse.load(put("raw/dt=2026-11-24/hour=17/health.json.gz", lines));

        assertThat(warehouse.query("SELECT device_id, status, battery_latest FROM " + schema + ".v_device_health ORDER BY device_id").rows())
                .containsExactly(List.of("quiet", "silent", 0.3), List.of("steady", "ok", 0.8 - 29 * 0.001));
        assertThat(warehouse.query("SELECT device_id, metric, event_id FROM " + schema + ".v_anomalies").rows())
                .containsExactly(List.of("steady", "temperature", "h29"));
        assertThat(warehouse.query(Report.TOP_ANOMALIES.sql(schema, null)).asMaps())
                .singleElement().satisfies(row -> assertThat(row).containsEntry("event_id", "h29").containsEntry("value", 90.0));
    }

    // ---- helpers

    private static DeviceSummary summary(String device, Instant start, Instant ts, long events, Map<String, MetricAggregate> metrics) {
        return new DeviceSummary(device, start, ts, ts, new WindowAggregate(events, new TreeMap<>(metrics)));
    }

    private static MetricAggregate agg(long count, double sum, double min, double max) {
        return new MetricAggregate(count, sum, min, max);
    }

    private long longValue(String sql) {
        return ((Number) warehouse.query(sql).rows().get(0).get(0)).longValue();
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static RawObject put(String key, List<String> lines) {
        return putBytes(key, lines.stream().map(JdbcWarehouseIT::bytes).toList());
    }

    static RawObject putBytes(String key, List<byte[]> lines) {
        return STACK.put(key, lines);
    }

    /** Runs the task on n threads released together; returns every result or throws the first failure. */
    private static <T> List<T> concurrently(int n, Callable<T> task) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<T>> futures = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                futures.add(pool.submit(() -> {
                    go.await();
                    return task.call();
                }));
            }
            go.countDown();
            List<T> results = new ArrayList<>();
            for (Future<T> f : futures) {
                results.add(f.get());
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }
}
