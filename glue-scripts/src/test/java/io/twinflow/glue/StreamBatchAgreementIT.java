package io.twinflow.glue;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.twinflow.core.alert.AlertRules;
import io.twinflow.core.archive.ArchiveLine;
import io.twinflow.core.event.DecoderLimits;
import io.twinflow.core.event.EventDecoder;
import io.twinflow.core.event.ReasonCode;
import io.twinflow.core.pipeline.PipelineSpec;
import io.twinflow.core.testing.AdversarialRecords;
import io.twinflow.core.testing.Seeds;
import io.twinflow.core.window.Windows;
import io.twinflow.emulators.EmbeddedDynamoDb;
import io.twinflow.emulators.EmbeddedPostgres;
import io.twinflow.emulators.EmbeddedS3;
import io.twinflow.functions.live.DynamoDbLiveStateStore;
import io.twinflow.functions.quarantine.S3QuarantineSink;
import io.twinflow.functions.stream.BatchOutcome;
import io.twinflow.functions.stream.StreamProcessor;
import io.twinflow.functions.stream.StreamRecord;
import io.twinflow.live.LiveStateReader;
import io.twinflow.live.LiveTables;
import io.twinflow.live.reconcile.ReconcileReport;
import io.twinflow.live.reconcile.Reconciler;
import io.twinflow.warehouse.DeviceSummary;
import io.twinflow.warehouse.LoadResult;
import io.twinflow.warehouse.LoadRules;
import io.twinflow.warehouse.RawObject;
import io.twinflow.warehouse.Warehouse;
import io.twinflow.warehouse.jdbc.JdbcWarehouse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The differential test of the project's central promise: the same adversarial records (see
 * {@link AdversarialRecords}) run through (a) the stream processor against the local DynamoDB, (b)
 * Firehose-style framing into gzip archive objects plus the warehouse loader on PostgreSQL, and (c) the
 * Spark rollup of every day they touch; then every record must have the same verdict on all three paths
 * (applied, or one reason code), the duplicate counts must match, and per device and day the counts
 * and aggregates of the three must agree ({@link Reconciler} compares DynamoDB, the events table and
 * the daily summary).
 *
 * <p>Each try takes a seed (printed; {@code -Dtwinflow.seed=N} replays the tries). {@value #TRIES} tries of
 * {@code twinflow.agreement.records} records (default 5,000) run in the normal build;
 * {@code -Dtwinflow.agreement.records=250000} makes it a million.
 */
class StreamBatchAgreementIT {

    private static final int TRIES = 4;
    private static final int RECORDS = Integer.getInteger("twinflow.agreement.records", 5_000);
    /** Just before midnight, so arrivals and event times cross a day boundary. */
    private static final Instant START = Instant.parse("2026-11-24T23:59:00Z");
    private static final String[] SHARDS = {"shardId-000000000000", "shardId-000000000001"};
    private static final DateTimeFormatter HOUR = DateTimeFormatter.ofPattern("'dt='yyyy-MM-dd'/hour='HH").withZone(ZoneOffset.UTC);
    private static final AtomicInteger TRY = new AtomicInteger();

    private static EmbeddedDynamoDb dynamoDbServer;
    private static EmbeddedS3 s3Server;
    private static EmbeddedPostgres postgres;
    private static DynamoDbClient dynamoDb;
    private static S3Client s3;
    private static SparkSession spark;
    private static ExecutorService executor;
    private static List<byte[]> corpus;

    @BeforeAll
    static void start() {
        dynamoDbServer = EmbeddedDynamoDb.start();
        s3Server = EmbeddedS3.start();
        postgres = EmbeddedPostgres.start();
        dynamoDb = dynamoDbServer.dynamoDbClient();
        s3 = s3Server.s3Client();
        executor = Executors.newFixedThreadPool(8);
        corpus = AdversarialRecords.smallCorpusRecords();
        spark = SparkSession.builder().master("local[2]").appName("StreamBatchAgreementIT")
                .config("spark.driver.bindAddress", "127.0.0.1")
                .config("spark.driver.host", "127.0.0.1")
                .config("spark.ui.enabled", "false")
                .config("spark.sql.shuffle.partitions", "4")
                .getOrCreate();
    }

    @AfterAll
    static void stop() {
        spark.stop();
        executor.shutdownNow();
        dynamoDb.close();
        s3.close();
        dynamoDbServer.close();
        s3Server.close();
        postgres.close();
    }

    /** One record as the stream holds it: the put, the shard it went to and its sequence number. */
    private record Stored(AdversarialRecords.Put put, String shardId, String sequenceNumber) {
    }

    @TestFactory
    Stream<DynamicTest> everyRecordGetsTheSameVerdictAndEveryDayTheSameNumbersOnAllThreePaths() {
        return Seeds.of("StreamBatchAgreementIT", TRIES).boxed()
                .map(seed -> DynamicTest.dynamicTest("seed " + seed, () -> agree(seed)));
    }

    private static void agree(long seed) {
        int n = TRY.incrementAndGet();
        System.out.printf("StreamBatchAgreementIT try %d: seed %d, %d records%n", n, seed, RECORDS);
        DecoderLimits limits = DecoderLimits.defaults();
        AdversarialRecords producer = new AdversarialRecords(seed, START, limits.maxLateness(), limits.maxFutureSkew(), corpus);
        List<Stored> stream = onShards(producer.next(RECORDS));
        PipelineSpec spec = PipelineSpec.withPrefix("agree" + n);
        Windows windows = new Windows(spec.window());

        Map<String, String> streamVerdicts = runStream(spec, limits, windows, stream, new Random(seed));
        String schema = "agree" + n;
        Warehouse warehouse = new JdbcWarehouse(postgres.dataSource(), s3, schema, LoadRules.defaults());
        warehouse.migrate();
        List<RawObject> objects = archive(spec, stream);
        Map<String, String> loaderVerdicts = runLoader(warehouse, schema, objects, stream, new Random(seed));
        Map<String, String> rollupVerdicts = runRollups(warehouse, limits, objects, stream);

        assertThat(loaderVerdicts).as("seed %d: loader verdicts vs stream", seed).isEqualTo(streamVerdicts);
        assertThat(rollupVerdicts).as("seed %d: rollup verdicts vs stream", seed).isEqualTo(streamVerdicts);

        Reconciler reconciler = new Reconciler(new LiveStateReader(dynamoDb, spec.tables().deviceState(),
                spec.tables().deviceWindows(), spec.tables().alerts()), warehouse, schema);
        for (LocalDate day : eventDays(warehouse, schema)) {
            ReconcileReport report = reconciler.reconcile(day);
            assertThat(report.drifts()).as("seed %d: drift on %s", seed, day).isEmpty();
        }
    }

    /** Kinesis' placement: a shard per partition key, sequence numbers rising per shard. */
    private static List<Stored> onShards(List<AdversarialRecords.Put> puts) {
        long[] next = {1, 1};
        List<Stored> stored = new ArrayList<>(puts.size());
        for (AdversarialRecords.Put put : puts) {
            int shard = Math.floorMod(put.partitionKey().hashCode(), SHARDS.length);
            String seq = "4959" + String.format("%052d", next[shard]++);
            stored.add(new Stored(put, SHARDS[shard], seq));
        }
        return stored;
    }

    private static String key(Stored s) {
        return s.shardId() + "/" + s.sequenceNumber();
    }

    /**
     * Feeds each shard in batches of 100, as the event source mapping does, and delivers a few batches
     * twice (a Lambda retry); returns the quarantine reason per record, or APPLIED.
     */
    private static Map<String, String> runStream(PipelineSpec spec, DecoderLimits limits, Windows windows, List<Stored> stream,
                                                 Random random) {
        LiveTables.createAll(dynamoDb, spec.tables().deviceState(), spec.tables().deviceWindows(), spec.tables().alerts());
        s3.createBucket(b -> b.bucket(spec.buckets().quarantine()));
        StreamProcessor processor = new StreamProcessor(new EventDecoder(limits), windows, AlertRules.parse(AlertRules.DEFAULT_SPEC),
                new DynamoDbLiveStateStore(dynamoDb, spec.tables().deviceState(), spec.tables().deviceWindows(), spec.tables().alerts(),
                        windows, Duration.ofDays(35), executor),
                new S3QuarantineSink(s3, spec.buckets().quarantine(), spec.buckets().quarantinePrefix(), executor));
        for (String shard : SHARDS) {
            List<StreamRecord> records = stream.stream().filter(s -> s.shardId().equals(shard))
                    .map(s -> new StreamRecord(s.shardId(), s.sequenceNumber(), s.put().partitionKey(), s.put().arrival(), s.put().data()))
                    .toList();
            int attempts = 0;
            for (int from = 0; from < records.size(); ) {
                List<StreamRecord> batch = records.subList(from, Math.min(records.size(), from + 100));
                BatchOutcome outcome = processor.process(batch, () -> 600_000);
                if (random.nextInt(10) == 0) {
                    processor.process(batch, () -> 600_000);
                }
                if (outcome.retrySequenceNumbers().isEmpty()) {
                    from += batch.size();
                    attempts = 0;
                    continue;
                }
                // As the event source mapping does: resume from the first record reported for retry.
                String first = outcome.retrySequenceNumbers().get(0);
                assertThat(++attempts).as("a record is retried for ever: %s, %s", first, outcome.summary()).isLessThan(10);
                while (!records.get(from).sequenceNumber().equals(first)) {
                    from++;
                }
            }
        }
        Map<String, String> verdicts = new TreeMap<>();
        stream.forEach(s -> verdicts.put(key(s), "APPLIED"));
        s3.listObjectsV2Paginator(b -> b.bucket(spec.buckets().quarantine())).contents().forEach(o -> {
            String json = s3.getObjectAsBytes(b -> b.bucket(spec.buckets().quarantine()).key(o.key())).asUtf8String();
            String reason = field(json, "reason");
            verdicts.put(field(json, "shardId") + "/" + field(json, "sequenceNumber"), reason);
        });
        return verdicts;
    }

    private static String field(String json, String name) {
        try {
            return new ObjectMapper().readTree(json).get(name).asText();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Firehose's archive: per shard, objects of up to 400 envelope lines under their first record's arrival hour. */
    private static List<RawObject> archive(PipelineSpec spec, List<Stored> stream) {
        String bucket = spec.buckets().raw();
        s3.createBucket(b -> b.bucket(bucket));
        List<RawObject> objects = new ArrayList<>();
        for (String shard : SHARDS) {
            List<Stored> records = stream.stream().filter(s -> s.shardId().equals(shard)).toList();
            for (int from = 0, part = 0; from < records.size(); from += 400, part++) {
                List<Stored> chunk = records.subList(from, Math.min(records.size(), from + 400));
                ByteArrayOutputStream gz = new ByteArrayOutputStream();
                try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
                    for (Stored s : chunk) {
                        out.write(ArchiveLine.encode(s.put().data(), s.put().arrival(), s.shardId(), s.sequenceNumber()));
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                String key = spec.buckets().rawPrefix() + HOUR.format(chunk.get(0).put().arrival()) + "/" + shard + "-" + part + ".gz";
                put(bucket, key, gz.toByteArray());
                objects.add(new RawObject(bucket, key));
            }
        }
        return objects;
    }

    /**
     * Stores one archive object, as Firehose would retry its delivery: under a loaded machine the local S3
     * server has been seen to drop a connection mid-body a few times in a row.
     */
    private static void put(String bucket, String key, byte[] body) {
        for (int attempt = 1; ; attempt++) {
            try {
                s3.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromBytes(body));
                return;
            } catch (RuntimeException e) {
                if (attempt == 5) {
                    throw new IllegalStateException("storing archive object " + key + " of " + body.length + " bytes failed", e);
                }
                try {
                    Thread.sleep(500L * attempt);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    /** Loads the objects in a shuffled order (an earlier object may load after a later one). */
    private static Map<String, String> runLoader(Warehouse warehouse, String schema, List<RawObject> objects, List<Stored> stream, Random random) {
        List<RawObject> order = new ArrayList<>(objects);
        Collections.shuffle(order, random);
        for (RawObject object : order) {
            assertThat(warehouse.load(object).status()).isEqualTo(LoadResult.Status.LOADED);
        }
        Map<String, String> verdicts = new TreeMap<>();
        stream.forEach(s -> verdicts.put(key(s), "APPLIED"));
        warehouse.query("SELECT shard_id, sequence_number, reason FROM " + schema + ".quarantine").rows()
                .forEach(row -> verdicts.put(row.get(0) + "/" + row.get(1), (String) row.get(2)));
        return verdicts;
    }

    /** Rolls up every day that holds an event and writes its summaries; returns the verdict per record. */
    private static Map<String, String> runRollups(Warehouse warehouse, DecoderLimits limits, List<RawObject> objects, List<Stored> stream) {
        List<RawObjectFile> files = new ArrayList<>();
        Instant written = Instant.now();
        for (RawObject o : objects) {
            files.add(new RawObjectFile("s3a://" + o.bucket() + "/" + o.key(), written,
                    s3.getObjectAsBytes(b -> b.bucket(o.bucket()).key(o.key())).asByteArray()));
        }
        JavaRDD<RawObjectFile> input = JavaSparkContext.fromSparkContext(spark.sparkContext()).parallelize(files, 3).cache();
        Map<String, String> verdicts = new TreeMap<>();
        stream.forEach(s -> verdicts.put(key(s), "APPLIED"));
        TreeSet<LocalDate> days = new TreeSet<>();
        for (Stored s : stream) {
            days.add(LocalDate.ofInstant(s.put().arrival(), ZoneOffset.UTC));
        }
        LocalDate first = days.first().minusDays(3);
        for (LocalDate day = first; !day.isAfter(days.last().plusDays(1)); day = day.plusDays(1)) {
            DailyRollup rollup = new DailyRollup(day, limits);
            // Rejected lines carry their reason whatever the day; a full window's copies only in their day's run.
            for (Row row : rollup.decode(input).filter("reason IS NOT NULL").select("shardId", "sequenceNumber", "reason").collectAsList()) {
                verdicts.put(row.getString(0) + "/" + row.getString(1), row.getString(2));
            }
            RolledUpDay rolled = rollup.rollUp(input, 2);
            for (DayCopy copy : rolled.copies().filter(c -> c.verdict() == DayCopy.Verdict.WINDOW_FULL).collect()) {
                verdicts.put(copy.shardId() + "/" + copy.sequenceNumber(), ReasonCode.WINDOW_FULL.name());
            }
            List<DeviceSummary> daily = new ArrayList<>();
            List<DeviceSummary> hourly = new ArrayList<>();
            for (SummaryRow row : rolled.summaries()) {
                (SummaryRow.DAY.equals(row.getPeriod()) ? daily : hourly).add(row.toDeviceSummary());
            }
            warehouse.replaceDaySummaries(day, daily, hourly);
        }
        return verdicts;
    }

    private static List<LocalDate> eventDays(Warehouse warehouse, String schema) {
        return warehouse.query("SELECT DISTINCT dt FROM " + schema + ".events ORDER BY dt").rows().stream()
                .map(row -> LocalDate.parse(row.get(0).toString())).toList();
    }
}
