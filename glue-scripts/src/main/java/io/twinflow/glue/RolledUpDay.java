package io.twinflow.glue;

import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import scala.collection.JavaConverters;

/**
 * One day rolled up ({@link DailyRollup#rollUp}): every valid copy of the day's events judged, each
 * device's in one partition, sorted by (device, time, eventId), kept in memory (spilling to disk) until
 * {@link #unpersist()}, and per partition its line counts and summaries. The first of {@link #lines()}
 * and {@link #summaries()} runs the whole rollup; the curated write then reads the kept copies back.
 */
public final class RolledUpDay {

    /** The curated table's columns (the {@code dt} partition is the directory the rows are written to). */
    public static final StructType CURATED = new StructType()
            .add("event_id", DataTypes.StringType)
            .add("device_id", DataTypes.StringType)
            .add("ts", DataTypes.TimestampType)
            .add("schema_version", DataTypes.IntegerType)
            .add("metrics", DataTypes.createMapType(DataTypes.StringType, DataTypes.DoubleType, true))
            .add("lat", DataTypes.DoubleType)
            .add("lon", DataTypes.DoubleType)
            .add("raw_object", DataTypes.StringType)
            .add("raw_line", DataTypes.LongType, false)
            .add("arrived_by", DataTypes.TimestampType)
            .add("arrived_at", DataTypes.TimestampType)
            .add("stream_position", DataTypes.StringType);

    private final SparkSession spark;
    private final String day;
    private final JavaRDD<Object> judged;
    private List<PartitionResult> results;

    RolledUpDay(SparkSession spark, String day, JavaRDD<Object> judged) {
        this.spark = spark;
        this.day = day;
        this.judged = judged.persist(StorageLevel.MEMORY_AND_DISK());
    }

    /**
     * Lines by what became of them: {@link LineCounts#valid()} are the day's valid copies the window
     * capacity admitted (counted or duplicate); the {@code WINDOW_FULL} ones are quarantined.
     */
    public LineCounts lines() {
        LineTally tally = new LineTally(day);
        long windowFull = 0;
        for (PartitionResult result : results()) {
            if (result.tally() != null) {
                tally.merge(result.tally());
            }
            windowFull += result.windowFull();
        }
        return tally.counts().withWindowFull(windowFull);
    }

    /** Per device one {@link SummaryRow#DAY} row and one {@link SummaryRow#HOUR} row per hour it reported in. */
    public List<SummaryRow> summaries() {
        List<SummaryRow> rows = new ArrayList<>();
        results().forEach(r -> rows.addAll(r.summaries()));
        return rows;
    }

    /** Every valid copy of the day's events with its verdict, by partition, each sorted by (device, time, eventId). */
    public JavaRDD<DayCopy> copies() {
        return judged.filter(o -> o instanceof DayCopy).map(o -> (DayCopy) o);
    }

    /** The counted copies: one per identity, in {@link #copies()}' partitions and order. */
    public JavaRDD<DayCopy> kept() {
        return copies().filter(c -> c.verdict() == DayCopy.Verdict.KEPT);
    }

    /** The curated table's rows ({@link #CURATED}): the event and where it came from, in {@link #kept()}'s order. */
    public Dataset<Row> curated() {
        // Row encoders take java.sql.Timestamp (unless the session turns on Java 8 time types) and Scala maps.
        JavaRDD<Row> rows = kept().map(c -> RowFactory.create(c.eventId(), c.deviceId(), Timestamp.from(c.ts()), c.schemaVersion(),
                JavaConverters.mapAsScalaMap(c.metrics()), c.lat(), c.lon(), c.objectPath(), c.lineNo(), Timestamp.from(c.objectTime()),
                Timestamp.from(c.arrival()), c.position()));
        return spark.createDataFrame(rows, CURATED);
    }

    public void unpersist() {
        judged.unpersist();
    }

    private List<PartitionResult> results() {
        if (results == null) {
            results = judged.filter(o -> o instanceof PartitionResult).map(o -> (PartitionResult) o).collect();
        }
        return results;
    }
}
