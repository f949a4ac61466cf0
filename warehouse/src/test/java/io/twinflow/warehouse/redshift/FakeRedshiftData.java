package io.twinflow.warehouse.redshift;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import software.amazon.awssdk.services.redshiftdata.RedshiftDataClient;
import software.amazon.awssdk.services.redshiftdata.model.BatchExecuteStatementRequest;
import software.amazon.awssdk.services.redshiftdata.model.BatchExecuteStatementResponse;
import software.amazon.awssdk.services.redshiftdata.model.CancelStatementRequest;
import software.amazon.awssdk.services.redshiftdata.model.CancelStatementResponse;
import software.amazon.awssdk.services.redshiftdata.model.ColumnMetadata;
import software.amazon.awssdk.services.redshiftdata.model.DescribeStatementRequest;
import software.amazon.awssdk.services.redshiftdata.model.DescribeStatementResponse;
import software.amazon.awssdk.services.redshiftdata.model.ExecuteStatementRequest;
import software.amazon.awssdk.services.redshiftdata.model.ExecuteStatementResponse;
import software.amazon.awssdk.services.redshiftdata.model.Field;
import software.amazon.awssdk.services.redshiftdata.model.GetStatementResultRequest;
import software.amazon.awssdk.services.redshiftdata.model.GetStatementResultResponse;
import software.amazon.awssdk.services.redshiftdata.model.StatusString;

/**
 * A scripted stand-in for the Redshift Data API (the SDK's interface, so the adapter cannot tell):
 * records every request, answers DescribeStatement from a queue of statuses per statement, and
 * answers queries with canned rows. It runs no SQL; that is what it cannot prove.
 */
final class FakeRedshiftData implements RedshiftDataClient {

    final List<BatchExecuteStatementRequest> batches = new ArrayList<>();
    final List<ExecuteStatementRequest> queries = new ArrayList<>();
    final List<String> cancelled = new ArrayList<>();
    int describeCalls;

    /** Called when a batch is submitted (e.g. to read its staging object, as Redshift's COPY would). */
    Function<BatchExecuteStatementRequest, List<DescribeStatementResponse>> onBatch =
            request -> List.of(finished(null));
    /** Answers a query by its SQL: column names and rows of fields. */
    Function<String, GetStatementResultResponse> onQuery = sql -> result(List.of("x"), List.of());

    private final Map<String, Deque<DescribeStatementResponse>> statuses = new HashMap<>();
    private final Map<String, String> querySql = new HashMap<>();
    private int nextId;

    @Override
    public BatchExecuteStatementResponse batchExecuteStatement(BatchExecuteStatementRequest request) {
        batches.add(request);
        String id = "batch-" + (++nextId);
        statuses.put(id, new ArrayDeque<>(onBatch.apply(request)));
        return BatchExecuteStatementResponse.builder().id(id).build();
    }

    @Override
    public ExecuteStatementResponse executeStatement(ExecuteStatementRequest request) {
        queries.add(request);
        String id = "query-" + (++nextId);
        statuses.put(id, new ArrayDeque<>(List.of(finished(true))));
        querySql.put(id, request.sql());
        return ExecuteStatementResponse.builder().id(id).build();
    }

    @Override
    public DescribeStatementResponse describeStatement(DescribeStatementRequest request) {
        describeCalls++;
        Deque<DescribeStatementResponse> queue = statuses.get(request.id());
        DescribeStatementResponse next = queue.size() > 1 ? queue.poll() : queue.peek();
        return next.toBuilder().id(request.id()).build();
    }

    @Override
    public GetStatementResultResponse getStatementResult(GetStatementResultRequest request) {
        return onQuery.apply(querySql.get(request.id()));
    }

    @Override
    public CancelStatementResponse cancelStatement(CancelStatementRequest request) {
        cancelled.add(request.id());
        return CancelStatementResponse.builder().status(true).build();
    }

    @Override
    public String serviceName() {
        return "redshift-data";
    }

    @Override
    public void close() {
    }

    static DescribeStatementResponse finished(Boolean hasResultSet) {
        return DescribeStatementResponse.builder().status(StatusString.FINISHED).hasResultSet(hasResultSet).build();
    }

    static DescribeStatementResponse status(StatusString status) {
        return DescribeStatementResponse.builder().status(status).build();
    }

    static GetStatementResultResponse result(List<String> columns, List<List<Field>> rows) {
        return GetStatementResultResponse.builder()
                .columnMetadata(columns.stream().map(c -> ColumnMetadata.builder().label(c).name(c).typeName("varchar").build()).toList())
                .records(rows)
                .build();
    }

    static Field text(String value) {
        return Field.builder().stringValue(value).build();
    }

    static Field number(long value) {
        return Field.builder().longValue(value).build();
    }

    static Field nothing() {
        return Field.builder().isNull(true).build();
    }
}
