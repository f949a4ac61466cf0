package io.twinflow.glue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.twinflow.emulators.EmbeddedPostgres;
import io.twinflow.emulators.EmbeddedS3;
import io.twinflow.warehouse.jdbc.JdbcWarehouse;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.example.GroupReadSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The job as Glue runs it (own JVM, shaded jar) in Spark local mode on a generated day in the embedded
 * S3, writing to the embedded PostgreSQL; run twice. Every expected number comes from the generator's
 * ledger with plain arithmetic.
 */
class DailyRollupJobIT {

    private static final LocalDate DAY = LocalDate.of(2025, 6, 15);
    private static final String RAW_BUCKET = "twinflow-raw";
    private static final String CURATED_BUCKET = "twinflow-curated";
    private static final String SENTINEL = "curated/dt=2025-06-14/part-00000-from-an-earlier-run.parquet";

    private static EmbeddedS3 s3;
    private static EmbeddedPostgres postgres;
    private static S3Client client;
    private static GeneratedDay generated;
    private static JsonNode firstReport;
    private static JsonNode secondReport;
    private static Map<String, List<Group>> firstParquet;
    private static Map<String, List<Group>> secondParquet;
    private static List<String> firstRows;
    private static List<String> secondRows;
    private static Duration firstRun;

    @TempDir
    static Path downloads;

    @BeforeAll
    static void runTheJobTwice() throws Exception {
        s3 = EmbeddedS3.start();
        postgres = EmbeddedPostgres.start();
        client = s3.s3Client();
        client.createBucket(b -> b.bucket(RAW_BUCKET));
        client.createBucket(b -> b.bucket(CURATED_BUCKET));
        new JdbcWarehouse(postgres.dataSource(), client, "telemetry").migrate();

        generated = new GeneratedDay(DAY, 20250615L);
        // Upload order does not matter: copies are ordered by their stream position (plain lines, all rejected here, by time and key).
        generated.objects.forEach((key, lines) -> client.putObject(b -> b.bucket(RAW_BUCKET).key("raw/" + key),
                RequestBody.fromBytes(GeneratedDay.gzip(lines))));
        client.putObject(b -> b.bucket(CURATED_BUCKET).key(SENTINEL), RequestBody.fromString("another day's file"));

        ForkedJob job = new ForkedJob(s3, postgres, "1g");
        String[] args = {"--JOB_NAME", "daily-rollup", "--date", DAY.toString(), "--raw-uri", "s3a://" + RAW_BUCKET + "/raw/",
                "--curated-uri", "s3a://" + CURATED_BUCKET + "/curated/", "--max-lateness", GeneratedDay.MAX_LATENESS.toString()};
        long started = System.nanoTime();
        firstReport = job.run("daily-rollup-first", args);
        firstRun = Duration.ofNanos(System.nanoTime() - started);
        firstParquet = parquetFiles();
        firstRows = warehouseRows();
        secondReport = job.run("daily-rollup-rerun", args);
        secondParquet = parquetFiles();
        secondRows = warehouseRows();
        System.out.println("daily-rollup IT: first run " + firstRun.toMillis() + " ms (JVM start included): " + firstReport);
    }

    @AfterAll
    static void stop() throws Exception {
        SqlRows.closeAll(client, postgres, s3);
    }

    @Test
    void theReportAccountsForEveryLineRead() {
        long linesRead = generated.readLines().size();
        Map<String, GeneratedDay.Event> kept = generated.expectedKept();

        assertThat(firstReport.get("objects").asInt()).isEqualTo(generated.readObjectKeys().size());
        assertThat(firstReport.get("linesRead").asLong()).isEqualTo(linesRead);
        assertThat(firstReport.get("valid").asLong()).isEqualTo(generated.validOnDay());
        assertThat(firstReport.get("events").asLong()).isEqualTo(kept.size());
        assertThat(firstReport.get("duplicates").asLong()).isEqualTo(generated.validOnDay() - kept.size()).isGreaterThan(25);
        assertThat(firstReport.get("validOtherDays").asLong()).isEqualTo(generated.validOtherDays()).isEqualTo(12);
        assertThat(new ObjectMapper().convertValue(firstReport.get("quarantined"), Map.class))
                .isEqualTo(toIntegers(generated.quarantinedOnDay()));
        assertThat(firstReport.get("quarantined").size()).isEqualTo(13);
        assertThat(firstReport.get("quarantinedOtherDays").asLong()).isEqualTo(generated.quarantinedOtherDays()).isEqualTo(4);
        assertThat(firstReport.get("trigger").asText()).isEqualTo("date");
        assertThat(firstReport.get("devices").asLong()).isEqualTo(kept.values().stream().map(GeneratedDay.Event::deviceId).distinct().count());
        assertThat(firstReport.get("hourlyRows").asLong()).isEqualTo(kept.values().stream()
                .map(e -> e.deviceId() + Duration.between(generated.dayStart, e.ts()).toHours()).distinct().count());
        assertThat(firstReport.get("warehouse").asText()).isEqualTo("JdbcWarehouse");
        assertThat(linesRead).isEqualTo(firstReport.get("valid").asLong() + firstReport.get("validOtherDays").asLong()
                + firstReport.get("quarantinedTotal").asLong() + firstReport.get("quarantinedOtherDays").asLong());
    }

    @Test
    void dailySummariesMatchPlainArithmeticOverTheFirstCopies() throws SQLException {
        Map<String, List<GeneratedDay.Event>> byDevice = generated.expectedKept().values().stream()
                .collect(Collectors.groupingBy(GeneratedDay.Event::deviceId, TreeMap::new, Collectors.toList()));

        List<String> expectedDaily = new ArrayList<>();
        byDevice.forEach((device, events) -> expectedDaily.add(device + " " + events.size() + " "
                + events.stream().map(GeneratedDay.Event::ts).min(Instant::compareTo).orElseThrow() + " "
                + events.stream().map(GeneratedDay.Event::ts).max(Instant::compareTo).orElseThrow()));
        assertThat(query("SELECT device_id, event_count, first_ts, last_ts FROM telemetry.device_daily_summary WHERE dt = '"
                + DAY + "' ORDER BY device_id")).isEqualTo(expectedDaily);

        assertMetrics(byDevice, "SELECT device_id, metric, value_count, value_sum, value_min, value_max, value_avg"
                + " FROM telemetry.device_daily_metric WHERE dt = '" + DAY + "' ORDER BY device_id, metric");
    }

    @Test
    void hourlySummariesMatchPlainArithmeticOverTheFirstCopies() throws SQLException {
        Map<String, List<GeneratedDay.Event>> byDeviceHour = generated.expectedKept().values().stream()
                .collect(Collectors.groupingBy(e -> String.format("%02d %s", Duration.between(generated.dayStart, e.ts()).toHours(),
                        e.deviceId()), TreeMap::new, Collectors.toList()));

        List<String> expected = new ArrayList<>();
        byDeviceHour.forEach((hourDevice, events) -> expected.add(hourDevice + " " + events.size() + " "
                + events.stream().map(GeneratedDay.Event::ts).min(Instant::compareTo).orElseThrow() + " "
                + events.stream().map(GeneratedDay.Event::ts).max(Instant::compareTo).orElseThrow()));
        assertThat(query("SELECT lpad(hour::text, 2, '0'), device_id, event_count, first_ts, last_ts FROM telemetry.device_hourly"
                + " WHERE dt = '" + DAY + "' ORDER BY hour, device_id")).isEqualTo(expected);

        assertMetrics(byDeviceHour, "SELECT lpad(hour::text, 2, '0') || ' ' || device_id, metric, value_count, value_sum,"
                + " value_min, value_max, value_avg FROM telemetry.device_hourly_metric WHERE dt = '" + DAY + "' ORDER BY 1, metric");
    }

    @Test
    void curatedParquetHoldsEachEventOnceAsItFirstArrived() {
        Map<String, GeneratedDay.Event> kept = generated.expectedKept();
        Map<String, Group> rows = new HashMap<>();
        for (Map.Entry<String, List<Group>> file : firstParquet.entrySet()) {
            assertThat(file.getKey()).startsWith("curated/dt=" + DAY + "/part-");
            for (Group row : file.getValue()) {
                Instant ts = Instant.EPOCH.plus(row.getLong("ts", 0), ChronoUnit.MICROS);
                String identity = GeneratedDay.Event.identity(row.getString("device_id", 0), row.getString("event_id", 0), ts);
                assertThat(rows.put(identity, row)).as("one row per (device, eventId, window)").isNull();
            }
        }

        assertThat(rows.keySet()).isEqualTo(kept.keySet());
        assertThat(rows.values().stream().map(r -> r.getString("event_id", 0)).distinct().count())
                .as("re-stamped retries and a shared eventId are several events").isEqualTo(kept.size() - 4);
        Group winner = rows.get(generated.conflicted.identity());
        Group metrics = winner.getGroup("metrics", 0);
        Map<String, Double> winnerMetrics = new TreeMap<>();
        for (int i = 0; i < metrics.getFieldRepetitionCount("key_value"); i++) {
            Group entry = metrics.getGroup("key_value", i);
            winnerMetrics.put(entry.getString("key", 0), entry.getDouble("value", 0));
        }
        assertThat(winnerMetrics).isEqualTo(generated.conflicted.metrics());
        assertThat(winner.getString("raw_object", 0)).doesNotContain("zz-retry");
        assertThat(winner.getString("device_id", 0)).isEqualTo(generated.conflicted.deviceId());
        assertThat(winner.getString("stream_position", 0)).startsWith("shardId-0000000000");
    }

    @Test
    void aRerunWritesIdenticalParquetAndWarehouseRowsAndLeavesOtherDaysAlone() {
        assertThat(secondReport.get("events")).isEqualTo(firstReport.get("events"));
        // File names carry a run id; the rows of every file, in order, must be the same.
        assertThat(contents(secondParquet)).isEqualTo(contents(firstParquet)).hasSize(firstParquet.size());
        assertThat(secondParquet.keySet()).doesNotContainAnyElementsOf(firstParquet.keySet());
        assertThat(secondRows).isEqualTo(firstRows).hasSizeGreaterThan(100);
        assertThat(client.getObjectAsBytes(b -> b.bucket(CURATED_BUCKET).key(SENTINEL)).asUtf8String()).isEqualTo("another day's file");
    }

    private static void assertMetrics(Map<String, List<GeneratedDay.Event>> groups, String sql) throws SQLException {
        Map<String, double[]> expected = new TreeMap<>();
        groups.forEach((group, events) -> {
            for (GeneratedDay.Event e : events) {
                e.metrics().forEach((metric, value) -> {
                    double[] a = expected.computeIfAbsent(group + " " + metric,
                            k -> new double[] {0, 0, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY});
                    a[0] += 1;
                    a[1] += value;
                    a[2] = Math.min(a[2], value);
                    a[3] = Math.max(a[3], value);
                });
            }
        });
        Map<String, double[]> actual = new TreeMap<>();
        try (Connection c = postgres.connection(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                actual.put(rs.getString(1) + " " + rs.getString(2), new double[] {rs.getLong(3), rs.getDouble(4),
                        rs.getDouble(5), rs.getDouble(6), rs.getDouble(7)});
            }
        }
        assertThat(actual.keySet()).isEqualTo(expected.keySet());
        expected.forEach((key, e) -> {
            double[] a = actual.get(key);
            assertThat(a[0]).as("count " + key).isEqualTo(e[0]);
            // Sums in another order may differ in the last bits; min and max are exact.
            assertThat(a[1]).as("sum " + key).isCloseTo(e[1], within(1e-9 * Math.max(1, Math.abs(e[1]))));
            assertThat(a[2]).as("min " + key).isEqualTo(e[2]);
            assertThat(a[3]).as("max " + key).isEqualTo(e[3]);
            assertThat(a[4]).as("avg " + key).isCloseTo(e[1] / e[0], within(1e-9 * Math.max(1, Math.abs(e[1] / e[0]))));
        });
    }

    private static List<String> query(String sql) throws SQLException {
        return SqlRows.query(postgres, sql);
    }

    /** Every summary row of the day but computed_at, exactly as stored. */
    private static List<String> warehouseRows() throws SQLException {
        List<String> rows = new ArrayList<>();
        String where = " WHERE dt = '" + DAY + "' ORDER BY 1, 2, 3";
        rows.addAll(query("SELECT device_id, event_count, first_ts, last_ts FROM telemetry.device_daily_summary" + where));
        rows.addAll(query("SELECT device_id, metric, value_count, value_sum, value_min, value_max, value_avg FROM telemetry.device_daily_metric" + where));
        rows.addAll(query("SELECT hour, device_id, event_count, first_ts, last_ts FROM telemetry.device_hourly" + where));
        rows.addAll(query("SELECT hour, device_id, metric, value_count, value_sum, value_min, value_max, value_avg"
                + " FROM telemetry.device_hourly_metric" + where));
        return rows;
    }

    /** The day's Parquet files: key to its rows, in file order. */
    private static Map<String, List<Group>> parquetFiles() throws IOException {
        Map<String, List<Group>> files = new TreeMap<>();
        for (S3Object o : client.listObjectsV2Paginator(b -> b.bucket(CURATED_BUCKET).prefix("curated/dt=" + DAY + "/")).contents()) {
            files.put(o.key(), readParquet(o.key()));
        }
        return files;
    }

    /** Each file's rows as text, in order. Bytes are no measure: parquet-mr writes a HashSet of enums into the footer. */
    private static List<String> contents(Map<String, List<Group>> files) {
        return files.values().stream().map(rows -> rows.stream().map(Group::toString).collect(Collectors.joining("|"))).sorted().toList();
    }

    private static List<Group> readParquet(String key) throws IOException {
        Path local = downloads.resolve(key.replace('/', '_'));
        Files.write(local, client.getObjectAsBytes(b -> b.bucket(CURATED_BUCKET).key(key)).asByteArray());
        List<Group> rows = new ArrayList<>();
        try (ParquetReader<Group> reader = ParquetReader.builder(new GroupReadSupport(),
                new org.apache.hadoop.fs.Path(local.toUri())).withConf(new Configuration()).build()) { // qualified: java.nio.file.Path is the imported one
            for (Group g = reader.read(); g != null; g = reader.read()) {
                rows.add(g);
            }
        }
        return rows;
    }

    private static Map<String, Integer> toIntegers(Map<String, Long> counts) {
        Map<String, Integer> ints = new TreeMap<>();
        counts.forEach((k, v) -> ints.put(k, v.intValue()));
        return ints;
    }
}
