package io.twinflow.glue;

import static org.apache.spark.sql.functions.col;

import io.twinflow.core.event.ReasonCode;
import io.twinflow.warehouse.DeviceSummary;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
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
 * <p>A scheduled run (no {@code --date}) first rolls up, oldest first, every earlier day the warehouse
 * has rollup requests for (the loader records the event days that late events reached), each exactly as
 * a run for that date would, then its own day: one report line per day, its own day's last.
 *
 * <p>Glue runs this class as the main class of a Scala-type job (see {@code entry/} and the README);
 * locally it runs in its own JVM in Spark local mode, against any S3 API through s3a.
 */
public final class DailyRollupJob {

    /** Why a day was rolled up, in its report. */
    static final String BY_DATE = "date";
    static final String BY_SCHEDULE = "scheduled";
    static final String BY_REQUEST = "request";

    private DailyRollupJob() {
    }

    public static void main(String[] args) throws IOException {
        JobArguments arguments = JobArguments.parse(args);
        // Glue configures its cluster and owns the context; in local mode this JVM is the whole cluster.
        String master = new SparkConf().get("spark.master", "local[*]");
        boolean local = master.startsWith("local");
        SparkSession spark = SparkSession.builder().appName("twinflow-daily-rollup").master(master).getOrCreate();
        try {
            // Each day's line as soon as it is done: a failure on a later day keeps the earlier days' reports.
            run(spark, arguments, report -> {
                System.out.println(report.toJson());
                System.out.flush();
            });
        } finally {
            if (local) {
                spark.stop();
            }
        }
    }

    /** Rolls up the run's days in order, handing each day's report to {@code reports} when it is done. */
    static void run(SparkSession spark, JobArguments arguments, Consumer<RollupReport> reports) throws IOException {
        // Only the day's partition is replaced; other days' Parquet stays.
        spark.conf().set("spark.sql.sources.partitionOverwriteMode", "dynamic");
        // INT96 is Spark's legacy default; Athena, Redshift Spectrum and Glue's crawler read microseconds.
        spark.conf().set("spark.sql.parquet.outputTimestampType", "TIMESTAMP_MICROS");
        // The cached copies are read back twice, right away, and then dropped: compressing them (Spark's default)
        // spent more time gathering dictionary statistics than any other step of the job.
        spark.conf().set("spark.sql.inMemoryColumnarStorage.compressed", "false");
        try (WarehouseConnection connection = WarehouseConnection.open(arguments.warehouse())) {
            if (arguments.scheduled()) {
                for (LocalDate requested : connection.requestedDaysBefore(arguments.date())) {
                    reports.accept(runDay(spark, arguments, requested, BY_REQUEST, connection));
                }
            }
            reports.accept(runDay(spark, arguments, arguments.date(), arguments.scheduled() ? BY_SCHEDULE : BY_DATE, connection));
        }
    }

    private static RollupReport runDay(SparkSession spark, JobArguments arguments, LocalDate day, String trigger,
                                       WarehouseConnection connection) throws IOException {
        long started = System.nanoTime();
        DailyRollup rollup = new DailyRollup(day, arguments.limits(), arguments.windows(), arguments.maxWindowEvents());
        Configuration hadoop = spark.sparkContext().hadoopConfiguration();
        // Taken before listing: every object written (and loaded) before this instant is in the listing.
        Instant listedAt = Instant.now();
        RawArchive.Listing listing = RawArchive.list(hadoop, arguments.rawUri(),
                RawArchive.hourPartitions(day, arguments.limits().maxLateness()));

        // Not cached: decoding the objects a second time for the copies costs less than building an in-memory
        // columnar copy of every line read (about three days of archive per day rolled up) and scanning it back.
        Dataset<DecodedLine> decoded = rollup.decode(RawArchive.read(spark, listing.paths()));
        LineCounts lines = LineCounts.of(rollup.lineCounts(decoded).collectAsList());

        int partitions = partitions(lines.valid(), arguments.eventsPerFile(), spark.sparkContext().defaultParallelism());
        Dataset<DecodedLine> copies = rollup.dayCopies(decoded, partitions).persist(StorageLevel.MEMORY_AND_DISK());
        long windowFull = copies.filter(col("reason").equalTo(ReasonCode.WINDOW_FULL.name())).count();
        lines = lines.withWindowFull(windowFull);
        // Filtering the cached copies is cheap: the counted events are not cached a second time.
        Dataset<DecodedLine> events = rollup.kept(copies);
        if (lines.valid() > 0) {
            rollup.curated(events).write().mode(SaveMode.Overwrite).partitionBy("dt").parquet(arguments.curatedUri());
        } else {
            // Dynamic overwrite replaces only partitions the output has: an empty day must be cleared by hand.
            Path partition = new Path(arguments.curatedUri() + "dt=" + day + "/");
            partition.getFileSystem(hadoop).delete(partition, true);
        }
        List<SummaryRow> rows = rollup.summaries(events).collectAsList();
        copies.unpersist();

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
        if (connection.writesSummaries()) {
            connection.replaceDaySummaries(day, daily, hourly, listedAt);
            warehouseName = connection.engine();
        }
        return new RollupReport(day, trigger, listing.paths().size(), listing.bytes(), lines, eventsKept, daily.size(),
                hourly.size(), warehouseName, Duration.ofNanos(System.nanoTime() - started));
    }

    /**
     * Partitions (and curated files) for the day's events: enough that none holds more than about
     * {@code eventsPerFile}, and at least one per core of the cluster, so that the admission, the Parquet
     * write and the summaries (all after the shuffle by device) keep every core busy; never more than
     * there are events.
     */
    static int partitions(long validEvents, long eventsPerFile, int cores) {
        long bySize = (validEvents + eventsPerFile - 1) / eventsPerFile;
        return (int) Math.max(1, Math.max(bySize, Math.min(cores, validEvents)));
    }
}
