package io.twinflow.glue;

import io.twinflow.warehouse.DeviceSummary;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;

/**
 * The {@code daily-rollup} Glue job: one UTC day of the raw archive into curated Parquet
 * ({@code <curated-uri>dt=YYYY-MM-DD/}) and the warehouse's daily and hourly device summaries, then one
 * JSON line with what it did on standard output. Safe to rerun: the day's Parquet partition and the
 * day's summary rows are replaced, nothing else.
 *
 * <p>Glue runs this class as the main class of a Scala-type job (see {@code entry/} and the README);
 * locally it runs in its own JVM in Spark local mode, against any S3 API through s3a.
 */
public final class DailyRollupJob {

    private DailyRollupJob() {
    }

    public static void main(String[] args) throws IOException {
        JobArguments arguments = JobArguments.parse(args);
        // Glue configures its cluster and owns the context; in local mode this JVM is the whole cluster.
        String master = new SparkConf().get("spark.master", "local[*]");
        boolean local = master.startsWith("local");
        SparkSession spark = SparkSession.builder().appName("twinflow-daily-rollup").master(master).getOrCreate();
        try {
            System.out.println(run(spark, arguments).toJson());
        } finally {
            if (local) {
                spark.stop();
            }
        }
    }

    static RollupReport run(SparkSession spark, JobArguments arguments) throws IOException {
        long started = System.nanoTime();
        // Only the day's partition is replaced; other days' Parquet stays.
        spark.conf().set("spark.sql.sources.partitionOverwriteMode", "dynamic");
        // INT96 is Spark's legacy default; Athena, Redshift Spectrum and Glue's crawler read microseconds.
        spark.conf().set("spark.sql.parquet.outputTimestampType", "TIMESTAMP_MICROS");

        DailyRollup rollup = new DailyRollup(arguments.date(), arguments.maxFutureSkew());
        Configuration hadoop = spark.sparkContext().hadoopConfiguration();
        RawArchive.Listing listing = RawArchive.list(hadoop, arguments.rawUri(),
                RawArchive.hourPartitions(arguments.date(), arguments.lateness()));

        Dataset<DecodedLine> decoded = rollup.decode(RawArchive.read(spark, listing.paths()))
                .persist(StorageLevel.MEMORY_AND_DISK());
        LineCounts lines = LineCounts.of(rollup.lineCounts(decoded).collectAsList());

        int partitions = (int) Math.max(1, (lines.valid() + arguments.eventsPerFile() - 1) / arguments.eventsPerFile());
        Dataset<DecodedLine> events = rollup.dayEvents(decoded, partitions).persist(StorageLevel.MEMORY_AND_DISK());
        if (lines.valid() > 0) {
            rollup.curated(events).write().mode(SaveMode.Overwrite).partitionBy("dt").parquet(arguments.curatedUri());
        } else {
            // Dynamic overwrite replaces only partitions the output has: an empty day must be cleared by hand.
            Path partition = new Path(arguments.curatedUri() + "dt=" + arguments.date() + "/");
            partition.getFileSystem(hadoop).delete(partition, true);
        }
        List<SummaryRow> rows = rollup.summaries(events).collectAsList();
        decoded.unpersist();
        events.unpersist();

        List<DeviceSummary> daily = new ArrayList<>();
        List<DeviceSummary> hourly = new ArrayList<>();
        long eventsKept = 0;
        for (SummaryRow row : rows) {
            if (SummaryRow.DAY.equals(row.getPeriod())) {
                daily.add(row.toDeviceSummary());
                eventsKept += row.getEventCount();
            } else {
                hourly.add(row.toDeviceSummary());
            }
        }
        String warehouseName = "none";
        try (WarehouseConnection connection = WarehouseConnection.open(arguments.warehouse())) {
            if (connection.warehouse() != null) {
                connection.warehouse().replaceDaySummaries(arguments.date(), daily, hourly);
                warehouseName = connection.warehouse().getClass().getSimpleName();
            }
        }
        return new RollupReport(arguments.date(), listing.paths().size(), listing.bytes(), lines, eventsKept, daily.size(),
                hourly.size(), warehouseName, Duration.ofNanos(System.nanoTime() - started));
    }
}
