package io.twinflow.functions.batch;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.twinflow.core.pipeline.PipelineSpec;
import io.twinflow.emulators.EmbeddedPostgres;
import io.twinflow.emulators.EmbeddedS3;
import io.twinflow.functions.FunctionSettings;
import io.twinflow.warehouse.LoadRules;
import io.twinflow.warehouse.RawObject;
import io.twinflow.warehouse.Warehouse;
import io.twinflow.warehouse.WarehouseException;
import io.twinflow.warehouse.jdbc.JdbcWarehouse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
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
    private static final Instant EVENT_BASE = Instant.now().minus(Duration.ofHours(1)).truncatedTo(ChronoUnit.HOURS);

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
        Warehouse warehouse = new JdbcWarehouse(postgres.dataSource(), s3, schema, LoadRules.defaults());
        warehouse.migrate();
        return new Setup(bucket, warehouse, new BatchLoader(warehouse, s3, bucket, SPEC.buckets().rawPrefix(), 2, NOW));
    }

    @Test
    void loadsNewObjectsOnceAndARerunIsANoOp() throws IOException {
        Setup setup = setup();
        put(setup.bucket(), "raw/dt=2026-11-24/hour=10/a.json.gz", events(0, 100));
        put(setup.bucket(), "raw/dt=2026-11-24/hour=11/b.json.gz", events(50, 150)); // 50 overlap with a
        put(setup.bucket(), "raw/dt=2026-11-23/hour=23/c.json.gz", events(1000, 1010));

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
        assertThat(report.pending()).isEqualTo(report.loaded() + report.alreadyLoaded() + report.failedKeys().size() + report.deferred());
        assertThat(report.unloadedObjects()).isEqualTo(1);

        LoaderReport retried = setup.loader().run(() -> Long.MAX_VALUE, o -> { });
        assertThat(retried.failedKeys()).containsExactly("raw/dt=2026-11-24/hour=09/broken.json.gz");
        assertThat(retried.pending()).isEqualTo(1);
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

    @Test
    void class5_anOutageOfAnyLengthAndAFailingObjectAreLoadedFromTheWatermarkAndReportedMeanwhile() throws IOException {
        Setup setup = setup();
        FailingWarehouse failing = new FailingWarehouse(setup.warehouse(), "raw/dt=2026-11-26/hour=03/fails.gz");
        Warehouse warehouse = failing.warehouse;
        String bucket = setup.bucket();
        put(bucket, "raw/dt=2026-11-24/hour=10/a.gz", events(0, 10));

        LoaderReport first = loaderAt(warehouse, bucket, "2026-11-24T12:05:00Z").run(() -> Long.MAX_VALUE, o -> { });

        assertThat(first.loaded()).isEqualTo(1);
        assertThat(List.of(first.unloadedObjects(), first.oldestUnloadedObjectAgeSeconds())).containsExactly(0L, 0L);
        assertThat(warehouse.loaderWatermark("raw/")).contains(LocalDate.parse("2026-11-23"));

        // A six-day outage: objects land in partitions a 2-day lookback no longer reaches; one of them fails.
        put(bucket, "raw/dt=2026-11-25/hour=01/missed.gz", events(10, 20));
        Instant beforePut = Instant.now();
        put(bucket, "raw/dt=2026-11-26/hour=03/fails.gz", events(20, 30));
        Instant afterPut = Instant.now();
        put(bucket, "raw/dt=2026-11-30/hour=08/today.gz", events(30, 40));
        // The object ages are measured against S3's real last-modified times, so the later runs must lie
        // after the wall clock: a fixed 2026-11-30 would give every object age 0 once that day has passed.
        Instant secondRun = later(Instant.parse("2026-11-30T12:00:00Z"), afterPut.plus(Duration.ofHours(6)));
        Instant thirdRun = secondRun.plus(Duration.ofDays(10));

        LoaderReport second = loaderAt(warehouse, bucket, secondRun.toString()).run(() -> Long.MAX_VALUE, o -> { });

        assertThat(second.pending()).isEqualTo(3);
        assertThat(second.loaded()).isEqualTo(2);
        assertThat(second.failedKeys()).containsExactly("raw/dt=2026-11-26/hour=03/fails.gz");
        assertThat(second.unloadedObjects()).isEqualTo(1);
        assertThat(second.oldestUnloadedObjectAgeSeconds())
                .isBetween(Duration.between(afterPut, secondRun).toSeconds() - 1, Duration.between(beforePut, secondRun).toSeconds() + 1);
        assertThat(second.watermark()).isEqualTo(LocalDate.parse("2026-11-26"));

        // Ten days later it still fails: retried, counted, and the watermark holds.
        LoaderReport third = loaderAt(warehouse, bucket, thirdRun.toString()).run(() -> Long.MAX_VALUE, o -> { });
        assertThat(third.failedKeys()).containsExactly("raw/dt=2026-11-26/hour=03/fails.gz");
        assertThat(third.unloadedObjects()).isEqualTo(1);
        assertThat(warehouse.loaderWatermark("raw/")).contains(LocalDate.parse("2026-11-26"));

        failing.failing = false;
        // Listing starts at the watermark: an object put into a partition before it is not looked at.
        put(bucket, "raw/dt=2026-11-01/hour=00/behind-the-watermark.gz", events(40, 50));
        LoaderReport fourth = loaderAt(warehouse, bucket, thirdRun.plus(Duration.ofHours(1)).toString()).run(() -> Long.MAX_VALUE, o -> { });

        assertThat(fourth.pending()).isEqualTo(1);
        assertThat(fourth.loaded()).isEqualTo(1);
        assertThat(List.of(fourth.unloadedObjects(), fourth.oldestUnloadedObjectAgeSeconds())).containsExactly(0L, 0L);
        assertThat(fourth.watermark()).isEqualTo(LocalDate.parse("2026-12-09"));
        assertThat(count(setup, "events")).isEqualTo(40);
    }

    @Test
    void oneArrivalPartitionCanBeLoadedOnItsOwnWithoutMovingTheWatermark() throws IOException {
        Setup setup = setup();
        put(setup.bucket(), "raw/dt=2026-11-20/hour=10/a.gz", events(0, 10));
        put(setup.bucket(), "raw/dt=2026-11-21/hour=10/b.gz", events(10, 20));

        LoaderReport report = setup.loader().runPartition(LocalDate.parse("2026-11-21"), () -> Long.MAX_VALUE, o -> { });

        assertThat(report.loaded()).isEqualTo(1);
        assertThat(report.watermark()).isNull();
        assertThat(setup.warehouse().loaderWatermark("raw/")).isEmpty();
        assertThat(count(setup, "events")).isEqualTo(10);
    }

    @Test
    void theHandlerBuiltFromGivenPartsReturnsTheReportAndLogsItWithItsMetrics() throws IOException {
        PipelineSpec spec = PipelineSpec.withPrefix("handler" + (++bucketCounter));
        s3.createBucket(b -> b.bucket(spec.buckets().raw()));
        Warehouse warehouse = new JdbcWarehouse(postgres.dataSource(), s3, "handler" + bucketCounter, LoadRules.defaults());
        warehouse.migrate();
        put(spec.buckets().raw(), "raw/dt=2026-11-24/hour=10/a.json.gz", events(0, 30));
        ByteArrayOutputStream logs = new ByteArrayOutputStream();
        BatchLoaderHandler handler = BatchLoaderHandler.builder()
                .settings(FunctionSettings.local(spec, URI.create("http://127.0.0.1:9"), s3Server.endpoint()))
                .warehouse(warehouse)
                .s3(s3)
                .clock(NOW)
                .summaryOutput(new PrintStream(logs, true, StandardCharsets.UTF_8))
                .build();

        Map<String, Object> result = handler.handleRequest(Map.of(), null);

        assertThat(result).containsEntry("message", "loader summary").containsEntry("loaded", 1L).containsEntry("rowsLoaded", 30L);
        JsonNode line = new ObjectMapper().readTree(logs.toString(StandardCharsets.UTF_8));
        assertThat(line.get("loaded").asLong()).isEqualTo(1);
        assertThat(line.get(LoaderReport.UNLOADED_OBJECTS).asLong()).isZero();
        assertThat(line.get("_aws").get("CloudWatchMetrics").get(0).get("Namespace").asText()).isEqualTo(LoaderReport.METRIC_NAMESPACE);
        // The stack its metrics are scoped to: the prefix of its settings (TWINFLOW_PREFIX in Lambda).
        assertThat(line.get("stack").asText()).isEqualTo(spec.prefix());
        assertThat(line.get("watermark").asText()).as("today less the default lookback").isEqualTo("2026-11-22");
    }

    private static Instant later(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }

    private static BatchLoader loaderAt(Warehouse warehouse, String bucket, String now) {
        return new BatchLoader(warehouse, s3, bucket, SPEC.buckets().rawPrefix(), 2, Clock.fixed(Instant.parse(now), ZoneOffset.UTC));
    }

    /**
     * The warehouse, except that loading one object fails while {@code failing} is set. A proxy, so it
     * follows the interface as it grows.
     */
    private static final class FailingWarehouse {
        volatile boolean failing = true;
        final Warehouse warehouse;

        FailingWarehouse(Warehouse delegate, String failingKey) {
            this.warehouse = (Warehouse) Proxy.newProxyInstance(Warehouse.class.getClassLoader(), new Class<?>[] {Warehouse.class},
                    (proxy, method, args) -> {
                        if (failing && method.getName().equals("load") && ((RawObject) args[0]).key().equals(failingKey)) {
                            throw new WarehouseException("injected failure for " + failingKey);
                        }
                        try {
                            return method.invoke(delegate, args);
                        } catch (InvocationTargetException e) {
                            throw e.getCause();
                        }
                    });
        }
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

    /**
     * Events e-from .. e-(to-1), one per line (plain lines, judged against the object's write time), spread
     * over 10 devices, in the hour before the test started: inside the lateness bound whatever today is.
     */
    private static String events(int from, int to) {
        StringBuilder lines = new StringBuilder();
        for (int i = from; i < to; i++) {
            lines.append("{\"schemaVersion\":1,\"eventId\":\"e-").append(i).append("\",\"deviceId\":\"dev-").append(i % 10)
                    .append("\",\"ts\":\"").append(EVENT_BASE.plusSeconds(i % 3600)).append("\",")
                    .append("\"metrics\":{\"temperature\":").append(20 + i % 7).append("}}\n");
        }
        return lines.toString();
    }
}
