package io.twinflow.warehouse.jdbc;

import io.twinflow.warehouse.QueryResult;
import io.twinflow.warehouse.WarehouseException;
import io.twinflow.warehouse.sql.Csv;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.postgresql.copy.PGCopyOutputStream;

/**
 * The JDBC plumbing every part of the PostgreSQL adapter shares: each operation on its own connection
 * in one transaction, rolled back on any failure; statements, row reads and {@code COPY FROM STDIN}.
 */
final class JdbcTransactions {

    @FunctionalInterface
    interface Work<T> {
        T run(Connection c) throws SQLException, IOException;
    }

    private final DataSource dataSource;

    JdbcTransactions(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    <T> T inTransaction(Work<T> work) {
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

    /** Runs the statements, in order, as one transaction. */
    void inTransaction(List<String> statements) {
        inTransaction(c -> {
            execute(c, statements);
            return null;
        });
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

    static void execute(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }

    static void execute(Connection c, List<String> statements) throws SQLException {
        for (String sql : statements) {
            execute(c, sql);
        }
    }

    /** Runs one statement that writes, and returns how many rows it changed. */
    static long update(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement()) {
            return st.executeLargeUpdate(sql);
        }
    }

    static boolean exists(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            return rs.next();
        }
    }

    /** What writes a COPY's data in the format its command names (binary records). */
    @FunctionalInterface
    interface CopySource {
        void writeTo(OutputStream out) throws IOException;
    }

    /** Streams CSV into {@code COPY ... FROM STDIN}; on any failure the COPY is cancelled, not half-ended. */
    static void copyIn(Connection c, String copySql, Csv.Source csv) throws SQLException, IOException {
        copyInBytes(c, copySql, out -> {
            Writer writer = new OutputStreamWriter(out, StandardCharsets.UTF_8);
            csv.writeTo(writer);
            writer.flush();
        });
    }

    /** Streams bytes into {@code COPY ... FROM STDIN}; on any failure the COPY is cancelled, not half-ended. */
    static void copyInBytes(Connection c, String copySql, CopySource source) throws SQLException, IOException {
        CopyIn copy = c.unwrap(PGConnection.class).getCopyAPI().copyIn(copySql);
        try {
            PGCopyOutputStream out = new PGCopyOutputStream(copy, 256 * 1024);
            source.writeTo(out);
            out.endCopy();
        } finally {
            if (copy.isActive()) {
                copy.cancelCopy();
            }
        }
    }

    /** One statement in its own transaction, and its rows as {@link QueryResult} values. */
    QueryResult query(String sql) {
        return inTransaction(c -> query(c, sql));
    }

    static QueryResult query(Connection c, String sql) throws SQLException {
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
}
