package io.twinflow.warehouse.jdbc;

import io.twinflow.core.alert.AlertRules;
import io.twinflow.warehouse.DeviceSummary;
import io.twinflow.warehouse.LoadResult;
import io.twinflow.warehouse.LoadRules;
import io.twinflow.warehouse.LoadedObject;
import io.twinflow.warehouse.QueryResult;
import io.twinflow.warehouse.RawObject;
import io.twinflow.warehouse.Warehouse;
import io.twinflow.warehouse.WarehouseException;
import io.twinflow.warehouse.load.LoadSql;
import io.twinflow.warehouse.load.RawLineReader;
import io.twinflow.warehouse.load.StagedLine;
import io.twinflow.warehouse.sql.Dialect;
import io.twinflow.warehouse.sql.Migration;
import io.twinflow.warehouse.sql.Migrations;
import io.twinflow.warehouse.sql.SummarySql;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
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
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.postgresql.copy.PGCopyOutputStream;
import org.postgresql.ds.PGSimpleDataSource;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;

/**
 * The warehouse on PostgreSQL (15+, for MERGE), the local stand-in for Redshift. A raw object is
 * streamed from S3 through gunzip and the core decoder straight into {@code COPY ... FROM STDIN}: the
 * object is never held in memory, only one line at a time.
 *
 * <p>Concurrency: a transaction-scoped advisory lock per object key makes a second loader of the same
 * object wait and then find it loaded; a second, global advisory lock around MERGE serializes loads
 * of different objects whose events overlap (PostgreSQL's MERGE raises a unique violation, rather
 * than matching, when a racing transaction inserts the same key). Both locks end with the
 * transaction, so a crashed loader releases them.
 */
public final class JdbcWarehouse implements Warehouse {

    static final String LOADER = "jdbc";

    private final DataSource dataSource;
    private final S3Client s3;
    private final String schema;
    private final LoadRules rules;
    private final Clock clock;
    private final LoadFailpoint failpoint;
    private final LoadSql loadSql;
    private final SummarySql summarySql;

    public JdbcWarehouse(DataSource dataSource, S3Client s3, String schema) {
        this(dataSource, s3, schema, LoadRules.defaults());
    }

    /** An adapter that judges lines by the configured rules (decoder limits, window size). */
    public JdbcWarehouse(DataSource dataSource, S3Client s3, String schema, LoadRules rules) {
        this(dataSource, s3, schema, rules, Clock.systemUTC(), LoadFailpoint.NONE);
    }

    public JdbcWarehouse(DataSource dataSource, S3Client s3, String schema, LoadRules rules, Clock clock,
                         LoadFailpoint failpoint) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.s3 = Objects.requireNonNull(s3, "s3");
        this.schema = requireIdentifier(schema);
        this.rules = Objects.requireNonNull(rules, "rules");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.failpoint = Objects.requireNonNull(failpoint, "failpoint");
        this.loadSql = new LoadSql(Dialect.POSTGRES, schema, rules.maxEventsPerWindow());
        this.summarySql = new SummarySql(Dialect.POSTGRES, schema);
    }

    /**
     * An adapter for a JDBC URL, e.g. {@code jdbc:postgresql://127.0.0.1:5432/postgres}: what the CLI
     * and the Spark job are given as parameters. Each operation opens its own connection.
     */
    public static JdbcWarehouse connect(String jdbcUrl, String user, String password, S3Client s3, String schema) {
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setUrl(jdbcUrl);
        dataSource.setUser(user);
        dataSource.setPassword(password);
        return new JdbcWarehouse(dataSource, s3, schema);
    }

    /** The same adapter with a failpoint, for crash tests. */
    public JdbcWarehouse withFailpoint(LoadFailpoint failpoint) {
        return new JdbcWarehouse(dataSource, s3, schema, rules, clock, failpoint);
    }

    @Override
    public List<Integer> migrate() {
        return inTransaction(c -> {
            // Taken before CREATE SCHEMA: two concurrent CREATE SCHEMA IF NOT EXISTS can still collide.
            execute(c, "SELECT pg_advisory_xact_lock(" + Dialect.lockKey("migrate", schema) + ")");
            for (String sql : Migrations.bootstrap(schema)) {
                execute(c, sql);
            }
            Map<Integer, String> applied = new HashMap<>();
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(Migrations.selectApplied(schema))) {
                while (rs.next()) {
                    applied.put(rs.getInt(1), rs.getString(2));
                }
            }
            List<Integer> versions = new ArrayList<>();
            for (Migration migration : Migrations.pending(Migrations.all(), applied)) {
                for (String sql : migration.statements(Dialect.POSTGRES, schema)) {
                    execute(c, sql);
                }
                execute(c, Migrations.record(Dialect.POSTGRES, schema, migration));
                versions.add(migration.version());
            }
            return versions;
        });
    }

    @Override
    public LoadResult load(RawObject object) {
        long started = System.nanoTime();
        String[] etag = {null};
        try {
            LoadResult result = inTransaction(c -> {
                execute(c, "SELECT pg_advisory_xact_lock(" + Dialect.lockKey("object:" + object.key(), schema) + ")");
                try (ResponseInputStream<GetObjectResponse> in = s3.getObject(b -> b.bucket(object.bucket()).key(object.key()))) {
                    GetObjectResponse meta = in.response();
                    etag[0] = LoadedObject.normalizeEtag(meta.eTag());
                    if (exists(c, loadSql.alreadyLoaded(object.key(), etag[0]))) {
                        in.abort();
                        c.rollback();
                        return new LoadResult(object.key(), etag[0], LoadResult.Status.ALREADY_LOADED, 0, 0, 0, 0,
                                Duration.ofNanos(System.nanoTime() - started));
                    }
                    execute(c, loadSql.createStage());
                    StagedLine staged = copyLines(c, in, meta.lastModified());
                    failpoint.reached(LoadFailpoint.Step.STAGED);
                    LoadSql.Load load = new LoadSql.Load(UUID.randomUUID().toString(), object.key(), etag[0],
                            meta.contentLength(), meta.lastModified(), now(), LOADER,
                            staged.valid() + staged.rejected(), staged.valid());
                    for (String sql : loadSql.finish(load)) {
                        execute(c, sql);
                    }
                    failpoint.reached(LoadFailpoint.Step.MERGED);
                    return null;
                }
            });
            return result != null ? result : readResult(object.key(), etag[0], started);
        } catch (RuntimeException e) {
            if (etag[0] != null) {
                recordFailure(object.key(), etag[0], e);
            }
            throw e;
        }
    }

    private StagedLine copyLines(Connection c, InputStream raw, Instant objectTime) throws SQLException, IOException {
        StagedLine staged = new StagedLine(rules, Dialect.POSTGRES.maxStoredPayloadBytes());
        CopyIn copy = c.unwrap(PGConnection.class).getCopyAPI().copyIn(loadSql.copyStageFromStdin());
        copy(copy, writer -> {
            RawLineReader reader = new RawLineReader(RawLineReader.gunzipIfNeeded(raw), staged.maxKeptBytes());
            RawLineReader.RawLine line;
            while ((line = reader.next()) != null) {
                writer.write(staged.toCsv(line, objectTime));
            }
        });
        return staged;
    }

    /** Streams CSV into an open COPY FROM STDIN; on any failure the COPY is cancelled, not half-ended. */
    private static void copy(CopyIn copy, SummarySql.CsvSource csv) throws SQLException, IOException {
        try {
            PGCopyOutputStream out = new PGCopyOutputStream(copy, 256 * 1024);
            Writer writer = new OutputStreamWriter(out, StandardCharsets.UTF_8);
            csv.writeTo(writer);
            writer.flush();
            out.endCopy();
        } finally {
            if (copy.isActive()) {
                copy.cancelCopy();
            }
        }
    }

    private LoadResult readResult(String key, String etag, long started) {
        return inTransaction(c -> {
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(loadSql.readLoadLog(key, etag))) {
                if (!rs.next() || !LoadSql.STATUS_LOADED.equals(rs.getString(1))) {
                    throw new WarehouseException("load of " + key + " committed but load_log has no LOADED row");
                }
                return new LoadResult(key, etag, LoadResult.Status.LOADED, rs.getLong(2), rs.getLong(3), rs.getLong(4),
                        rs.getLong(5), Duration.ofNanos(System.nanoTime() - started));
            }
        });
    }

    private void recordFailure(String key, String etag, RuntimeException failure) {
        try {
            inTransaction(c -> {
                execute(c, "SELECT pg_advisory_xact_lock(" + Dialect.lockKey("object:" + key, schema) + ")");
                for (String sql : loadSql.recordFailure(key, etag, LOADER, String.valueOf(failure.getMessage()), now())) {
                    execute(c, sql);
                }
                return null;
            });
        } catch (RuntimeException e) {
            // The load's own error is what the caller needs; this note is best effort (the database may be down).
            failure.addSuppressed(e);
        }
    }

    @Override
    public Set<LoadedObject> loadedObjects(String keyPrefix) {
        return inTransaction(c -> {
            Set<LoadedObject> loaded = new LinkedHashSet<>();
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(loadSql.loadedUnder(keyPrefix))) {
                while (rs.next()) {
                    loaded.add(new LoadedObject(rs.getString(1), rs.getString(2)));
                }
            }
            return loaded;
        });
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
        inTransaction(c -> {
            for (String sql : summarySql.lockAndDelete(dt)) {
                execute(c, sql);
            }
            if (requestsUpTo.isPresent()) {
                execute(c, summarySql.deleteRollupRequests(dt, requestsUpTo.get()));
            }
            for (SummarySql.TableLoad load : loads) {
                if (load.rows() > 0) {
                    CopyIn copy = c.unwrap(PGConnection.class).getCopyAPI().copyIn(
                            "COPY " + load.table() + " (" + String.join(", ", load.columns()) + ") FROM STDIN WITH (FORMAT csv)");
                    copy(copy, load.csv());
                }
            }
            return null;
        });
    }

    @Override
    public List<LocalDate> pendingRollupDays() {
        List<LocalDate> days = new ArrayList<>();
        for (List<Object> row : query(loadSql.pendingRollupDays()).rows()) {
            days.add(LocalDate.parse(String.valueOf(row.get(0))));
        }
        return days;
    }

    @Override
    public Optional<LocalDate> loaderWatermark(String rawPrefix) {
        List<List<Object>> rows = query(loadSql.loaderWatermark(rawPrefix)).rows();
        return rows.isEmpty() ? Optional.empty() : Optional.of(LocalDate.parse((String) rows.get(0).get(0)));
    }

    @Override
    public void saveLoaderWatermark(String rawPrefix, LocalDate oldestUnloaded) {
        inTransaction(c -> {
            for (String sql : loadSql.saveLoaderWatermark(rawPrefix, oldestUnloaded, now())) {
                execute(c, sql);
            }
            return null;
        });
    }

    @Override
    public void replaceAlertRules(AlertRules rules) {
        inTransaction(c -> {
            for (String sql : summarySql.replaceAlertRules(rules)) {
                execute(c, sql);
            }
            return null;
        });
    }

    @Override
    public QueryResult query(String sql) {
        return inTransaction(c -> {
            try (Statement st = c.createStatement()) {
                if (!st.execute(sql)) {
                    // A statement without rows (DDL, DML): same answer as the Data API's hasResultSet = false.
                    return new QueryResult(List.of(), List.of());
                }
                ResultSet rs = st.getResultSet();
                ResultSetMetaData md = rs.getMetaData();
                List<String> columns = new ArrayList<>();
                for (int i = 1; i <= md.getColumnCount(); i++) {
                    columns.add(md.getColumnLabel(i));
                }
                List<List<Object>> rows = new ArrayList<>();
                while (rs.next()) {
                    List<Object> row = new ArrayList<>(columns.size());
                    for (int i = 1; i <= columns.size(); i++) {
                        row.add(value(rs, i, md.getColumnType(i)));
                    }
                    rows.add(row);
                }
                return new QueryResult(columns, rows);
            }
        });
    }

    private static Object value(ResultSet rs, int i, int type) throws SQLException {
        Object value = switch (type) {
            case Types.BIGINT, Types.INTEGER, Types.SMALLINT, Types.TINYINT -> rs.getLong(i);
            case Types.DOUBLE, Types.FLOAT, Types.REAL -> rs.getDouble(i);
            case Types.BOOLEAN, Types.BIT -> rs.getBoolean(i);
            case Types.NUMERIC, Types.DECIMAL -> QueryResult.integralOrText(rs.getBigDecimal(i));
            default -> rs.getString(i);
        };
        return rs.wasNull() ? null : value;
    }

    private Instant now() {
        // Microseconds: what both engines store, so a value read back equals the value written.
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    @FunctionalInterface
    private interface Work<T> {
        T run(Connection c) throws SQLException, IOException;
    }

    private <T> T inTransaction(Work<T> work) {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                T result = work.run(c);
                if (!c.getAutoCommit() && !c.isClosed()) {
                    c.commit();
                }
                return result;
            } catch (SQLException | IOException | RuntimeException e) {
                rollbackQuietly(c, e);
                if (e instanceof RuntimeException re) {
                    throw re;
                }
                throw new WarehouseException("warehouse operation failed: " + e.getMessage(), e);
            }
        } catch (SQLException e) {
            throw new WarehouseException("cannot connect to the warehouse: " + e.getMessage(), e);
        }
    }

    private static void rollbackQuietly(Connection c, Exception cause) {
        try {
            if (!c.isClosed()) {
                c.rollback();
            }
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }

    private static void execute(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }

    private static boolean exists(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            return rs.next();
        }
    }

    public static String requireIdentifier(String schema) {
        if (schema == null || !schema.matches("[a-z_][a-z0-9_]{0,62}")) {
            throw new IllegalArgumentException("schema must be a lower-case SQL identifier: " + schema);
        }
        return schema;
    }

    @Override
    public Dialect dialect() {
        return Dialect.POSTGRES;
    }
}
