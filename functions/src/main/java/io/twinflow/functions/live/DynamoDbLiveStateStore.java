package io.twinflow.functions.live;

import io.twinflow.core.aggregate.WindowAggregate;
import io.twinflow.core.aggregate.WindowState;
import io.twinflow.core.alert.Alert;
import io.twinflow.core.dedupe.EventIdSet;
import io.twinflow.core.event.TelemetryEvent;
import io.twinflow.core.window.Windows;
import io.twinflow.live.LiveStateReader;
import io.twinflow.live.LiveTables;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * {@link LiveStateStore} on DynamoDB.
 *
 * <p>A window write reads the item (strongly consistent, batched 100 keys a call), applies the new
 * events with {@link WindowState#apply}, and puts the whole item back on condition that its
 * {@code version} is unchanged. A failed condition means someone wrote in between (another invocation
 * during resharding, or this very put whose response was lost): the item is read again and the events
 * re-applied, which counts each exactly once. Throttling and 5xx are retried by the SDK with backoff;
 * what outlasts the retries is reported FAILED so the batch is retried, never dropped.
 */
public final class DynamoDbLiveStateStore implements LiveStateStore {

    private static final int BATCH_GET_LIMIT = 100;
    private static final int BATCH_WRITE_LIMIT = 25;
    private static final int MAX_CONFLICTS = 5;
    private static final int MAX_UNPROCESSED_ROUNDS = 8;

    private final DynamoDbClient dynamoDb;
    private final String stateTable;
    private final String windowTable;
    private final String alertTable;
    private final Windows windows;
    private final Duration retention;
    private final ExecutorService executor;
    private final int maxEventsPerWindow;

    public DynamoDbLiveStateStore(DynamoDbClient dynamoDb, String stateTable, String windowTable, String alertTable,
                                  Windows windows, Duration retention, ExecutorService executor) {
        this(dynamoDb, stateTable, windowTable, alertTable, windows, retention, executor, WindowState.MAX_EVENTS);
    }

    /**
     * For tests: windows that hold fewer events, so that filling one takes a few events. In production the
     * capacity is always core's, which the batch path applies too.
     */
    DynamoDbLiveStateStore(DynamoDbClient dynamoDb, String stateTable, String windowTable, String alertTable,
                           Windows windows, Duration retention, ExecutorService executor, int maxEventsPerWindow) {
        this.dynamoDb = dynamoDb;
        this.stateTable = stateTable;
        this.windowTable = windowTable;
        this.alertTable = alertTable;
        this.windows = windows;
        this.retention = retention;
        this.executor = executor;
        this.maxEventsPerWindow = maxEventsPerWindow;
    }

    @Override
    public List<WindowWrite.Result> applyWindows(List<WindowWrite.Delivery> deliveries) {
        Map<WindowKey, Map<String, AttributeValue>> stored = new ConcurrentHashMap<>();
        Set<WindowKey> unreadable = ConcurrentHashMap.newKeySet();
        List<CompletableFuture<Void>> reads = new ArrayList<>();
        for (int from = 0; from < deliveries.size(); from += BATCH_GET_LIMIT) {
            List<WindowKey> chunk = deliveries.subList(from, Math.min(deliveries.size(), from + BATCH_GET_LIMIT))
                    .stream().map(WindowWrite.Delivery::key).toList();
            reads.add(CompletableFuture.runAsync(() -> {
                try {
                    stored.putAll(readWindows(chunk));
                } catch (SdkException | UnprocessedException e) {
                    unreadable.addAll(chunk);
                }
            }, executor));
        }
        reads.forEach(CompletableFuture::join);

        List<CompletableFuture<WindowWrite.Result>> writes = new ArrayList<>(deliveries.size());
        for (WindowWrite.Delivery delivery : deliveries) {
            if (unreadable.contains(delivery.key())) {
                writes.add(CompletableFuture.completedFuture(WindowWrite.Result.failed(delivery, "window could not be read")));
            } else {
                Map<String, AttributeValue> item = stored.get(delivery.key());
                writes.add(CompletableFuture.supplyAsync(() -> writeWindow(delivery, item), executor));
            }
        }
        return writes.stream().map(CompletableFuture::join).toList();
    }

    private WindowWrite.Result writeWindow(WindowWrite.Delivery delivery, Map<String, AttributeValue> item) {
        Map<String, AttributeValue> current = item;
        for (int attempt = 0; attempt < MAX_CONFLICTS; attempt++) {
            WindowState state = current == null ? WindowState.EMPTY : decodeWindow(current);
            WindowState.Applied applied = state.apply(delivery.events(), maxEventsPerWindow);
            String fullDetail = fullDetail(delivery.key(), applied);
            if (!applied.changed()) {
                return WindowWrite.Result.written(delivery, applied.applied(), applied.full(), state.aggregate(), fullDetail);
            }
            long version = current == null ? 0 : Long.parseLong(current.get(LiveTables.WINDOW_VERSION).n());
            boolean exists = current != null;
            try {
                dynamoDb.putItem(b -> {
                    b.tableName(windowTable)
                            .item(encodeWindow(delivery.key(), applied.state(), version + 1));
                    if (!exists) {
                        b.conditionExpression("attribute_not_exists(#d)")
                                .expressionAttributeNames(Map.of("#d", LiveTables.DEVICE_ID));
                    } else {
                        b.conditionExpression("#v = :v")
                                .expressionAttributeNames(Map.of("#v", LiveTables.WINDOW_VERSION))
                                .expressionAttributeValues(Map.of(":v", number(version)));
                    }
                });
                return WindowWrite.Result.written(delivery, applied.applied(), applied.full(), applied.state().aggregate(),
                        fullDetail);
            } catch (ConditionalCheckFailedException conflict) {
                try {
                    current = dynamoDb.getItem(b -> b.tableName(windowTable).key(windowItemKey(delivery.key())).consistentRead(true)).item();
                    if (current != null && current.isEmpty()) {
                        current = null;
                    }
                } catch (SdkException e) {
                    return WindowWrite.Result.failed(delivery, "re-read after a conflict failed: " + e.getMessage());
                }
            } catch (DynamoDbException e) {
                return permanent(e)
                        ? WindowWrite.Result.rejected(delivery, describe(e))
                        : WindowWrite.Result.failed(delivery, describe(e));
            } catch (SdkException e) {
                return WindowWrite.Result.failed(delivery, e.getMessage());
            }
        }
        return WindowWrite.Result.failed(delivery, "window changed under " + MAX_CONFLICTS + " consecutive writes");
    }

    private String fullDetail(WindowKey key, WindowState.Applied applied) {
        for (boolean full : applied.full()) {
            if (full) {
                return "window " + LiveTables.windowKey(key.windowStart()) + " of device " + key.deviceId()
                        + " already holds " + maxEventsPerWindow + " distinct events, the most a window keeps";
            }
        }
        return "";
    }

    /**
     * Only a validation error depends on the data (an item over 400 KB, a number out of range); a
     * missing table, missing permission or throttling is a fault of the environment and is retried.
     */
    private static boolean permanent(DynamoDbException e) {
        return "ValidationException".equals(errorCode(e));
    }

    private static String describe(DynamoDbException e) {
        return errorCode(e) + ": " + e.getMessage();
    }

    private static String errorCode(DynamoDbException e) {
        return e.awsErrorDetails() == null ? "Unknown" : e.awsErrorDetails().errorCode();
    }

    private Map<WindowKey, Map<String, AttributeValue>> readWindows(List<WindowKey> keys) {
        Map<WindowKey, Map<String, AttributeValue>> found = new HashMap<>();
        Map<String, KeysAndAttributes> request = Map.of(windowTable, KeysAndAttributes.builder()
                .keys(keys.stream().distinct().map(DynamoDbLiveStateStore::windowItemKey).toList())
                .consistentRead(true)
                .build());
        for (int round = 0; !request.isEmpty(); round++) {
            if (round == MAX_UNPROCESSED_ROUNDS) {
                throw new UnprocessedException();
            }
            if (round > 0) {
                backoff(round);
            }
            Map<String, KeysAndAttributes> pending = request;
            BatchGetItemResponse response = dynamoDb.batchGetItem(b -> b.requestItems(pending));
            for (Map<String, AttributeValue> item : response.responses().getOrDefault(windowTable, List.of())) {
                found.put(new WindowKey(item.get(LiveTables.DEVICE_ID).s(), Instant.parse(item.get(LiveTables.WINDOW_START).s())), item);
            }
            request = response.unprocessedKeys();
        }
        return found;
    }

    @Override
    public ItemWrites<String> putLatestStates(Collection<TelemetryEvent> latestPerDevice) {
        Set<String> failed = ConcurrentHashMap.newKeySet();
        Map<String, String> rejected = new ConcurrentHashMap<>();
        List<CompletableFuture<Void>> writes = new ArrayList<>();
        for (TelemetryEvent event : latestPerDevice) {
            writes.add(CompletableFuture.runAsync(() -> {
                try {
                    dynamoDb.putItem(b -> b.tableName(stateTable)
                            .item(encodeState(event))
                            .conditionExpression("attribute_not_exists(#d) OR #o < :o")
                            .expressionAttributeNames(Map.of("#d", LiveTables.DEVICE_ID, "#o", LiveTables.STATE_ORDER_KEY))
                            .expressionAttributeValues(Map.of(":o", string(LiveTables.orderKey(event.ts(), event.eventId())))));
                } catch (ConditionalCheckFailedException newerStateStored) {
                    // The stored state is newer (or this very event): nothing to do.
                } catch (DynamoDbException e) {
                    if (permanent(e)) {
                        rejected.put(event.deviceId(), describe(e));
                    } else {
                        failed.add(event.deviceId());
                    }
                } catch (SdkException e) {
                    failed.add(event.deviceId());
                }
            }, executor));
        }
        writes.forEach(CompletableFuture::join);
        return new ItemWrites<>(failed, rejected);
    }

    @Override
    public ItemWrites<WindowKey> putAlerts(Collection<Alert> alerts) {
        List<Alert> all = new ArrayList<>(alerts);
        Set<String> failed = ConcurrentHashMap.newKeySet();
        Map<WindowKey, String> rejected = new ConcurrentHashMap<>();
        List<CompletableFuture<Void>> writes = new ArrayList<>();
        for (int from = 0; from < all.size(); from += BATCH_WRITE_LIMIT) {
            List<Alert> chunk = all.subList(from, Math.min(all.size(), from + BATCH_WRITE_LIMIT));
            writes.add(CompletableFuture.runAsync(() -> {
                try {
                    writeAll(alertTable, chunk.stream().map(this::encodeAlert).toList());
                } catch (DynamoDbException e) {
                    if (permanent(e)) {
                        // BatchWriteItem refuses the whole request for one bad item: find it, write the rest.
                        chunk.forEach(alert -> putAlert(alert, failed, rejected));
                    } else {
                        chunk.forEach(alert -> failed.add(alert.deviceId()));
                    }
                } catch (SdkException | UnprocessedException e) {
                    chunk.forEach(alert -> failed.add(alert.deviceId()));
                }
            }, executor));
        }
        writes.forEach(CompletableFuture::join);
        return new ItemWrites<>(failed, rejected);
    }

    private void putAlert(Alert alert, Set<String> failed, Map<WindowKey, String> rejected) {
        try {
            dynamoDb.putItem(b -> b.tableName(alertTable).item(encodeAlert(alert)));
        } catch (DynamoDbException e) {
            if (permanent(e)) {
                rejected.put(new WindowKey(alert.deviceId(), alert.windowStart()), describe(e));
            } else {
                failed.add(alert.deviceId());
            }
        } catch (SdkException e) {
            failed.add(alert.deviceId());
        }
    }

    private void writeAll(String table, List<Map<String, AttributeValue>> items) {
        // The same alert can be raised twice in one call only if two windows share a key; keep the last.
        Map<String, Map<String, AttributeValue>> unique = new LinkedHashMap<>();
        items.forEach(item -> unique.put(item.get(LiveTables.DEVICE_ID).s() + "\u0000" + item.get(LiveTables.ALERT_KEY).s(), item));
        Map<String, List<WriteRequest>> request = Map.of(table, unique.values().stream()
                .map(item -> WriteRequest.builder().putRequest(PutRequest.builder().item(item).build()).build())
                .toList());
        for (int round = 0; !request.isEmpty(); round++) {
            if (round == MAX_UNPROCESSED_ROUNDS) {
                throw new UnprocessedException();
            }
            if (round > 0) {
                backoff(round);
            }
            Map<String, List<WriteRequest>> pending = request;
            BatchWriteItemResponse response = dynamoDb.batchWriteItem(b -> b.requestItems(pending));
            request = response.unprocessedItems();
        }
    }

    private static void backoff(int round) {
        long cap = Math.min(2_000, 25L << Math.min(round, 10));
        try {
            Thread.sleep(ThreadLocalRandom.current().nextLong(cap / 2, cap + 1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UnprocessedException();
        }
    }

    private static Map<String, AttributeValue> windowItemKey(WindowKey key) {
        return Map.of(LiveTables.DEVICE_ID, string(key.deviceId()),
                LiveTables.WINDOW_START, string(LiveTables.windowKey(key.windowStart())));
    }

    private Map<String, AttributeValue> encodeWindow(WindowKey key, WindowState state, long version) {
        Map<String, AttributeValue> item = new HashMap<>(windowItemKey(key));
        item.put(LiveTables.WINDOW_END, string(LiveTables.windowKey(windows.endOf(key.windowStart()))));
        item.put(LiveTables.WINDOW_EVENT_COUNT, number(state.aggregate().eventCount()));
        item.put(LiveTables.WINDOW_METRICS, AttributeValue.fromM(encodeMetrics(state.aggregate())));
        item.put(LiveTables.WINDOW_EVENT_IDS, AttributeValue.fromB(SdkBytes.fromByteArrayUnsafe(state.eventIds().toBytes())));
        item.put(LiveTables.WINDOW_VERSION, number(version));
        item.put(LiveTables.EXPIRES_AT, number(key.windowStart().plus(retention).getEpochSecond()));
        return item;
    }

    static Map<String, AttributeValue> encodeMetrics(WindowAggregate aggregate) {
        Map<String, AttributeValue> metrics = new HashMap<>();
        aggregate.metrics().forEach((name, agg) -> metrics.put(name, AttributeValue.fromM(Map.of(
                "count", number(agg.count()),
                "sum", number(agg.sum()),
                "min", number(agg.min()),
                "max", number(agg.max())))));
        return metrics;
    }

    static WindowState decodeWindow(Map<String, AttributeValue> item) {
        long eventCount = Long.parseLong(item.get(LiveTables.WINDOW_EVENT_COUNT).n());
        EventIdSet ids = EventIdSet.fromBytes(item.get(LiveTables.WINDOW_EVENT_IDS).b().asByteArrayUnsafe());
        return new WindowState(new WindowAggregate(eventCount, LiveStateReader.decodeMetrics(item.get(LiveTables.WINDOW_METRICS).m())), ids);
    }

    private static Map<String, AttributeValue> encodeState(TelemetryEvent event) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(LiveTables.DEVICE_ID, string(event.deviceId()));
        item.put(LiveTables.STATE_TS, string(event.ts().toString()));
        item.put(LiveTables.STATE_EVENT_ID, string(event.eventId()));
        item.put(LiveTables.STATE_ORDER_KEY, string(LiveTables.orderKey(event.ts(), event.eventId())));
        Map<String, AttributeValue> metrics = new HashMap<>();
        event.metrics().forEach((name, value) -> metrics.put(name, number(value)));
        item.put(LiveTables.STATE_METRICS, AttributeValue.fromM(metrics));
        if (event.location() != null) {
            item.put(LiveTables.STATE_LOCATION, AttributeValue.fromM(Map.of(
                    "lat", number(event.location().lat()), "lon", number(event.location().lon()))));
        }
        return item;
    }

    private Map<String, AttributeValue> encodeAlert(Alert alert) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(LiveTables.DEVICE_ID, string(alert.deviceId()));
        item.put(LiveTables.ALERT_KEY, string(LiveTables.alertKey(alert.windowStart(), alert.ruleId())));
        item.put(LiveTables.WINDOW_START, string(LiveTables.windowKey(alert.windowStart())));
        item.put(LiveTables.WINDOW_END, string(LiveTables.windowKey(windows.endOf(alert.windowStart()))));
        item.put(LiveTables.ALERT_RULE_ID, string(alert.ruleId()));
        item.put(LiveTables.ALERT_METRIC, string(alert.metric()));
        item.put(LiveTables.ALERT_OPERATOR, string(alert.operator().symbol()));
        item.put(LiveTables.ALERT_THRESHOLD, number(alert.threshold()));
        item.put(LiveTables.ALERT_PEAK, number(alert.peak()));
        item.put(LiveTables.EXPIRES_AT, number(alert.windowStart().plus(retention).getEpochSecond()));
        return item;
    }

    static AttributeValue string(String value) {
        return AttributeValue.fromS(value);
    }

    static AttributeValue number(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }

    /** The shortest decimal that reads back as the same double: exact round trips. */
    static AttributeValue number(double value) {
        return AttributeValue.fromN(Double.toString(value));
    }

    /** Unprocessed keys or items remained after every round of backoff. */
    private static final class UnprocessedException extends RuntimeException {
        UnprocessedException() {
            super("DynamoDB left part of a batch request unprocessed after " + MAX_UNPROCESSED_ROUNDS + " rounds", null, false, false);
        }
    }
}
