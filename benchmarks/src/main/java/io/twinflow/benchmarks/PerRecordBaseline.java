package io.twinflow.benchmarks;

import io.twinflow.core.event.DecodeResult;
import io.twinflow.core.event.EventDecoder;
import io.twinflow.core.event.TelemetryEvent;
import io.twinflow.core.window.Windows;
import io.twinflow.functions.stream.StreamRecord;
import io.twinflow.live.LiveTables;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * The pattern of the common Kinesis-to-DynamoDB samples, as the write-cost baseline: every valid record
 * gets its own UpdateItem that ADDs into its window's counters and its own PutItem of the device's
 * state, on the same tables and keys as the stream-processor.
 *
 * <p>It is NOT exactly-once: a Lambda retry, a bisected batch or a producer duplicate adds the same
 * event again (the write-cost benchmark shows it by redelivering a batch). It keeps count and sum per
 * metric but not min and max, which ADD cannot express; its items are therefore no larger than the
 * real ones, so the comparison does not flatter the stream-processor. Writes go out
 * {@code executor}-parallel, as the real handler's do; ADD commutes and the state put is conditional on
 * the order key, so the result does not depend on the order.
 */
final class PerRecordBaseline {

    static final String COUNT_PREFIX = "count_";
    static final String SUM_PREFIX = "sum_";

    private final DynamoDbClient dynamoDb;
    private final String stateTable;
    private final String windowTable;
    private final Windows windows;
    private final Duration retention;
    private final EventDecoder decoder = new EventDecoder();
    private final ExecutorService executor;

    PerRecordBaseline(DynamoDbClient dynamoDb, String stateTable, String windowTable, Windows windows, Duration retention,
                      ExecutorService executor) {
        this.dynamoDb = dynamoDb;
        this.stateTable = stateTable;
        this.windowTable = windowTable;
        this.windows = windows;
        this.retention = retention;
        this.executor = executor;
    }

    void process(List<StreamRecord> batch) {
        List<CompletableFuture<Void>> writes = new ArrayList<>(batch.size());
        for (StreamRecord record : batch) {
            if (decoder.decode(record.data(), record.arrivalTime()) instanceof DecodeResult.Valid valid) {
                writes.add(CompletableFuture.runAsync(() -> write(valid.event()), executor));
            }
        }
        writes.forEach(CompletableFuture::join);
    }

    private void write(TelemetryEvent event) {
        var windowStart = windows.startOf(event.ts());
        Map<String, String> names = new HashMap<>();
        Map<String, AttributeValue> values = new HashMap<>();
        StringBuilder add = new StringBuilder("ADD #n :one");
        names.put("#n", LiveTables.WINDOW_EVENT_COUNT);
        values.put(":one", AttributeValue.fromN("1"));
        int i = 0;
        for (Map.Entry<String, Double> metric : event.metrics().entrySet()) {
            names.put("#c" + i, COUNT_PREFIX + metric.getKey());
            names.put("#s" + i, SUM_PREFIX + metric.getKey());
            values.put(":v" + i, AttributeValue.fromN(Double.toString(metric.getValue())));
            add.append(", #c").append(i).append(" :one, #s").append(i).append(" :v").append(i);
            i++;
        }
        names.put("#e", LiveTables.WINDOW_END);
        names.put("#x", LiveTables.EXPIRES_AT);
        values.put(":e", AttributeValue.fromS(LiveTables.windowKey(windows.endOf(windowStart))));
        values.put(":x", AttributeValue.fromN(Long.toString(windowStart.plus(retention).getEpochSecond())));
        dynamoDb.updateItem(b -> b.tableName(windowTable)
                .key(Map.of(LiveTables.DEVICE_ID, AttributeValue.fromS(event.deviceId()),
                        LiveTables.WINDOW_START, AttributeValue.fromS(LiveTables.windowKey(windowStart))))
                .updateExpression(add + " SET #e = :e, #x = :x")
                .expressionAttributeNames(names)
                .expressionAttributeValues(values));

        Map<String, AttributeValue> state = new HashMap<>();
        state.put(LiveTables.DEVICE_ID, AttributeValue.fromS(event.deviceId()));
        state.put(LiveTables.STATE_TS, AttributeValue.fromS(event.ts().toString()));
        state.put(LiveTables.STATE_EVENT_ID, AttributeValue.fromS(event.eventId()));
        String orderKey = LiveTables.orderKey(event.ts(), event.eventId());
        state.put(LiveTables.STATE_ORDER_KEY, AttributeValue.fromS(orderKey));
        Map<String, AttributeValue> metrics = new HashMap<>();
        event.metrics().forEach((name, value) -> metrics.put(name, AttributeValue.fromN(Double.toString(value))));
        state.put(LiveTables.STATE_METRICS, AttributeValue.fromM(metrics));
        if (event.location() != null) {
            state.put(LiveTables.STATE_LOCATION, AttributeValue.fromM(Map.of(
                    "lat", AttributeValue.fromN(Double.toString(event.location().lat())),
                    "lon", AttributeValue.fromN(Double.toString(event.location().lon())))));
        }
        try {
            dynamoDb.putItem(b -> b.tableName(stateTable).item(state)
                    .conditionExpression("attribute_not_exists(#d) OR #o < :o")
                    .expressionAttributeNames(Map.of("#d", LiveTables.DEVICE_ID, "#o", LiveTables.STATE_ORDER_KEY))
                    .expressionAttributeValues(Map.of(":o", AttributeValue.fromS(orderKey))));
        } catch (ConditionalCheckFailedException newerStateStored) {
            // A later event of this device was written first: its state stays.
        }
    }
}
