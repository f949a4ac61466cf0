package io.twinflow.functions.testing;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Every item of some DynamoDB tables as sorted canonical text, so that two states (two environments, or
 * one before and after a redelivery) can be compared whole with one {@code equals}.
 */
public final class TableSnapshot {

    private TableSnapshot() {
    }

    /**
     * @param prefix cut from each table's name in the result, so that tables under two prefixes compare
     * @param ignored attributes left out, e.g. the window's write {@code version}, which counts deliveries
     * @return table name without the prefix -> its items as canonical text, sorted
     */
    public static Map<String, List<String>> of(DynamoDbClient dynamoDb, String prefix, List<String> tables, Set<String> ignored) {
        Map<String, List<String>> snapshot = new TreeMap<>();
        for (String table : tables) {
            List<String> items = new ArrayList<>();
            dynamoDb.scanPaginator(b -> b.tableName(table).consistentRead(true)).items()
                    .forEach(item -> items.add(canonical(item, ignored)));
            items.sort(null);
            snapshot.put(table.substring(prefix.length()), items);
        }
        return snapshot;
    }

    /** One item with its attributes in name order, each value tagged with its type; sets sorted. */
    static String canonical(Map<String, AttributeValue> item, Set<String> ignored) {
        TreeMap<String, String> sorted = new TreeMap<>();
        item.forEach((name, value) -> {
            if (!ignored.contains(name)) {
                sorted.put(name, canonical(value));
            }
        });
        return sorted.toString();
    }

    private static String canonical(AttributeValue value) {
        if (value.hasM()) {
            TreeMap<String, String> sorted = new TreeMap<>();
            value.m().forEach((k, v) -> sorted.put(k, canonical(v)));
            return "M:" + sorted;
        }
        if (value.hasL()) {
            return "L:" + value.l().stream().map(TableSnapshot::canonical).toList();
        }
        if (value.hasSs()) {
            return "SS:" + new TreeSet<>(value.ss());
        }
        if (value.hasNs()) {
            return "NS:" + new TreeSet<>(value.ns());
        }
        if (value.hasBs()) {
            return "BS:" + value.bs().stream().map(b -> Base64.getEncoder().encodeToString(b.asByteArray())).sorted().toList();
        }
        if (value.b() != null) {
            return "B:" + Base64.getEncoder().encodeToString(value.b().asByteArray());
        }
        if (value.n() != null) {
            return "N:" + value.n();
        }
        if (value.bool() != null) {
            return "BOOL:" + value.bool();
        }
        if (Boolean.TRUE.equals(value.nul())) {
            return "NULL";
        }
        return "S:" + value.s();
    }
}
