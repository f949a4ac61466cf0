package io.twinflow.warehouse.redshift;

import io.twinflow.warehouse.QueryResult;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;
import software.amazon.awssdk.services.redshiftdata.RedshiftDataClient;
import software.amazon.awssdk.services.redshiftdata.model.BatchExecuteStatementRequest;
import software.amazon.awssdk.services.redshiftdata.model.ColumnMetadata;
import software.amazon.awssdk.services.redshiftdata.model.DescribeStatementResponse;
import software.amazon.awssdk.services.redshiftdata.model.ExecuteStatementRequest;
import software.amazon.awssdk.services.redshiftdata.model.Field;
import software.amazon.awssdk.services.redshiftdata.model.GetStatementResultResponse;
import software.amazon.awssdk.services.redshiftdata.model.SqlParameter;
import software.amazon.awssdk.services.redshiftdata.model.StatusString;
import software.amazon.awssdk.services.redshiftdata.model.SubStatementData;

/**
 * Runs SQL through the Redshift Data API, which is asynchronous: submit, then poll
 * {@code DescribeStatement} until the statement is done. A batch ({@code BatchExecuteStatement}) runs
 * as one transaction, which is how a load stays all-or-nothing without a connection.
 */
final class DataApiStatements {

    /** How the poller waits; tests pass one that only records the delays. */
    @FunctionalInterface
    interface Sleeper {
        void sleep(Duration duration) throws InterruptedException;
    }

    private final RedshiftDataClient client;
    private final RedshiftDataApiSettings settings;
    private final Sleeper sleeper;
    private final LongSupplier nanoTime;

    DataApiStatements(RedshiftDataClient client, RedshiftDataApiSettings settings, Sleeper sleeper, LongSupplier nanoTime) {
        this.client = client;
        this.settings = settings;
        this.sleeper = sleeper;
        this.nanoTime = nanoTime;
    }

    /** Runs the statements as one transaction and waits for it to commit. */
    DescribeStatementResponse runBatch(List<String> sqls, String name) {
        BatchExecuteStatementRequest.Builder request = BatchExecuteStatementRequest.builder()
                .sqls(sqls)
                .statementName(name)
                .database(settings.database());
        if (settings.workgroupName() != null) {
            request.workgroupName(settings.workgroupName());
        } else {
            request.clusterIdentifier(settings.clusterIdentifier());
        }
        if (settings.secretArn() != null) {
            request.secretArn(settings.secretArn());
        } else {
            request.dbUser(settings.dbUser());
        }
        return await(client.batchExecuteStatement(request.build()).id());
    }

    /** Runs one statement and returns its rows. */
    QueryResult query(String sql, List<SqlParameter> parameters) {
        ExecuteStatementRequest.Builder request = ExecuteStatementRequest.builder()
                .sql(sql)
                .database(settings.database());
        if (!parameters.isEmpty()) {
            request.parameters(parameters);
        }
        if (settings.workgroupName() != null) {
            request.workgroupName(settings.workgroupName());
        } else {
            request.clusterIdentifier(settings.clusterIdentifier());
        }
        if (settings.secretArn() != null) {
            request.secretArn(settings.secretArn());
        } else {
            request.dbUser(settings.dbUser());
        }
        DescribeStatementResponse done = await(client.executeStatement(request.build()).id());
        if (!Boolean.TRUE.equals(done.hasResultSet())) {
            return new QueryResult(List.of(), List.of());
        }
        return fetch(done.id());
    }

    /**
     * Polls until the statement finishes, doubling the wait from {@code pollInitial} up to
     * {@code pollMax}; cancels it after {@code statementTimeout}.
     */
    DescribeStatementResponse await(String id) {
        long deadline = nanoTime.getAsLong() + settings.statementTimeout().toNanos();
        Duration delay = settings.pollInitial();
        while (true) {
            DescribeStatementResponse status = client.describeStatement(b -> b.id(id));
            StatusString state = status.status();
            if (state == StatusString.FINISHED) {
                return status;
            }
            if (state == StatusString.FAILED || state == StatusString.ABORTED) {
                throw failure(status);
            }
            if (nanoTime.getAsLong() - deadline >= 0) {
                client.cancelStatement(b -> b.id(id));
                throw new DataApiStatementException("statement " + id + " still " + state + " after "
                        + settings.statementTimeout() + ": cancelled", id, null, List.of());
            }
            try {
                sleeper.sleep(delay);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                client.cancelStatement(b -> b.id(id));
                throw new DataApiStatementException("interrupted while waiting for statement " + id + ": cancelled", id, null, List.of());
            }
            delay = delay.multipliedBy(2).compareTo(settings.pollMax()) > 0 ? settings.pollMax() : delay.multipliedBy(2);
        }
    }

    /** Names the failing statement of a batch and, for a COPY, the staging file and line. */
    private DataApiStatementException failure(DescribeStatementResponse status) {
        SubStatementData failed = status.subStatements().stream()
                .filter(s -> "FAILED".equals(s.statusAsString()) || "ABORTED".equals(s.statusAsString()))
                .findFirst().orElse(null);
        String sql = failed != null ? failed.queryString() : status.queryString();
        String error = failed != null && failed.error() != null ? failed.error() : status.error();
        Long queryId = failed != null ? failed.redshiftQueryId() : status.redshiftQueryId();
        List<LoadError> loadErrors = List.of();
        if (sql != null && sql.stripLeading().regionMatches(true, 0, "COPY", 0, 4) && queryId != null && queryId > 0) {
            loadErrors = loadErrors(queryId);
        }
        StringBuilder message = new StringBuilder("Redshift statement ").append(status.id()).append(' ')
                .append(status.statusAsString()).append(": ").append(error);
        if (!loadErrors.isEmpty()) {
            message.append("; load errors: ").append(loadErrors);
        }
        return new DataApiStatementException(message.toString(), status.id(), sql, loadErrors);
    }

    /** The first rows of sys_load_error_detail for a failed COPY; best effort, the COPY's error stands anyway. */
    private List<LoadError> loadErrors(long queryId) {
        try {
            QueryResult rows = query("SELECT TRIM(file_name) AS file_name, line_number, TRIM(column_name) AS column_name, "
                            + "TRIM(error_message) AS error_message FROM sys_load_error_detail WHERE query_id = :query_id "
                            + "ORDER BY line_number LIMIT 10",
                    List.of(SqlParameter.builder().name("query_id").value(Long.toString(queryId)).build()));
            List<LoadError> errors = new ArrayList<>();
            for (List<Object> row : rows.rows()) {
                errors.add(new LoadError((String) row.get(0), row.get(1) == null ? -1 : ((Number) row.get(1)).longValue(),
                        (String) row.get(2), (String) row.get(3)));
            }
            return errors;
        } catch (RuntimeException e) {
            return List.of();
        }
    }

    private QueryResult fetch(String id) {
        List<String> columns = null;
        List<List<Object>> rows = new ArrayList<>();
        String token = null;
        do {
            String page = token;
            GetStatementResultResponse result = client.getStatementResult(b -> b.id(id).nextToken(page));
            if (columns == null) {
                columns = result.columnMetadata().stream().map(ColumnMetadata::label).toList();
            }
            for (List<Field> record : result.records()) {
                List<Object> row = new ArrayList<>(record.size());
                for (int i = 0; i < record.size(); i++) {
                    row.add(value(record.get(i), result.columnMetadata().get(i)));
                }
                rows.add(row);
            }
            token = result.nextToken();
        } while (token != null && !token.isEmpty());
        return new QueryResult(columns, rows);
    }

    /** Maps a Data API field to the same Java types the JDBC adapter returns. */
    static Object value(Field field, ColumnMetadata column) {
        if (Boolean.TRUE.equals(field.isNull())) {
            return null;
        }
        if (field.longValue() != null) {
            return field.longValue();
        }
        if (field.doubleValue() != null) {
            return field.doubleValue();
        }
        if (field.booleanValue() != null) {
            return field.booleanValue();
        }
        String text = field.stringValue();
        if (text != null && column != null && "numeric".equalsIgnoreCase(column.typeName())) {
            return QueryResult.integralOrText(new BigDecimal(text));
        }
        return text;
    }
}
