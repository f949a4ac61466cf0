package io.twinflow.benchmarks;

import io.twinflow.local.tradeoff.CapacityRequests;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsResponse;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemResponse;

/**
 * An SDK interceptor that asks DynamoDB for {@code ReturnConsumedCapacity=TOTAL} on every read and
 * write and adds up what the responses report, per operation, so the code under test is measured
 * without being changed. A write refused by its condition reports no capacity in the SDK's exception
 * but is billed one unit at least by DynamoDB, so those are counted on their own.
 */
final class CapacityMeter implements ExecutionInterceptor {

    /** Totals for one operation (PutItem, UpdateItem, BatchWriteItem, ...), per table where it names one. */
    static final class Tally {
        long requests;
        long items;
        double units;
        long conditionFailures;

        Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("requests", requests);
            m.put("items", items);
            m.put("capacityUnits", Results.round(units, 1));
            m.put("conditionFailures", conditionFailures);
            return m;
        }
    }

    private final Map<String, Tally> tallies = new TreeMap<>();

    @Override
    public SdkRequest modifyRequest(Context.ModifyRequest context, ExecutionAttributes attributes) {
        return CapacityRequests.askForTotal(context.request());
    }

    @Override
    public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
        Object response = context.response();
        SdkRequest request = context.request();
        if (response instanceof PutItemResponse r) {
            add("PutItem " + ((PutItemRequest) request).tableName(), 1, units(r.consumedCapacity()));
        } else if (response instanceof UpdateItemResponse r) {
            add("UpdateItem " + ((UpdateItemRequest) request).tableName(), 1, units(r.consumedCapacity()));
        } else if (response instanceof DeleteItemResponse r) {
            add("DeleteItem " + ((DeleteItemRequest) request).tableName(), 1, units(r.consumedCapacity()));
        } else if (response instanceof BatchWriteItemResponse r) {
            int sent = ((BatchWriteItemRequest) context.request()).requestItems().values().stream().mapToInt(List::size).sum();
            int unprocessed = r.unprocessedItems().values().stream().mapToInt(List::size).sum();
            add("BatchWriteItem", sent - unprocessed, units(r.consumedCapacity()));
        } else if (response instanceof TransactWriteItemsResponse r) {
            add("TransactWriteItems", ((TransactWriteItemsRequest) context.request()).transactItems().size(), units(r.consumedCapacity()));
        } else if (response instanceof GetItemResponse r) {
            add("GetItem", r.hasItem() ? 1 : 0, units(r.consumedCapacity()));
        } else if (response instanceof BatchGetItemResponse r) {
            add("BatchGetItem", r.responses().values().stream().mapToInt(List::size).sum(), units(r.consumedCapacity()));
        }
    }

    @Override
    public void onExecutionFailure(Context.FailedExecution context, ExecutionAttributes attributes) {
        if (context.exception() instanceof ConditionalCheckFailedException) {
            String operation = context.request().getClass().getSimpleName().replace("Request", "") + " (condition failed)";
            synchronized (this) {
                Tally t = tallies.computeIfAbsent(operation, k -> new Tally());
                t.requests++;
                t.conditionFailures++;
            }
        }
    }

    private synchronized void add(String operation, int items, double units) {
        Tally t = tallies.computeIfAbsent(operation, k -> new Tally());
        t.requests++;
        t.items += items;
        t.units += units;
    }

    private static double units(ConsumedCapacity c) {
        return c == null || c.capacityUnits() == null ? 0 : c.capacityUnits();
    }

    private static double units(List<ConsumedCapacity> list) {
        return list == null ? 0 : list.stream().mapToDouble(CapacityMeter::units).sum();
    }

    private static boolean isWrite(String operation) {
        return !operation.startsWith("Get") && !operation.startsWith("BatchGet") && !operation.equals("Query") && !operation.equals("Scan");
    }

    /** Totals so far; {@link #reset()} starts a new measurement. */
    synchronized Snapshot snapshot() {
        long writeRequests = 0;
        long writeItems = 0;
        double writeUnits = 0;
        long conditionFailures = 0;
        long readRequests = 0;
        double readUnits = 0;
        Map<String, Object> byOperation = new LinkedHashMap<>();
        for (Map.Entry<String, Tally> e : tallies.entrySet()) {
            Tally t = e.getValue();
            byOperation.put(e.getKey(), t.toMap());
            if (isWrite(e.getKey())) {
                writeRequests += t.requests;
                writeItems += t.items;
                writeUnits += t.units;
                conditionFailures += t.conditionFailures;
            } else {
                readRequests += t.requests;
                readUnits += t.units;
            }
        }
        return new Snapshot(writeRequests, writeItems, writeUnits, conditionFailures, readRequests, readUnits, byOperation);
    }

    synchronized void reset() {
        tallies.clear();
    }

    /**
     * @param writeUnits as DynamoDB reported them; refused conditional writes are not in it (see
     *     {@link #conditionFailures}, each billed at least one unit in AWS)
     */
    record Snapshot(long writeRequests, long writeItems, double writeUnits, long conditionFailures,
                    long readRequests, double readUnits, Map<String, Object> byOperation) {

        /** Write units including the at-least-one unit of every refused conditional write. */
        double billedWriteUnits() {
            return writeUnits + conditionFailures;
        }

        Map<String, Object> per1000(long records) {
            double f = 1000.0 / records;
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("writeRequests", Results.round(writeRequests * f, 1));
            m.put("itemsWritten", Results.round(writeItems * f, 1));
            m.put("writeCapacityUnits", Results.round(writeUnits * f, 1));
            m.put("conditionFailures", Results.round(conditionFailures * f, 1));
            m.put("billedWriteUnits", Results.round(billedWriteUnits() * f, 1));
            m.put("readRequests", Results.round(readRequests * f, 1));
            m.put("readCapacityUnits", Results.round(readUnits * f, 1));
            return m;
        }
    }
}
