package io.twinflow.live;

import io.twinflow.core.aggregate.MetricAggregate;
import io.twinflow.core.event.Location;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/**
 * Reads the live state the stream processor writes (functions' {@code DynamoDbLiveStateStore}): for the CLI,
 * apps and reconciliation.
 */
public final class LiveStateReader {

    /** A device's latest state. {@code location} may be null. */
    public record DeviceState(String deviceId, Instant ts, String eventId, SortedMap<String, Double> metrics, Location location) {
    }

    /** One window's aggregate for a device. */
    public record WindowSummary(String deviceId, Instant windowStart, long count, SortedMap<String, MetricAggregate> metrics) {
    }

    /** A stored alert. */
    public record AlertItem(String deviceId, Instant windowStart, String ruleId, String metric, String operator,
                            double threshold, double peak) {
    }

    private final DynamoDbClient dynamoDb;
    private final String stateTable;
    private final String windowTable;
    private final String alertTable;

    public LiveStateReader(DynamoDbClient dynamoDb, String stateTable, String windowTable, String alertTable) {
        this.dynamoDb = dynamoDb;
        this.stateTable = stateTable;
        this.windowTable = windowTable;
        this.alertTable = alertTable;
    }

    public Optional<DeviceState> state(String deviceId) {
        Map<String, AttributeValue> item = dynamoDb.getItem(b -> b.tableName(stateTable)
                .key(Map.of(LiveTables.DEVICE_ID, AttributeValue.fromS(deviceId)))
                .consistentRead(true)).item();
        if (item == null || item.isEmpty()) {
            return Optional.empty();
        }
        TreeMap<String, Double> metrics = new TreeMap<>();
        item.get(LiveTables.STATE_METRICS).m().forEach((name, value) -> metrics.put(name, Double.parseDouble(value.n())));
        Location location = null;
        AttributeValue loc = item.get(LiveTables.STATE_LOCATION);
        if (loc != null && loc.hasM()) {
            location = new Location(Double.parseDouble(loc.m().get("lat").n()), Double.parseDouble(loc.m().get("lon").n()));
        }
        return Optional.of(new DeviceState(deviceId, Instant.parse(item.get(LiveTables.STATE_TS).s()),
                item.get(LiveTables.STATE_EVENT_ID).s(), metrics, location));
    }

    /** Every device that has a live state, sorted (a scan of the state table: one small item per device). */
    public List<String> deviceIds() {
        List<String> ids = new ArrayList<>();
        dynamoDb.scanPaginator(b -> b.tableName(stateTable)
                        .projectionExpression("#d")
                        .expressionAttributeNames(Map.of("#d", LiveTables.DEVICE_ID)))
                .items().forEach(item -> ids.add(item.get(LiveTables.DEVICE_ID).s()));
        ids.sort(null);
        return ids;
    }

    /** Windows that start in [from, to), oldest first. */
    public List<WindowSummary> windows(String deviceId, Instant from, Instant to) {
        List<WindowSummary> result = new ArrayList<>();
        for (Map<String, AttributeValue> item : query(windowTable, LiveTables.WINDOW_START, deviceId,
                LiveTables.windowKey(from), LiveTables.windowKey(to))) {
            result.add(new WindowSummary(deviceId, Instant.parse(item.get(LiveTables.WINDOW_START).s()),
                    Long.parseLong(item.get(LiveTables.WINDOW_EVENT_COUNT).n()),
                    decodeMetrics(item.get(LiveTables.WINDOW_METRICS).m())));
        }
        return result;
    }

    /** Alerts of windows that start in [from, to), oldest first. */
    public List<AlertItem> alerts(String deviceId, Instant from, Instant to) {
        List<AlertItem> result = new ArrayList<>();
        // Alert keys are "windowStart#ruleId": every key of a window sorts after its bare window start.
        for (Map<String, AttributeValue> item : query(alertTable, LiveTables.ALERT_KEY, deviceId,
                LiveTables.windowKey(from), LiveTables.windowKey(to))) {
            result.add(new AlertItem(deviceId, Instant.parse(item.get(LiveTables.WINDOW_START).s()),
                    item.get(LiveTables.ALERT_RULE_ID).s(), item.get(LiveTables.ALERT_METRIC).s(),
                    item.get(LiveTables.ALERT_OPERATOR).s(), Double.parseDouble(item.get(LiveTables.ALERT_THRESHOLD).n()),
                    Double.parseDouble(item.get(LiveTables.ALERT_PEAK).n())));
        }
        return result;
    }

    /** A window item's metric aggregates, as the stream processor stores them. */
    public static TreeMap<String, MetricAggregate> decodeMetrics(Map<String, AttributeValue> encoded) {
        TreeMap<String, MetricAggregate> metrics = new TreeMap<>();
        encoded.forEach((name, value) -> {
            Map<String, AttributeValue> m = value.m();
            metrics.put(name, new MetricAggregate(
                    Long.parseLong(m.get("count").n()),
                    Double.parseDouble(m.get("sum").n()),
                    Double.parseDouble(m.get("min").n()),
                    Double.parseDouble(m.get("max").n())));
        });
        return metrics;
    }

    /** Items of one device whose sort key is in [fromKey, toKey). */
    private List<Map<String, AttributeValue>> query(String table, String sortKey, String deviceId, String fromKey, String toKey) {
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        do {
            Map<String, AttributeValue> exclusiveStart = start;
            QueryResponse page = dynamoDb.query(QueryRequest.builder()
                    .tableName(table)
                    // BETWEEN includes :to; the half-open end is applied below.
                    .keyConditionExpression("#d = :d AND #s BETWEEN :from AND :to")
                    .expressionAttributeNames(Map.of("#d", LiveTables.DEVICE_ID, "#s", sortKey))
                    .expressionAttributeValues(Map.of(
                            ":d", AttributeValue.fromS(deviceId),
                            ":from", AttributeValue.fromS(fromKey),
                            ":to", AttributeValue.fromS(toKey)))
                    .exclusiveStartKey(exclusiveStart)
                    .consistentRead(true)
                    .build());
            page.items().stream().filter(item -> item.get(sortKey).s().compareTo(toKey) < 0).forEach(items::add);
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null);
        return items;
    }
}
