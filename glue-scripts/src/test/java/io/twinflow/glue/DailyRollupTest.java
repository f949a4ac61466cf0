package io.twinflow.glue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.zip.GZIPOutputStream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The transform on in-memory objects: no S3, no warehouse. */
class DailyRollupTest {

    private static final LocalDate DAY = LocalDate.of(2026, 11, 23);
    private static final Instant ARRIVED = Instant.parse("2026-11-24T00:10:00Z");
    private static SparkSession spark;

    private final DailyRollup rollup = new DailyRollup(DAY, Duration.ofMinutes(5));

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
    void everyLineGetsTheDecodersVerdictWithTheObjectTimeAsReference() {
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
        Dataset<DecodedLine> decoded = rollup.decode(objects(
                object("raw/dt=2026-11-23/hour=05/a.gz", ARRIVED,
                        event("in1", "d1", "2026-11-23T00:00:00Z", 1.0),
                        event("in2", "d1", "2026-11-23T23:59:59.999Z", 1.0),
                        event("before", "d1", "2026-11-22T23:59:59.999Z", 1.0),
                        "[1]"),
                object("raw/dt=2026-11-24/hour=00/b.gz", ARRIVED,
                        event("after", "d1", "2026-11-24T00:00:00Z", 1.0),
                        "{\"schemaVersion\":1}")));

        LineCounts counts = LineCounts.of(rollup.lineCounts(decoded).collectAsList());

        assertThat(counts).isEqualTo(new LineCounts(6, 2, 2, Map.of("NOT_AN_OBJECT", 1L), 1));
    }

    @Test
    void ofSeveralCopiesOfAnEventIdTheFirstToArriveIsKeptWhateverTheKeyOrder() {
        Instant early = Instant.parse("2026-11-23T12:00:00Z");
        Instant late = early.plusSeconds(60);
        Dataset<DecodedLine> decoded = rollup.decode(objects(
                object("raw/dt=2026-11-23/hour=12/a-late.gz", late, event("dup", "d1", "2026-11-23T11:59:00Z", 99.0)),
                object("raw/dt=2026-11-23/hour=12/z-early.gz", early,
                        event("dup", "d1", "2026-11-23T11:59:00Z", 1.0),
                        event("dup", "d1", "2026-11-23T11:59:00Z", 2.0),
                        event("solo", "d2", "2026-11-23T11:00:00Z", 5.0))));

        List<DecodedLine> events = rollup.dayEvents(decoded, 3).collectAsList();

        assertThat(events).hasSize(2);
        DecodedLine kept = events.stream().filter(e -> e.getEventId().equals("dup")).findFirst().orElseThrow();
        assertThat(kept.getObjectPath()).endsWith("z-early.gz");
        assertThat(kept.getLineNo()).isEqualTo(1);
        assertThat(kept.getMetrics()).containsEntry("t", 1.0);
    }

    @Test
    void summariesPerDeviceAndHourMatchPlainArithmeticWhateverTheInputOrder() {
        Dataset<DecodedLine> decoded = rollup.decode(objects(
                object("raw/dt=2026-11-23/hour=11/a.gz", ARRIVED,
                        event("3", "d1", "2026-11-23T10:30:00Z", 3.5),
                        event("1", "d1", "2026-11-23T09:15:00Z", -1.25),
                        event("5", "d2", "2026-11-23T23:00:00Z", 7.0)),
                object("raw/dt=2026-11-23/hour=10/b.gz", ARRIVED,
                        event("2", "d1", "2026-11-23T09:45:00Z", 2.0),
                        "{\"schemaVersion\":1,\"eventId\":\"4\",\"deviceId\":\"d1\",\"ts\":\"2026-11-23T10:00:00Z\","
                                + "\"metrics\":{\"t\":10,\"h\":40}}")));

        List<SummaryRow> rows = rollup.summaries(rollup.dayEvents(decoded, 2)).collectAsList().stream()
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
    void curatedRowsCarryTheDayPartitionAndTheirRawOrigin() {
        Dataset<DecodedLine> decoded = rollup.decode(objects(
                object("raw/dt=2026-11-23/hour=01/a.gz", ARRIVED, event("e", "d1", "2026-11-23T01:00:00Z", 1.0))));

        Row row = rollup.curated(rollup.dayEvents(decoded, 1)).first();

        assertThat(row.schema().fieldNames()).containsExactly("event_id", "device_id", "ts", "schema_version", "metrics",
                "lat", "lon", "raw_object", "raw_line", "arrived_by", "dt");
        assertThat(row.<String>getAs("dt")).isEqualTo("2026-11-23");
        assertThat(row.<String>getAs("raw_object")).isEqualTo("raw/dt=2026-11-23/hour=01/a.gz");
        assertThat(row.<Long>getAs("raw_line")).isEqualTo(1L);
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

    private static Dataset<RawObjectFile> objects(RawObjectFile... objects) {
        return spark.createDataset(List.of(objects), DailyRollup.RAW_OBJECT);
    }
}
