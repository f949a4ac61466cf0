package io.twinflow.resources;

import io.twinflow.aws.SdkClients;
import java.net.URI;
import java.util.Objects;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Where the four services of the real-time path answer, how to sign for them, and their clients
 * (built with {@link SdkClients}). The embedded emulators each have a port of their own; LocalStack and
 * Floci serve every service on one edge port. The local runtime's stack and the LocalStack init step and
 * scenarios reach their services through this.
 */
public record ServiceEndpoints(URI kinesis, URI dynamoDb, URI s3, URI sqs, Region region,
                               AwsCredentialsProvider credentials) {

    public ServiceEndpoints {
        Objects.requireNonNull(kinesis, "kinesis");
        Objects.requireNonNull(dynamoDb, "dynamoDb");
        Objects.requireNonNull(s3, "s3");
        Objects.requireNonNull(sqs, "sqs");
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(credentials, "credentials");
    }

    /**
     * Every service behind one edge endpoint, as LocalStack and Floci serve them, signed with the keys
     * the stream-processor signs with when it is given local endpoints ({@link SdkClients#LOCAL_CREDENTIALS}):
     * everything that must see the function's tables is then in its account.
     */
    public static ServiceEndpoints edge(URI endpoint, Region region) {
        return new ServiceEndpoints(endpoint, endpoint, endpoint, endpoint, region, SdkClients.LOCAL_CREDENTIALS);
    }

    /**
     * Kinesis over JSON rather than CBOR: kinesalite's CBOR breaks on large records and JSON is
     * understood by every emulator and by AWS, so one protocol serves all environments.
     */
    public KinesisClient kinesisClient() {
        SdkClients.kinesisOverJson();
        return configure(KinesisClient.builder(), kinesis);
    }

    public DynamoDbClient dynamoDbClient() {
        return configure(DynamoDbClient.builder(), dynamoDb);
    }

    /** Path-style, because bucket subdomains of a loopback endpoint do not resolve. */
    public S3Client s3Client() {
        return configure(S3Client.builder().forcePathStyle(true), s3);
    }

    public SqsClient sqsClient() {
        return configure(SqsClient.builder(), sqs);
    }

    private <B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>, C> C configure(B builder, URI endpoint) {
        return SdkClients.setup(region, credentials).endpoint(endpoint).build(builder);
    }
}
