package io.twinflow.warehouse.redshift;

import io.twinflow.warehouse.QueryResult;
import io.twinflow.warehouse.WarehouseQueries;
import io.twinflow.warehouse.sql.Dialect;
import java.util.List;
import software.amazon.awssdk.services.redshiftdata.RedshiftDataClient;

/** Queries on Redshift through the Data API, each statement on its own. */
public final class RedshiftQueries implements WarehouseQueries {

    private final DataApiStatements statements;

    public RedshiftQueries(RedshiftDataClient client, RedshiftDataApiSettings settings) {
        this(DataApiStatements.of(client, settings));
    }

    RedshiftQueries(DataApiStatements statements) {
        this.statements = statements;
    }

    @Override
    public QueryResult query(String sql) {
        return statements.query(sql, List.of());
    }

    @Override
    public Dialect dialect() {
        return Dialect.REDSHIFT;
    }
}
