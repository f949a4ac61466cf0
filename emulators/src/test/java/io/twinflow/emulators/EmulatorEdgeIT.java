package io.twinflow.emulators;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;

class EmulatorEdgeIT {

    @Test
    void servesAllFourServicesOnOneAddressWithSignedRequests() {
        try (EmbeddedKinesis kinesisEmulator = EmbeddedKinesis.start();
             EmbeddedDynamoDb dynamoDbEmulator = EmbeddedDynamoDb.start();
             EmbeddedS3 s3Emulator = EmbeddedS3.start();
             EmbeddedSqs sqsEmulator = EmbeddedSqs.start();
             EmulatorEdge edge = EmulatorEdge.start(kinesisEmulator.endpoint(), dynamoDbEmulator.endpoint(),
                     s3Emulator.endpoint(), sqsEmulator.endpoint());
             KinesisClient kinesis = EmulatorClients.configure(KinesisClient.builder(), edge.endpoint()).build();
             DynamoDbClient dynamoDb = EmulatorClients.configure(DynamoDbClient.builder(), edge.endpoint()).build();
             S3Client s3 = EmulatorClients.configure(S3Client.builder(), edge.endpoint()).forcePathStyle(true).build();
             SqsClient sqs = EmulatorClients.configure(SqsClient.builder(), edge.endpoint()).build()) {

            // Interleaved, so that pooled connections carry requests of different services.
            RoundTrips.dynamoDb(dynamoDb);
            RoundTrips.s3(s3);
            RoundTrips.sqs(sqs);
            RoundTrips.kinesis(kinesis);

            // Each request reached its own emulator, not just some emulator that answers.
            try (DynamoDbClient direct = dynamoDbEmulator.dynamoDbClient();
                 S3Client directS3 = s3Emulator.s3Client()) {
                assertThat(direct.listTables().tableNames()).contains("device-state");
                assertThat(directS3.listBuckets().buckets()).extracting(b -> b.name()).contains("raw-archive");
            }
        }
    }

    @Test
    void routesByTargetHeaderThenByCredentialScopeElseToS3() {
        assertThat(Stream.of(
                EmulatorEdge.service("Kinesis_20131202.PutRecords", null),
                EmulatorEdge.service("DynamoDB_20120810.GetItem", null),
                EmulatorEdge.service("AmazonSQS.SendMessage", null),
                EmulatorEdge.service(null, "AWS4-HMAC-SHA256 Credential=twinflow/20261128/us-east-1/sqs/aws4_request, SignedHeaders=host"),
                EmulatorEdge.service(null, "AWS4-HMAC-SHA256 Credential=twinflow/20261128/us-east-1/s3/aws4_request, SignedHeaders=host"),
                EmulatorEdge.service(null, null)).toList())
                .isEqualTo(List.of("kinesis", "dynamodb", "sqs", "sqs", "s3", "s3"));
    }
}
