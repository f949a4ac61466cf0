package io.twinflow.glue;

import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.TreeMap;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.DataFrameWriter;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.util.CollectionAccumulator;
import scala.collection.JavaConverters;

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

    /**
     * Columns (Parquet paths) whose values hardly repeat within a file: Parquet's dictionary encoding would
     * hash every value into a dictionary only to give it up past the dictionary page size and re-encode
     * them plain. Written plain from the start; device, object key, metric name, location and schema
     * version keep their dictionaries.
     */
    static final List<String> UNIQUE_COLUMNS = List.of("event_id", "ts", "metrics.key_value.value", "raw_line", "arrived_at",
            "stream_position");

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
     * {@code directory} (replacing what it held), in their partitions' order, at most
     * {@code rowsPerFile} rows a file, without a {@code _SUCCESS} marker; gathers the partitions' counts
     * and summaries on the way.
     */
    public void writeCurated(String directory, long rowsPerFile) {
        CollectionAccumulator<PartitionResult> gathered = spark.sparkContext().collectionAccumulator("daily-rollup partitions");
        JavaRDD<Row> rows = judged.mapPartitions(pieces -> new CuratedRows(pieces, gathered));
        DataFrameWriter<Row> writer = spark.createDataFrame(rows, CURATED).write().mode(SaveMode.Overwrite)
                .option("maxRecordsPerFile", rowsPerFile)
                .option("mapreduce.fileoutputcommitter.marksuccessfuljobs", "false");
        for (String column : UNIQUE_COLUMNS) {
            writer = writer.option("parquet.enable.dictionary#" + column, "false");
        }
        writer.parquet(directory);
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

    /** Row encoders take java.sql.Timestamp (unless the session turns on Java 8 time types) and Scala maps. */
    private static Row row(DayCopy c) {
        return RowFactory.create(c.eventId(), c.deviceId(), Timestamp.from(c.ts()), c.schemaVersion(),
                JavaConverters.mapAsScalaMap(c.metrics()), c.lat(), c.lon(), c.objectPath(), c.lineNo(), Timestamp.from(c.objectTime()),
                Timestamp.from(c.arrival()), c.position());
    }

    /** The curated rows of one partition's output; its {@link PartitionResult} goes to the accumulator. */
    private static final class CuratedRows implements Iterator<Row> {
        private final Iterator<Object> pieces;
        private final CollectionAccumulator<PartitionResult> gathered;
        private DayCopy next;

        CuratedRows(Iterator<Object> pieces, CollectionAccumulator<PartitionResult> gathered) {
            this.pieces = pieces;
            this.gathered = gathered;
            advance();
        }

        @Override
        public boolean hasNext() {
            return next != null;
        }

        @Override
        public Row next() {
            if (next == null) {
                throw new NoSuchElementException();
            }
            Row row = row(next);
            advance();
            return row;
        }

        private void advance() {
            next = null;
            while (next == null && pieces.hasNext()) {
                Object piece = pieces.next();
                if (piece instanceof PartitionResult result) {
                    gathered.add(result);
                } else if (((DayCopy) piece).verdict() == DayCopy.Verdict.KEPT) {
                    next = (DayCopy) piece;
                }
            }
        }
    }
}
