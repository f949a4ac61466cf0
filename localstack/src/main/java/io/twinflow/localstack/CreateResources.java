package io.twinflow.localstack;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.twinflow.core.pipeline.PipelineSpec;
import io.twinflow.live.LiveTables;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.regions.Region;
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
 * {@link LiveTables}, against any endpoint: the init step of the docker-compose stacks and the setup of
 * every integration scenario. Running it again changes nothing, so an init container that restarts,
 * or a scenario that creates what another already did, is harmless.
 *
 * <pre>java -jar localstack/target/twinflow-localstack.jar [--endpoint URL] [--region R] [--prefix P] [--wait S]</pre>
 *
 * <p>It mirrors what the local runtime's {@code EmbeddedRuntime} creates for the embedded stack
 * (stream, tables, buckets, queues); that method is private, so the two are kept equal by the scenario
 * that checks the created resources against the spec on every environment.
 */
public final class CreateResources {

    /** The queue URL of each queue, by queue name: SQS calls address queues by URL. */
    public record Created(PipelineSpec spec, Map<String, String> queueUrls) {
        public Created {
            queueUrls = Map.copyOf(queueUrls);
        }

        public String queueUrl(String queueName) {
            String url = queueUrls.get(queueName);
            if (url == null) {
                throw new IllegalArgumentException("no queue " + queueName);
            }
            return url;
        }
    }

    private CreateResources() {
    }

    public static Created create(PipelineSpec spec, ServiceEndpoints endpoints) {
        try (KinesisClient kinesis = endpoints.kinesisClient();
             DynamoDbClient dynamoDb = endpoints.dynamoDbClient();
             S3Client s3 = endpoints.s3Client();
             SqsClient sqs = endpoints.sqsClient()) {
            createStream(kinesis, spec.stream());
            LiveTables.createAll(dynamoDb, spec.tables().deviceState(), spec.tables().deviceWindows(), spec.tables().alerts());
            for (String bucket : buckets(spec)) {
                try {
                    s3.createBucket(b -> b.bucket(bucket));
                } catch (BucketAlreadyOwnedByYouException alreadyThere) {
                    // a re-run: the bucket is ours and may hold data, so it is left as it is
                }
            }
            Map<String, String> queueUrls = new LinkedHashMap<>();
            for (String queue : queues(spec)) {
                // CreateQueue with the same name and attributes returns the existing queue's URL.
                queueUrls.put(queue, sqs.createQueue(b -> b.queueName(queue)).queueUrl());
            }
            return new Created(spec, queueUrls);
        }
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
            throw new IllegalStateException("stream " + stream.name() + " has " + summary.openShardCount()
                    + " open shards, the pipeline needs " + stream.shardCount());
        }
    }

    /**
     * Waits until all four services answer a harmless list call. An emulator container accepts
     * connections before every service is ready, and a compose init step should not have to know how a
     * particular emulator reports readiness.
     */
    static void awaitServices(ServiceEndpoints endpoints, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        try (KinesisClient kinesis = endpoints.kinesisClient();
             DynamoDbClient dynamoDb = endpoints.dynamoDbClient();
             S3Client s3 = endpoints.s3Client();
             SqsClient sqs = endpoints.sqsClient()) {
            while (true) {
                try {
                    kinesis.listStreams();
                    dynamoDb.listTables();
                    s3.listBuckets();
                    sqs.listQueues();
                    return;
                } catch (SdkException notYet) {
                    if (System.nanoTime() >= deadline) {
                        throw notYet;
                    }
                    System.err.println("waiting for " + endpoints.kinesis() + ": " + notYet.getMessage());
                    Thread.sleep(1_000);
                }
            }
        }
    }

    /** Command-line settings; the defaults are LocalStack's and Floci's edge port and region. */
    record Arguments(URI endpoint, Region region, String prefix, Duration waitFor) {

        static final String USAGE = "usage: CreateResources [--endpoint URL] [--region REGION] [--prefix PREFIX] [--wait SECONDS]\n"
                + "  defaults: --endpoint $AWS_ENDPOINT_URL or http://localhost:4566, --region us-east-1, --prefix "
                + PipelineSpec.DEFAULT_PREFIX + ", --wait 0 (how long to wait for the services to answer)";

        static Arguments parse(String[] args, Map<String, String> env) {
            String endpoint = env.getOrDefault("AWS_ENDPOINT_URL", "http://localhost:4566");
            String region = "us-east-1";
            String prefix = PipelineSpec.DEFAULT_PREFIX;
            String wait = "0";
            for (int i = 0; i < args.length; i++) {
                String name = args[i];
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException(name + " needs a value\n" + USAGE);
                }
                String value = args[++i];
                switch (name) {
                    case "--endpoint" -> endpoint = value;
                    case "--region" -> region = value;
                    case "--prefix" -> prefix = value;
                    case "--wait" -> wait = value;
                    default -> throw new IllegalArgumentException("unknown option " + name + "\n" + USAGE);
                }
            }
            URI uri = URI.create(endpoint);
            if (uri.getScheme() == null || uri.getHost() == null) {
                throw new IllegalArgumentException("--endpoint must be an absolute URL, got " + endpoint);
            }
            Duration seconds;
            try {
                seconds = Duration.ofSeconds(Long.parseLong(wait));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--wait must be a number of seconds, got " + wait);
            }
            return new Arguments(uri, Region.of(region), prefix, seconds);
        }
    }

    public static void main(String[] args) throws Exception {
        Arguments arguments;
        PipelineSpec spec;
        try {
            arguments = Arguments.parse(args, System.getenv());
            spec = PipelineSpec.withPrefix(arguments.prefix());
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        ServiceEndpoints endpoints = ServiceEndpoints.edge(arguments.endpoint(), arguments.region());
        Created created;
        try {
            awaitServices(endpoints, arguments.waitFor());
            created = create(spec, endpoints);
        } catch (SdkException e) {
            System.err.println("creating the resources at " + arguments.endpoint() + " failed: " + e.getMessage());
            System.exit(1);
            return;
        }
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("endpoint", arguments.endpoint().toString());
        report.put("region", arguments.region().id());
        report.put("stream", spec.stream().name());
        report.put("shardCount", spec.stream().shardCount());
        report.put("tables", List.of(spec.tables().deviceState(), spec.tables().deviceWindows(), spec.tables().alerts()));
        report.put("buckets", buckets(spec));
        report.put("queueUrls", created.queueUrls());
        System.out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(report));
    }
}
