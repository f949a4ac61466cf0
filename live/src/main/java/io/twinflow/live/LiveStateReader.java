package io.twinflow.live;

import io.twinflow.core.aggregate.MetricAggregate;
import io.twinflow.core.event.Location;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
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

        /** Where this alert is stored: a page of alerts that ends with it goes on after it. */
        public AlertPosition position() {
            return new AlertPosition(deviceId, LiveTables.alertKey(windowStart, ruleId));
        }
    }

    /**
     * An alert's place in the alert table (its key: device and {@code windowStart#ruleId}) and so in the alerts-by-hour
     * index (the hour and window start follow from the key): where a page of alerts ended and the next one starts after.
     */
    public record AlertPosition(String deviceId, String alertKey) {

        /** The window start the key begins with. */
        public Instant windowStart() {
            return Instant.parse(alertKey.substring(0, alertKey.indexOf('#')));
        }

        /** Whether a read of windows from {@code from} goes on after this position: one before {@code from} is not used. */
        boolean within(Instant from) {
            return !windowStart().isBefore(from);
        }

        private Map<String, AttributeValue> tableKey() {
            return Map.of(LiveTables.DEVICE_ID, AttributeValue.fromS(deviceId), LiveTables.ALERT_KEY, AttributeValue.fromS(alertKey));
        }

        private Map<String, AttributeValue> indexKey() {
            Map<String, AttributeValue> key = new HashMap<>(tableKey());
            key.put(LiveTables.ALERT_HOUR, AttributeValue.fromS(LiveTables.alertHour(windowStart())));
            key.put(LiveTables.WINDOW_START, AttributeValue.fromS(LiveTables.windowKey(windowStart())));
            return key;
        }
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
    public List<AlertItem> alerts(String deviceId, Instant from, Instant to) {
        return alerts(deviceId, from, to, null, Integer.MAX_VALUE);
    }

    /**
     * The first {@code limit} alerts of a device whose window starts in [from, to), oldest first, after {@code after}
     * (null: from the start; a position before {@code from} is not used).
     */
    @Override
    public List<AlertItem> alerts(String deviceId, Instant from, Instant to, AlertPosition after, int limit) {
        Map<String, AttributeValue> start = after != null && after.deviceId().equals(deviceId) && after.within(from) ? after.tableKey() : null;
        // Alert keys are "windowStart#ruleId": every key of a window sorts after its bare window start.
        return items(new Range(alertTable, null, LiveTables.DEVICE_ID, deviceId, LiveTables.ALERT_KEY), LiveTables.windowKey(from),
                LiveTables.windowKey(to), limit, start).stream().map(LiveStateReader::alertItem).toList();
    }

    /**
     * The first {@code limit} alerts of the whole fleet whose window starts in [from, to), oldest first, after
     * {@code after} (null: from the start; a position before {@code from} is not used): one Query of the
     * {@link LiveTables#ALERTS_BY_HOUR} index per hour of the range, each reading no more than the alerts still wanted.
     * A page goes on from the exact index position where the last one ended, so any number of alerts of one window
     * (a fleet-wide threshold crossed in the same minute) is read page by page, none twice. The index is eventually
     * consistent, as every global secondary index is.
     */
    @Override
    public List<AlertItem> fleetAlerts(Instant from, Instant to, AlertPosition after, int limit) {
        List<AlertItem> result = new ArrayList<>();
        boolean resume = after != null && after.within(from);
        String fromKey = LiveTables.windowKey(from);
        String toKey = LiveTables.windowKey(to);
        Instant firstHour = (resume ? after.windowStart() : from).truncatedTo(ChronoUnit.HOURS);
        for (Instant hour = firstHour; hour.isBefore(to) && result.size() < limit; hour = hour.plus(Duration.ofHours(1))) {
            Range bucket = new Range(alertTable, LiveTables.ALERTS_BY_HOUR, LiveTables.ALERT_HOUR, LiveTables.alertHour(hour), LiveTables.WINDOW_START);
            Map<String, AttributeValue> start = resume && hour.equals(firstHour) ? after.indexKey() : null;
            items(bucket, fromKey, toKey, limit - result.size(), start).stream().map(LiveStateReader::alertItem).forEach(result::add);
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
        return items(new Range(table, null, LiveTables.DEVICE_ID, deviceId, sortKey), fromKey, toKey, Integer.MAX_VALUE, null);
    }

    /** The items of one partition of a table or (eventually consistent) index, by sort key. */
    private record Range(String table, String index, String partitionKey, String partition, String sortKey) {
    }

    /**
     * The first {@code limit} items of a range whose sort key is in [fromKey, toKey), in sort key order, after the item
     * whose key is {@code after} (null: from the start of the range).
     */
    private List<Map<String, AttributeValue>> items(Range range, String fromKey, String toKey, int limit, Map<String, AttributeValue> after) {
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        Map<String, AttributeValue> start = after;
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
