package io.twinflow.benchmarks;

import io.twinflow.core.pipeline.PipelineSpec;
import io.twinflow.live.DynamoDbItemSize;
import io.twinflow.live.LiveTables;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;

/**
 * What the tables hold after a {@link WriteCost} run, and what that says about the figures: the
 * stream-processor's and the baseline's results agree, how large the final items are, and whether the
 * emulator charged each item what DynamoDB's published rules say.
 */
final class WriteCostTables {

    private WriteCostTables() {
    }

    private static List<Map<String, AttributeValue>> scan(DynamoDbClient client, String table) {
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        client.scanPaginator(b -> b.tableName(table).consistentRead(true)).items().forEach(items::add);
        return items;
    }

    /** The window items of a window table, without the fingerprint pages that share it. */
    private static List<Map<String, AttributeValue>> windows(DynamoDbClient client, String table) {
        return scan(client, table).stream().filter(item -> !LiveTables.isPage(item)).toList();
    }

    static long totalCount(DynamoDbClient client, String table) {
        return windows(client, table).stream().mapToLong(i -> Long.parseLong(i.get(LiveTables.WINDOW_EVENT_COUNT).n())).sum();
    }

    /** Every window's count and per-metric count and sum, and every device's latest event, must agree. */
    static Map<String, Object> compare(DynamoDbClient client, PipelineSpec real, PipelineSpec base) {
        Map<String, Map<String, AttributeValue>> baseWindows = new HashMap<>();
        for (Map<String, AttributeValue> item : windows(client, base.tables().deviceWindows())) {
            baseWindows.put(item.get(LiveTables.DEVICE_ID).s() + "|" + item.get(LiveTables.WINDOW_START).s(), item);
        }
        List<Map<String, AttributeValue>> realWindows = windows(client, real.tables().deviceWindows());
        int mismatches = 0;
        for (Map<String, AttributeValue> item : realWindows) {
            Map<String, AttributeValue> other = baseWindows.get(item.get(LiveTables.DEVICE_ID).s() + "|" + item.get(LiveTables.WINDOW_START).s());
            boolean same = other != null && item.get(LiveTables.WINDOW_EVENT_COUNT).n().equals(other.get(LiveTables.WINDOW_EVENT_COUNT).n());
            for (Map.Entry<String, AttributeValue> metric : item.get(LiveTables.WINDOW_METRICS).m().entrySet()) {
                if (!same) {
                    break;
                }
                Map<String, AttributeValue> m = metric.getValue().m();
                AttributeValue count = other.get(PerRecordBaseline.COUNT_PREFIX + metric.getKey());
                AttributeValue sum = other.get(PerRecordBaseline.SUM_PREFIX + metric.getKey());
                same = count != null && sum != null && m.get("count").n().equals(count.n())
                        && close(Double.parseDouble(m.get("sum").n()), Double.parseDouble(sum.n()));
            }
            if (!same) {
                mismatches++;
            }
        }
        Map<String, String> baseStates = new HashMap<>();
        scan(client, base.tables().deviceState()).forEach(i -> baseStates.put(i.get(LiveTables.DEVICE_ID).s(), i.get(LiveTables.STATE_EVENT_ID).s()));
        long stateMismatches = scan(client, real.tables().deviceState()).stream()
                .filter(i -> !i.get(LiveTables.STATE_EVENT_ID).s().equals(baseStates.get(i.get(LiveTables.DEVICE_ID).s())))
                .count();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("windows", realWindows.size());
        m.put("windowsOnlyInBaseline", baseWindows.size() - realWindows.size());
        m.put("windowMismatches", mismatches);
        m.put("deviceStates", baseStates.size());
        m.put("deviceStateMismatches", stateMismatches);
        m.put("match", mismatches == 0 && baseWindows.size() == realWindows.size() && stateMismatches == 0);
        return m;
    }

    /** Sums are added in a different order on each side: equal to a relative 1e-9, as reconcile compares them. */
    private static boolean close(double a, double b) {
        return Math.abs(a - b) <= 1e-9 * Math.max(1, Math.max(Math.abs(a), Math.abs(b)));
    }

    /**
     * Sizes of the final window items by DynamoDB's rules (names plus values), how much of it the exactly-once
     * fingerprints kept inline take, and the fingerprint pages beside them: the window item's size drives the units
     * of each window write, a page is written once.
     */
    static Map<String, Object> windowItemBytes(DynamoDbClient client, PipelineSpec spec) {
        List<Map<String, AttributeValue>> all = scan(client, spec.tables().deviceWindows());
        List<Map<String, AttributeValue>> items = all.stream().filter(i -> !LiveTables.isPage(i)).toList();
        List<Map<String, AttributeValue>> pages = all.stream().filter(LiveTables::isPage).toList();
        double total = items.stream().mapToLong(DynamoDbItemSize::of).average().orElse(0);
        double ids = items.stream().mapToLong(WriteCostTables::inlineFingerprintBytes).average().orElse(0);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("averageFinalItem", Math.round(total));
        m.put("averageInlineEventIdFingerprints", Math.round(ids));
        m.put("fingerprintPages", pages.size());
        m.put("averagePageItem", Math.round(pages.stream().mapToLong(DynamoDbItemSize::of).average().orElse(0)));
        return m;
    }

    private static long inlineFingerprintBytes(Map<String, AttributeValue> item) {
        AttributeValue ids = item.containsKey(LiveTables.WINDOW_PACKED_EVENT_IDS)
                ? item.get(LiveTables.WINDOW_PACKED_EVENT_IDS) : item.get(LiveTables.WINDOW_EVENT_IDS);
        return ids == null ? 0 : ids.b().asByteArrayUnsafe().length;
    }

    /**
     * Writes every final item of the stream-processor's tables again, unchanged, and compares the units
     * the emulator charges with DynamoDB's published rule for the item's size ({@link DynamoDbItemSize}):
     * the capacity figures above are only as good as this agreement.
     */
    static Map<String, Object> unitsByRules(DynamoDbClient client, PipelineSpec spec) {
        int items = 0;
        int agree = 0;
        long largest = 0;
        List<Map<String, Object>> differing = new ArrayList<>();
        for (String table : List.of(spec.tables().deviceWindows(), spec.tables().deviceState())) {
            for (Map<String, AttributeValue> item : scan(client, table)) {
                double charged = client.putItem(b -> b.tableName(table).item(item)
                        .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL)).consumedCapacity().capacityUnits();
                items++;
                long bytes = DynamoDbItemSize.of(item);
                largest = Math.max(largest, bytes);
                if (charged == DynamoDbItemSize.writeUnits(item)) {
                    agree++;
                } else {
                    Map<String, Object> d = new LinkedHashMap<>();
                    d.put("bytesByRule", bytes);
                    d.put("unitsByRule", DynamoDbItemSize.writeUnits(item));
                    d.put("unitsCharged", charged);
                    differing.add(d);
                }
            }
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("itemsRewritten", items);
        m.put("unitsAsDynamoDbCharges", agree);
        m.put("largestItemBytes", largest);
        m.put("differing", differing);
        return m;
    }
}
