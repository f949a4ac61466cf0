package io.twinflow.glue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.TreeMap;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.util.CollectionAccumulator;
import org.apache.spark.util.SerializableConfiguration;

/**
 * One day rolled up ({@link DailyRollup#rollUp}): every valid copy of the day's events judged, each
 * device's in one partition, sorted by (device, time, eventId), and per partition its line counts and
 * summaries. Nothing is cached: {@link #writeCurated} is the run's one pass over the archive and
 * gathers the partitions' counts and summaries on the way; without it, {@link #lines()} and
 * {@link #summaries()} run the rollup to collect them.
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
        this.judged = judged;
    }

    /**
     * Writes the counted copies as Parquet files of the {@link #CURATED} columns straight into
     * {@code directory} (emptied first), in their partitions' order, at most {@code rowsPerFile} rows a
     * file, without a {@code _SUCCESS} marker ({@link CuratedParquet}); gathers the partitions' counts and
     * summaries on the way.
     */
    public void writeCurated(String directory, long rowsPerFile) {
        Configuration hadoop = spark.sparkContext().hadoopConfiguration();
        Path path = new Path(directory);
        try {
            path.getFileSystem(hadoop).delete(path, true);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot empty " + directory, e);
        }
        CuratedParquet files = new CuratedParquet(directory, UUID.randomUUID().toString(), spark.version(), rowsPerFile);
        SerializableConfiguration conf = new SerializableConfiguration(hadoop);
        CollectionAccumulator<PartitionResult> gathered = spark.sparkContext().collectionAccumulator("daily-rollup partitions");
        judged.foreachPartition(pieces -> {
            try (CuratedParquet.Files out = files.open(TaskContext.getPartitionId(), conf.value())) {
                while (pieces.hasNext()) {
                    Object piece = pieces.next();
                    if (piece instanceof PartitionResult result) {
                        gathered.add(result);
                    } else if (((DayCopy) piece).verdict() == DayCopy.Verdict.KEPT) {
                        out.write((DayCopy) piece);
                    }
                }
            }
        });
        results = onePerPartition(gathered.value());
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

    private List<PartitionResult> results() {
        if (results == null) {
            results = onePerPartition(judged.filter(o -> o instanceof PartitionResult).map(o -> (PartitionResult) o).collect());
        }
        return results;
    }

    private List<PartitionResult> onePerPartition(Collection<PartitionResult> reported) {
        TreeMap<Integer, PartitionResult> byPartition = new TreeMap<>();
        reported.forEach(r -> byPartition.put(r.partition(), r));
        if (byPartition.size() != judged.getNumPartitions()) {
            throw new IllegalStateException(byPartition.size() + " of " + judged.getNumPartitions() + " partitions reported their results");
        }
        return List.copyOf(byPartition.values());
    }
}
