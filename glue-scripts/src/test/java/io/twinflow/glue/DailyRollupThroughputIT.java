package io.twinflow.glue;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.twinflow.core.archive.ArchiveLine;
import io.twinflow.emulators.EmbeddedPostgres;
import io.twinflow.emulators.EmbeddedS3;
import io.twinflow.warehouse.jdbc.JdbcWarehouse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Rolls up a larger generated day (1,000 devices in 96 objects; 100,000 events in the normal build,
 * {@code -Dtwinflow.rollup.events=1000000} for the benchmark size) and prints events/s. The rate is
 * not asserted: it depends on the machine and on what else runs on it (`benchmarks/bench spark-rollup`
 * measures it against a baseline). The counts are checked, so it cannot pass by doing nothing.
 */
class DailyRollupThroughputIT {

    private static final LocalDate DAY = LocalDate.of(2025, 6, 16);
    private static final int DEVICES = 1_000;
    private static final int OBJECTS_PER_HOUR = 4;

    @Test
    void rollsUpALargeDayAndReportsItsThroughput() throws Exception {
        int events = Integer.getInteger("twinflow.rollup.events", 100_000);
        try (EmbeddedS3 s3 = EmbeddedS3.start(); EmbeddedPostgres postgres = EmbeddedPostgres.start(); S3Client client = s3.s3Client()) {
            client.createBucket(b -> b.bucket("raw"));
            client.createBucket(b -> b.bucket("curated"));
            new JdbcWarehouse(postgres.dataSource(), client, "telemetry").migrate();
            long generated = upload(client, events);

            JsonNode report = new ForkedJob(s3, postgres, "3g").run("daily-rollup-throughput", "--date", DAY.toString(),
                    "--raw-uri", "s3a://raw/raw/", "--curated-uri", "s3a://curated/curated/");

            System.out.printf("daily-rollup throughput: %,d events (%,d gzip bytes in %d objects) in %,d ms = %,d events/s%n  %s%n",
                    report.get("linesRead").asLong(), report.get("objectBytes").asLong(), report.get("objects").asInt(),
                    report.get("durationMs").asLong(), report.get("eventsPerSecond").asLong(), report);
            assertThat(report.get("events").asLong()).isEqualTo(generated);
            assertThat(report.get("devices").asLong()).isEqualTo(Math.min(DEVICES, generated));
            assertThat(report.get("quarantinedTotal").asLong()).isZero();
        }
    }

    /**
     * Spreads the events evenly over the day's 24 hours, each hour in a few objects, as the archiver would:
     * one envelope line per record, arriving a second after its event, on one of two shards by device.
     */
    private static long upload(S3Client client, int events) throws IOException {
        Instant dayStart = DAY.atStartOfDay(ZoneOffset.UTC).toInstant();
        int perObject = Math.max(1, events / (24 * OBJECTS_PER_HOUR));
        long written = 0;
        for (int object = 0; object < 24 * OBJECTS_PER_HOUR && written < events; object++) {
            int hour = object / OBJECTS_PER_HOUR;
            int count = object == 24 * OBJECTS_PER_HOUR - 1 ? (int) (events - written) : (int) Math.min(perObject, events - written);
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (GZIPOutputStream gz = new GZIPOutputStream(bytes, 64 * 1024)) {
                for (int i = 0; i < count; i++) {
                    long n = written + i;
                    Instant ts = dayStart.plusSeconds(hour * 3600L).plusMillis((long) i * 3_600_000 / count);
                    String record = "{\"schemaVersion\":1,\"eventId\":\"e-" + n + "\",\"deviceId\":\"sensor-" + (n % DEVICES)
                            + "\",\"ts\":\"" + ts + "\",\"metrics\":{\"temperature\":" + (15 + n % 200 / 10.0)
                            + ",\"humidity\":" + (40 + n % 30) + ",\"battery\":" + (1 - n % 100 / 100.0)
                            + "},\"location\":{\"lat\":52.52,\"lon\":13.4}}";
                    gz.write(ArchiveLine.encode(record.getBytes(StandardCharsets.UTF_8), ts.plusSeconds(1),
                            "shardId-00000000000" + (n % DEVICES % 2), String.valueOf(1_000_000_000L + n)));
                }
            }
            String key = String.format("raw/dt=%s/hour=%02d/twinflow-telemetry-%03d.json.gz", DAY, hour, object);
            client.putObject(b -> b.bucket("raw").key(key), RequestBody.fromBytes(bytes.toByteArray()));
            written += count;
        }
        return written;
    }
}
