package io.twinflow.glue;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.Serializable;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.util.SerializableConfiguration;

/**
 * Finds and reads the raw archive objects that can hold a day's events. The archive is partitioned by
 * ARRIVAL time ({@code dt=YYYY-MM-DD/hour=HH/}), so a day's events sit in more than the day's own 24
 * hours: late ones in the following days' hours, up to the lateness bound (an older event is
 * {@code TOO_LATE} on both paths), and a few in the hour before midnight, because an object is named
 * after its oldest record and may hold records that arrived after midnight (the decoder also accepts
 * events up to its skew ahead of arrival).
 */
final class RawArchive {

    private static final DateTimeFormatter HOUR_DIR = DateTimeFormatter.ofPattern("'dt='yyyy-MM-dd'/hour='HH").withZone(ZoneOffset.UTC);

    /** One object to read: its URI and its LastModified in milliseconds. */
    record Listed(String path, long modifiedMillis) implements Serializable {
    }

    /** The objects to read, sorted by path, and their total size. */
    record Listing(List<Listed> objects, long bytes) {

        List<String> paths() {
            return objects.stream().map(Listed::path).toList();
        }
    }

    private RawArchive() {
    }

    /**
     * The arrival hours that can hold the day's events, as {@code dt=…/hour=…} partitions: from 23:00 of
     * the day before up to, not including, one hour after {@code maxLateness} past the day's end. The last
     * event of the day may arrive {@code maxLateness} later; the extra hour covers the archive's buffering
     * and clock differences between the stream and the archive. An hour that starts before the limit is
     * read whole: objects are the unit of arrival, and the hour is their finest address.
     */
    static List<String> hourPartitions(LocalDate day, Duration maxLateness) {
        if (maxLateness.isNegative()) {
            throw new IllegalArgumentException("maxLateness must not be negative: " + maxLateness);
        }
        Instant from = day.atStartOfDay(ZoneOffset.UTC).toInstant().minus(Duration.ofHours(1));
        Instant until = day.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant().plus(maxLateness).plus(Duration.ofHours(1));
        List<String> hours = new ArrayList<>();
        for (Instant h = from; h.isBefore(until); h = h.plus(1, ChronoUnit.HOURS)) {
            hours.add(HOUR_DIR.format(h));
        }
        return hours;
    }

    /**
     * The objects under {@code rawUri} in the given hour partitions, sorted. One recursive listing per
     * day directory rather than one per hour: with the default 2-day bound five LIST walks (each a few
     * pages at Firehose's object rate) instead of 74 probes; a day directory that does not exist yet
     * costs one empty LIST. Names starting with {@code _} or {@code .} are skipped, as Hadoop's own
     * readers skip them.
     */
    static Listing list(Configuration conf, String rawUri, List<String> hourPartitions) throws IOException {
        Path root = new Path(rawUri.endsWith("/") ? rawUri : rawUri + "/");
        FileSystem fs = root.getFileSystem(conf);
        Set<String> wanted = new TreeSet<>(hourPartitions);
        Set<String> days = new TreeSet<>();
        for (String hour : hourPartitions) {
            days.add(hour.substring(0, hour.indexOf('/')));
        }
        List<Listed> objects = new ArrayList<>();
        long bytes = 0;
        for (String dayDir : days) {
            try {
                RemoteIterator<LocatedFileStatus> files = fs.listFiles(new Path(root, dayDir), true);
                while (files.hasNext()) {
                    LocatedFileStatus file = files.next();
                    Path parent = file.getPath().getParent();
                    String name = file.getPath().getName();
                    if (name.startsWith("_") || name.startsWith(".")) {
                        continue;
                    }
                    if (parent != null && parent.getParent() != null
                            && wanted.contains(parent.getParent().getName() + "/" + parent.getName())) {
                        objects.add(new Listed(file.getPath().toString(), file.getModificationTime()));
                        bytes += file.getLen();
                    }
                }
            } catch (FileNotFoundException notYet) {
                // The day has no arrivals (yet): nothing to read there.
            }
        }
        objects.sort(Comparator.comparing(Listed::path));
        return new Listing(List.copyOf(objects), bytes);
    }

    /**
     * The objects' bytes and LastModified times, read by the tasks themselves through the job's Hadoop
     * file system (s3a on Glue): a few objects per task, about four tasks per core. Spark's
     * {@code binaryFile} source would list every path again, in a Spark job of its own, before reading.
     */
    static JavaRDD<RawObjectFile> read(SparkSession spark, List<Listed> objects) {
        JavaSparkContext context = JavaSparkContext.fromSparkContext(spark.sparkContext());
        SerializableConfiguration conf = new SerializableConfiguration(spark.sparkContext().hadoopConfiguration());
        int tasks = Math.max(1, Math.min(objects.size(), 4 * context.defaultParallelism()));
        return context.parallelize(objects, tasks).map(o -> {
            Path path = new Path(o.path());
            try (FSDataInputStream in = path.getFileSystem(conf.value()).open(path)) {
                return new RawObjectFile(o.path(), Instant.ofEpochMilli(o.modifiedMillis()), in.readAllBytes());
            }
        });
    }
}
