package io.twinflow.glue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.twinflow.core.archive.ArchiveLine;
import io.twinflow.core.event.DecoderLimits;
import io.twinflow.core.window.Windows;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
import java.util.zip.GZIPOutputStream;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The transform on in-memory objects: no S3, no warehouse. */
class DailyRollupTest {

    private static final LocalDate DAY = LocalDate.of(2026, 11, 23);
    private static final Instant ARRIVED = Instant.parse("2026-11-24T00:10:00Z");
    private static SparkSession spark;

    private final DailyRollup rollup = new DailyRollup(DAY, DecoderLimits.defaults());

    @BeforeAll
    static void startSpark() {
        spark = SparkSession.builder().master("local[2]").appName("DailyRollupTest")
                .config("spark.driver.bindAddress", "127.0.0.1")
                .config("spark.driver.host", "127.0.0.1")
                .config("spark.ui.enabled", "false")
                .config("spark.sql.shuffle.partitions", "4")
                .getOrCreate();
    }

    @AfterAll
    static void stopSpark() {
        spark.stop();
    }

    @Test
    void aPlainLineGetsTheDecodersVerdictWithTheObjectTimeAsItsArrival() {
        Dataset<DecodedLine> decoded = rollup.decode(objects(
                object("raw/dt=2026-11-23/hour=23/a.gz", ARRIVED,
                        event("e1", "d1", "2026-11-23T10:00:00Z", 1.0),
                        "{not json",
                        "",
                        "{\"schemaVersion\":2,\"eventId\":\"x\",\"deviceId\":\"d\",\"ts\":\"2026-11-23T10:00:00Z\",\"metrics\":{\"t\":1}}",
                        // 4 minutes after the object's LastModified: within the skew. 6 minutes: not.
                        event("e2", "d1", "2026-11-24T00:14:00Z", 1.0),
                        event("e3", "d1", "2026-11-24T00:16:00Z", 1.0),
                        "x".repeat(70_000))));

        Map<Long, String> reasons = decoded.collectAsList().stream()
                .collect(Collectors.toMap(DecodedLine::getLineNo, l -> String.valueOf(l.getReason())));
        assertThat(reasons).containsExactlyInAnyOrderEntriesOf(Map.of(
                1L, "null", 2L, "INVALID_JSON", 3L, "INVALID_JSON", 4L, "UNSUPPORTED_SCHEMA",
                5L, "null", 6L, "FUTURE_TIMESTAMP", 7L, "RECORD_TOO_LARGE"));
    }

    @Test
    void validEventsCountForTheirEventDayAndRejectedLinesForTheirArrivalDay() {
        JavaRDD<RawObjectFile> objects = objects(
                object("raw/dt=2026-11-23/hour=05/a.gz", ARRIVED,
                        event("in1", "d1", "2026-11-23T00:00:00Z", 1.0),
                        event("in2", "d1", "2026-11-23T23:59:59.999Z", 1.0),
                        event("before", "d1", "2026-11-22T23:59:59.999Z", 1.0),
                        "[1]"),
                object("raw/dt=2026-11-24/hour=00/b.gz", ARRIVED,
                        event("after", "d1", "2026-11-24T00:00:00Z", 1.0),
                        "{\"schemaVersion\":1}"));

        LineCounts counts = rollup.rollUp(objects, 2).lines();

        assertThat(counts).isEqualTo(new LineCounts(6, 2, 2, Map.of("NOT_AN_OBJECT", 1L), 1));
    }

    @Test
    void ofSeveralCopiesOfAnEventIdTheFirstToArriveIsKeptWhateverTheKeyOrder() {
        Instant early = Instant.parse("2026-11-23T12:00:00Z");
        Instant late = early.plusSeconds(60);
        JavaRDD<RawObjectFile> objects = objects(
                object("raw/dt=2026-11-23/hour=12/a-late.gz", late, event("dup", "d1", "2026-11-23T11:59:00Z", 99.0)),
                object("raw/dt=2026-11-23/hour=12/z-early.gz", early,
                        event("dup", "d1", "2026-11-23T11:59:00Z", 1.0),
                        event("dup", "d1", "2026-11-23T11:59:00Z", 2.0),
                        event("solo", "d2", "2026-11-23T11:00:00Z", 5.0)));

        List<DayCopy> events = rollup.rollUp(objects, 3).kept().collect();

        assertThat(events).hasSize(2);
        DayCopy kept = events.stream().filter(e -> e.eventId().equals("dup")).findFirst().orElseThrow();
        assertThat(kept.objectPath()).endsWith("z-early.gz");
        assertThat(kept.lineNo()).isEqualTo(1);
        assertThat(kept.metrics()).containsEntry("t", 1.0);
    }

    @Test
    void summariesPerDeviceAndHourMatchPlainArithmeticWhateverTheInputOrder() {
        JavaRDD<RawObjectFile> objects = objects(
                object("raw/dt=2026-11-23/hour=11/a.gz", ARRIVED,
                        event("3", "d1", "2026-11-23T10:30:00Z", 3.5),
                        event("1", "d1", "2026-11-23T09:15:00Z", -1.25),
                        event("5", "d2", "2026-11-23T23:00:00Z", 7.0)),
                object("raw/dt=2026-11-23/hour=10/b.gz", ARRIVED,
                        event("2", "d1", "2026-11-23T09:45:00Z", 2.0),
                        "{\"schemaVersion\":1,\"eventId\":\"4\",\"deviceId\":\"d1\",\"ts\":\"2026-11-23T10:00:00Z\","
                                + "\"metrics\":{\"t\":10,\"h\":40}}"));

        List<SummaryRow> rows = rollup.rollUp(objects, 2).summaries().stream()
                .sorted(Comparator.comparing(SummaryRow::getDeviceId).thenComparing(SummaryRow::getPeriod)
                        .thenComparing(SummaryRow::getPeriodStart))
                .toList();

        assertThat(rows).extracting(r -> r.getDeviceId() + " " + r.getPeriod() + " " + r.getPeriodStart() + " "
                        + r.getEventCount() + " " + r.getFirstTs() + " " + r.getLastTs())
                .containsExactly(
                        "d1 DAY 2026-11-23T00:00:00Z 4 2026-11-23T09:15:00Z 2026-11-23T10:30:00Z",
                        "d1 HOUR 2026-11-23T09:00:00Z 2 2026-11-23T09:15:00Z 2026-11-23T09:45:00Z",
                        "d1 HOUR 2026-11-23T10:00:00Z 2 2026-11-23T10:00:00Z 2026-11-23T10:30:00Z",
                        "d2 DAY 2026-11-23T00:00:00Z 1 2026-11-23T23:00:00Z 2026-11-23T23:00:00Z",
                        "d2 HOUR 2026-11-23T23:00:00Z 1 2026-11-23T23:00:00Z 2026-11-23T23:00:00Z");
        MetricRow dayT = rows.get(0).getMetrics().stream().filter(m -> m.getName().equals("t")).findFirst().orElseThrow();
        assertThat(dayT.getCount()).isEqualTo(4);
        assertThat(dayT.getSum()).isCloseTo(-1.25 + 2.0 + 10 + 3.5, within(1e-12));
        assertThat(dayT.getMin()).isEqualTo(-1.25);
        assertThat(dayT.getMax()).isEqualTo(10.0);
        assertThat(rows.get(0).getMetrics()).extracting(MetricRow::getName).containsExactly("h", "t");
        assertThat(rows.get(0).toDeviceSummary().aggregate().metrics().get("h").count()).isEqualTo(1);
    }

    @Test
    void curatedFilesHoldTheCountedCopiesWithTheirRawOriginInFileOrderAndTheCountsComeWithThem(@TempDir Path dir) {
        RolledUpDay rolled = rollup.rollUp(objects(
                object("raw/dt=2026-11-23/hour=01/a.gz", ARRIVED,
                        event("e2", "d1", "2026-11-23T01:00:00Z", 2.0),
                        event("e1", "d1", "2026-11-23T01:00:00Z", 1.0),
                        event("e1", "d1", "2026-11-23T01:00:00Z", 9.0),
                        event("e0", "d1", "2026-11-23T00:30:00Z", 0.5),
                        "{bad")), 1);
        String directory = dir.resolve("dt=2026-11-23").toUri().toString();

        rolled.writeCurated(directory, 2);

        assertThat(rolled.lines()).isEqualTo(new LineCounts(5, 4, 0, Map.of("INVALID_JSON", 1L), 0));
        assertThat(rolled.summaries()).hasSize(3);
        // The local file system adds a hidden .crc file per file.
        assertThat(dir.resolve("dt=2026-11-23").toFile().list((d, name) -> !name.startsWith("."))).as("two files of at most 2 rows, no _SUCCESS")
                .hasSize(2).allMatch(name -> name.startsWith("part-") && name.endsWith(".parquet"));
        Dataset<Row> files = spark.read().parquet(directory);
        assertThat(files.schema().fieldNames()).containsExactly("event_id", "device_id", "ts", "schema_version", "metrics",
                "lat", "lon", "raw_object", "raw_line", "arrived_by", "arrived_at", "stream_position");
        List<Row> rows = files.orderBy("event_id").collectAsList();
        assertThat(rows).extracting(r -> r.<String>getAs("event_id") + " " + r.<Long>getAs("raw_line") + " "
                        + r.<Timestamp>getAs("ts").toInstant() + " " + r.getJavaMap(r.fieldIndex("metrics")).get("t"))
                .containsExactly("e0 4 2026-11-23T00:30:00Z 0.5", "e1 2 2026-11-23T01:00:00Z 1.0", "e2 1 2026-11-23T01:00:00Z 2.0");
        assertThat(rows.get(0).<String>getAs("raw_object")).isEqualTo("raw/dt=2026-11-23/hour=01/a.gz");
        assertThat(rows.get(0).<Timestamp>getAs("arrived_by").toInstant()).isEqualTo(ARRIVED);
    }

    @Test
    void anEnvelopeLineIsJudgedAgainstItsOwnArrivalAndKeepsItsStreamPosition() {
        Instant arrival = Instant.parse("2026-11-23T10:00:00Z");
        // The object was written days later: only the envelope's arrival may be the reference.
        Instant objectTime = Instant.parse("2026-11-27T00:00:00Z");
        Dataset<DecodedLine> decoded = rollup.decode(objects(
                object("raw/dt=2026-11-23/hour=10/a.gz", objectTime,
                        envelope(event("e1", "d1", "2026-11-23T10:04:00Z", 1.0), arrival, "shardId-000000000001", "49"),
                        envelope(event("e2", "d1", "2026-11-23T10:06:00Z", 1.0), arrival, "shardId-000000000001", "50"),
                        envelope(event("e3", "d1", "2026-11-21T09:59:59Z", 1.0), arrival, "shardId-000000000001", "51"),
                        envelope(event("e4", "d1", "2026-11-21T10:00:01Z", 1.0), arrival, "shardId-000000000001", "52"),
                        "\u001etf1\tnot-a-time\tshardId-000000000001\t53\tr\t{}",
                        event("e5", "d1", "2026-11-23T10:00:00Z", 1.0))));

        Map<Long, DecodedLine> lines = decoded.collectAsList().stream().collect(Collectors.toMap(DecodedLine::getLineNo, l -> l));
        assertThat(lines.values()).extracting(l -> l.getLineNo() + " " + l.getReason())
                .containsExactlyInAnyOrder("1 null", "2 FUTURE_TIMESTAMP", "3 TOO_LATE", "4 null", "5 BAD_ARCHIVE_LINE", "6 TOO_LATE");
        DecodedLine first = lines.get(1L);
        assertThat(first.getArrival()).isEqualTo(arrival);
        assertThat(first.getShardId()).isEqualTo("shardId-000000000001");
        assertThat(first.getSequenceNumber()).isEqualTo("49");
        assertThat(first.getWindowStart()).isEqualTo(Instant.parse("2026-11-23T10:04:00Z"));
        // The plain line arrived at the object's time, four days after its event: too late.
        assertThat(lines.get(6L).getArrival()).isEqualTo(objectTime);
        assertThat(lines.get(6L).getShardId()).isNull();
    }

    @Test
    void aRecordNearTheSizeLimitWithLineBreaksIsOneRecordThoughItsBase64LineIsLongerThanTheLimit() {
        Instant arrival = Instant.parse("2026-11-23T10:00:00Z");
        // Unknown fields are ignored: padding brings the records to just under and just over 64 KiB.
        String under = "{\n\"schemaVersion\":1,\n\"eventId\":\"big\",\"deviceId\":\"d1\",\"ts\":\"2026-11-23T09:00:00Z\","
                + "\"metrics\":{\"t\":1},\"pad\":\"" + "x".repeat(65_000) + "\"}";
        String over = under.replace("\"pad\":\"", "\"pad\":\"" + "y".repeat(1_000));
        assertThat(under.length()).isLessThan(65_536);
        assertThat(over.length()).isGreaterThan(65_536);

        List<String> reasons = rollup.decode(objects(object("raw/dt=2026-11-23/hour=10/a.gz", arrival,
                        envelope(under, arrival, "s", "1"), envelope(over, arrival, "s", "2"))))
                .collectAsList().stream().sorted(Comparator.comparing(DecodedLine::getLineNo)).map(l -> String.valueOf(l.getReason())).toList();

        assertThat(reasons).containsExactly("null", "RECORD_TOO_LARGE");
    }

    @Test
    void theConfiguredLatenessBoundDecides() {
        Instant arrival = Instant.parse("2026-11-23T12:00:00Z");
        DailyRollup strict = new DailyRollup(DAY, DecoderLimits.defaults().withMaxLateness(Duration.ofHours(1)));

        List<String> reasons = strict.decode(objects(object("raw/dt=2026-11-23/hour=12/a.gz", arrival,
                        envelope(event("on-time", "d1", "2026-11-23T11:00:00Z", 1.0), arrival, "s", "1"),
                        envelope(event("late", "d1", "2026-11-23T10:59:59.999Z", 1.0), arrival, "s", "2"))))
                .collectAsList().stream().sorted(Comparator.comparing(DecodedLine::getLineNo)).map(l -> String.valueOf(l.getReason())).toList();

        assertThat(reasons).containsExactly("null", "TOO_LATE");
    }

    @Test
    void anIdentityIsDeviceEventIdAndWindowAndItsFirstCopyInStreamOrderCounts() {
        Instant arrival = Instant.parse("2026-11-23T10:05:00Z");
        JavaRDD<RawObjectFile> objects = objects(
                // Sorts first by key and LastModified, but holds the later stream positions.
                object("raw/dt=2026-11-23/hour=10/a.gz", arrival,
                        envelope(event("r1", "d1", "2026-11-23T10:01:10Z", 99.0), arrival, "shardId-000000000000", "20"),
                        envelope(event("r1", "d1", "2026-11-23T10:02:01Z", 3.0), arrival, "shardId-000000000000", "21")),
                object("raw/dt=2026-11-23/hour=10/b.gz", arrival.plusSeconds(60),
                        envelope(event("r1", "d1", "2026-11-23T10:01:10Z", 1.0), arrival, "shardId-000000000000", "3"),
                        envelope(event("shared", "d2", "2026-11-23T10:03:00Z", 2.0), arrival, "shardId-000000000001", "4"),
                        envelope(event("shared", "d3", "2026-11-23T10:03:00Z", 4.0), arrival, "shardId-000000000001", "5")));

        RolledUpDay rolled = rollup.rollUp(objects, 2);
        List<DayCopy> copies = rolled.copies().collect();
        List<DayCopy> events = rolled.kept().collect();

        assertThat(events).extracting(e -> e.deviceId() + " " + e.eventId() + " " + e.ts() + " " + e.metrics().get("t"))
                .containsExactlyInAnyOrder(
                        // The re-send within the minute is a duplicate whatever its values; the re-stamp into the next minute is a second event.
                        "d1 r1 2026-11-23T10:01:10Z 1.0",
                        "d1 r1 2026-11-23T10:02:01Z 3.0",
                        // Two devices reusing an eventId: two events.
                        "d2 shared 2026-11-23T10:03:00Z 2.0",
                        "d3 shared 2026-11-23T10:03:00Z 4.0");
        assertThat(copies).filteredOn(c -> c.verdict() == DayCopy.Verdict.DUPLICATE).extracting(DayCopy::sequenceNumber).containsExactly("20");
    }

    @Test
    void identitiesBeyondAWindowsCapacityHaveEveryCopyRejectedAsWindowFull() {
        Instant arrival = Instant.parse("2026-11-23T12:01:00Z");
        DailyRollup capped = new DailyRollup(DAY, DecoderLimits.defaults(), new Windows(Windows.DEFAULT_SIZE), 2);
        JavaRDD<RawObjectFile> objects = objects(object("raw/dt=2026-11-23/hour=12/a.gz", arrival,
                envelope(event("w3", "d1", "2026-11-23T12:00:01Z", 3.0), arrival, "s", "3"),
                envelope(event("w1", "d1", "2026-11-23T12:00:02Z", 1.0), arrival, "s", "1"),
                // Later in the stream, earlier in event time: the counted events come out in time order.
                envelope(event("w2", "d1", "2026-11-23T12:00:00.500Z", 2.0), arrival, "s", "2"),
                envelope(event("w1", "d1", "2026-11-23T12:00:02Z", 1.0), arrival, "s", "4"),
                envelope(event("w3", "d1", "2026-11-23T12:00:01Z", 3.0), arrival, "s", "5"),
                // Another window of the same device has room of its own.
                envelope(event("w4", "d1", "2026-11-23T12:01:00Z", 4.0), arrival, "s", "6")));

        RolledUpDay rolled = capped.rollUp(objects, 1);

        assertThat(rolled.copies().collect()).extracting(c -> c.sequenceNumber() + " " + c.verdict())
                .containsExactlyInAnyOrder("1 KEPT", "2 KEPT", "3 WINDOW_FULL", "4 DUPLICATE", "5 WINDOW_FULL", "6 KEPT");
        assertThat(rolled.kept().collect()).extracting(DayCopy::eventId).containsExactly("w2", "w1", "w4");
        assertThat(rolled.lines()).isEqualTo(new LineCounts(6, 4, 0, Map.of("WINDOW_FULL", 2L), 0));
    }

    @Test
    void theAnswerIsTheSameWhateverTheInputSlicesAndPartitionsACopysNeighboursLandIn() {
        // Copies of one identity spread over objects read by different tasks, plain and envelope lines, the same
        // eventId in two hours and two windows, a full window, other days' lines and bad lines in several objects.
        Random random = new Random(23);
        Instant arrival = Instant.parse("2026-11-23T23:30:00Z");
        DailyRollup capped = new DailyRollup(DAY, DecoderLimits.defaults(), new Windows(Windows.DEFAULT_SIZE), 3);
        List<RawObjectFile> files = new ArrayList<>();
        int sequence = 0;
        for (int o = 0; o < 6; o++) {
            List<String> lines = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                String device = "d" + random.nextInt(3);
                String id = "e" + random.nextInt(8);
                String ts = "2026-11-23T" + (10 + random.nextInt(2)) + ":0" + random.nextInt(2) + ":" + (10 + random.nextInt(3)) + "Z";
                String event = event(id, device, ts, random.nextInt(100));
                lines.add(switch (random.nextInt(6)) {
                    case 0 -> event;
                    case 1 -> "{broken";
                    case 2 -> event(id, device, "2026-11-22T23:59:59Z", 1.0);
                    default -> envelope(event, arrival, "shardId-00000000000" + random.nextInt(2), String.valueOf(sequence++));
                });
            }
            files.add(object("raw/dt=2026-11-2" + (3 + o % 2) + "/hour=10/o" + o + ".gz", arrival.plusSeconds(o), lines.toArray(String[]::new)));
        }
        JavaSparkContext context = JavaSparkContext.fromSparkContext(spark.sparkContext());

        RolledUpDay one = capped.rollUp(context.parallelize(files, 1), 1);
        RolledUpDay spread = capped.rollUp(context.parallelize(files, files.size()), 3);

        assertThat(spread.lines()).isEqualTo(one.lines());
        assertThat(one.lines().quarantined()).containsKeys("INVALID_JSON", "WINDOW_FULL");
        assertThat(one.lines().validOtherDays()).isPositive();
        assertThat(verdicts(spread)).isEqualTo(verdicts(one)).anyMatch(v -> v.endsWith(" DUPLICATE"));
        assertThat(summaries(spread)).isEqualTo(summaries(one)).isNotEmpty();
    }

    /** Every copy with its verdict, in a fixed order. */
    private static List<String> verdicts(RolledUpDay rolled) {
        return rolled.copies().collect().stream().map(c -> c.objectPath() + ":" + c.lineNo() + " " + c.verdict()).sorted().toList();
    }

    /** Every summary with its metrics, in a fixed order. */
    private static List<String> summaries(RolledUpDay rolled) {
        return rolled.summaries().stream().map(r -> r.getDeviceId() + " " + r.getPeriod() + " " + r.getPeriodStart() + " " + r.getEventCount()
                        + " " + r.getFirstTs() + " " + r.getLastTs() + " " + r.toDeviceSummary().aggregate().metrics())
                .sorted().toList();
    }

    /** One archive envelope line (without its LF) as text; ASCII events survive the round trip through a String. */
    static String envelope(String record, Instant arrival, String shardId, String sequenceNumber) {
        byte[] line = ArchiveLine.encode(record.getBytes(StandardCharsets.UTF_8), arrival, shardId, sequenceNumber);
        return new String(line, 0, line.length - 1, StandardCharsets.UTF_8);
    }

    static String event(String id, String device, String ts, double t) {
        return "{\"schemaVersion\":1,\"eventId\":\"" + id + "\",\"deviceId\":\"" + device + "\",\"ts\":\"" + ts
                + "\",\"metrics\":{\"t\":" + t + "}}";
    }

    private static RawObjectFile object(String path, Instant lastModified, String... lines) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            for (String line : lines) {
                gz.write(line.getBytes(StandardCharsets.UTF_8));
                gz.write('\n');
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return new RawObjectFile(path, lastModified, out.toByteArray());
    }

    private static JavaRDD<RawObjectFile> objects(RawObjectFile... objects) {
        return JavaSparkContext.fromSparkContext(spark.sparkContext()).parallelize(List.of(objects), Math.min(objects.length, 2));
    }
}
