package io.twinflow.glue;

import io.twinflow.core.aggregate.WindowState;
import io.twinflow.core.event.DecoderLimits;
import io.twinflow.core.window.Windows;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Objects;
import org.apache.spark.HashPartitioner;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.SparkSession;

/**
 * The rollup of one UTC day of event time, as functions from an RDD of objects: no paths, no clients,
 * no session settings, so it is tested on in-memory data and the job only adds I/O around it.
 *
 * <p>{@link #rollUp} reads the objects once and gives the day's line counts, its judged copies
 * (kept, duplicate or {@code WINDOW_FULL}), its curated rows and its summaries ({@link RolledUpDay}).
 */
public final class DailyRollup {

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

    /** Every line of every object, valid or rejected, as {@link #rollUp} judges it: a view for tests and inspection. */
    public Dataset<DecodedLine> decode(JavaRDD<RawObjectFile> objects) {
        SparkSession spark = SparkSession.active();
        // The bean encoder is built here, not held in a constant: building it loads Spark SQL, which the rollup never uses.
        return spark.createDataset(objects.flatMap(new LineDecoder(limits, windows)).rdd(), Encoders.bean(DecodedLine.class));
    }

    /**
     * The day rolled up in one read of the objects. Every line is decoded once ({@link LineDecoder});
     * lines that are not valid copies of the day's events are only tallied, per input partition, and the
     * valid copies are shuffled by device into {@code partitions} partitions. There each partition is
     * sorted and judged in plain Java ({@link DayPartition}) by the stream's identity rule: an event's
     * identity is (deviceId, eventId, start of its window); of the copies of one identity the first in
     * stream order counts and the later ones are duplicates, whatever their content. Stream order is the
     * record's position (shard, then sequence number); plain lines have none and come before the envelope
     * lines (the plain archive format is the older one), by object LastModified, object key and line. The
     * identities of a (device, window) beyond its capacity, ranked by their first copy, have all their
     * copies rejected as {@code WINDOW_FULL}. The result is the same on every rerun.
     */
    public RolledUpDay rollUp(JavaRDD<RawObjectFile> objects, int partitions) {
        // The splitter's keys are the partitions, which HashPartitioner keeps as they are.
        JavaRDD<Object> judged = objects
                .mapPartitionsToPair(new CopySplitter(new LineDecoder(limits, windows), day.toString(), partitions))
                .partitionBy(new HashPartitioner(partitions))
                .mapPartitions(new DayPartition(maxWindowEvents, day.atStartOfDay(ZoneOffset.UTC).toInstant()));
        return new RolledUpDay(SparkSession.active(), day.toString(), judged);
    }
}
