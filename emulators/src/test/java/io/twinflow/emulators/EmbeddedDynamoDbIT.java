package io.twinflow.emulators;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

class EmbeddedDynamoDbIT {

    @Test
    void storesAndReadsBackAnItem() {
        try (EmbeddedDynamoDb dynamo = EmbeddedDynamoDb.start();
             DynamoDbClient client = dynamo.dynamoDbClient()) {
            RoundTrips.dynamoDb(client);
        }
    }

    @Test
    void twoInstancesDoNotShareTables() {
        try (EmbeddedDynamoDb first = EmbeddedDynamoDb.start();
             EmbeddedDynamoDb second = EmbeddedDynamoDb.start();
             DynamoDbClient firstClient = first.dynamoDbClient();
             DynamoDbClient secondClient = second.dynamoDbClient()) {
            firstClient.createTable(b -> b.tableName("only-in-first")
                    .keySchema(KeySchemaElement.builder().attributeName("pk").keyType(KeyType.HASH).build())
                    .attributeDefinitions(AttributeDefinition.builder()
                            .attributeName("pk").attributeType(ScalarAttributeType.S).build())
                    .billingMode(BillingMode.PAY_PER_REQUEST));

            assertThat(first.endpoint()).isNotEqualTo(second.endpoint());
            assertThat(secondClient.listTables().tableNames()).isEmpty();
            assertThat(firstClient.getItem(b -> b.tableName("only-in-first")
                    .key(Map.of("pk", AttributeValue.fromS("absent")))).hasItem()).isFalse();
        }
    }
}
