package io.twinflow.warehouse.redshift;

import io.twinflow.warehouse.sql.Csv;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The gzip CSV objects Redshift COPYs from, in the settings' staging bucket. Each is written through a
 * temporary file, so no table and no raw object is held in memory.
 */
final class StagingObjects {

    private final S3Client s3;
    private final RedshiftDataApiSettings settings;

    StagingObjects(S3Client s3, RedshiftDataApiSettings settings) {
        this.s3 = s3;
        this.settings = settings;
    }

    /** A key under the staging prefix. */
    String key(String name) {
        return settings.stagingPrefix() + name;
    }

    /** The {@code s3://} URI that COPY reads {@code key} from. */
    String uri(String key) {
        return "s3://" + settings.stagingBucket() + "/" + key;
    }

    /** Writes the CSV gzipped to a temporary file named {@code tempPrefix...}, then uploads it as {@code key}. */
    void put(String key, String tempPrefix, Csv.Source csv) throws IOException {
        Path file = Files.createTempFile(tempPrefix, ".csv.gz");
        try {
            try (Writer writer = new OutputStreamWriter(gzip(file), StandardCharsets.UTF_8)) {
                csv.writeTo(writer);
            }
            s3.putObject(b -> b.bucket(settings.stagingBucket()).key(key), RequestBody.fromFile(file));
        } finally {
            deleteQuietly(file);
        }
    }

    private static OutputStream gzip(Path file) throws IOException {
        return new GZIPOutputStream(Files.newOutputStream(file), 64 * 1024);
    }

    /** Deleting a key that was never written is a no-op in S3, so callers need no bookkeeping. */
    void delete(String key) {
        s3.deleteObject(b -> b.bucket(settings.stagingBucket()).key(key));
    }

    /** A leftover temp file must not turn a finished load into a failure; the JVM retries at exit. */
    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            file.toFile().deleteOnExit();
        }
    }
}
