package io.twinflow.glue;

import io.twinflow.core.archive.ArchiveLine;
import io.twinflow.core.event.DecodeResult;
import io.twinflow.core.event.DecoderLimits;
import io.twinflow.core.event.EventDecoder;
import io.twinflow.warehouse.load.RawLineReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

/**
 * BENCHMARK ONLY (test sources, never in the -glue jar): the floor of {@code bench spark-rollup}. Run
 * exactly as the job is run (same argument file, same JVM and Spark set-up, same arguments), it does
 * only what every rollup must: list the day's objects ({@link RawArchive#list}), read them in the
 * tasks ({@link RawArchive#read}), gunzip, split the lines and decode each with core's archive framing
 * and {@link EventDecoder} (core's default limits, which the bench uses). No shuffle, no Parquet, no
 * aggregates, no warehouse. Prints one JSON line with the fields the bench reads from the job's report.
 */
public final class DecodeFloor {

    private DecodeFloor() {
    }

    public static void main(String[] args) throws IOException {
        JobArguments arguments = JobArguments.parse(args);
        SparkSession spark = SparkSession.builder().appName("twinflow-decode-floor").master(new SparkConf().get("spark.master", "local[*]"))
                .getOrCreate();
        try {
            long started = System.nanoTime();
            RawArchive.Listing listing = RawArchive.list(spark.sparkContext().hadoopConfiguration(), arguments.rawUri(),
                    RawArchive.hourPartitions(arguments.date(), arguments.limits().maxLateness()));
            long[] counts = RawArchive.read(spark, listing.objects()).mapPartitions(DecodeFloor::decode)
                    .reduce((a, b) -> new long[] {a[0] + b[0], a[1] + b[1]});
            long millis = Math.max(1, (System.nanoTime() - started) / 1_000_000);
            System.out.println("{\"job\":\"decode-floor\",\"objects\":" + listing.objects().size() + ",\"linesRead\":" + counts[0]
                    + ",\"valid\":" + counts[1] + ",\"durationMs\":" + millis + ",\"eventsPerSecond\":" + counts[0] * 1000 / millis + "}");
        } finally {
            spark.stop();
        }
    }

    /** Lines and valid records of a partition's objects. */
    private static Iterator<long[]> decode(Iterator<RawObjectFile> objects) throws IOException {
        EventDecoder decoder = new EventDecoder();
        int maxLineBytes = LineDecoder.maxLineBytes(DecoderLimits.defaults());
        long lines = 0;
        long valid = 0;
        while (objects.hasNext()) {
            RawObjectFile object = objects.next();
            RawLineReader reader = new RawLineReader(RawLineReader.gunzipIfNeeded(new ByteArrayInputStream(object.getContent())), maxLineBytes);
            for (RawLineReader.RawLine line = reader.next(); line != null; line = reader.next()) {
                lines++;
                if (ArchiveLine.read(line.kept(), object.getModificationTime()) instanceof ArchiveLine.Record r
                        && decoder.decode(r.record().data(), r.record().arrival()) instanceof DecodeResult.Valid) {
                    valid++;
                }
            }
        }
        return List.of(new long[] {lines, valid}).iterator();
    }
}
