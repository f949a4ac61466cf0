package io.twinflow.localstack;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.twinflow.core.pipeline.PipelineSpec;
import io.twinflow.resources.PipelineResources;
import io.twinflow.resources.ServiceEndpoints;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The init step of the docker-compose stacks and the setup of every integration scenario: creates the
 * real-time path's resources ({@link PipelineResources}: what is missing, leaving what exists) against
 * any endpoint, so an init container that restarts, or a scenario that creates what another already
 * did, is harmless. The embedded runtime creates its resources with the same {@link PipelineResources}.
 *
 * <pre>java -jar localstack/target/twinflow-localstack.jar [--endpoint URL] [--region R] [--prefix P] [--wait S]</pre>
 */
public final class CreateResources {

    private CreateResources() {
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
        PipelineResources.Created created;
        try {
            awaitServices(endpoints, arguments.waitFor());
            created = PipelineResources.create(spec, endpoints);
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
        report.put("buckets", PipelineResources.buckets(spec));
        report.put("queueUrls", created.queueUrls());
        System.out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(report));
    }
}
