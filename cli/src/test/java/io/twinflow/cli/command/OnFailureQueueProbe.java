package io.twinflow.cli.command;

import io.twinflow.core.pipeline.PipelineSpec;
import io.twinflow.local.config.ServiceClients;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/** What the `replay --on-failure` tests do to a stack's on-failure queue and read from its live tables. */
record OnFailureQueueProbe(ServiceClients clients, String queueUrl) {

    void send(String body) {
        try (SqsClient sqs = clients.sqs()) {
            sqs.sendMessage(b -> b.queueUrl(queueUrl).messageBody(body));
        }
    }

    /** Deletes every visible message. */
    void drain() {
        try (SqsClient sqs = clients.sqs()) {
            for (List<Message> m = receive(sqs); !m.isEmpty(); m = receive(sqs)) {
                m.forEach(message -> sqs.deleteMessage(b -> b.queueUrl(queueUrl).receiptHandle(message.receiptHandle())));
            }
        }
    }

    private List<Message> receive(SqsClient sqs) {
        return sqs.receiveMessage(b -> b.queueUrl(queueUrl).maxNumberOfMessages(10).waitTimeSeconds(0)).messages();
    }

    /** Messages on the queue, visible or not. */
    long depth() {
        Map<QueueAttributeName, String> a = attributes(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE);
        return Long.parseLong(a.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
                + Long.parseLong(a.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE));
    }

    long visible() {
        return Long.parseLong(attributes(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES).get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES));
    }

    private Map<QueueAttributeName, String> attributes(QueueAttributeName... names) {
        try (SqsClient sqs = clients.sqs()) {
            return sqs.getQueueAttributes(b -> b.queueUrl(queueUrl).attributeNames(names)).attributes();
        }
    }

    /**
     * Each live table's items of the devices {@code device} accepts as sorted text, every attribute but the window's write
     * {@code version} (how many writes made the item depends on how the records were batched, not on what they add up to).
     */
    Map<String, List<String>> liveTables(PipelineSpec pipeline, Predicate<String> device) {
        PipelineSpec.Tables tables = pipeline.tables();
        Map<String, List<String>> items = new TreeMap<>();
        try (DynamoDbClient dynamoDb = clients.dynamoDb()) {
            Map<String, String> names = Map.of("state", tables.deviceState(), "windows", tables.deviceWindows(), "alerts", tables.alerts());
            names.forEach((kind, table) -> {
                List<String> rows = new ArrayList<>();
                for (Map<String, AttributeValue> item : dynamoDb.scanPaginator(b -> b.tableName(table).consistentRead(true)).items()) {
                    if (device.test(item.get("deviceId").s())) {
                        Map<String, AttributeValue> kept = new TreeMap<>(item);
                        kept.remove("version");
                        rows.add(kept.toString());
                    }
                }
                rows.sort(null);
                items.put(kind, rows);
            });
        }
        return items;
    }
}
