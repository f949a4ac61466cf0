package io.twinflow.warehouse.jdbc;

import io.twinflow.warehouse.QueryResult;
import io.twinflow.warehouse.WarehouseQueries;
import io.twinflow.warehouse.sql.Dialect;
import java.util.Objects;
import javax.sql.DataSource;

/** Queries on PostgreSQL, each statement in its own transaction. Needs only the database. */
public final class JdbcQueries implements WarehouseQueries {

    private final JdbcTransactions transactions;

    public JdbcQueries(DataSource dataSource) {
        this(new JdbcTransactions(Objects.requireNonNull(dataSource, "dataSource")));
    }

    JdbcQueries(JdbcTransactions transactions) {
        this.transactions = transactions;
    }

    @Override
    public QueryResult query(String sql) {
        return transactions.query(sql);
    }

    @Override
    public Dialect dialect() {
        return Dialect.POSTGRES;
    }
}
