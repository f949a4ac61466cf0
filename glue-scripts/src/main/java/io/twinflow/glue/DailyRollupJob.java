package io.twinflow.glue;

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
import org.apache.spark.sql.SparkSession;

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

    /** Raw archive (gzip) bytes per partition of the day's copies: about a million lines of the archiver's. */
    static final long ARCHIVE_BYTES_PER_PARTITION = 64L * 1024 * 1024;

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

        int partitions = partitions(listing.bytes(), spark.sparkContext().defaultParallelism());
        RolledUpDay rolled = rollup.rollUp(RawArchive.read(spark, listing.objects()), partitions);
        // Straight into the day's directory: the rows leave the rollup in their file order, (device, time, eventId), and
        // a partitioned write would sort them again by dt. The same pass gathers the day's counts and summaries. A day
        // without counted events leaves no file and no directory.
        Path partition = new Path(arguments.curatedUri() + "dt=" + day + "/");
        rolled.writeCurated(partition.toString(), arguments.eventsPerFile());
        LineCounts lines = rolled.lines();
        List<SummaryRow> rows = rolled.summaries();

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
     * Partitions of the day's copies after the shuffle by device: one per core of the cluster, so that
     * the admission, the summaries and the Parquet write keep every core busy, and more for a large
     * archive, so that a partition's copies (held in memory while they are sorted and judged) stay
     * within about {@link #ARCHIVE_BYTES_PER_PARTITION} of raw archive read. The count is fixed before
     * the one read of the archive, so it can only come from the listing's size.
     */
    static int partitions(long archiveBytes, int cores) {
        long bySize = (archiveBytes + ARCHIVE_BYTES_PER_PARTITION - 1) / ARCHIVE_BYTES_PER_PARTITION;
        return (int) Math.max(1, Math.max(bySize, cores));
    }
}
