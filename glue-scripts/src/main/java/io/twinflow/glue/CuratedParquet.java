package io.twinflow.glue;

import java.io.IOException;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.api.WriteSupport;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.hadoop.util.HadoopOutputFile;
import org.apache.parquet.io.OutputFile;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.io.api.RecordConsumer;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;

/**
 * The curated files, written by each task straight from its counted copies with parquet-mr: the same
 * Parquet schema, values and footer metadata Spark's own Parquet writer gives {@link RolledUpDay#CURATED}
 * rows, without converting every copy into a Spark row and a Scala map first, and without a commit
 * protocol that renames every file twice (a copy and a delete each on S3). A file's name holds the run,
 * the partition and the file's number within it, so a retried task rewrites the same files and a rerun
 * of the day writes new ones (after the day's directory was emptied).
 */
final class CuratedParquet implements Serializable {

    private static final long serialVersionUID = 1L;

    /** What Spark writes for {@link RolledUpDay#CURATED} with {@code spark.sql.parquet.outputTimestampType=TIMESTAMP_MICROS}. */
    static final MessageType SCHEMA = MessageTypeParser.parseMessageType("""
            message spark_schema {
              optional binary event_id (STRING);
              optional binary device_id (STRING);
              optional int64 ts (TIMESTAMP(MICROS,true));
              optional int32 schema_version;
              optional group metrics (MAP) {
                repeated group key_value {
                  required binary key (STRING);
                  optional double value;
                }
              }
              optional double lat;
              optional double lon;
              optional binary raw_object (STRING);
              required int64 raw_line;
              optional int64 arrived_by (TIMESTAMP(MICROS,true));
              optional int64 arrived_at (TIMESTAMP(MICROS,true));
              optional binary stream_position (STRING);
            }
            """);

    /**
     * Columns (Parquet paths) whose values hardly repeat within a file: Parquet's dictionary encoding would
     * hash every value into a dictionary only to give it up past the dictionary page size and re-encode
     * them plain. Written plain from the start; device, object key, metric name, location and schema
     * version keep their dictionaries.
     */
    static final List<String> UNIQUE_COLUMNS = List.of("event_id", "ts", "metrics.key_value.value", "raw_line", "arrived_at",
            "stream_position");

    /** The footer entries Spark's readers use to restore the exact Spark schema (e.g. raw_line not null). */
    static final String SPARK_VERSION_KEY = "org.apache.spark.version";
    static final String SPARK_SCHEMA_KEY = "org.apache.spark.sql.parquet.row.metadata";

    private final String directory;
    private final String run;
    private final String sparkVersion;
    private final long rowsPerFile;

    /**
     * @param run the run's id, part of every file name
     * @param sparkVersion written into the footer as Spark does
     */
    CuratedParquet(String directory, String run, String sparkVersion, long rowsPerFile) {
        if (rowsPerFile < 1) {
            throw new IllegalArgumentException("a file must hold at least one row: " + rowsPerFile);
        }
        this.directory = directory.endsWith("/") ? directory : directory + "/";
        this.run = run;
        this.sparkVersion = sparkVersion;
        this.rowsPerFile = rowsPerFile;
    }

    /** The name of a partition's n-th file, as Spark names its files: {@code part-<partition>-<run>-c<n>.snappy.parquet}. */
    String fileName(int partition, int n) {
        return String.format("part-%05d-%s-c%03d.snappy.parquet", partition, run, n);
    }

    /** A writer of one partition's files, opened lazily: a partition without counted copies writes no file. */
    Files open(int partition, Configuration conf) {
        return new Files(partition, conf);
    }

    /** One partition's files, in order, at most {@link #rowsPerFile} rows each. */
    final class Files implements AutoCloseable {
        private final int partition;
        private final Configuration conf;
        private ParquetWriter<DayCopy> writer;
        private int files;
        private long rows;

        private Files(int partition, Configuration conf) {
            this.partition = partition;
            this.conf = conf;
        }

        void write(DayCopy copy) throws IOException {
            if (writer != null && rows == rowsPerFile) {
                writer.close();
                writer = null;
            }
            if (writer == null) {
                OutputFile file = HadoopOutputFile.fromPath(new Path(directory + fileName(partition, files++)), conf);
                Builder builder = new Builder(file, new CopyWriteSupport(sparkVersion)).withConf(conf)
                        .withWriteMode(ParquetFileWriter.Mode.OVERWRITE)
                        .withCompressionCodec(CompressionCodecName.SNAPPY)
                        .withDictionaryEncoding(true);
                for (String column : UNIQUE_COLUMNS) {
                    builder = builder.withDictionaryEncoding(column, false);
                }
                writer = builder.build();
                rows = 0;
            }
            writer.write(copy);
            rows++;
        }

        @Override
        public void close() throws IOException {
            if (writer != null) {
                writer.close();
                writer = null;
            }
        }
    }

    private static final class Builder extends ParquetWriter.Builder<DayCopy, Builder> {
        private final CopyWriteSupport support;

        Builder(OutputFile file, CopyWriteSupport support) {
            super(file);
            this.support = support;
        }

        @Override
        protected Builder self() {
            return this;
        }

        @Override
        protected WriteSupport<DayCopy> getWriteSupport(Configuration conf) {
            return support;
        }
    }

    /** A counted copy as the record Spark's ParquetWriteSupport writes for its CURATED row: null fields left out. */
    private static final class CopyWriteSupport extends WriteSupport<DayCopy> {
        private final String sparkVersion;
        /**
         * The UTF-8 of the strings that repeat from row to row (device, object key, metric names), encoded once
         * per file: the same bytes, and their dictionary's lookups find the very array they hold, so equal
         * values compare without a byte loop.
         */
        private final Map<String, Binary> repeated = new HashMap<>();
        private RecordConsumer out;

        CopyWriteSupport(String sparkVersion) {
            this.sparkVersion = sparkVersion;
        }

        @Override
        public WriteContext init(Configuration configuration) {
            Map<String, String> metadata = new HashMap<>();
            metadata.put(SPARK_VERSION_KEY, sparkVersion);
            metadata.put(SPARK_SCHEMA_KEY, RolledUpDay.CURATED.json());
            return new WriteContext(SCHEMA, metadata);
        }

        @Override
        public void prepareForWrite(RecordConsumer recordConsumer) {
            out = recordConsumer;
        }

        @Override
        public void write(DayCopy c) {
            out.startMessage();
            string(0, "event_id", utf8(c.eventId()));
            string(1, "device_id", repeated(c.deviceId()));
            timestamp(2, "ts", c.tsSeconds(), c.tsNanos());
            out.startField("schema_version", 3);
            out.addInteger(c.schemaVersion());
            out.endField("schema_version", 3);
            metrics(c);
            if (c.lat() != null) {
                number(5, "lat", c.lat());
                number(6, "lon", c.lon());
            }
            string(7, "raw_object", repeated(c.objectPath()));
            out.startField("raw_line", 8);
            out.addLong(c.lineNo());
            out.endField("raw_line", 8);
            Instant objectTime = c.objectTime();
            timestamp(9, "arrived_by", objectTime.getEpochSecond(), objectTime.getNano());
            Instant arrival = c.arrival();
            timestamp(10, "arrived_at", arrival.getEpochSecond(), arrival.getNano());
            String position = c.position();
            if (position != null) {
                string(11, "stream_position", utf8(position));
            }
            out.endMessage();
        }

        /** Spark's map layout: a group holding a repeated key_value group (left out when empty) of key and value. */
        private void metrics(DayCopy c) {
            int n = c.metricCount();
            out.startField("metrics", 4);
            out.startGroup();
            if (n > 0) {
                out.startField("key_value", 0);
                for (int i = 0; i < n; i++) {
                    out.startGroup();
                    out.startField("key", 0);
                    out.addBinary(repeated(c.metricName(i)));
                    out.endField("key", 0);
                    out.startField("value", 1);
                    out.addDouble(c.metricValue(i));
                    out.endField("value", 1);
                    out.endGroup();
                }
                out.endField("key_value", 0);
            }
            out.endGroup();
            out.endField("metrics", 4);
        }

        private void string(int index, String name, Binary value) {
            out.startField(name, index);
            out.addBinary(value);
            out.endField(name, index);
        }

        /** A string that hardly repeats (eventId, position): its bytes for this row only. */
        private static Binary utf8(String value) {
            return Binary.fromReusedByteArray(value.getBytes(StandardCharsets.UTF_8));
        }

        private Binary repeated(String value) {
            Binary utf8 = repeated.get(value);
            if (utf8 == null) {
                utf8 = Binary.fromConstantByteArray(value.getBytes(StandardCharsets.UTF_8));
                repeated.put(value, utf8);
            }
            return utf8;
        }

        private void number(int index, String name, double value) {
            out.startField(name, index);
            out.addDouble(value);
            out.endField(name, index);
        }

        /** Microseconds since the epoch, the nanoseconds below a microsecond dropped, as Spark converts a timestamp. */
        private void timestamp(int index, String name, long seconds, int nanos) {
            out.startField(name, index);
            out.addLong(Math.addExact(Math.multiplyExact(seconds, 1_000_000L), nanos / 1_000));
            out.endField(name, index);
        }
    }
}
