package io.twinflow.live;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
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
    public static final String WINDOW_EVENT_IDS = "eventIds";
    public static final String WINDOW_VERSION = "version";

    /** Alert table: key {@code deviceId} + {@code alertKey} ({@code windowStart#ruleId}). */
    public static final String ALERT_KEY = "alertKey";
    public static final String ALERT_RULE_ID = "ruleId";
    public static final String ALERT_METRIC = "metric";
    public static final String ALERT_OPERATOR = "operator";
    public static final String ALERT_THRESHOLD = "threshold";
    public static final String ALERT_PEAK = "peak";

    /** TTL attribute (epoch seconds) of window and alert items. */
    public static final String EXPIRES_AT = "expiresAt";

    private static final DateTimeFormatter WINDOW_FORMAT =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss'Z'").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter ORDER_FORMAT =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSSSSS'Z'").withZone(ZoneOffset.UTC);

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

    public static String alertKey(Instant windowStart, String ruleId) {
        return windowKey(windowStart) + "#" + ruleId;
    }

    /** One table's key schema. */
    public record TableDefinition(String name, String partitionKey, String sortKey) {
    }

    public static List<TableDefinition> definitions(String stateTable, String windowTable, String alertTable) {
        return List.of(
                new TableDefinition(stateTable, DEVICE_ID, null),
                new TableDefinition(windowTable, DEVICE_ID, WINDOW_START),
                new TableDefinition(alertTable, DEVICE_ID, ALERT_KEY));
    }

    /** Creates the tables (on-demand) where they do not exist yet: for local stacks and tests. */
    public static void createAll(DynamoDbClient dynamoDb, String stateTable, String windowTable, String alertTable) {
        for (TableDefinition table : definitions(stateTable, windowTable, alertTable)) {
            List<AttributeDefinition> attributes = new ArrayList<>();
            List<KeySchemaElement> keys = new ArrayList<>();
            attributes.add(AttributeDefinition.builder().attributeName(table.partitionKey()).attributeType(ScalarAttributeType.S).build());
            keys.add(KeySchemaElement.builder().attributeName(table.partitionKey()).keyType(KeyType.HASH).build());
            if (table.sortKey() != null) {
                attributes.add(AttributeDefinition.builder().attributeName(table.sortKey()).attributeType(ScalarAttributeType.S).build());
                keys.add(KeySchemaElement.builder().attributeName(table.sortKey()).keyType(KeyType.RANGE).build());
            }
            try {
                dynamoDb.createTable(b -> b.tableName(table.name())
                        .attributeDefinitions(attributes)
                        .keySchema(keys)
                        .billingMode(BillingMode.PAY_PER_REQUEST));
            } catch (ResourceInUseException alreadyThere) {
                continue;
            }
            dynamoDb.waiter().waitUntilTableExists(b -> b.tableName(table.name()));
        }
    }
}
