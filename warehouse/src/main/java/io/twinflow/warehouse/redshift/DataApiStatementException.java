package io.twinflow.warehouse.redshift;

import io.twinflow.warehouse.WarehouseException;
import java.util.List;

/**
 * A Data API statement or batch ended FAILED or ABORTED, or ran past its timeout and was cancelled.
 * For a failed COPY, {@link #loadErrors()} says which staging file and line Redshift rejected.
 */
public class DataApiStatementException extends WarehouseException {

    private final String statementId;
    private final String failedSql;
    private final List<LoadError> loadErrors;

    public DataApiStatementException(String message, String statementId, String failedSql, List<LoadError> loadErrors) {
        super(message);
        this.statementId = statementId;
        this.failedSql = failedSql;
        this.loadErrors = List.copyOf(loadErrors);
    }

    public String statementId() {
        return statementId;
    }

    /** The statement of a batch that failed, when the Data API names it. */
    public String failedSql() {
        return failedSql;
    }

    public List<LoadError> loadErrors() {
        return loadErrors;
    }
}
