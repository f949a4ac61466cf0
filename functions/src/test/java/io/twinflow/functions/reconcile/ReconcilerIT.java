package io.twinflow.functions.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import io.twinflow.core.aggregate.MetricAggregate;
import io.twinflow.core.aggregate.WindowAggregate;
import io.twinflow.core.archive.ArchiveLine;
import io.twinflow.emulators.EmbeddedDynamoDb;
import io.twinflow.emulators.EmbeddedPostgres;
import io.twinflow.emulators.EmbeddedS3;
import io.twinflow.functions.stream.StreamHarness;
import io.twinflow.functions.testing.Batches;
import io.twinflow.functions.testing.Expected;
import io.twinflow.functions.testing.LiveTestEnvironment;
import io.twinflow.live.LiveStateReader;
import io.twinflow.live.reconcile.ReconcileReport;
import io.twinflow.live.reconcile.Reconciler;
import io.twinflow.warehouse.DeviceSummary;
import io.twinflow.warehouse.LoadResult;
import io.twinflow.warehouse.RawObject;
import io.twinflow.warehouse.Warehouse;
import io.twinflow.warehouse.jdbc.JdbcWarehouse;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Streaming (the real handler on the local DynamoDB, with duplicates and throttling retries) against the
 * warehouse's events table (loaded from the archive) and a daily summary computed independently, reconciled.
 */
class ReconcilerIT {

    private static final LocalDate DAY = LocalDate.parse("2026-11-24");

    private static EmbeddedDynamoDb dynamoDbServer;
    private static EmbeddedS3 s3Server;
    private static EmbeddedPostgres postgres;
    private static DynamoDbClient dynamoDb;
    private static S3Client s3;

    @BeforeAll
    static void start() {
        dynamoDbServer = EmbeddedDynamoDb.start();
        s3Server = EmbeddedS3.start();
        postgres = EmbeddedPostgres.start();
        dynamoDb = dynamoDbServer.dynamoDbClient();
        s3 = s3Server.s3Client();
    }

    @AfterAll
    static void stop() {
        dynamoDb.close();
        s3.close();
        dynamoDbServer.close();
        s3Server.close();
        postgres.close();
    }

    @Test
    void streamingWithRetriesAndDuplicatesReconcilesWithZeroDriftAndACorruptedAggregateIsReportedForThatDeviceOnly() {
        LiveTestEnvironment env = LiveTestEnvironment.create(dynamoDbServer.endpoint(), s3Server.endpoint(), dynamoDb, s3);
        KinesisEvent normal = Batches.load("kinesis/normal-batch.json");
        KinesisEvent duplicates = Batches.load("kinesis/duplicates-batch.json");
        AtomicInteger calls = new AtomicInteger();
        StreamHarness flaky = StreamHarness.withFaults(env.settings(), (op, body) -> calls.incrementAndGet() % 4 == 0, null, 2);
        flaky.deliverUntilDone(normal, 50);
        flaky.deliverUntilDone(duplicates, 50);
        flaky.deliverUntilDone(normal, 50);
        assertThat(flaky.http().injected()).as("faults were injected").isPositive();

        Warehouse warehouse = new JdbcWarehouse(postgres.dataSource(), s3, "recon");
        warehouse.migrate();
        List<KinesisEvent.KinesisEventRecord> all = new ArrayList<>(normal.getRecords());
        all.addAll(duplicates.getRecords());
        warehouse.replaceDaySummaries(DAY, dailySummaries(Batches.of(all)), List.of());
        archiveAndLoad(warehouse, all);

        Reconciler reconciler = new Reconciler(new LiveStateReader(dynamoDb, env.settings().deviceStateTable(),
                env.settings().windowTable(), env.settings().alertTable()), warehouse, "recon");
        ReconcileReport clean = reconciler.reconcile(DAY);
        assertThat(clean.drifts()).isEmpty();
        assertThat(clean.devices()).isGreaterThan(1);
        assertThat(clean.valuesCompared()).isGreaterThan(clean.devices() * 4);

        // Corrupt one device's temperature sum in one window.
        Map<String, AttributeValue> victim = env.windows().get(0);
        String device = victim.get("deviceId").s();
        dynamoDb.updateItem(b -> b.tableName(env.settings().windowTable())
                .key(Map.of("deviceId", victim.get("deviceId"), "windowStart", victim.get("windowStart")))
                .updateExpression("SET #m.#t.#s = :s")
                .expressionAttributeNames(Map.of("#m", "metrics", "#t", "temperature", "#s", "sum"))
                .expressionAttributeValues(Map.of(":s", AttributeValue.fromN("100000"))));

        ReconcileReport drifted = reconciler.reconcile(DAY);
        assertThat(drifted.driftingDevices()).containsExactly(device);
        assertThat(drifted.drifts()).singleElement().satisfies(d -> {
            assertThat(d.metric()).isEqualTo("temperature");
            assertThat(d.field()).isEqualTo("sum");
            assertThat(d.streaming()).isNotEqualTo(d.batch());
            assertThat(d.events()).isEqualTo(d.batch());
        });
    }

    @Test
    void eventsTheLoaderLostAreDriftOnTheEventsSideAlone() {
        LiveTestEnvironment env = LiveTestEnvironment.create(dynamoDbServer.endpoint(), s3Server.endpoint(), dynamoDb, s3);
        KinesisEvent normal = Batches.load("kinesis/normal-batch.json");
        StreamHarness.of(env.settings()).deliverUntilDone(normal, 10);
        Warehouse warehouse = new JdbcWarehouse(postgres.dataSource(), s3, "recon_lost");
        warehouse.migrate();
        warehouse.replaceDaySummaries(DAY, dailySummaries(normal), List.of());
        archiveAndLoad(warehouse, normal.getRecords());
        Reconciler reconciler = new Reconciler(new LiveStateReader(dynamoDb, env.settings().deviceStateTable(),
                env.settings().windowTable(), env.settings().alertTable()), warehouse, "recon_lost");
        assertThat(reconciler.reconcile(DAY).drifts()).isEmpty();

        String device = (String) warehouse.query("SELECT MIN(device_id) FROM recon_lost.events").rows().get(0).get(0);
        long count = ((Number) warehouse.query("SELECT COUNT(*) FROM recon_lost.events WHERE device_id = '" + device + "'")
                .rows().get(0).get(0)).longValue();
        warehouse.query("DELETE FROM recon_lost.events WHERE device_id = '" + device + "'");

        ReconcileReport report = reconciler.reconcile(DAY);
        assertThat(report.driftingDevices()).containsExactly(device);
        assertThat(report.drifts()).filteredOn(d -> d.metric() == null).singleElement().satisfies(d -> {
            assertThat(d.field()).isEqualTo("events");
            assertThat(d.streaming()).isEqualTo((double) count);
            assertThat(d.batch()).isEqualTo((double) count);
            assertThat(d.events()).isZero();
        });
        assertThat(report.drifts()).filteredOn(d -> d.metric() != null)
                .allSatisfy(d -> assertThat(d.events()).isNull());
    }

    /** Archives the records as the stream's archive does (one envelope line each) and loads the object. */
    private static void archiveAndLoad(Warehouse warehouse, List<KinesisEvent.KinesisEventRecord> records) {
        ByteArrayOutputStream object = new ByteArrayOutputStream();
        for (KinesisEvent.KinesisEventRecord r : records) {
            ByteBuffer data = r.getKinesis().getData().duplicate();
            byte[] bytes = new byte[data.remaining()];
            data.get(bytes);
            object.writeBytes(ArchiveLine.encode(bytes,
                    r.getKinesis().getApproximateArrivalTimestamp().toInstant(),
                    r.getEventID().substring(0, r.getEventID().indexOf(':')), r.getKinesis().getSequenceNumber()));
        }
        String bucket = "recon-raw";
        String key = "raw/dt=" + DAY + "/hour=10/" + UUID.randomUUID() + ".json";
        if (s3.listBuckets().buckets().stream().noneMatch(b -> b.name().equals(bucket))) {
            s3.createBucket(b -> b.bucket(bucket));
        }
        s3.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromBytes(object.toByteArray()));
        assertThat(warehouse.load(new RawObject(bucket, key)).status()).isEqualTo(LoadResult.Status.LOADED);
    }

    /** One row per device for the day, from the distinct events, with plain arithmetic. */
    private static List<DeviceSummary> dailySummaries(KinesisEvent batch) {
        Map<String, Map<String, double[]>> stats = new TreeMap<>();
        Map<String, long[]> counts = new TreeMap<>();
        Map<String, Instant[]> span = new TreeMap<>();
        Expected.minuteWindows(batch, data -> true).forEach((key, window) -> {
            String device = key.substring(0, key.indexOf('|'));
            Instant minute = Instant.parse(key.substring(key.indexOf('|') + 1));
            counts.computeIfAbsent(device, d -> new long[1])[0] += window.count();
            span.merge(device, new Instant[] {minute, minute}, (a, b) -> new Instant[] {
                a[0].isBefore(b[0]) ? a[0] : b[0], a[1].isAfter(b[1]) ? a[1] : b[1]});
            window.metrics().forEach((metric, s) -> stats.computeIfAbsent(device, d -> new TreeMap<>()).merge(metric,
                    new double[] {s.count(), s.sum(), s.min(), s.max()},
                    (a, b) -> new double[] {a[0] + b[0], a[1] + b[1], Math.min(a[2], b[2]), Math.max(a[3], b[3])}));
        });
        List<DeviceSummary> rows = new ArrayList<>();
        counts.forEach((device, count) -> {
            TreeMap<String, MetricAggregate> metrics = new TreeMap<>();
            stats.get(device).forEach((metric, s) -> metrics.put(metric, new MetricAggregate((long) s[0], s[1], s[2], s[3])));
            rows.add(new DeviceSummary(device, DAY.atStartOfDay().toInstant(ZoneOffset.UTC),
                    span.get(device)[0], span.get(device)[1], new WindowAggregate(count[0], metrics)));
        });
        return rows;
    }
}
