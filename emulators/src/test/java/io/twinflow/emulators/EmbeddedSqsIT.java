package io.twinflow.emulators;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.SqsClient;

class EmbeddedSqsIT {

    @Test
    void sendsAndReceivesAMessage() {
        try (EmbeddedSqs sqs = EmbeddedSqs.start();
             SqsClient client = sqs.sqsClient()) {
            RoundTrips.sqs(client);
        }
    }

    @Test
    void handsOutQueueUrlsThatPointAtThisInstance() {
        try (EmbeddedSqs sqs = EmbeddedSqs.start();
             SqsClient client = sqs.sqsClient()) {
            String queueUrl = client.createQueue(b -> b.queueName("on-failure")).queueUrl();

            assertThat(queueUrl).startsWith(sqs.endpoint().toString() + "/");
        }
    }
}
