package io.twinflow.live;

import io.twinflow.core.aggregate.MetricAggregate;
import io.twinflow.core.event.Location;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
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
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;

/**
 * Reads the live state the stream processor writes (functions' {@code DynamoDbLiveStateStore}): for the CLI,
 * the live API, apps and reconciliation.
 */
public final class LiveStateReader implements LiveReads {

    /** A device's latest state. {@code location} may be null. */
    public record DeviceState(String deviceId, Instant ts, String eventId, SortedMap<String, Double> metrics, Location location) {
    }

    /** One window's aggregate for a device. */
    public record WindowSummary(String deviceId, Instant windowStart, long count, SortedMap<String, MetricAggregate> metrics) {
    }

    /** A stored alert. */
    public record AlertItem(String deviceId, Instant windowStart, Instant windowEnd, String ruleId, String metric, String operator,
                            double threshold, double peak) {
    }

    /**
     * One page of device states, in the table's scan order. {@code lastDeviceId} is where the next page starts after,
     * or null when the table has been read to its end.
     */
    public record DevicePage(List<DeviceState> devices, String lastDeviceId) {

        public DevicePage {
            devices = List.copyOf(devices);
        }
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

    @Override
    public Optional<DeviceState> state(String deviceId) {
        Map<String, AttributeValue> item = dynamoDb.getItem(b -> b.tableName(stateTable)
                .key(Map.of(LiveTables.DEVICE_ID, AttributeValue.fromS(deviceId)))
                .consistentRead(true)).item();
        if (item == null || item.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(deviceState(item));
    }

    /**
     * At most {@code limit} device states after {@code afterDeviceId} (null: from the start): one Scan page, so a
     * request reads a bounded amount whatever the size of the fleet. Eventually consistent, half the read cost.
     */
    @Override
    public DevicePage devices(int limit, String afterDeviceId) {
        ScanResponse page = dynamoDb.scan(b -> b.tableName(stateTable)
                .limit(limit)
                .exclusiveStartKey(afterDeviceId == null ? null : Map.of(LiveTables.DEVICE_ID, AttributeValue.fromS(afterDeviceId))));
        List<DeviceState> devices = page.items().stream().map(LiveStateReader::deviceState).toList();
        String last = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty()
                ? page.lastEvaluatedKey().get(LiveTables.DEVICE_ID).s() : null;
        return new DevicePage(devices, last);
    }

    private static DeviceState deviceState(Map<String, AttributeValue> item) {
        TreeMap<String, Double> metrics = new TreeMap<>();
        item.get(LiveTables.STATE_METRICS).m().forEach((name, value) -> metrics.put(name, Double.parseDouble(value.n())));
        Location location = null;
        AttributeValue loc = item.get(LiveTables.STATE_LOCATION);
        if (loc != null && loc.hasM()) {
            location = new Location(Double.parseDouble(loc.m().get("lat").n()), Double.parseDouble(loc.m().get("lon").n()));
        }
        return new DeviceState(item.get(LiveTables.DEVICE_ID).s(), Instant.parse(item.get(LiveTables.STATE_TS).s()),
                item.get(LiveTables.STATE_EVENT_ID).s(), metrics, location);
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
    @Override
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
    @Override
    public List<AlertItem> alerts(String deviceId, Instant from, Instant to) {
        // Alert keys are "windowStart#ruleId": every key of a window sorts after its bare window start.
        return query(alertTable, LiveTables.ALERT_KEY, deviceId, LiveTables.windowKey(from), LiveTables.windowKey(to))
                .stream().map(LiveStateReader::alertItem).toList();
    }

    /**
     * The first {@code limit} alerts of the whole fleet whose window starts in [from, to), oldest first: one Query of
     * the {@link LiveTables#ALERTS_BY_HOUR} index per hour of the range, each reading no more than the alerts still
     * wanted. The index is eventually consistent, as every global secondary index is.
     */
    @Override
    public List<AlertItem> fleetAlerts(Instant from, Instant to, int limit) {
        List<AlertItem> result = new ArrayList<>();
        String fromKey = LiveTables.windowKey(from);
        String toKey = LiveTables.windowKey(to);
        for (Instant hour = from.truncatedTo(ChronoUnit.HOURS); hour.isBefore(to) && result.size() < limit; hour = hour.plus(Duration.ofHours(1))) {
            Range bucket = new Range(alertTable, LiveTables.ALERTS_BY_HOUR, LiveTables.ALERT_HOUR, LiveTables.alertHour(hour), LiveTables.WINDOW_START);
            items(bucket, fromKey, toKey, limit - result.size()).stream().map(LiveStateReader::alertItem).forEach(result::add);
        }
        return result;
    }

    private static AlertItem alertItem(Map<String, AttributeValue> item) {
        return new AlertItem(item.get(LiveTables.DEVICE_ID).s(), Instant.parse(item.get(LiveTables.WINDOW_START).s()),
                Instant.parse(item.get(LiveTables.WINDOW_END).s()),
                item.get(LiveTables.ALERT_RULE_ID).s(), item.get(LiveTables.ALERT_METRIC).s(),
                item.get(LiveTables.ALERT_OPERATOR).s(), Double.parseDouble(item.get(LiveTables.ALERT_THRESHOLD).n()),
                Double.parseDouble(item.get(LiveTables.ALERT_PEAK).n()));
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
        return items(new Range(table, null, LiveTables.DEVICE_ID, deviceId, sortKey), fromKey, toKey, Integer.MAX_VALUE);
    }

    /** The items of one partition of a table or (eventually consistent) index, by sort key. */
    private record Range(String table, String index, String partitionKey, String partition, String sortKey) {
    }

    /** The first {@code limit} items of a range whose sort key is in [fromKey, toKey), in sort key order. */
    private List<Map<String, AttributeValue>> items(Range range, String fromKey, String toKey, int limit) {
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        do {
            Map<String, AttributeValue> exclusiveStart = start;
            int wanted = limit - items.size();
            QueryResponse page = dynamoDb.query(QueryRequest.builder()
                    .tableName(range.table())
                    .indexName(range.index())
                    // BETWEEN includes :to; the half-open end is applied below.
                    .keyConditionExpression("#p = :p AND #s BETWEEN :from AND :to")
                    .expressionAttributeNames(Map.of("#p", range.partitionKey(), "#s", range.sortKey()))
                    .expressionAttributeValues(Map.of(
                            ":p", AttributeValue.fromS(range.partition()),
                            ":from", AttributeValue.fromS(fromKey),
                            ":to", AttributeValue.fromS(toKey)))
                    .exclusiveStartKey(exclusiveStart)
                    // A global secondary index cannot be read consistently; the tables are.
                    .consistentRead(range.index() == null)
                    .limit(limit == Integer.MAX_VALUE ? null : wanted)
                    .build());
            page.items().stream().filter(item -> item.get(range.sortKey()).s().compareTo(toKey) < 0).limit(wanted).forEach(items::add);
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null && items.size() < limit);
        return items;
    }
}
