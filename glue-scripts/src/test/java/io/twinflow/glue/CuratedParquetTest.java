package io.twinflow.glue;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.FileMetaData;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.execution.datasources.parquet.SparkToParquetSchemaConverter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import scala.collection.JavaConverters;

/** The curated files written without Spark SQL are the files Spark's own Parquet writer writes for the same rows. */
class CuratedParquetTest {

    private static SparkSession spark;

    @BeforeAll
    static void startSpark() {
        spark = SparkSession.builder().master("local[1]").appName("CuratedParquetTest")
                .config("spark.driver.bindAddress", "127.0.0.1")
                .config("spark.driver.host", "127.0.0.1")
                .config("spark.ui.enabled", "false")
                .config("spark.sql.parquet.outputTimestampType", "TIMESTAMP_MICROS")
                .getOrCreate();
    }

    @AfterAll
    static void stopSpark() {
        spark.stop();
    }

    @Test
    void theSchemaIsTheOneSparkWritesForTheCuratedColumnsWithMicrosecondTimestamps() {
        Configuration conf = new Configuration(false);
        conf.set("spark.sql.parquet.writeLegacyFormat", "false");
        conf.set("spark.sql.parquet.outputTimestampType", "TIMESTAMP_MICROS");
        conf.set("spark.sql.parquet.fieldId.write.enabled", "false");
        assertThat(CuratedParquet.SCHEMA).isEqualTo(new SparkToParquetSchemaConverter(conf).convert(RolledUpDay.CURATED));
    }

    @Test
    void sparkReadsTheSameRowsSchemaAndFooterFromItsOwnFileAndFromOurs(@TempDir File dir) throws IOException {
        List<DayCopy> copies = List.of(
                DayCopies.copy("d-1", "e1", "raw/dt=2026-11-23/hour=10/a.gz", "shardId-000000000001", "4".repeat(56),
                        Map.of("temperature", 21.5, "humidity", -0.0, "battery", 1e-300), 52.52, 13.4),
                DayCopies.copy("d-1", "é€𝄞", "raw/dt=2026-11-23/hour=10/b.gz", null, null, Map.of("t", Double.MAX_VALUE), null, null),
                DayCopies.copy("d-2", "e3", "raw/dt=2026-11-24/hour=00/c.gz", "shardId-000000000002", "0".repeat(55) + "7", Map.of("t", 1.0), -90.0, 180.0));
        String ours = new File(dir, "ours").toURI().toString();
        CuratedParquet writer = new CuratedParquet(ours, "run", spark.version(), 2);
        try (CuratedParquet.Files files = writer.open(3, spark.sparkContext().hadoopConfiguration())) {
            for (DayCopy c : copies) {
                files.write(c);
            }
        }
        String sparks = new File(dir, "spark").toURI().toString();
        List<Row> rows = new ArrayList<>();
        copies.forEach(c -> rows.add(row(c)));
        spark.createDataFrame(rows, RolledUpDay.CURATED).coalesce(1).write().parquet(sparks);

        assertThat(new File(dir, "ours").list((d, name) -> !name.startsWith(".")))
                .containsExactlyInAnyOrder(writer.fileName(3, 0), writer.fileName(3, 1));
        Dataset<Row> read = spark.read().parquet(ours);
        Dataset<Row> expected = spark.read().parquet(sparks);
        assertThat(read.schema()).isEqualTo(expected.schema());
        assertThat(read.orderBy("event_id").collectAsList()).isEqualTo(expected.orderBy("event_id").collectAsList());

        FileMetaData ourFooter = footer(new File(new File(dir, "ours"), writer.fileName(3, 0)));
        FileMetaData sparkFooter = footer(Arrays.stream(new File(dir, "spark").listFiles((d, name) -> name.endsWith(".parquet")))
                .findFirst().orElseThrow());
        assertThat(ourFooter.getSchema()).isEqualTo(sparkFooter.getSchema());
        assertThat(ourFooter.getKeyValueMetaData()).isEqualTo(sparkFooter.getKeyValueMetaData());
    }

    private static FileMetaData footer(File file) throws IOException {
        try (ParquetFileReader reader = ParquetFileReader.open(HadoopInputFile.fromPath(new Path(file.toURI()), new Configuration()))) {
            return reader.getFooter().getFileMetaData();
        }
    }

    /** What the job handed Spark's writer before: the row encoder takes java.sql.Timestamp and Scala maps. */
    private static Row row(DayCopy c) {
        return RowFactory.create(c.eventId(), c.deviceId(), Timestamp.from(c.ts()), c.schemaVersion(),
                JavaConverters.mapAsScalaMap(c.metrics()), c.lat(), c.lon(), c.objectPath(), c.lineNo(), Timestamp.from(c.objectTime()),
                Timestamp.from(c.arrival()), c.position());
    }
}
