package io.twinflow.resources;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.twinflow.core.error.UserMistakeException;
import io.twinflow.core.pipeline.PipelineSpec;
import io.twinflow.emulators.EmbeddedDynamoDb;
import io.twinflow.emulators.EmbeddedKinesis;
import io.twinflow.emulators.EmbeddedS3;
import io.twinflow.emulators.EmbeddedSqs;
import io.twinflow.live.LiveTables;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;

class PipelineResourcesIT {

    private static EmbeddedKinesis kinesisServer;
    private static EmbeddedDynamoDb dynamoDbServer;
    private static EmbeddedS3 s3Server;
    private static EmbeddedSqs sqsServer;
    private static KinesisClient kinesis;
    private static DynamoDbClient dynamoDb;
    private static S3Client s3;
    private static SqsClient sqs;

    @BeforeAll
    static void start() {
        kinesisServer = EmbeddedKinesis.start();
        dynamoDbServer = EmbeddedDynamoDb.start();
        s3Server = EmbeddedS3.start();
        sqsServer = EmbeddedSqs.start();
        kinesis = kinesisServer.kinesisClient();
        dynamoDb = dynamoDbServer.dynamoDbClient();
        s3 = s3Server.s3Client();
        sqs = sqsServer.sqsClient();
    }

    @AfterAll
    static void stop() {
        for (AutoCloseable c : new AutoCloseable[] {kinesis, dynamoDb, s3, sqs, kinesisServer, dynamoDbServer, s3Server, sqsServer}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception e) {
                System.err.println("closing " + c + " failed: " + e);
            }
        }
    }

    @Test
    void createsEveryResourceOfTheSpecAndTheQueuesUrls() {
        PipelineSpec spec = PipelineSpec.withPrefix("fresh");

        PipelineResources.Created created = PipelineResources.create(spec, kinesis, dynamoDb, s3, sqs);

        assertThat(kinesis.describeStreamSummary(b -> b.streamName(spec.stream().name())).streamDescriptionSummary()
                .openShardCount()).isEqualTo(spec.stream().shardCount());
        for (LiveTables.TableDefinition table : LiveTables.definitions(spec.tables().deviceState(),
                spec.tables().deviceWindows(), spec.tables().alerts())) {
            assertThat(dynamoDb.describeTable(b -> b.tableName(table.name())).table().keySchema().get(0).attributeName())
                    .isEqualTo(table.partitionKey());
        }
        assertThat(s3.listBuckets().buckets()).extracting(b -> b.name()).containsAll(PipelineResources.buckets(spec));
        assertThat(created.queueUrls()).containsOnlyKeys(PipelineResources.queues(spec));
        for (String queue : PipelineResources.queues(spec)) {
            assertThat(created.queueUrl(queue)).isEqualTo(sqs.getQueueUrl(b -> b.queueName(queue)).queueUrl());
        }
    }

    @Test
    void aSecondRunLeavesWhatExistsWithItsData() {
        PipelineSpec spec = PipelineSpec.withPrefix("again");
        PipelineResources.Created first = PipelineResources.create(spec, kinesis, dynamoDb, s3, sqs);
        s3.putObject(b -> b.bucket(spec.buckets().raw()).key("kept"), RequestBody.fromString("x", StandardCharsets.UTF_8));

        PipelineResources.Created second = PipelineResources.create(spec, kinesis, dynamoDb, s3, sqs);

        assertThat(second.queueUrls()).isEqualTo(first.queueUrls());
        assertThat(s3.getObjectAsBytes(b -> b.bucket(spec.buckets().raw()).key("kept")).asUtf8String()).isEqualTo("x");
    }

    @Test
    void anExistingStreamWithAnotherShardCountIsRefused() {
        PipelineSpec spec = PipelineSpec.withPrefix("reshaped");
        kinesis.createStream(b -> b.streamName(spec.stream().name()).shardCount(spec.stream().shardCount() + 1));

        assertThatThrownBy(() -> PipelineResources.create(spec, kinesis, dynamoDb, s3, sqs))
                .isInstanceOf(UserMistakeException.class)
                .hasMessageContaining("has " + (spec.stream().shardCount() + 1) + " open shards")
                .hasMessageContaining("needs " + spec.stream().shardCount());
    }

    @Test
    void anUnknownQueueNameIsAnError() {
        PipelineResources.Created created = PipelineResources.create(PipelineSpec.withPrefix("queues"), kinesis, dynamoDb, s3, sqs);

        assertThatThrownBy(() -> created.queueUrl("nope")).isInstanceOf(IllegalArgumentException.class);
    }
}
