package io.twinflow.glue;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.when;

import io.twinflow.core.aggregate.WindowState;
import io.twinflow.core.event.DecoderLimits;
import io.twinflow.core.window.Windows;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Objects;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoder;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;

/**
 * The rollup of one UTC day of event time, as pure functions from Datasets to Datasets: no paths, no
 * clients, no session settings, so it is tested on in-memory data and the job only adds I/O around it.
 *
 * <p>The steps: {@link #decode} every line of the raw objects read; {@link #lineCounts} for the run's
 * report; {@link #dayCopies} judges every valid copy of the day's events by the stream's identity rule
 * (kept, duplicate or {@code WINDOW_FULL}); {@link #dayEvents} keeps one copy per identity, clustered
 * by device and sorted by time; from those, {@link #curated} rows and {@link #summaries}.
 */
public final class DailyRollup {

    /** Line categories of {@link #lineCounts}. */
    public static final String VALID = "VALID";
    public static final String VALID_OTHER_DAY = "VALID_OTHER_DAY";
    public static final String QUARANTINED = "QUARANTINED";
    public static final String QUARANTINED_OTHER_DAY = "QUARANTINED_OTHER_DAY";

    /** Spark's encoders of the rollup's rows; e.g. {@code spark.createDataset(objects, RAW_OBJECT)} for in-memory objects. */
    public static final Encoder<RawObjectFile> RAW_OBJECT = Encoders.bean(RawObjectFile.class);
    public static final Encoder<DecodedLine> DECODED = Encoders.bean(DecodedLine.class);
    public static final Encoder<SummaryRow> SUMMARY = Encoders.bean(SummaryRow.class);

    private final LocalDate day;
    private final DecoderLimits limits;
    private final Windows windows;
    private final int maxWindowEvents;

    /** The stream's defaults for everything but the decoder limits: one-minute windows of at most {@link WindowState#MAX_EVENTS}. */
    public DailyRollup(LocalDate day, DecoderLimits limits) {
        this(day, limits, new Windows(Windows.DEFAULT_SIZE), WindowState.MAX_EVENTS);
    }

    /**
     * @param limits the decoder limits; the stream processor's settings ({@code TWINFLOW_MAX_FUTURE_SKEW_SECONDS},
     *     {@code TWINFLOW_MAX_LATENESS_SECONDS}) so both paths reject the same records
     * @param windows the stream's event-time windows ({@code TWINFLOW_WINDOW_SECONDS}): an event's identity
     *     is (deviceId, eventId, window start)
     * @param maxWindowEvents distinct events one (device, window) holds: the stream's {@link WindowState#MAX_EVENTS};
     *     smaller only in tests
     */
    public DailyRollup(LocalDate day, DecoderLimits limits, Windows windows, int maxWindowEvents) {
        this.day = Objects.requireNonNull(day, "day");
        this.limits = Objects.requireNonNull(limits, "limits");
        this.windows = Objects.requireNonNull(windows, "windows");
        this.maxWindowEvents = maxWindowEvents;
    }

    public LocalDate day() {
        return day;
    }

    /** Every line of every object, valid or rejected. */
    public Dataset<DecodedLine> decode(Dataset<RawObjectFile> objects) {
        return objects.flatMap(new LineDecoder(limits, windows), DECODED);
    }

    /**
     * Lines by category and reason ({@code category, reason, lines}). Valid events count for the day of
     * their event time; rejected lines, which have no trustworthy event time, for their object's arrival
     * day ({@code dt=} partition), so that each bad line is counted by exactly one day's run. Whether a
     * valid copy is then a duplicate or {@code WINDOW_FULL} is {@link #dayCopies}' verdict.
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
     * Every valid copy of the day's events, in {@code partitions} partitions (each device's in one, sorted
     * by device, time and eventId), with the stream's verdict on it. An event's identity is (deviceId,
     * eventId, start of its window); of the copies of one identity the first in stream order counts and
     * the later ones are {@link DecodedLine#isDuplicate() duplicates}, whatever their content. Stream
     * order is the record's {@link DecodedLine#getPosition() position}; plain lines have none and sort
     * before the envelope lines (the plain archive format is the older one), by object LastModified,
     * object key and line. The identities of a (device, window) beyond its capacity, ranked by their
     * first copy, have all their copies rejected as {@code WINDOW_FULL}. The result is the same on every
     * rerun.
     */
    public Dataset<DecodedLine> dayCopies(Dataset<DecodedLine> decoded, int partitions) {
        return decoded
                .filter(col("reason").isNull().and(col("eventDate").equalTo(day.toString())))
                .repartition(partitions, col("deviceId"))
                .sortWithinPartitions(col("deviceId"), col("windowStart"), col("position").asc_nulls_first(),
                        col("objectTime"), col("objectPath"), col("lineNo"))
                .mapPartitions(new WindowAdmission(maxWindowEvents), DECODED);
    }

    /**
     * The day's events, one copy per identity (see {@link #dayCopies}), each device's in one of
     * {@code partitions} partitions, sorted by (device, time, eventId).
     */
    public Dataset<DecodedLine> dayEvents(Dataset<DecodedLine> decoded, int partitions) {
        return kept(dayCopies(decoded, partitions));
    }

    /** The counted copies of {@link #dayCopies}, in its partitions and order: by (device, time, eventId). */
    public Dataset<DecodedLine> kept(Dataset<DecodedLine> dayCopies) {
        return dayCopies.filter(col("reason").isNull().and(not(col("duplicate"))));
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
                        col("arrival").as("arrived_at"),
                        col("position").as("stream_position"),
                        lit(day.toString()).as("dt"))
                .sortWithinPartitions("dt", "device_id", "ts", "event_id");
    }

    /** Per device one {@link SummaryRow#DAY} row and one {@link SummaryRow#HOUR} row per hour it reported in. */
    public Dataset<SummaryRow> summaries(Dataset<DecodedLine> dayEvents) {
        return dayEvents.mapPartitions(new DeviceSummarizer(day.atStartOfDay(ZoneOffset.UTC).toInstant()), SUMMARY);
    }
}
