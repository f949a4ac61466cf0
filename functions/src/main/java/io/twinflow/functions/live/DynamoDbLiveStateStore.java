package io.twinflow.functions.live;

import io.twinflow.core.aggregate.WindowAggregate;
import io.twinflow.core.aggregate.WindowState;
import io.twinflow.core.alert.Alert;
import io.twinflow.core.dedupe.EventIdHash;
import io.twinflow.core.dedupe.EventIdSet;
import io.twinflow.core.event.TelemetryEvent;
import io.twinflow.core.window.Windows;
import io.twinflow.live.DynamoDbItemSize;
import io.twinflow.live.LiveTables;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;

/**
 * {@link LiveStateStore} on DynamoDB. The items are {@link LiveItems}'; batch calls go through
 * {@link DynamoDbBatches}.
 *
 * <p>A window write reads the item (strongly consistent, batched 100 keys a call) and the fingerprint pages it
 * lists ({@link FingerprintPages}), applies the new events with {@link WindowState#apply}, and puts the whole item
 * back on condition that its {@code version} is unchanged; that put is the one commit point of a write, pages
 * included (see {@link #nextItem}). A failed condition means someone wrote in between (another invocation
 * during resharding, or this very put whose response was lost): the item is read again and the events
 * re-applied, which counts each exactly once. Throttling and 5xx are retried by the SDK with backoff;
 * what outlasts the retries is reported FAILED so the batch is retried, never dropped.
 */
public final class DynamoDbLiveStateStore implements LiveStateStore {

    private static final int MAX_CONFLICTS = 5;

    private final DynamoDbClient dynamoDb;
    private final DynamoDbBatches batches;
    private final LiveItems items;
    private final FingerprintPages pages;
    private final String stateTable;
    private final String windowTable;
    private final String alertTable;
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
        this.batches = new DynamoDbBatches(dynamoDb);
        this.items = new LiveItems(windows, retention);
        this.pages = new FingerprintPages(dynamoDb, batches, items, windowTable);
        this.stateTable = stateTable;
        this.windowTable = windowTable;
        this.alertTable = alertTable;
        this.executor = executor;
        this.maxEventsPerWindow = maxEventsPerWindow;
    }

    @Override
    public List<WindowWrite.Result> applyWindows(List<WindowWrite.Delivery> deliveries) {
        Map<WindowKey, Map<String, AttributeValue>> stored = new ConcurrentHashMap<>();
        Set<WindowKey> unreadable = ConcurrentHashMap.newKeySet();
        List<CompletableFuture<Void>> reads = new ArrayList<>();
        for (int from = 0; from < deliveries.size(); from += DynamoDbBatches.GET_LIMIT) {
            List<WindowKey> chunk = deliveries.subList(from, Math.min(deliveries.size(), from + DynamoDbBatches.GET_LIMIT))
                    .stream().map(WindowWrite.Delivery::key).toList();
            reads.add(CompletableFuture.runAsync(() -> {
                try {
                    batches.getAll(windowTable, chunk.stream().distinct().map(LiveItems::windowItemKey).toList())
                            .forEach(item -> stored.put(LiveItems.windowKey(item), item));
                } catch (SdkException | DynamoDbBatches.UnprocessedException e) {
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
            LiveItems.StoredWindow stored = current == null ? null : LiveItems.stored(current);
            WindowState state;
            try {
                state = stored == null ? WindowState.EMPTY
                        : new WindowState(stored.aggregate(), pages.read(delivery.key(), stored.pages()).with(stored.inline()));
            } catch (FingerprintPages.MissingPageException e) {
                return WindowWrite.Result.failed(delivery, e.getMessage());
            } catch (SdkException | DynamoDbBatches.UnprocessedException e) {
                return WindowWrite.Result.failed(delivery, "the window's fingerprint pages could not be read: " + e.getMessage());
            }
            WindowState.Applied applied = state.apply(delivery.events(), maxEventsPerWindow);
            String fullDetail = fullDetail(delivery.key(), applied);
            if (!applied.changed()) {
                return WindowWrite.Result.written(delivery, applied.applied(), applied.full(), state.aggregate(), fullDetail);
            }
            long version = stored == null ? 0 : stored.version();
            try {
                Map<String, AttributeValue> next = nextItem(delivery, stored, applied);
                dynamoDb.putItem(b -> {
                    b.tableName(windowTable).item(next);
                    if (stored == null) {
                        b.conditionExpression("attribute_not_exists(#d)")
                                .expressionAttributeNames(Map.of("#d", LiveTables.DEVICE_ID));
                    } else {
                        b.conditionExpression("#v = :v")
                                .expressionAttributeNames(Map.of("#v", LiveTables.WINDOW_VERSION))
                                .expressionAttributeValues(Map.of(":v", LiveItems.number(version)));
                    }
                });
                return WindowWrite.Result.written(delivery, applied.applied(), applied.full(), applied.state().aggregate(),
                        fullDetail);
            } catch (ConditionalCheckFailedException conflict) {
                try {
                    current = dynamoDb.getItem(b -> b.tableName(windowTable).key(LiveItems.windowItemKey(delivery.key()))
                            .consistentRead(true)).item();
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

    /**
     * The window item after {@code applied}: the new fingerprints join those kept inline, unless that would cost the
     * item another write unit; then all of them are written to a new page first, which the item lists from now on.
     * The page counts only once the item's conditional put succeeds, so a lost race or a crash in between leaves a
     * page nobody lists, and the retry writes its own.
     */
    private Map<String, AttributeValue> nextItem(WindowWrite.Delivery delivery, LiveItems.StoredWindow stored, WindowState.Applied applied) {
        long[] added = new long[applied.appliedCount()];
        int n = 0;
        for (int i = 0; i < applied.applied().length; i++) {
            if (applied.applied()[i]) {
                added[n++] = EventIdHash.of(delivery.events().get(i).eventId());
            }
        }
        EventIdSet inline = (stored == null ? EventIdSet.EMPTY : stored.inline()).with(added, n);
        long[] listed = stored == null ? new long[0] : stored.pages();
        long version = stored == null ? 1 : stored.version() + 1;
        WindowAggregate aggregate = applied.state().aggregate();
        Map<String, AttributeValue> item = items.window(delivery.key(), aggregate, inline, listed, version);
        Map<String, AttributeValue> paged = items.window(delivery.key(), aggregate, EventIdSet.EMPTY, listed, version);
        if (unitsAtMost(item) == unitsAtMost(paged)) {
            return item;
        }
        long[] pageList = Arrays.copyOf(listed, listed.length + 1);
        pageList[listed.length] = pages.write(delivery.key(), inline);
        return items.window(delivery.key(), aggregate, EventIdSet.EMPTY, pageList, version);
    }

    /**
     * The write units an item may be charged: DynamoDB's rule gives an item of exactly 1,024 bytes one unit, dynalite
     * two, so a whole KB counts as started.
     */
    private static long unitsAtMost(Map<String, AttributeValue> item) {
        return DynamoDbItemSize.of(item) / 1024 + 1;
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

    @Override
    public ItemWrites<String> putLatestStates(Collection<TelemetryEvent> latestPerDevice) {
        Undone<String> undone = new Undone<>();
        List<CompletableFuture<Void>> writes = new ArrayList<>();
        for (TelemetryEvent event : latestPerDevice) {
            writes.add(CompletableFuture.runAsync(() -> {
                try {
                    dynamoDb.putItem(b -> b.tableName(stateTable)
                            .item(LiveItems.state(event))
                            .conditionExpression("attribute_not_exists(#d) OR #o < :o")
                            .expressionAttributeNames(Map.of("#d", LiveTables.DEVICE_ID, "#o", LiveTables.STATE_ORDER_KEY))
                            .expressionAttributeValues(Map.of(":o", LiveItems.string(LiveTables.orderKey(event.ts(), event.eventId())))));
                } catch (ConditionalCheckFailedException newerStateStored) {
                    // The stored state is newer (or this very event): nothing to do.
                } catch (SdkException e) {
                    undone.add(event.deviceId(), event.deviceId(), e);
                }
            }, executor));
        }
        writes.forEach(CompletableFuture::join);
        return undone.writes();
    }

    @Override
    public ItemWrites<WindowKey> putAlerts(Collection<Alert> alerts) {
        List<Alert> all = new ArrayList<>(alerts);
        Undone<WindowKey> undone = new Undone<>();
        List<CompletableFuture<Void>> writes = new ArrayList<>();
        for (int from = 0; from < all.size(); from += DynamoDbBatches.WRITE_LIMIT) {
            List<Alert> chunk = all.subList(from, Math.min(all.size(), from + DynamoDbBatches.WRITE_LIMIT));
            writes.add(CompletableFuture.runAsync(() -> {
                try {
                    batches.putAll(alertTable, unique(chunk));
                } catch (DynamoDbException e) {
                    if (permanent(e)) {
                        // BatchWriteItem refuses the whole request for one bad item: find it, write the rest.
                        chunk.forEach(alert -> putAlert(alert, undone));
                    } else {
                        chunk.forEach(alert -> undone.failed.add(alert.deviceId()));
                    }
                } catch (SdkException | DynamoDbBatches.UnprocessedException e) {
                    chunk.forEach(alert -> undone.failed.add(alert.deviceId()));
                }
            }, executor));
        }
        writes.forEach(CompletableFuture::join);
        return undone.writes();
    }

    /** The chunk's alert items, one per key: the same alert is raised twice only if two windows share a key; the last is kept. */
    private Collection<Map<String, AttributeValue>> unique(List<Alert> chunk) {
        Map<String, Map<String, AttributeValue>> unique = new LinkedHashMap<>();
        chunk.stream().map(items::alert).forEach(item ->
                unique.put(item.get(LiveTables.DEVICE_ID).s() + "\u0000" + item.get(LiveTables.ALERT_KEY).s(), item));
        return unique.values();
    }

    private void putAlert(Alert alert, Undone<WindowKey> undone) {
        try {
            dynamoDb.putItem(b -> b.tableName(alertTable).item(items.alert(alert)));
        } catch (SdkException e) {
            undone.add(alert.deviceId(), new WindowKey(alert.deviceId(), alert.windowStart()), e);
        }
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

    /** What a round of item writes, made in parallel, left undone, sorted by the error each write met. */
    private static final class Undone<K> {
        final Set<String> failed = ConcurrentHashMap.newKeySet();
        final Map<K, String> rejected = new ConcurrentHashMap<>();

        /** A refusal for good goes under the item's key; anything else makes the device's write retried. */
        void add(String deviceId, K key, SdkException e) {
            if (e instanceof DynamoDbException dynamoDbError && permanent(dynamoDbError)) {
                rejected.put(key, describe(dynamoDbError));
            } else {
                failed.add(deviceId);
            }
        }

        ItemWrites<K> writes() {
            return new ItemWrites<>(failed, rejected);
        }
    }
}
