package io.twinflow.warehouse.redshift;

import io.twinflow.warehouse.LoadResult;
import io.twinflow.warehouse.LoadRules;
import io.twinflow.warehouse.LoadedObject;
import io.twinflow.warehouse.QueryResult;
import io.twinflow.warehouse.RawObject;
import io.twinflow.warehouse.RawObjectLoader;
import io.twinflow.warehouse.WarehouseException;
import io.twinflow.warehouse.load.LoadLogSql;
import io.twinflow.warehouse.load.LoadSql;
import io.twinflow.warehouse.load.StagedLine;
import io.twinflow.warehouse.sql.Dialect;
import io.twinflow.warehouse.sql.SqlLiterals;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;

/**
 * Loads raw objects into Redshift. An object is validated here with core, exactly as locally; the
 * cleaned lines go to S3 as a gzip CSV staging object, and one {@code BatchExecuteStatement}
 * transaction COPYs it into a staging table, MERGEs and records the load.
 *
 * <p>Concurrency: {@link Dialect#lockForLoad} LOCKs the written tables inside the batch, and every
 * write is guarded by "not loaded yet" ({@link LoadSql}), so racing loaders of one object commit it once.
 */
final class RedshiftRawObjectLoader implements RawObjectLoader {

    static final String LOADER = "redshift-data-api";
    private static final Dialect DIALECT = Dialect.REDSHIFT;

    private final DataApiStatements statements;
    private final S3Client s3;
    private final StagingObjects staging;
    private final String copyRoleArn;
    private final LoadRules rules;
    private final Clock clock;
    private final LoadSql loadSql;
    private final LoadLogSql logSql;

    RedshiftRawObjectLoader(DataApiStatements statements, S3Client s3, StagingObjects staging, String copyRoleArn, String schema,
                            LoadRules rules, Clock clock) {
        this.statements = statements;
        this.s3 = s3;
        this.staging = staging;
        this.copyRoleArn = copyRoleArn;
        this.rules = rules;
        this.clock = clock;
        this.loadSql = new LoadSql(DIALECT, schema, rules.maxEventsPerWindow());
        this.logSql = new LoadLogSql(DIALECT, schema);
    }

    @Override
    public LoadResult load(RawObject object) {
        long started = System.nanoTime();
        HeadObjectResponse head = s3.headObject(b -> b.bucket(object.bucket()).key(object.key()));
        String etag = LoadedObject.normalizeEtag(head.eTag());
        if (!statements.query(logSql.alreadyLoaded(object.key(), etag), List.of()).rows().isEmpty()) {
            return LoadResult.alreadyLoaded(object.key(), etag, elapsed(started));
        }
        String loadId = UUID.randomUUID().toString();
        String stagingKey = staging.key("events/" + loadId + ".csv.gz");
        try {
            StagedLine staged = new StagedLine(rules, DIALECT.maxStoredPayloadBytes());
            staging.put(stagingKey, "twinflow-stage-", csv -> {
                // If-Match: the lines staged are those of the version whose ETag the load log will record.
                try (ResponseInputStream<GetObjectResponse> in = s3.getObject(b -> b.bucket(object.bucket()).key(object.key())
                        .ifMatch(head.eTag()))) {
                    staged.writeObject(in, head.lastModified(), csv);
                }
            });
            LoadSql.Load load = new LoadSql.Load(loadId, object.key(), etag, head.contentLength(), head.lastModified(), now(),
                    LOADER, staged.valid() + staged.rejected(), staged.valid());
            List<String> batch = new ArrayList<>();
            batch.add(loadSql.createStage());
            batch.add(loadSql.copyStageFromS3(staging.uri(stagingKey), copyRoleArn));
            batch.addAll(loadSql.finish(load));
            statements.runBatch(batch, "twinflow-load");
        } catch (IOException e) {
            throw recordFailure(object.key(), etag, new WarehouseException("staging " + object.uri() + " failed: " + e.getMessage(), e));
        } catch (RuntimeException e) {
            throw recordFailure(object.key(), etag, e);
        } finally {
            staging.delete(stagingKey);
        }
        QueryResult logged = statements.query(logSql.readLoadLog(object.key(), etag), List.of());
        return LoadLogSql.loadResult(logged, object.key(), etag, loadId, elapsed(started));
    }

    private RuntimeException recordFailure(String key, String etag, RuntimeException failure) {
        try {
            statements.runBatch(logSql.recordFailure(key, etag, LOADER, String.valueOf(failure.getMessage()), now()),
                    "twinflow-load-failed");
        } catch (RuntimeException e) {
            // The load's own error is what the caller needs; this note is best effort.
            failure.addSuppressed(e);
        }
        return failure;
    }

    @Override
    public Set<LoadedObject> loadedObjects(String keyPrefix) {
        return LoadLogSql.loadedObjects(statements.query(logSql.loadedUnder(keyPrefix), List.of()));
    }

    @Override
    public Optional<LocalDate> loaderWatermark(String rawPrefix) {
        return LoadLogSql.watermark(statements.query(logSql.loaderWatermark(rawPrefix), List.of()));
    }

    @Override
    public void saveLoaderWatermark(String rawPrefix, LocalDate oldestUnloaded) {
        statements.runBatch(logSql.saveLoaderWatermark(rawPrefix, oldestUnloaded, now()), "twinflow-loader-watermark");
    }

    private Instant now() {
        return SqlLiterals.stored(clock.instant());
    }

    private static Duration elapsed(long started) {
        return Duration.ofNanos(System.nanoTime() - started);
    }
}
