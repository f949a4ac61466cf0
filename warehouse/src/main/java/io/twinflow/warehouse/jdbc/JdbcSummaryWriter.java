package io.twinflow.warehouse.jdbc;

import io.twinflow.warehouse.DeviceSummary;
import io.twinflow.warehouse.SummaryWriter;
import io.twinflow.warehouse.sql.CopySql;
import io.twinflow.warehouse.sql.Dialect;
import io.twinflow.warehouse.sql.SchemaName;
import io.twinflow.warehouse.sql.SqlLiterals;
import io.twinflow.warehouse.sql.SummarySql;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Writes the rollup's summaries to PostgreSQL: a day's rows are deleted and copied in with
 * {@code COPY ... FROM STDIN}, per table, in one transaction under the summary lock. Needs only the
 * database: what the rollup job builds.
 */
public final class JdbcSummaryWriter implements SummaryWriter {

    private final JdbcTransactions transactions;
    private final Clock clock;
    private final SummarySql summarySql;

    public JdbcSummaryWriter(DataSource dataSource, String schema) {
        this(new JdbcTransactions(Objects.requireNonNull(dataSource, "dataSource")), SchemaName.require(schema), Clock.systemUTC());
    }

    JdbcSummaryWriter(JdbcTransactions transactions, String schema, Clock clock) {
        this.transactions = transactions;
        this.clock = clock;
        this.summarySql = new SummarySql(Dialect.POSTGRES, schema);
    }

    @Override
    public void replaceDaySummaries(LocalDate dt, List<DeviceSummary> daily, List<DeviceSummary> hourly, Optional<Instant> requestsUpTo) {
        List<SummarySql.TableLoad> loads = summarySql.tableLoads(dt, daily, hourly, SqlLiterals.stored(clock.instant()));
        transactions.inTransaction(c -> {
            JdbcTransactions.execute(c, summarySql.clearDay(dt, requestsUpTo));
            for (SummarySql.TableLoad load : loads) {
                if (load.rows() > 0) {
                    JdbcTransactions.copyIn(c, CopySql.fromStdin(load.table(), load.columns()), load.csv());
                }
            }
            return null;
        });
    }

    @Override
    public List<LocalDate> pendingRollupDays() {
        return SummarySql.days(transactions.query(summarySql.pendingRollupDays()));
    }
}
