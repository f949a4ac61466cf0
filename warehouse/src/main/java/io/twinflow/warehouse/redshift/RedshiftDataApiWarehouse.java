package io.twinflow.warehouse.redshift;

import io.twinflow.core.alert.AlertRules;
import io.twinflow.warehouse.DeviceSummary;
import io.twinflow.warehouse.LoadResult;
import io.twinflow.warehouse.LoadRules;
import io.twinflow.warehouse.LoadedObject;
import io.twinflow.warehouse.QueryResult;
import io.twinflow.warehouse.RawObject;
import io.twinflow.warehouse.Warehouse;
import io.twinflow.warehouse.WarehouseException;
import io.twinflow.warehouse.jdbc.JdbcWarehouse;
import io.twinflow.warehouse.load.LoadSql;
import io.twinflow.warehouse.load.RawLineReader;
import io.twinflow.warehouse.load.StagedLine;
import io.twinflow.warehouse.sql.Dialect;
import io.twinflow.warehouse.sql.Migration;
import io.twinflow.warehouse.sql.Migrations;
import io.twinflow.warehouse.sql.SummarySql;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.LongSupplier;
import java.util.zip.GZIPOutputStream;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.redshiftdata.RedshiftDataClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;

/**
 * The warehouse on Amazon Redshift through the Data API (no drivers, no connections to keep alive
 * in a Lambda). A raw object is validated here with core, exactly as locally; the cleaned lines go to
 * S3 as a gzip CSV staging object (written through a temporary file, never held in memory), and one
 * {@code BatchExecuteStatement} transaction COPYs it into a staging table, MERGEs and records the load.
 *
 * <p>Concurrency: {@link Dialect#lockForLoad} LOCKs the written tables inside the batch, and every
 * write is guarded by "not loaded yet" ({@link LoadSql}), so racing loaders of one object commit it once.
 */
public final class RedshiftDataApiWarehouse implements Warehouse {

    static final String LOADER = "redshift-data-api";

    private final S3Client s3;
    private final RedshiftDataApiSettings settings;
    private final String schema;
    private final LoadRules rules;
    private final Clock clock;
    private final DataApiStatements statements;
    private final LoadSql loadSql;
    private final SummarySql summarySql;

    public RedshiftDataApiWarehouse(RedshiftDataClient client, S3Client s3, RedshiftDataApiSettings settings, String schema) {
        this(client, s3, settings, schema, LoadRules.defaults());
    }

    /** An adapter that judges lines by the configured rules (decoder limits, window size). */
    public RedshiftDataApiWarehouse(RedshiftDataClient client, S3Client s3, RedshiftDataApiSettings settings, String schema,
                                    LoadRules rules) {
        this(client, s3, settings, schema, rules, Clock.systemUTC(),
                duration -> Thread.sleep(duration.toMillis()), System::nanoTime);
    }

    RedshiftDataApiWarehouse(RedshiftDataClient client, S3Client s3, RedshiftDataApiSettings settings, String schema,
                             LoadRules rules, Clock clock, DataApiStatements.Sleeper sleeper,
                             LongSupplier nanoTime) {
        this.s3 = Objects.requireNonNull(s3, "s3");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.schema = JdbcWarehouse.requireIdentifier(schema);
        this.rules = Objects.requireNonNull(rules, "rules");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.statements = new DataApiStatements(Objects.requireNonNull(client, "client"), settings, sleeper, nanoTime);
        this.loadSql = new LoadSql(Dialect.REDSHIFT, schema, rules.maxEventsPerWindow());
        this.summarySql = new SummarySql(Dialect.REDSHIFT, schema);
    }

    @Override
    public List<Integer> migrate() {
        statements.runBatch(Migrations.bootstrap(schema), "twinflow-migrate-bootstrap");
        Map<Integer, String> applied = appliedChecksums();
        List<Integer> versions = new ArrayList<>();
        for (Migration migration : Migrations.pending(Migrations.all(), applied)) {
            List<String> batch = new ArrayList<>();
            batch.add("LOCK " + schema + ".schema_migrations");
            batch.addAll(migration.statements(Dialect.REDSHIFT, schema));
            batch.add(Migrations.record(Dialect.REDSHIFT, schema, migration));
            try {
                statements.runBatch(batch, "twinflow-migrate-v" + migration.version());
            } catch (DataApiStatementException e) {
                // A racing runner applied it between our read and our LOCK: its ALTERs fail a second time
                // (Redshift has no ADD COLUMN IF NOT EXISTS) and roll this batch back, which is fine.
                if (!appliedChecksums().containsKey(migration.version())) {
                    throw e;
                }
                continue;
            }
            versions.add(migration.version());
        }
        return versions;
    }

    private Map<Integer, String> appliedChecksums() {
        Map<Integer, String> applied = new HashMap<>();
        for (List<Object> row : statements.query(Migrations.selectApplied(schema), List.of()).rows()) {
            applied.put(((Number) row.get(0)).intValue(), (String) row.get(1));
        }
        return applied;
    }

    @Override
    public LoadResult load(RawObject object) {
        long started = System.nanoTime();
        HeadObjectResponse head = s3.headObject(b -> b.bucket(object.bucket()).key(object.key()));
        String etag = LoadedObject.normalizeEtag(head.eTag());
        if (!statements.query(loadSql.alreadyLoaded(object.key(), etag), List.of()).rows().isEmpty()) {
            return new LoadResult(object.key(), etag, LoadResult.Status.ALREADY_LOADED, 0, 0, 0, 0, elapsed(started));
        }
        String loadId = UUID.randomUUID().toString();
        String stagingKey = settings.stagingPrefix() + "events/" + loadId + ".csv.gz";
        Path file = null;
        try {
            file = Files.createTempFile("twinflow-stage-", ".csv.gz");
            StagedLine staged = new StagedLine(rules, Dialect.REDSHIFT.maxStoredPayloadBytes());
            // If-Match: the lines staged are those of the version whose ETag the load log will record.
            try (ResponseInputStream<GetObjectResponse> in = s3.getObject(b -> b.bucket(object.bucket()).key(object.key()).ifMatch(head.eTag()));
                 Writer writer = gzipWriter(file)) {
                RawLineReader reader = new RawLineReader(RawLineReader.gunzipIfNeeded(in), staged.maxKeptBytes());
                RawLineReader.RawLine line;
                while ((line = reader.next()) != null) {
                    writer.write(staged.toCsv(line, head.lastModified()));
                }
            }
            s3.putObject(b -> b.bucket(settings.stagingBucket()).key(stagingKey), RequestBody.fromFile(file));
            LoadSql.Load load = new LoadSql.Load(loadId, object.key(), etag, head.contentLength(), head.lastModified(), now(),
                    LOADER, staged.valid() + staged.rejected(), staged.valid());
            List<String> batch = new ArrayList<>();
            batch.add(loadSql.createStage());
            batch.add(loadSql.copyStageFromS3("s3://" + settings.stagingBucket() + "/" + stagingKey, settings.copyRoleArn()));
            batch.addAll(loadSql.finish(load));
            statements.runBatch(batch, "twinflow-load");
        } catch (IOException e) {
            throw recordFailure(object.key(), etag, new WarehouseException("staging " + object.uri() + " failed: " + e.getMessage(), e));
        } catch (RuntimeException e) {
            throw recordFailure(object.key(), etag, e);
        } finally {
            cleanUp(file, stagingKey);
        }
        return readResult(object.key(), etag, loadId, started);
    }

    private LoadResult readResult(String key, String etag, String loadId, long started) {
        List<List<Object>> rows = statements.query(loadSql.readLoadLog(key, etag), List.of()).rows();
        if (rows.isEmpty() || !LoadSql.STATUS_LOADED.equals(rows.get(0).get(0))) {
            throw new WarehouseException("load of " + key + " committed but load_log has no LOADED row");
        }
        List<Object> r = rows.get(0);
        if (!loadId.equals(r.get(5))) {
            // A racing loader committed this version first; the guards made this batch change nothing.
            return new LoadResult(key, etag, LoadResult.Status.ALREADY_LOADED, 0, 0, 0, 0, elapsed(started));
        }
        return new LoadResult(key, etag, LoadResult.Status.LOADED, longAt(r, 1), longAt(r, 2), longAt(r, 3), longAt(r, 4),
                elapsed(started));
    }

    private RuntimeException recordFailure(String key, String etag, RuntimeException failure) {
        try {
            List<String> batch = new ArrayList<>();
            batch.add(Dialect.REDSHIFT.lockForLoad(schema));
            batch.addAll(loadSql.recordFailure(key, etag, LOADER, String.valueOf(failure.getMessage()), now()));
            statements.runBatch(batch, "twinflow-load-failed");
        } catch (RuntimeException e) {
            // The load's own error is what the caller needs; this note is best effort.
            failure.addSuppressed(e);
        }
        return failure;
    }

    private void cleanUp(Path file, String stagingKey) {
        deleteQuietly(file);
        // Deleting a key that was never written is a no-op in S3, so this needs no bookkeeping.
        s3.deleteObject(b -> b.bucket(settings.stagingBucket()).key(stagingKey));
    }

    /** A leftover temp file must not turn a finished load into a failure; the JVM retries at exit. */
    private static void deleteQuietly(Path file) {
        if (file == null) {
            return;
        }
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            file.toFile().deleteOnExit();
        }
    }

    @Override
    public Set<LoadedObject> loadedObjects(String keyPrefix) {
        Set<LoadedObject> loaded = new LinkedHashSet<>();
        for (List<Object> row : statements.query(loadSql.loadedUnder(keyPrefix), List.of()).rows()) {
            loaded.add(new LoadedObject((String) row.get(0), (String) row.get(1)));
        }
        return loaded;
    }

    @Override
    public void replaceDaySummaries(LocalDate dt, List<DeviceSummary> daily, List<DeviceSummary> hourly) {
        replaceDaySummaries(dt, daily, hourly, Optional.empty());
    }

    @Override
    public void replaceDaySummaries(LocalDate dt, List<DeviceSummary> daily, List<DeviceSummary> hourly, Instant requestsUpTo) {
        replaceDaySummaries(dt, daily, hourly, Optional.of(requestsUpTo));
    }

    private void replaceDaySummaries(LocalDate dt, List<DeviceSummary> daily, List<DeviceSummary> hourly, Optional<Instant> requestsUpTo) {
        List<SummarySql.TableLoad> loads = summarySql.tableLoads(dt, daily, hourly, now());
        List<String> keys = new ArrayList<>();
        try {
            List<String> batch = new ArrayList<>(summarySql.lockAndDelete(dt));
            requestsUpTo.ifPresent(upTo -> batch.add(summarySql.deleteRollupRequests(dt, upTo)));
            for (SummarySql.TableLoad load : loads) {
                if (load.rows() == 0) {
                    continue;
                }
                String key = settings.stagingPrefix() + "summaries/" + dt + "/" + UUID.randomUUID() + ".csv.gz";
                keys.add(key);
                putStaging(key, load.csv());
                batch.add(loadSql.copyFromS3(load.table(), load.columns(), "s3://" + settings.stagingBucket() + "/" + key,
                        settings.copyRoleArn()));
            }
            statements.runBatch(batch, "twinflow-summaries-" + dt);
        } finally {
            for (String key : keys) {
                s3.deleteObject(b -> b.bucket(settings.stagingBucket()).key(key));
            }
        }
    }

    /** Writes CSV as a gzip staging object through a temporary file, so no table is held in memory. */
    private void putStaging(String key, SummarySql.CsvSource csv) {
        Path file = null;
        try {
            file = Files.createTempFile("twinflow-summary-", ".csv.gz");
            try (Writer writer = gzipWriter(file)) {
                csv.writeTo(writer);
            }
            s3.putObject(b -> b.bucket(settings.stagingBucket()).key(key), RequestBody.fromFile(file));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write staging object " + key, e);
        } finally {
            deleteQuietly(file);
        }
    }

    @Override
    public List<LocalDate> pendingRollupDays() {
        List<LocalDate> days = new ArrayList<>();
        for (List<Object> row : statements.query(loadSql.pendingRollupDays(), List.of()).rows()) {
            days.add(LocalDate.parse(String.valueOf(row.get(0))));
        }
        return days;
    }

    @Override
    public Optional<LocalDate> loaderWatermark(String rawPrefix) {
        List<List<Object>> rows = statements.query(loadSql.loaderWatermark(rawPrefix), List.of()).rows();
        return rows.isEmpty() ? Optional.empty() : Optional.of(LocalDate.parse((String) rows.get(0).get(0)));
    }

    @Override
    public void saveLoaderWatermark(String rawPrefix, LocalDate oldestUnloaded) {
        statements.runBatch(loadSql.saveLoaderWatermark(rawPrefix, oldestUnloaded, now()), "twinflow-loader-watermark");
    }

    @Override
    public void replaceAlertRules(AlertRules rules) {
        statements.runBatch(summarySql.replaceAlertRules(rules), "twinflow-alert-rules");
    }

    @Override
    public QueryResult query(String sql) {
        return statements.query(sql, List.of());
    }

    private static Writer gzipWriter(Path file) throws IOException {
        OutputStream out = new GZIPOutputStream(Files.newOutputStream(file), 64 * 1024);
        return new OutputStreamWriter(out, StandardCharsets.UTF_8);
    }

    private static long longAt(List<Object> row, int i) {
        Object value = row.get(i);
        return value == null ? 0 : ((Number) value).longValue();
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    private static Duration elapsed(long started) {
        return Duration.ofNanos(System.nanoTime() - started);
    }

    @Override
    public Dialect dialect() {
        return Dialect.REDSHIFT;
    }
}
