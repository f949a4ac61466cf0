package io.twinflow.warehouse;

import io.twinflow.warehouse.sql.Dialect;

/** Reports, ad-hoc queries and reconciliation: SQL in, rows out. */
public interface WarehouseQueries {

    /**
     * Runs one SQL statement in its own transaction and returns its rows (reports, ad-hoc queries,
     * reconciliation); a statement without a result set returns no columns and no rows. Values are
     * Long, Double, Boolean, String or null; other types (timestamps, dates, decimals) as their text.
     */
    QueryResult query(String sql);

    /** The SQL dialect of the engine behind this warehouse, for queries written outside this module. */
    Dialect dialect();
}
