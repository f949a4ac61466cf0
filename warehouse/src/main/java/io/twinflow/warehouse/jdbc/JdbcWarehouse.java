package io.twinflow.warehouse.jdbc;

import io.twinflow.core.alert.AlertRules;
import io.twinflow.warehouse.AbstractWarehouse;
import io.twinflow.warehouse.LoadRules;
import io.twinflow.warehouse.sql.Dialect;
import io.twinflow.warehouse.sql.Migration;
import io.twinflow.warehouse.sql.Migrations;
import io.twinflow.warehouse.sql.SchemaName;
import io.twinflow.warehouse.sql.SummarySql;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The whole warehouse on PostgreSQL (15+, for MERGE), the local stand-in for Redshift: loads raw
 * objects ({@link JdbcRawObjectLoader}), writes summaries ({@link JdbcSummaryWriter}), runs queries
 * ({@link JdbcQueries}), and migrates the schema in one transaction under the migration lock.
 */
public final class JdbcWarehouse extends AbstractWarehouse {

    private static final Dialect DIALECT = Dialect.POSTGRES;

    private final DataSource dataSource;
    private final S3Client s3;
    private final String schema;
    private final LoadRules rules;
    private final Clock clock;
    private final JdbcTransactions transactions;

    /** An adapter that judges lines by the configured rules (decoder limits, window size). */
    public JdbcWarehouse(DataSource dataSource, S3Client s3, String schema, LoadRules rules) {
        this(dataSource, s3, schema, rules, Clock.systemUTC(), LoadFailpoint.NONE);
    }

    public JdbcWarehouse(DataSource dataSource, S3Client s3, String schema, LoadRules rules, Clock clock,
                         LoadFailpoint failpoint) {
        this(new JdbcTransactions(Objects.requireNonNull(dataSource, "dataSource")), dataSource, Objects.requireNonNull(s3, "s3"),
                SchemaName.require(schema), Objects.requireNonNull(rules, "rules"), Objects.requireNonNull(clock, "clock"),
                Objects.requireNonNull(failpoint, "failpoint"));
    }

    private JdbcWarehouse(JdbcTransactions transactions, DataSource dataSource, S3Client s3, String schema, LoadRules rules,
                          Clock clock, LoadFailpoint failpoint) {
        super(new JdbcRawObjectLoader(transactions, s3, schema, rules, clock, failpoint),
                new JdbcSummaryWriter(transactions, schema, clock), new JdbcQueries(transactions));
        this.dataSource = dataSource;
        this.s3 = s3;
        this.schema = schema;
        this.rules = rules;
        this.clock = clock;
        this.transactions = transactions;
    }

    /**
     * An adapter for a JDBC URL, e.g. {@code jdbc:postgresql://127.0.0.1:5432/postgres}: what the CLI
     * and the Spark job are given as parameters. Each operation opens its own connection.
     */
    public static JdbcWarehouse connect(String jdbcUrl, String user, String password, S3Client s3, String schema, LoadRules rules) {
        return new JdbcWarehouse(dataSource(jdbcUrl, user, password), s3, schema, rules);
    }

    /** A data source for a JDBC URL that opens a new connection per operation. */
    public static DataSource dataSource(String jdbcUrl, String user, String password) {
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setUrl(jdbcUrl);
        dataSource.setUser(user);
        dataSource.setPassword(password);
        return dataSource;
    }

    /** The same adapter with a failpoint, for crash tests. */
    public JdbcWarehouse withFailpoint(LoadFailpoint failpoint) {
        return new JdbcWarehouse(dataSource, s3, schema, rules, clock, failpoint);
    }

    @Override
    public List<Integer> migrate() {
        return transactions.inTransaction(c -> {
            // Taken before CREATE SCHEMA: two concurrent CREATE SCHEMA IF NOT EXISTS can still collide.
            JdbcTransactions.execute(c, DIALECT.lockForMigrations(schema));
            JdbcTransactions.execute(c, Migrations.bootstrap(schema));
            Map<Integer, String> applied = new HashMap<>();
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(Migrations.selectApplied(schema))) {
                while (rs.next()) {
                    applied.put(rs.getInt(1), rs.getString(2));
                }
            }
            List<Integer> versions = new ArrayList<>();
            for (Migration migration : Migrations.pending(Migrations.all(), applied)) {
                JdbcTransactions.execute(c, migration.statements(DIALECT, schema));
                JdbcTransactions.execute(c, Migrations.record(DIALECT, schema, migration));
                versions.add(migration.version());
            }
            return versions;
        });
    }

    @Override
    public void replaceAlertRules(AlertRules alertRules) {
        transactions.inTransaction(new SummarySql(DIALECT, schema).replaceAlertRules(alertRules));
    }
}
