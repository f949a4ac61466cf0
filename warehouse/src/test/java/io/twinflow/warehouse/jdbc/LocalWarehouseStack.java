package io.twinflow.warehouse.jdbc;

import io.twinflow.emulators.EmbeddedPostgres;
import io.twinflow.emulators.EmbeddedS3;
import io.twinflow.warehouse.RawObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Embedded PostgreSQL 17 and embedded S3 with one raw bucket, started once per test class: what the
 * JDBC adapter's ITs run on. Register it as a static {@code @RegisterExtension} field.
 */
final class LocalWarehouseStack implements BeforeAllCallback, AfterAllCallback {

    private final String bucket;
    private final AtomicInteger schemas = new AtomicInteger();
    private EmbeddedPostgres postgres;
    private EmbeddedS3 s3Server;
    private S3Client s3;

    LocalWarehouseStack(String bucket) {
        this.bucket = bucket;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        postgres = EmbeddedPostgres.start();
        s3Server = EmbeddedS3.start();
        s3 = s3Server.s3Client();
        s3.createBucket(b -> b.bucket(bucket));
    }

    @Override
    public void afterAll(ExtensionContext context) {
        s3.close();
        s3Server.close();
        postgres.close();
    }

    EmbeddedPostgres postgres() {
        return postgres;
    }

    S3Client s3() {
        return s3;
    }

    String bucket() {
        return bucket;
    }

    /** A schema name not used before in this database, so each test starts empty. */
    String newSchema(String prefix) {
        return prefix + schemas.incrementAndGet();
    }

    JdbcWarehouse warehouse(String schema) {
        return new JdbcWarehouse(postgres.dataSource(), s3, schema);
    }

    /** Writes the lines, each followed by LF, as a gzip object, as Firehose writes the raw archive. */
    RawObject put(String key, List<byte[]> lines) {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(buffer)) {
            for (byte[] line : lines) {
                gzip.write(line);
                gzip.write('\n');
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        s3.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromBytes(buffer.toByteArray()));
        return new RawObject(bucket, key);
    }
}
