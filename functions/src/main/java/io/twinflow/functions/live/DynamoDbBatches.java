package io.twinflow.functions.live;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * DynamoDB's batch calls made whole: a batch call may leave part of its keys or items unprocessed
 * (throttling) without failing, so the rest is sent again, with jittered backoff, until nothing is left
 * or the rounds run out ({@link UnprocessedException}). Errors the SDK raises after its own retries
 * pass through.
 */
final class DynamoDbBatches {

    /** The most keys one BatchGetItem takes. */
    static final int GET_LIMIT = 100;
    /** The most items one BatchWriteItem takes. */
    static final int WRITE_LIMIT = 25;
    private static final int MAX_UNPROCESSED_ROUNDS = 8;

    private final DynamoDbClient dynamoDb;

    DynamoDbBatches(DynamoDbClient dynamoDb) {
        this.dynamoDb = dynamoDb;
    }

    /** The items found for up to {@link #GET_LIMIT} distinct keys of one table, read strongly consistent. */
    List<Map<String, AttributeValue>> getAll(String table, List<Map<String, AttributeValue>> keys) {
        List<Map<String, AttributeValue>> found = new ArrayList<>();
        Map<String, KeysAndAttributes> request = Map.of(table, KeysAndAttributes.builder()
                .keys(keys)
                .consistentRead(true)
                .build());
        for (int round = 0; !request.isEmpty(); round++) {
            pause(round);
            Map<String, KeysAndAttributes> pending = request;
            BatchGetItemResponse response = dynamoDb.batchGetItem(b -> b.requestItems(pending));
            found.addAll(response.responses().getOrDefault(table, List.of()));
            request = response.unprocessedKeys();
        }
        return found;
    }

    /** Puts up to {@link #WRITE_LIMIT} items with distinct keys into one table. */
    void putAll(String table, Collection<Map<String, AttributeValue>> items) {
        Map<String, List<WriteRequest>> request = Map.of(table, items.stream()
                .map(item -> WriteRequest.builder().putRequest(PutRequest.builder().item(item).build()).build())
                .toList());
        for (int round = 0; !request.isEmpty(); round++) {
            pause(round);
            Map<String, List<WriteRequest>> pending = request;
            BatchWriteItemResponse response = dynamoDb.batchWriteItem(b -> b.requestItems(pending));
            request = response.unprocessedItems();
        }
    }

    /** Before a round that resends what was left unprocessed: a jittered, growing wait; none before the first. */
    private static void pause(int round) {
        if (round == MAX_UNPROCESSED_ROUNDS) {
            throw new UnprocessedException();
        }
        if (round == 0) {
            return;
        }
        long cap = Math.min(2_000, 25L << Math.min(round, 10));
        try {
            Thread.sleep(ThreadLocalRandom.current().nextLong(cap / 2, cap + 1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UnprocessedException();
        }
    }

    /** Unprocessed keys or items remained after every round of backoff. */
    static final class UnprocessedException extends RuntimeException {
        UnprocessedException() {
            super("DynamoDB left part of a batch request unprocessed after " + MAX_UNPROCESSED_ROUNDS + " rounds", null, false, false);
        }
    }
}
