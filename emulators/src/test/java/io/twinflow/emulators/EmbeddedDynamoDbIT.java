package io.twinflow.emulators;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * dynalite against what the stream-processor relies on from DynamoDB. Expected values come from
 * DynamoDB's documentation, not from dynalite: an emulator that differs on any of them fails here.
 */
class EmbeddedDynamoDbIT {

    private static final String TABLE = "windows";

    private static EmbeddedDynamoDb dynamo;
    private static DynamoDbClient client;

    @BeforeAll
    static void startOne() {
        dynamo = EmbeddedDynamoDb.start();
        client = dynamo.dynamoDbClient();
        createTable(client, TABLE);
    }

    @AfterAll
    static void stop() {
        client.close();
        dynamo.close();
    }

    @Test
    void storesAndReadsBackAnItem() {
        try (EmbeddedDynamoDb own = EmbeddedDynamoDb.start();
             DynamoDbClient ownClient = own.dynamoDbClient()) {
            RoundTrips.dynamoDb(ownClient);
        }
    }

    @Test
    void twoInstancesDoNotShareTables() {
        try (EmbeddedDynamoDb first = EmbeddedDynamoDb.start();
             EmbeddedDynamoDb second = EmbeddedDynamoDb.start();
             DynamoDbClient firstClient = first.dynamoDbClient();
             DynamoDbClient secondClient = second.dynamoDbClient()) {
            createTable(firstClient, "only-in-first");

            assertThat(first.endpoint()).isNotEqualTo(second.endpoint());
            assertThat(secondClient.listTables().tableNames()).isEmpty();
            assertThat(firstClient.getItem(b -> b.tableName("only-in-first")
                    .key(key("absent"))).hasItem()).isFalse();
        }
    }

    @Test
    void consistentBatchGetReturnsTheLatestWriteOfEveryKeyAndRefusesMoreThan100Keys() {
        List<Map<String, AttributeValue>> keys = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            String id = "batch-" + i;
            client.putItem(b -> b.tableName(TABLE).item(item(id, Map.of("version", AttributeValue.fromN("1")))));
            client.putItem(b -> b.tableName(TABLE).item(item(id, Map.of("version", AttributeValue.fromN("2")))));
            keys.add(key(id));
        }

        BatchGetItemResponse read = client.batchGetItem(b -> b.requestItems(Map.of(TABLE,
                KeysAndAttributes.builder().keys(keys).consistentRead(true).build())));

        assertThat(read.unprocessedKeys()).isEmpty();
        assertThat(read.responses().get(TABLE)).hasSize(100)
                .allSatisfy(item -> assertThat(item.get("version")).isEqualTo(AttributeValue.fromN("2")));

        List<Map<String, AttributeValue>> tooMany = new ArrayList<>(keys);
        tooMany.add(key("batch-100"));
        assertThatThrownBy(() -> client.batchGetItem(b -> b.requestItems(Map.of(TABLE,
                KeysAndAttributes.builder().keys(tooMany).consistentRead(true).build()))))
                .isInstanceOfSatisfying(DynamoDbException.class, e -> assertThat(errorCode(e)).isEqualTo("ValidationException"));
    }

    @Test
    void binaryAttributesRoundTripEveryByteValue() {
        byte[] everyByte = new byte[512];
        for (int i = 0; i < everyByte.length; i++) {
            everyByte[i] = (byte) (255 - i % 256);
        }
        client.putItem(b -> b.tableName(TABLE).item(item("binary",
                Map.of("eventIds", AttributeValue.fromB(SdkBytes.fromByteArray(everyByte))))));

        Map<String, AttributeValue> got = client.getItem(b -> b.tableName(TABLE).key(key("binary")).consistentRead(true)).item();
        Map<String, AttributeValue> batched = client.batchGetItem(b -> b.requestItems(Map.of(TABLE,
                KeysAndAttributes.builder().keys(List.of(key("binary"))).consistentRead(true).build())))
                .responses().get(TABLE).get(0);

        assertThat(got.get("eventIds").b().asByteArray()).isEqualTo(everyByte);
        assertThat(batched.get("eventIds").b().asByteArray()).isEqualTo(everyByte);
    }

    /**
     * DynamoDB: one write unit per 1 KB of item size, rounded up; the size is the UTF-8 bytes of
     * every attribute name plus its value (a binary's bytes, a string's UTF-8 bytes). Key: {@code
     * deviceId} (8) + {@code windowStart} (11) + the values; the filler is {@code d} (1) + n bytes.
     */
    @Test
    void putConsumesOneWriteUnitPerStartedKilobyteOfItemSize() {
        assertThat(putUnits("cap-1", 1024)).isEqualTo(1.0);
        assertThat(putUnits("cap-2", 1025)).isEqualTo(2.0);
        assertThat(putUnits("cap-3", 3 * 1024)).isEqualTo(3.0);
        assertThat(putUnits("cap-4", 3 * 1024 + 1)).isEqualTo(4.0);
    }

    /** DynamoDB charges an overwrite or an update the larger of the item's sizes before and after. */
    @Test
    void overwritesAndUpdatesAreChargedForTheLargerOfTheOldAndNewItem() {
        assertThat(putUnits("shrink", 2 * 1024 + 1)).isEqualTo(3.0);
        assertThat(putUnits("shrink", 100)).isEqualTo(3.0);

        double update = client.updateItem(b -> b.tableName(TABLE).key(key("shrink"))
                .updateExpression("SET v = :v").expressionAttributeValues(Map.of(":v", AttributeValue.fromN("1")))
                .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL)).consumedCapacity().capacityUnits();
        assertThat(update).isEqualTo(1.0);
    }

    /**
     * Numbers and maps as the window item stores them. DynamoDB: a number takes 1 byte plus 1 per two
     * significant digits; a map 3 bytes plus 1 per entry plus its entries' names and values.
     */
    @Test
    void numbersAndMapsAreSizedAsDynamoDbDocuments() {
        // key 15 + 12; "metrics" 7 and its map: 3 + 1 entry + "temperature" 11 + 1234 (4 digits: 3 bytes)
        int fixed = 15 + 12 + 7 + 3 + 1 + 11 + 3;
        int filler = 1024 - fixed - 1;
        Map<String, AttributeValue> extra = Map.of(
                "metrics", AttributeValue.fromM(Map.of("temperature", AttributeValue.fromN("1234"))),
                "d", AttributeValue.fromB(SdkBytes.fromByteArray(new byte[filler])));
        double exactlyOneKilobyte = client.putItem(b -> b.tableName(TABLE).item(item("cap-map", extra))
                .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL)).consumedCapacity().capacityUnits();

        Map<String, AttributeValue> oneByteMore = Map.of(
                "metrics", AttributeValue.fromM(Map.of("temperature", AttributeValue.fromN("123456"))),
                "d", AttributeValue.fromB(SdkBytes.fromByteArray(new byte[filler])));
        double overOneKilobyte = client.putItem(b -> b.tableName(TABLE).item(item("cap-map2", oneByteMore))
                .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL)).consumedCapacity().capacityUnits();

        assertThat(exactlyOneKilobyte).isEqualTo(1.0);
        // "cap-map2" is one byte longer and 123456 one byte larger: 1026 bytes
        assertThat(overOneKilobyte).isEqualTo(2.0);
    }

    @Test
    void aFailedConditionIsConditionalCheckFailedException() {
        client.putItem(b -> b.tableName(TABLE).item(item("conditional", Map.of())));

        assertThatThrownBy(() -> client.putItem(b -> b.tableName(TABLE).item(item("conditional", Map.of()))
                .conditionExpression("attribute_not_exists(deviceId)")))
                .isInstanceOfSatisfying(ConditionalCheckFailedException.class,
                        e -> assertThat(errorCode(e)).isEqualTo("ConditionalCheckFailedException"));
    }

    @Test
    void anItemOver400KilobytesIsAValidationException() {
        byte[] tooLarge = new byte[400 * 1024];

        assertThatThrownBy(() -> client.putItem(b -> b.tableName(TABLE).item(item("huge",
                Map.of("d", AttributeValue.fromB(SdkBytes.fromByteArray(tooLarge)))))))
                .isInstanceOfSatisfying(DynamoDbException.class, e -> {
                    assertThat(errorCode(e)).isEqualTo("ValidationException");
                    assertThat(e.getMessage()).containsIgnoringCase("item size");
                });
    }

    @Test
    void numbersOutsideDynamoDbsRangeAreValidationExceptions() {
        assertThatThrownBy(() -> client.putItem(b -> b.tableName(TABLE).item(item("tiny",
                Map.of("v", AttributeValue.fromN("1e-200"))))))
                .isInstanceOfSatisfying(DynamoDbException.class, e -> {
                    assertThat(errorCode(e)).isEqualTo("ValidationException");
                    assertThat(e.getMessage()).contains("underflow");
                });
        assertThatThrownBy(() -> client.putItem(b -> b.tableName(TABLE).item(item("huge-number",
                Map.of("v", AttributeValue.fromN("1e126"))))))
                .isInstanceOfSatisfying(DynamoDbException.class, e -> {
                    assertThat(errorCode(e)).isEqualTo("ValidationException");
                    assertThat(e.getMessage()).contains("overflow");
                });
        // 38 significant digits is DynamoDB's precision, and it is kept exactly.
        String precise = "1234567890123456789012345678901234567.8";
        client.putItem(b -> b.tableName(TABLE).item(item("precise", Map.of("v", AttributeValue.fromN(precise)))));
        assertThat(client.getItem(b -> b.tableName(TABLE).key(key("precise")).consistentRead(true)).item().get("v").n())
                .isEqualTo(precise);
    }

    @Test
    void aMissingTableIsResourceNotFoundException() {
        assertThatThrownBy(() -> client.getItem(b -> b.tableName("no-such-table").key(key("x"))))
                .isInstanceOfSatisfying(ResourceNotFoundException.class,
                        e -> assertThat(errorCode(e)).isEqualTo("ResourceNotFoundException"));
    }

    @Test
    void anOnDiskStoreKeepsTablesAndItemsForTheNextInstance(@TempDir Path directory) {
        try (EmbeddedDynamoDb first = EmbeddedDynamoDb.startOnDisk(directory);
             DynamoDbClient firstClient = first.dynamoDbClient()) {
            createTable(firstClient, "kept");
            firstClient.putItem(b -> b.tableName("kept").item(item("kept-item", Map.of("v", AttributeValue.fromN("7")))));
        }

        try (EmbeddedDynamoDb second = EmbeddedDynamoDb.startOnDisk(directory);
             DynamoDbClient secondClient = second.dynamoDbClient()) {
            assertThat(secondClient.listTables().tableNames()).containsExactly("kept");
            assertThat(secondClient.getItem(b -> b.tableName("kept").key(key("kept-item")).consistentRead(true)).item())
                    .containsEntry("v", AttributeValue.fromN("7"));
        }
    }

    @Test
    void leavesNoProcessBehindOnClose() throws Exception {
        EmbeddedDynamoDb own = EmbeddedDynamoDb.start();
        RoundTrips.closesItsProcess(own, own.pid());
    }

    private static double putUnits(String deviceId, int itemBytes) {
        int filler = itemBytes - ("deviceId".length() + deviceId.length()) - ("windowStart".length() + 1) - "d".length();
        return client.putItem(b -> b.tableName(TABLE)
                .item(item(deviceId, Map.of("d", AttributeValue.fromB(SdkBytes.fromByteArray(new byte[filler])))))
                .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL)).consumedCapacity().capacityUnits();
    }

    private static Map<String, AttributeValue> key(String deviceId) {
        return Map.of("deviceId", AttributeValue.fromS(deviceId), "windowStart", AttributeValue.fromS("w"));
    }

    private static Map<String, AttributeValue> item(String deviceId, Map<String, AttributeValue> attributes) {
        Map<String, AttributeValue> item = new HashMap<>(key(deviceId));
        item.putAll(attributes);
        return item;
    }

    private static String errorCode(DynamoDbException e) {
        return e.awsErrorDetails().errorCode();
    }

    private static void createTable(DynamoDbClient dynamoDb, String name) {
        dynamoDb.createTable(b -> b.tableName(name)
                .keySchema(KeySchemaElement.builder().attributeName("deviceId").keyType(KeyType.HASH).build(),
                        KeySchemaElement.builder().attributeName("windowStart").keyType(KeyType.RANGE).build())
                .attributeDefinitions(
                        AttributeDefinition.builder().attributeName("deviceId").attributeType(ScalarAttributeType.S).build(),
                        AttributeDefinition.builder().attributeName("windowStart").attributeType(ScalarAttributeType.S).build())
                .billingMode(BillingMode.PAY_PER_REQUEST));
        dynamoDb.waiter().waitUntilTableExists(b -> b.tableName(name));
    }
}
