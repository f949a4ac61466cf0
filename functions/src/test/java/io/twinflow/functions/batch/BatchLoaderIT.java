package io.twinflow.functions.batch;

import static org.assertj.core.api.Assertions.assertThat;

import io.twinflow.core.pipeline.PipelineSpec;
import io.twinflow.emulators.EmbeddedPostgres;
import io.twinflow.emulators.EmbeddedS3;
import io.twinflow.warehouse.JdbcWarehouse;
import io.twinflow.warehouse.Warehouse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/** The batch loader's orchestration against embedded PostgreSQL and an S3 server. */
class BatchLoaderIT {

    private static final PipelineSpec SPEC = PipelineSpec.defaults();
    private static final Clock NOW = Clock.fixed(Instant.parse("2026-11-24T12:05:00Z"), ZoneOffset.UTC);

    private static EmbeddedS3 s3Server;
    private static EmbeddedPostgres postgres;
    private static S3Client s3;

    @BeforeAll
    static void start() {
        s3Server = EmbeddedS3.start();
        postgres = EmbeddedPostgres.start();
        s3 = s3Server.s3Client();
    }

    @AfterAll
    static void stop() {
        s3.close();
        s3Server.close();
        postgres.close();
    }

    private static int bucketCounter;

    private record Setup(String bucket, Warehouse warehouse, BatchLoader loader) {
    }

    private Setup setup() {
        String bucket = "raw-" + (++bucketCounter);
        s3.createBucket(b -> b.bucket(bucket));
        String schema = "loader" + bucketCounter;
        Warehouse warehouse = new JdbcWarehouse(postgres.dataSource(), s3, schema);
        warehouse.migrate();
        return new Setup(bucket, warehouse, new BatchLoader(warehouse, s3, bucket, SPEC.buckets().rawPrefix(), 2, NOW));
    }

    @Test
    void loadsNewObjectsOnceAndARerunIsANoOp() throws IOException {
        Setup setup = setup();
        put(setup.bucket(), "raw/dt=2026-11-24/hour=10/a.json.gz", events(0, 100));
        put(setup.bucket(), "raw/dt=2026-11-24/hour=11/b.json.gz", events(50, 150)); // 50 overlap with a
        put(setup.bucket(), "raw/dt=2026-11-23/hour=23/c.json.gz", events(1000, 1010));
        put(setup.bucket(), "raw/dt=2026-11-20/hour=00/too-old.json.gz", events(2000, 2010)); // outside the lookback

        List<BatchLoader.ObjectOutcome> outcomes = new ArrayList<>();
        LoaderReport first = setup.loader().run(() -> Long.MAX_VALUE, outcomes::add);
        assertThat(first.pending()).isEqualTo(3);
        assertThat(first.loaded()).isEqualTo(3);
        assertThat(first.rowsLoaded()).isEqualTo(160);
        assertThat(first.rowsDuplicate()).isEqualTo(50);
        assertThat(outcomes).extracting(BatchLoader.ObjectOutcome::key).containsExactly(
                "raw/dt=2026-11-23/hour=23/c.json.gz", "raw/dt=2026-11-24/hour=10/a.json.gz", "raw/dt=2026-11-24/hour=11/b.json.gz");
        assertThat(count(setup, "events")).isEqualTo(160);

        LoaderReport second = setup.loader().run(() -> Long.MAX_VALUE, o -> { });
        assertThat(second.pending()).isZero();
        assertThat(count(setup, "events")).isEqualTo(160);

        // A new object and a rewritten one (new ETag) are picked up by the next run.
        put(setup.bucket(), "raw/dt=2026-11-24/hour=12/d.json.gz", events(150, 160));
        put(setup.bucket(), "raw/dt=2026-11-24/hour=10/a.json.gz", events(0, 100) + events(3000, 3001));
        LoaderReport third = setup.loader().run(() -> Long.MAX_VALUE, o -> { });
        assertThat(third.pending()).isEqualTo(2);
        assertThat(count(setup, "events")).isEqualTo(171);
    }

    @Test
    void aBrokenObjectIsReportedAndDoesNotStopTheOthers() throws IOException {
        Setup setup = setup();
        byte[] truncated = Arrays.copyOf(gzip(events(0, 500)), 40);
        put(setup.bucket(), "raw/dt=2026-11-24/hour=09/broken.json.gz", truncated);
        put(setup.bucket(), "raw/dt=2026-11-24/hour=10/fine.json.gz", events(0, 10));

        LoaderReport report = setup.loader().run(() -> Long.MAX_VALUE, o -> { });
        assertThat(report.failedKeys()).containsExactly("raw/dt=2026-11-24/hour=09/broken.json.gz");
        assertThat(report.loaded()).isEqualTo(1);
        assertThat(count(setup, "events")).isEqualTo(10);
        // The failure is logged for operators, but only a loaded version counts as done.
        assertThat(count(setup, "load_log where status = 'LOADED'")).isEqualTo(1);
        assertThat(count(setup, "load_log where status <> 'LOADED' and object_key like '%broken%'")).isEqualTo(1);
        assertThat(setup.loader().pendingObjects()).extracting(o -> o.key()).containsExactly("raw/dt=2026-11-24/hour=09/broken.json.gz");
        assertThat(report.pending()).isEqualTo(report.loaded() + report.alreadyLoaded() + report.failedKeys().size() + report.deferred());
    }

    @Test
    void withTooLittleTimeLeftObjectsAreDeferredNotHalfLoaded() throws IOException {
        Setup setup = setup();
        put(setup.bucket(), "raw/dt=2026-11-24/hour=10/a.json.gz", events(0, 10));

        LoaderReport report = setup.loader().run(() -> BatchLoader.SAFETY_MARGIN_MILLIS - 1, o -> { });
        assertThat(report.deferred()).isEqualTo(1);
        assertThat(count(setup, "events")).isZero();
        assertThat(setup.loader().run(() -> Long.MAX_VALUE, o -> { }).loaded()).isEqualTo(1);
    }

    private static long count(Setup setup, String table) {
        String schema = "loader" + setup.bucket().substring("raw-".length());
        return ((Number) setup.warehouse().query("select count(*) from " + schema + "." + table).rows().get(0).get(0)).longValue();
    }

    private static void put(String bucket, String key, String ndjson) throws IOException {
        put(bucket, key, gzip(ndjson));
    }

    private static void put(String bucket, String key, byte[] bytes) {
        s3.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromBytes(bytes));
    }

    private static byte[] gzip(String text) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(text.getBytes(StandardCharsets.UTF_8));
        }
        return out.toByteArray();
    }

    /** Events e-from .. e-(to-1), one per line, spread over 10 devices. */
    private static String events(int from, int to) {
        StringBuilder lines = new StringBuilder();
        for (int i = from; i < to; i++) {
            lines.append("{\"schemaVersion\":1,\"eventId\":\"e-").append(i).append("\",\"deviceId\":\"dev-").append(i % 10)
                    .append("\",\"ts\":\"2026-11-24T10:").append(String.format("%02d", i % 60)).append(":00Z\",")
                    .append("\"metrics\":{\"temperature\":").append(20 + i % 7).append("}}\n");
        }
        return lines.toString();
    }
}
