package io.twinflow.functions;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.EnvironmentVariableCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.redshiftdata.RedshiftDataClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Builds the SDK clients the functions use: once per container (at init), with an explicit region,
 * the light URLConnection HTTP client, bounded timeouts and the standard retry strategy (exponential
 * backoff with jitter, throttling retried).
 */
public final class AwsClients {

    /**
     * The keys everything local signs with (functions against an emulator, the CLI, the container
     * tests): emulators accept any key, and one shared pair keeps every client in the same account.
     */
    public static final AwsCredentialsProvider LOCAL_CREDENTIALS =
            StaticCredentialsProvider.create(AwsBasicCredentials.create("twinflow", "twinflow"));

    private AwsClients() {
    }

    public static DynamoDbClient dynamoDb(FunctionSettings settings) {
        return dynamoDb(settings, UrlConnectionHttpClient.builder()
                .connectionTimeout(Duration.ofSeconds(2))
                .socketTimeout(Duration.ofSeconds(10))
                .build());
    }

    /** With a caller-supplied HTTP client: tests use this to inject faults at the wire level. */
    public static DynamoDbClient dynamoDb(FunctionSettings settings, SdkHttpClient httpClient) {
        var builder = DynamoDbClient.builder().httpClient(httpClient);
        configure(builder, settings, settings.dynamoDbEndpoint());
        return builder.build();
    }

    public static S3Client s3(FunctionSettings settings) {
        var builder = S3Client.builder()
                .httpClient(UrlConnectionHttpClient.builder()
                        .connectionTimeout(Duration.ofSeconds(2))
                        .socketTimeout(Duration.ofSeconds(20))
                        .build())
                // Local S3 servers only speak path-style addressing.
                .forcePathStyle(settings.s3Endpoint().isPresent());
        configure(builder, settings, settings.s3Endpoint());
        return builder.build();
    }

    public static RedshiftDataClient redshiftData(FunctionSettings settings) {
        var builder = RedshiftDataClient.builder()
                .httpClient(UrlConnectionHttpClient.builder()
                        .connectionTimeout(Duration.ofSeconds(2))
                        .socketTimeout(Duration.ofSeconds(30))
                        .build());
        configure(builder, settings, Optional.empty());
        return builder.build();
    }

    private static void configure(AwsClientBuilder<?, ?> builder, FunctionSettings settings, Optional<URI> endpoint) {
        builder.region(Region.of(settings.region()))
                .credentialsProvider(credentials(settings.credentials()))
                .overrideConfiguration(ClientOverrideConfiguration.builder()
                        .retryStrategy(AwsRetryStrategy.standardRetryStrategy().toBuilder()
                                .maxAttempts(settings.sdkMaxAttempts())
                                .build())
                        .apiCallAttemptTimeout(Duration.ofSeconds(10))
                        .build());
        endpoint.ifPresent(builder::endpointOverride);
    }

    private static AwsCredentialsProvider credentials(FunctionSettings.CredentialsSource source) {
        return switch (source) {
            case LAMBDA_ENVIRONMENT -> EnvironmentVariableCredentialsProvider.create();
            case LOCAL_STATIC -> LOCAL_CREDENTIALS;
            case DEFAULT_CHAIN -> DefaultCredentialsProvider.builder().build();
        };
    }
}
