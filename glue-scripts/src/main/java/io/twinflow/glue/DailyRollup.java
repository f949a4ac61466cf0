package io.twinflow.glue;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.when;

import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Objects;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoder;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;

/**
 * The rollup of one UTC day of event time, as pure functions from Datasets to Datasets: no paths, no
 * clients, no session settings, so it is tested on in-memory data and the job only adds I/O around it.
 *
 * <p>The steps: {@link #decode} every line of the raw objects read; {@link #lineCounts} for the run's
 * report; {@link #dayEvents} keeps the valid events whose event time lies on the day, one copy per
 * eventId, clustered by device and sorted by time; from those, {@link #curated} rows and
 * {@link #summaries}.
 */
public final class DailyRollup {

    /** Line categories of {@link #lineCounts}. */
    public static final String VALID = "VALID";
    public static final String VALID_OTHER_DAY = "VALID_OTHER_DAY";
    public static final String QUARANTINED = "QUARANTINED";
    public static final String QUARANTINED_OTHER_DAY = "QUARANTINED_OTHER_DAY";

    static final Encoder<RawObjectFile> RAW_OBJECT = Encoders.bean(RawObjectFile.class);
    static final Encoder<DecodedLine> DECODED = Encoders.bean(DecodedLine.class);
    static final Encoder<SummaryRow> SUMMARY = Encoders.bean(SummaryRow.class);

    private final LocalDate day;
    private final Duration maxFutureSkew;

    /**
     * @param maxFutureSkew the decoder's allowed clock skew; the stream processor's setting
     *     ({@code TWINFLOW_MAX_FUTURE_SKEW_SECONDS}) so both paths reject the same records
     */
    public DailyRollup(LocalDate day, Duration maxFutureSkew) {
        this.day = Objects.requireNonNull(day, "day");
        this.maxFutureSkew = Objects.requireNonNull(maxFutureSkew, "maxFutureSkew");
    }

    public LocalDate day() {
        return day;
    }

    /** Every line of every object, valid or rejected. */
    public Dataset<DecodedLine> decode(Dataset<RawObjectFile> objects) {
        return objects.flatMap(new LineDecoder(maxFutureSkew), DECODED);
    }

    /**
     * Lines by category and reason ({@code category, reason, lines}). Valid events count for the day of
     * their event time; rejected lines, which have no trustworthy event time, for their object's arrival
     * day ({@code dt=} partition), so that each bad line is counted by exactly one day's run.
     */
    public Dataset<Row> lineCounts(Dataset<DecodedLine> decoded) {
        String dt = day.toString();
        Column valid = col("reason").isNull();
        Column category = when(valid.and(col("eventDate").equalTo(dt)), VALID)
                .when(valid, VALID_OTHER_DAY)
                .when(col("arrivalDate").equalTo(dt), QUARANTINED)
                .otherwise(QUARANTINED_OTHER_DAY);
        return decoded.groupBy(category.as("category"), col("reason")).count().withColumnRenamed("count", "lines");
    }

    /**
     * The day's valid events without duplicates, in {@code partitions} partitions, each device's events
     * in one partition, sorted by (device, time, eventId). Of several copies of an eventId the first to
     * arrive is kept: earliest object LastModified, then object key, then line. That is the copy the
     * stream applied first, and it makes the choice the same on every rerun.
     */
    public Dataset<DecodedLine> dayEvents(Dataset<DecodedLine> decoded, int partitions) {
        return decoded
                .filter(col("reason").isNull().and(col("eventDate").equalTo(day.toString())))
                .withColumn("copy", row_number().over(
                        Window.partitionBy("eventId").orderBy("objectTime", "objectPath", "lineNo")))
                .filter(col("copy").equalTo(1))
                .drop("copy")
                .as(DECODED)
                .repartition(partitions, col("deviceId"))
                .sortWithinPartitions("deviceId", "ts", "eventId");
    }

    /**
     * The curated table's rows: the event, where it came from, and the {@code dt} partition column. The
     * sort repeats {@link #dayEvents}' order behind {@code dt}: a partitioned write sorts by {@code dt},
     * and starting with it keeps each file's rows in device and time order, identical on every rerun.
     */
    public Dataset<Row> curated(Dataset<DecodedLine> dayEvents) {
        return dayEvents.select(
                        col("eventId").as("event_id"),
                        col("deviceId").as("device_id"),
                        col("ts"),
                        col("schemaVersion").as("schema_version"),
                        col("metrics"),
                        col("lat"),
                        col("lon"),
                        col("objectPath").as("raw_object"),
                        col("lineNo").as("raw_line"),
                        col("objectTime").as("arrived_by"),
                        lit(day.toString()).as("dt"))
                .sortWithinPartitions("dt", "device_id", "ts", "event_id");
    }

    /** Per device one {@link SummaryRow#DAY} row and one {@link SummaryRow#HOUR} row per hour it reported in. */
    public Dataset<SummaryRow> summaries(Dataset<DecodedLine> dayEvents) {
        return dayEvents.mapPartitions(new DeviceSummarizer(day.atStartOfDay(ZoneOffset.UTC).toInstant()), SUMMARY);
    }
}
