package io.twinflow.glue;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.SparkSession;

/**
 * Finds and reads the raw archive objects that can hold a day's events. The archive is partitioned by
 * ARRIVAL time ({@code dt=YYYY-MM-DD/hour=HH/}), so a day's events sit in more than the day's own 24
 * hours: late ones in the next day's first hours (up to {@code lateness}), and a few in the hour before
 * midnight, because an object is named after its oldest record and may hold records that arrived after
 * midnight (the decoder also accepts events up to its skew ahead of arrival).
 */
final class RawArchive {

    private static final DateTimeFormatter HOUR_DIR = DateTimeFormatter.ofPattern("'dt='yyyy-MM-dd'/hour='HH").withZone(ZoneOffset.UTC);

    /** The objects to read and their total size. */
    record Listing(List<String> paths, long bytes) {
    }

    private RawArchive() {
    }

    /**
     * The arrival hours to read, as {@code dt=…/hour=…} partitions: from 23:00 of the day before up to,
     * not including, {@code lateness} after the day's end. An hour that starts before that limit is read
     * whole: objects are the unit of arrival, and the hour is their finest address.
     */
    static List<String> hourPartitions(LocalDate day, Duration lateness) {
        if (lateness.isNegative()) {
            throw new IllegalArgumentException("lateness must not be negative: " + lateness);
        }
        Instant from = day.atStartOfDay(ZoneOffset.UTC).toInstant().minus(Duration.ofHours(1));
        Instant until = day.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant().plus(lateness);
        List<String> hours = new ArrayList<>();
        for (Instant h = from; h.isBefore(until); h = h.plus(1, ChronoUnit.HOURS)) {
            hours.add(HOUR_DIR.format(h));
        }
        return hours;
    }

    /**
     * The objects under {@code rawUri} in the given hour partitions, sorted. One recursive listing per
     * day directory rather than one per hour: three LIST walks instead of ~30 probes. Names starting with
     * {@code _} or {@code .} are skipped, as Hadoop's own readers skip them.
     */
    static Listing list(Configuration conf, String rawUri, List<String> hourPartitions) throws IOException {
        Path root = new Path(rawUri.endsWith("/") ? rawUri : rawUri + "/");
        FileSystem fs = root.getFileSystem(conf);
        Set<String> wanted = new TreeSet<>(hourPartitions);
        Set<String> days = new TreeSet<>();
        for (String hour : hourPartitions) {
            days.add(hour.substring(0, hour.indexOf('/')));
        }
        List<String> paths = new ArrayList<>();
        long bytes = 0;
        for (String dayDir : days) {
            Path dir = new Path(root, dayDir);
            if (!fs.exists(dir)) {
                continue;
            }
            RemoteIterator<LocatedFileStatus> files = fs.listFiles(dir, true);
            while (files.hasNext()) {
                LocatedFileStatus file = files.next();
                Path parent = file.getPath().getParent();
                String name = file.getPath().getName();
                if (name.startsWith("_") || name.startsWith(".")) {
                    continue;
                }
                if (parent != null && parent.getParent() != null
                        && wanted.contains(parent.getParent().getName() + "/" + parent.getName())) {
                    paths.add(file.getPath().toString());
                    bytes += file.getLen();
                }
            }
        }
        paths.sort(null);
        return new Listing(List.copyOf(paths), bytes);
    }

    /** The objects' bytes and LastModified times, one row per object. */
    static Dataset<RawObjectFile> read(SparkSession spark, List<String> paths) {
        if (paths.isEmpty()) {
            return spark.emptyDataset(DailyRollup.RAW_OBJECT);
        }
        return spark.read().format("binaryFile").load(paths.toArray(String[]::new))
                .select("path", "modificationTime", "content")
                .as(DailyRollup.RAW_OBJECT);
    }
}
