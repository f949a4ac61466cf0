package io.twinflow.warehouse.jdbc;

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
import java.io.InputStream;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;

/**
 * Loads raw objects into PostgreSQL: each object is streamed from S3 through gunzip and the core
 * decoder straight into {@code COPY ... FROM STDIN}, never held in memory, only one line at a time.
 *
 * <p>Concurrency: a transaction-scoped lock per object key ({@link Dialect#lockForObject}) makes a
 * second loader of the same object wait and then find it loaded; the global load lock around MERGE
 * serializes loads of different objects whose events overlap (PostgreSQL's MERGE raises a unique
 * violation, rather than matching, when a racing transaction inserts the same key). Both locks end with
 * the transaction, so a crashed loader releases them.
 */
final class JdbcRawObjectLoader implements RawObjectLoader {

    static final String LOADER = "jdbc";
    private static final Dialect DIALECT = Dialect.POSTGRES;

    private final JdbcTransactions transactions;
    private final S3Client s3;
    private final String schema;
    private final LoadRules rules;
    private final Clock clock;
    private final LoadFailpoint failpoint;
    private final LoadSql loadSql;
    private final LoadLogSql logSql;

    JdbcRawObjectLoader(JdbcTransactions transactions, S3Client s3, String schema, LoadRules rules, Clock clock,
                        LoadFailpoint failpoint) {
        this.transactions = transactions;
        this.s3 = s3;
        this.schema = schema;
        this.rules = rules;
        this.clock = clock;
        this.failpoint = failpoint;
        this.loadSql = new LoadSql(DIALECT, schema, rules.maxEventsPerWindow());
        this.logSql = new LoadLogSql(DIALECT, schema);
    }

    @Override
    public LoadResult load(RawObject object) {
        long started = System.nanoTime();
        String loadId = UUID.randomUUID().toString();
        String[] etag = {null};
        QueryResult[] logged = {null};
        try {
            LoadResult result = transactions.inTransaction(c -> {
                JdbcTransactions.execute(c, DIALECT.lockForObject(schema, object.key()));
                try (ResponseInputStream<GetObjectResponse> in = s3.getObject(b -> b.bucket(object.bucket()).key(object.key()))) {
                    GetObjectResponse meta = in.response();
                    etag[0] = LoadedObject.normalizeEtag(meta.eTag());
                    if (JdbcTransactions.exists(c, logSql.alreadyLoaded(object.key(), etag[0]))) {
                        in.abort();
                        c.rollback();
                        return LoadResult.alreadyLoaded(object.key(), etag[0], elapsed(started));
                    }
                    JdbcTransactions.execute(c, loadSql.createStage());
                    StagedLine staged = stage(c, in, meta, false);
                    failpoint.reached(LoadFailpoint.Step.STAGED);
                    LoadSql.Load load = new LoadSql.Load(loadId, object.key(), etag[0], meta.contentLength(), meta.lastModified(),
                            now(), LOADER, staged.valid() + staged.rejected(), staged.valid());
                    JdbcTransactions.execute(c, loadSql.identify(load));
                    // Statements that would change nothing are left out (each scans the staged rows): nearly
                    // always no window overflows, no line is quarantined and no identity is stored already.
                    QueryResult judged = JdbcTransactions.query(c, loadSql.judgement());
                    long fullest = ((Number) judged.rows().get(0).get(0)).longValue();
                    long stored = ((Number) judged.rows().get(0).get(1)).longValue();
                    long full = fullest > loadSql.maxEventsPerWindow() ? JdbcTransactions.update(c, loadSql.markFull()) : 0;
                    if (full > 0) {
                        restageWithPayloads(c, object, meta, staged);
                    }
                    JdbcTransactions.execute(c, loadSql.write(load, staged.rejected() > 0 || full > 0, stored > 0));
                    failpoint.reached(LoadFailpoint.Step.MERGED);
                    // Read in the load's own transaction (what the commit makes true), not on a second connection after it.
                    logged[0] = JdbcTransactions.query(c, logSql.readLoadLog(object.key(), etag[0]));
                    return null;
                }
            });
            if (result != null) {
                return result;
            }
            return LoadLogSql.loadResult(logged[0], object.key(), etag[0], loadId, elapsed(started));
        } catch (RuntimeException e) {
            if (etag[0] != null) {
                recordFailure(object.key(), etag[0], e);
            }
            throw e;
        }
    }

    /** Streams the object's lines into the staging table; valid lines carry their payloads only when asked. */
    private StagedLine stage(Connection c, InputStream in, GetObjectResponse meta, boolean payloadOfValidLines)
            throws SQLException, IOException {
        StagedLine staged = new StagedLine(rules, DIALECT.maxStoredPayloadBytes(), payloadOfValidLines);
        JdbcTransactions.copyInBytes(c, loadSql.copyStageFromStdin(), out -> staged.writeObjectBinary(in, meta.lastModified(), out));
        return staged;
    }

    /**
     * Valid lines are first staged without their payloads (about half of the staging bytes); a valid line
     * past its window's capacity is quarantined with its payload, so when the judgement finds one (rare) the
     * same object version is staged again, payloads included, still under the load lock. The judgement
     * stays true: it reads no payload, and If-Match makes the lines the same.
     */
    private void restageWithPayloads(Connection c, RawObject object, GetObjectResponse meta, StagedLine first)
            throws SQLException, IOException {
        JdbcTransactions.execute(c, loadSql.emptyStage());
        try (ResponseInputStream<GetObjectResponse> again = s3.getObject(b -> b.bucket(object.bucket()).key(object.key()).ifMatch(meta.eTag()))) {
            StagedLine staged = stage(c, again, meta, true);
            if (staged.valid() != first.valid() || staged.rejected() != first.rejected()) {
                throw new WarehouseException("staging " + object.key() + " again gave other lines: " + staged.valid() + " valid and "
                        + staged.rejected() + " rejected, first " + first.valid() + " and " + first.rejected());
            }
        }
    }

    private void recordFailure(String key, String etag, RuntimeException failure) {
        try {
            transactions.inTransaction(logSql.recordFailure(key, etag, LOADER, String.valueOf(failure.getMessage()), now()));
        } catch (RuntimeException e) {
            // The load's own error is what the caller needs; this note is best effort (the database may be down).
            failure.addSuppressed(e);
        }
    }

    @Override
    public Set<LoadedObject> loadedObjects(String keyPrefix) {
        return LoadLogSql.loadedObjects(transactions.query(logSql.loadedUnder(keyPrefix)));
    }

    @Override
    public Optional<LocalDate> loaderWatermark(String rawPrefix) {
        return LoadLogSql.watermark(transactions.query(logSql.loaderWatermark(rawPrefix)));
    }

    @Override
    public void saveLoaderWatermark(String rawPrefix, LocalDate oldestUnloaded) {
        transactions.inTransaction(logSql.saveLoaderWatermark(rawPrefix, oldestUnloaded, now()));
    }

    private Instant now() {
        return SqlLiterals.stored(clock.instant());
    }

    private static Duration elapsed(long started) {
        return Duration.ofNanos(System.nanoTime() - started);
    }
}
