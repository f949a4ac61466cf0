package io.twinflow.glue;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.twinflow.core.archive.ArchiveLine;
import io.twinflow.emulators.EmbeddedPostgres;
import io.twinflow.emulators.EmbeddedS3;
import io.twinflow.warehouse.jdbc.JdbcWarehouse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The issue-11 rules end to end, with hand-made records and exact outcomes: the job from the -glue jar
 * in its own JVM, started as the schedule starts it ({@code --scheduled-time}, no {@code --date}) on a
 * warehouse that has rollup requests, with a window capacity of 3 so that {@code WINDOW_FULL} is cheap
 * to reach. 2025-06-15 is requested (a late event reached it) and is rolled up before the scheduled
 * day 2025-06-16.
 */
class DailyRollupRulesIT {

    private static final String DAY = "2025-06-15";
    private static final String SCHEDULED_DAY = "2025-06-16";

    private static EmbeddedS3 s3;
    private static EmbeddedPostgres postgres;
    private static S3Client client;
    private static List<JsonNode> reports;

    @BeforeAll
    static void rollUpAsTheScheduleDoes() throws Exception {
        s3 = EmbeddedS3.start();
        postgres = EmbeddedPostgres.start();
        client = s3.s3Client();
        client.createBucket(b -> b.bucket("raw"));
        client.createBucket(b -> b.bucket("curated"));
        new JdbcWarehouse(postgres.dataSource(), client, "telemetry").migrate();
        // The loader's migration V004 creates this table; IF NOT EXISTS keeps the test valid once it does.
        execute("CREATE TABLE IF NOT EXISTS telemetry.rollup_requests (dt DATE NOT NULL, requested_at TIMESTAMPTZ NOT NULL,"
                + " source_key VARCHAR(1024))");
        execute("INSERT INTO telemetry.rollup_requests VALUES"
                + " ('2025-06-10', '2025-06-12T00:00:00Z', 'raw/dt=2025-06-11/hour=00/old.json.gz'),"
                + " ('" + DAY + "', '2025-06-16T21:00:00Z', 'raw/dt=2025-06-16/hour=20/late.json.gz'),"
                + " ('" + DAY + "', '2999-01-01T00:00:00Z', 'loaded after the listing'),"
                + " ('2025-06-20', '2025-06-21T00:00:00Z', 'a day after the scheduled one')");
        // What an earlier run wrote for the day, before the late event arrived: replaced, not added to.
        execute("INSERT INTO telemetry.device_daily_summary (dt, device_id, event_count, first_ts, last_ts, computed_at)"
                + " VALUES ('" + DAY + "', 'dev-a', 3, '2025-06-15T10:00:05Z', '2025-06-15T10:02:01Z', '2025-06-16T03:30:00Z')");

        upload("raw/dt=2025-06-15/hour=10/a.json.gz",
                // Pretty-printed: line breaks inside one record, so one envelope line and one event.
                envelope("{\n  \"schemaVersion\": 1,\n  \"eventId\": \"p1\",\n  \"deviceId\": \"dev-a\",\n"
                        + "  \"ts\": \"2025-06-15T10:00:05Z\",\n  \"metrics\": {\"t\": 0.5}\n}", "2025-06-15T10:00:06Z", 0, 1),
                envelope(event("r1", "dev-a", "2025-06-15T10:01:10Z", 1.0), "2025-06-15T10:01:11Z", 0, 2),
                // A re-send within the minute, other values: a duplicate of the first copy.
                envelope(event("r1", "dev-a", "2025-06-15T10:01:10Z", 9.0), "2025-06-15T10:01:40Z", 0, 3),
                // A retry re-stamped into the next minute: a second event.
                envelope(event("r1", "dev-a", "2025-06-15T10:02:01Z", 3.0), "2025-06-15T10:02:02Z", 0, 4),
                // Two devices, one eventId: two events.
                envelope(event("shared", "dev-b", "2025-06-15T10:03:00Z", 2.0), "2025-06-15T10:03:01Z", 1, 10),
                envelope(event("shared", "dev-c", "2025-06-15T10:03:00Z", 4.0), "2025-06-15T10:03:01Z", 1, 11),
                "{broken".getBytes(StandardCharsets.UTF_8));
        upload("raw/dt=2025-06-15/hour=12/w.json.gz",
                envelope(event("w1", "dev-w", "2025-06-15T12:00:01Z", 1.0), "2025-06-15T12:00:10Z", 1, 21),
                envelope(event("w2", "dev-w", "2025-06-15T12:00:02Z", 2.0), "2025-06-15T12:00:10Z", 1, 22),
                envelope(event("w3", "dev-w", "2025-06-15T12:00:03Z", 3.0), "2025-06-15T12:00:10Z", 1, 23),
                envelope(event("w4", "dev-w", "2025-06-15T12:00:04Z", 4.0), "2025-06-15T12:00:10Z", 1, 24),
                envelope(event("w5", "dev-w", "2025-06-15T12:00:05Z", 5.0), "2025-06-15T12:00:10Z", 1, 25),
                envelope(event("w5", "dev-w", "2025-06-15T12:00:05Z", 5.0), "2025-06-15T12:00:20Z", 1, 26),
                envelope(event("w2", "dev-w", "2025-06-15T12:00:02Z", 2.0), "2025-06-15T12:00:20Z", 1, 27));
        // Offline overnight: arrives the next evening, within the 2-day bound.
        upload("raw/dt=2025-06-16/hour=20/late.json.gz",
                envelope(event("late1", "dev-a", "2025-06-15T22:00:00Z", 5.0), "2025-06-16T20:00:00Z", 0, 100));
        upload("raw/dt=2025-06-16/hour=08/s.json.gz",
                envelope(event("s1", "dev-a", "2025-06-16T08:00:00Z", 6.0), "2025-06-16T08:00:01Z", 0, 50));
        // Two days and a second after its event: TOO_LATE, counted by its arrival day's run.
        upload("raw/dt=2025-06-17/hour=01/x.json.gz",
                envelope(event("tooLate", "dev-a", "2025-06-15T01:00:00Z", 7.0), "2025-06-17T01:00:01Z", 0, 200));

        reports = new ForkedJob(s3, postgres, "1g").runAll("daily-rollup-rules", "--scheduled-time", "2025-06-17T03:30:00Z",
                "--raw-uri", "s3a://raw/raw/", "--curated-uri", "s3a://curated/curated/", "--max-window-events", "3");
    }

    @AfterAll
    static void stop() throws Exception {
        SqlRows.closeAll(client, postgres, s3);
    }

    @Test
    void aScheduledRunRollsUpEveryRequestedEarlierDayOldestFirstThenItsOwn() {
        assertThat(reports).extracting(r -> r.get("date").asText() + " " + r.get("trigger").asText())
                .containsExactly("2025-06-10 request", DAY + " request", SCHEDULED_DAY + " scheduled");
        assertThat(reports.get(0).get("objects").asInt()).isZero();
    }

    @Test
    void theRequestedDayCountsEachRuleExactly() {
        JsonNode day = reports.get(1);

        assertThat(day.get("objects").asInt()).isEqualTo(5);
        assertThat(day.get("linesRead").asLong()).isEqualTo(17);
        // p1, r1, r1 re-stamped, late1, shared twice, w1-w3; the r1 re-send and the w2 copy are duplicates.
        assertThat(day.get("events").asLong()).isEqualTo(9);
        assertThat(day.get("duplicates").asLong()).isEqualTo(2);
        assertThat(day.get("valid").asLong()).isEqualTo(11);
        assertThat(day.get("validOtherDays").asLong()).isEqualTo(1);
        assertThat(new ObjectMapper().convertValue(day.get("quarantined"), Map.class))
                .isEqualTo(Map.of("INVALID_JSON", 1, "WINDOW_FULL", 3));
        assertThat(day.get("quarantinedOtherDays").asLong()).isEqualTo(1);
        assertThat(day.get("devices").asLong()).isEqualTo(4);
    }

    @Test
    void theRequestedDaysSummariesHoldTheLateEventAndNoneOfTheRejectedOnes() throws SQLException {
        assertThat(query("SELECT device_id, event_count, first_ts, last_ts FROM telemetry.device_daily_summary WHERE dt = '"
                + DAY + "' ORDER BY device_id")).containsExactly(
                        "dev-a 4 2025-06-15T10:00:05Z 2025-06-15T22:00:00Z",
                        "dev-b 1 2025-06-15T10:03:00Z 2025-06-15T10:03:00Z",
                        "dev-c 1 2025-06-15T10:03:00Z 2025-06-15T10:03:00Z",
                        "dev-w 3 2025-06-15T12:00:01Z 2025-06-15T12:00:03Z");
        assertThat(query("SELECT device_id, metric, value_count, value_sum, value_min, value_max FROM telemetry.device_daily_metric"
                + " WHERE dt = '" + DAY + "' ORDER BY device_id")).containsExactly(
                        "dev-a t 4 9.5 0.5 5.0",
                        "dev-b t 1 2.0 2.0 2.0",
                        "dev-c t 1 4.0 4.0 4.0",
                        "dev-w t 3 6.0 1.0 3.0");
        assertThat(query("SELECT hour, device_id, event_count FROM telemetry.device_hourly WHERE dt = '" + DAY
                + "' ORDER BY hour, device_id")).containsExactly("10 dev-a 3", "10 dev-b 1", "10 dev-c 1", "12 dev-w 3", "22 dev-a 1");
        assertThat(query("SELECT device_id, event_count FROM telemetry.device_daily_summary WHERE dt = '" + SCHEDULED_DAY + "'"))
                .containsExactly("dev-a 1");
    }

    @Test
    void theRolledUpDaysRequestsMadeBeforeTheListingAreConsumedAndNoOthers() throws SQLException {
        assertThat(query("SELECT dt, source_key FROM telemetry.rollup_requests ORDER BY dt")).containsExactly(
                DAY + " loaded after the listing",
                "2025-06-20 a day after the scheduled one");
    }

    private static byte[] event(String id, String device, String ts, double t) {
        return ("{\"schemaVersion\":1,\"eventId\":\"" + id + "\",\"deviceId\":\"" + device + "\",\"ts\":\"" + ts
                + "\",\"metrics\":{\"t\":" + t + "}}").getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] envelope(String record, String arrival, int shard, long sequenceNumber) {
        return envelope(record.getBytes(StandardCharsets.UTF_8), arrival, shard, sequenceNumber);
    }

    /** The archive line without its LF ({@link #upload} adds it). */
    private static byte[] envelope(byte[] record, String arrival, int shard, long sequenceNumber) {
        byte[] line = ArchiveLine.encode(record, Instant.parse(arrival), "shardId-00000000000" + shard, String.valueOf(sequenceNumber));
        return Arrays.copyOf(line, line.length - 1);
    }

    private static void upload(String key, byte[]... lines) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
            for (byte[] line : lines) {
                gz.write(line);
                gz.write('\n');
            }
        }
        client.putObject(b -> b.bucket("raw").key(key), RequestBody.fromBytes(bytes.toByteArray()));
    }

    private static void execute(String sql) throws SQLException {
        try (Connection c = postgres.connection(); Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }

    private static List<String> query(String sql) throws SQLException {
        return SqlRows.query(postgres, sql);
    }
}
