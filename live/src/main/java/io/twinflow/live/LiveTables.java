package io.twinflow.live;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * The DynamoDB data model of the live state: table keys and attribute names, in one place for the
 * writer, the reader, the local runtime and the CDK stack. The README documents the same model.
 */
public final class LiveTables {

    public static final String DEVICE_ID = "deviceId";

    /** Device state table: key {@code deviceId}; the latest event by event time. */
    public static final String STATE_TS = "ts";
    public static final String STATE_EVENT_ID = "eventId";
    public static final String STATE_ORDER_KEY = "orderKey";
    public static final String STATE_METRICS = "metrics";
    public static final String STATE_LOCATION = "location";

    /** Window table: key {@code deviceId} + {@code windowStart}. */
    public static final String WINDOW_START = "windowStart";
    public static final String WINDOW_END = "windowEnd";
    public static final String WINDOW_EVENT_COUNT = "eventCount";
    public static final String WINDOW_METRICS = "metrics";
    /** The fingerprints of the counted events, 8 bytes each: what window items written before 2026-11-29 hold. */
    public static final String WINDOW_EVENT_IDS = "eventIds";
    /**
     * The same fingerprints in their packed form (about 7 bytes each), which window items hold instead now: a window
     * item those it keeps inline (see {@link #WINDOW_PAGES}), a page item its own.
     */
    public static final String WINDOW_PACKED_EVENT_IDS = "packedIds";
    public static final String WINDOW_VERSION = "version";
    /**
     * The fingerprint pages a window item counts as its own, 8 bytes each: the digests that end their
     * {@link #pageKey}. A window item keeps new fingerprints inline ({@link #WINDOW_PACKED_EVENT_IDS}) until they
     * would make it cost another write unit, then moves them into a page item, written once and never changed,
     * so a rewrite pays for the aggregate and the latest fingerprints only. A page that no window item lists
     * (its writer lost the version race or stopped) counts for nothing and ages out by TTL.
     */
    public static final String WINDOW_PAGES = "pages";
    /**
     * Page items share the window table and the device's partition; their sort key starts with this, which sorts
     * after every window start, so no range of window starts ever reads a page.
     */
    public static final String PAGE_KEY_PREFIX = "page#";

    /** Alert table: key {@code deviceId} + {@code alertKey} ({@code windowStart#ruleId}). */
    public static final String ALERT_KEY = "alertKey";
    public static final String ALERT_RULE_ID = "ruleId";
    public static final String ALERT_METRIC = "metric";
    public static final String ALERT_OPERATOR = "operator";
    public static final String ALERT_THRESHOLD = "threshold";
    public static final String ALERT_PEAK = "peak";
    /**
     * The hour of the alert's window start ({@code uuuu-MM-ddTHH}): the partition key of {@link #ALERTS_BY_HOUR}, so
     * that the fleet's alerts since a time are a few Queries, one per hour, never a Scan.
     */
    public static final String ALERT_HOUR = "alertHour";
    /** Global secondary index of the alert table: {@link #ALERT_HOUR} + {@link #WINDOW_START}, all attributes. */
    public static final String ALERTS_BY_HOUR = "alertsByHour";

    /** TTL attribute (epoch seconds) of window and alert items. */
    public static final String EXPIRES_AT = "expiresAt";

    private static final DateTimeFormatter WINDOW_FORMAT =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss'Z'").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter ORDER_FORMAT =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSSSSS'Z'").withZone(ZoneOffset.UTC);

    private static final DateTimeFormatter HOUR_FORMAT =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH").withZone(ZoneOffset.UTC);

    private LiveTables() {
    }

    /** Window starts as fixed-width ISO strings, so the sort key orders by time. */
    public static String windowKey(Instant windowStart) {
        return WINDOW_FORMAT.format(windowStart);
    }

    /**
     * The state's ordering key: event time at nanosecond precision (fixed width, so string order is time
     * order), then the eventId to break ties the same way whatever the delivery order.
     */
    public static String orderKey(Instant ts, String eventId) {
        return ORDER_FORMAT.format(ts) + "#" + eventId;
    }

    /**
     * The order {@link #orderKey} gives, without building the strings: event time, then the eventId by
     * code point, which is the UTF-8 byte order DynamoDB compares strings in.
     */
    public static int compareOrder(Instant tsA, String eventIdA, Instant tsB, String eventIdB) {
        int byTime = tsA.compareTo(tsB);
        if (byTime != 0) {
            return byTime;
        }
        int i = 0;
        int j = 0;
        while (i < eventIdA.length() && j < eventIdB.length()) {
            int a = eventIdA.codePointAt(i);
            int b = eventIdB.codePointAt(j);
            if (a != b) {
                return Integer.compare(a, b);
            }
            i += Character.charCount(a);
            j += Character.charCount(b);
        }
        return Integer.compare(eventIdA.length() - i, eventIdB.length() - j);
    }

    /** The sort key of a window's fingerprint page: the window start and the digest of the page's fingerprints. */
    public static String pageKey(Instant windowStart, long digest) {
        return PAGE_KEY_PREFIX + windowKey(windowStart) + "#" + String.format("%016x", digest);
    }

    /** Whether a window table item is a fingerprint page (and not a window): for scans of the whole table. */
    public static boolean isPage(Map<String, AttributeValue> item) {
        return item.get(WINDOW_START).s().startsWith(PAGE_KEY_PREFIX);
    }

    public static String alertKey(Instant windowStart, String ruleId) {
        return windowKey(windowStart) + "#" + ruleId;
    }

    /** The {@link #ALERT_HOUR} bucket of a window start. */
    public static String alertHour(Instant windowStart) {
        return HOUR_FORMAT.format(windowStart);
    }

    /** One table's key schema and its global secondary indexes (string keys, all attributes projected). */
    public record TableDefinition(String name, String partitionKey, String sortKey, List<IndexDefinition> indexes) {

        public TableDefinition {
            indexes = List.copyOf(indexes);
        }
    }

    /** A global secondary index: its name and string keys; every attribute is projected. */
    public record IndexDefinition(String name, String partitionKey, String sortKey) {
    }

    public static List<TableDefinition> definitions(String stateTable, String windowTable, String alertTable) {
        return List.of(
                new TableDefinition(stateTable, DEVICE_ID, null, List.of()),
                new TableDefinition(windowTable, DEVICE_ID, WINDOW_START, List.of()),
                new TableDefinition(alertTable, DEVICE_ID, ALERT_KEY,
                        List.of(new IndexDefinition(ALERTS_BY_HOUR, ALERT_HOUR, WINDOW_START))));
    }

    /** Creates the tables (on-demand) where they do not exist yet: for local stacks and tests. */
    public static void createAll(DynamoDbClient dynamoDb, String stateTable, String windowTable, String alertTable) {
        for (TableDefinition table : definitions(stateTable, windowTable, alertTable)) {
            Set<String> attributeNames = new LinkedHashSet<>();
            attributeNames.add(table.partitionKey());
            if (table.sortKey() != null) {
                attributeNames.add(table.sortKey());
            }
            List<GlobalSecondaryIndex> indexes = new ArrayList<>();
            for (IndexDefinition index : table.indexes()) {
                attributeNames.add(index.partitionKey());
                attributeNames.add(index.sortKey());
                indexes.add(GlobalSecondaryIndex.builder()
                        .indexName(index.name())
                        .keySchema(keySchema(index.partitionKey(), index.sortKey()))
                        .projection(p -> p.projectionType(ProjectionType.ALL))
                        .build());
            }
            List<AttributeDefinition> attributes = attributeNames.stream()
                    .map(name -> AttributeDefinition.builder().attributeName(name).attributeType(ScalarAttributeType.S).build())
                    .toList();
            try {
                dynamoDb.createTable(b -> b.tableName(table.name())
                        .attributeDefinitions(attributes)
                        .keySchema(keySchema(table.partitionKey(), table.sortKey()))
                        .globalSecondaryIndexes(indexes.isEmpty() ? null : indexes)
                        .billingMode(BillingMode.PAY_PER_REQUEST));
            } catch (ResourceInUseException alreadyThere) {
                continue;
            }
            dynamoDb.waiter().waitUntilTableExists(b -> b.tableName(table.name()));
        }
    }

    private static List<KeySchemaElement> keySchema(String partitionKey, String sortKey) {
        List<KeySchemaElement> keys = new ArrayList<>();
        keys.add(KeySchemaElement.builder().attributeName(partitionKey).keyType(KeyType.HASH).build());
        if (sortKey != null) {
            keys.add(KeySchemaElement.builder().attributeName(sortKey).keyType(KeyType.RANGE).build());
        }
        return keys;
    }
}
