package io.twinflow.resources;

import io.twinflow.core.error.UserMistakeException;
import io.twinflow.core.pipeline.PipelineSpec;
import io.twinflow.live.LiveTables;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.ResourceInUseException;
import software.amazon.awssdk.services.kinesis.model.StreamDescriptionSummary;
import software.amazon.awssdk.services.kinesis.model.StreamStatus;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketAlreadyOwnedByYouException;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Creates the real-time path's resources, named by {@link PipelineSpec} with the table keys of
 * {@link LiveTables}, through the clients it is given: the embedded stack's start, the LocalStack and
 * Floci init step and every container scenario create them this one way. It creates what is missing
 * and leaves what exists, so a kept stack, a restarted init container or a second scenario finds its
 * stream, tables, buckets (with their objects) and queues as they were; an existing stream of another
 * shape is refused rather than taken for the pipeline's.
 */
public final class PipelineResources {

    /** The queue URL of each queue, by queue name: SQS calls address queues by URL. */
    public record Created(PipelineSpec spec, Map<String, String> queueUrls) {
        public Created {
            queueUrls = Collections.unmodifiableMap(new LinkedHashMap<>(queueUrls));
        }

        public String queueUrl(String queueName) {
            String url = queueUrls.get(queueName);
            if (url == null) {
                throw new IllegalArgumentException("no queue " + queueName);
            }
            return url;
        }
    }

    private PipelineResources() {
    }

    /** {@link #create(PipelineSpec, KinesisClient, DynamoDbClient, S3Client, SqsClient)} with clients of its own. */
    public static Created create(PipelineSpec spec, ServiceEndpoints endpoints) {
        try (KinesisClient kinesis = endpoints.kinesisClient();
             DynamoDbClient dynamoDb = endpoints.dynamoDbClient();
             S3Client s3 = endpoints.s3Client();
             SqsClient sqs = endpoints.sqsClient()) {
            return create(spec, kinesis, dynamoDb, s3, sqs);
        }
    }

    /**
     * @throws IllegalStateException when the stream exists but is not ACTIVE
     * @throws UserMistakeException when the stream has another number of open shards than the spec (a
     *     stream of another pipeline under the same name)
     */
    public static Created create(PipelineSpec spec, KinesisClient kinesis, DynamoDbClient dynamoDb, S3Client s3,
                                 SqsClient sqs) {
        createStream(kinesis, spec.stream());
        LiveTables.createAll(dynamoDb, spec.tables().deviceState(), spec.tables().deviceWindows(), spec.tables().alerts());
        for (String bucket : buckets(spec)) {
            try {
                s3.createBucket(b -> b.bucket(bucket));
            } catch (BucketAlreadyOwnedByYouException alreadyThere) {
                // ours from an earlier run, and it may hold data: left as it is
            }
        }
        Map<String, String> queueUrls = new LinkedHashMap<>();
        for (String queue : queues(spec)) {
            // CreateQueue with the same name and attributes returns the existing queue's URL.
            queueUrls.put(queue, sqs.createQueue(b -> b.queueName(queue)).queueUrl());
        }
        return new Created(spec, queueUrls);
    }

    public static List<String> buckets(PipelineSpec spec) {
        return List.of(spec.buckets().raw(), spec.buckets().curated(), spec.buckets().quarantine());
    }

    public static List<String> queues(PipelineSpec spec) {
        return List.of(spec.queues().streamFailures(), spec.queues().scheduleDeadLetter());
    }

    private static void createStream(KinesisClient kinesis, PipelineSpec.Stream stream) {
        try {
            kinesis.createStream(b -> b.streamName(stream.name()).shardCount(stream.shardCount()));
        } catch (ResourceInUseException alreadyThere) {
            // checked below like a new one: a stream of another shape must not pass for ours
        }
        kinesis.waiter().waitUntilStreamExists(b -> b.streamName(stream.name()));
        StreamDescriptionSummary summary = kinesis.describeStreamSummary(b -> b.streamName(stream.name()))
                .streamDescriptionSummary();
        if (summary.streamStatus() != StreamStatus.ACTIVE) {
            throw new IllegalStateException("stream " + stream.name() + " is " + summary.streamStatus() + ", not ACTIVE");
        }
        if (summary.openShardCount() != stream.shardCount()) {
            throw new UserMistakeException("stream " + stream.name() + " has " + summary.openShardCount()
                    + " open shards, the pipeline needs " + stream.shardCount()
                    + ": use another --prefix (or, for a kept stack, another data directory)");
        }
    }
}
