package io.twinflow.functions;

import io.twinflow.aws.SdkClients;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.EnvironmentVariableCredentialsProvider;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.redshiftdata.RedshiftDataClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Builds the SDK clients the functions use: once per container (at init), with an explicit region,
 * the light URLConnection HTTP client, bounded timeouts and the standard retry strategy (exponential
 * backoff with jitter, throttling retried), all through the project's one client setup
 * ({@link SdkClients}).
 */
public final class AwsClients {

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
        return setup(settings, settings.dynamoDbEndpoint()).httpClient(httpClient).build(DynamoDbClient.builder());
    }

    public static S3Client s3(FunctionSettings settings) {
        return setup(settings, settings.s3Endpoint())
                .http(UrlConnectionHttpClient.builder()
                        .connectionTimeout(Duration.ofSeconds(2))
                        .socketTimeout(Duration.ofSeconds(20)))
                // Local S3 servers only speak path-style addressing.
                .configure(S3Client.builder().forcePathStyle(settings.s3Endpoint().isPresent()))
                .build();
    }

    /** With a caller-supplied HTTP client, configured as {@link #s3(FunctionSettings)} otherwise. */
    public static S3Client s3(FunctionSettings settings, SdkHttpClient httpClient) {
        return setup(settings, settings.s3Endpoint())
                .httpClient(httpClient)
                .configure(S3Client.builder().forcePathStyle(settings.s3Endpoint().isPresent()))
                .build();
    }

    public static RedshiftDataClient redshiftData(FunctionSettings settings) {
        return setup(settings, Optional.empty())
                .http(UrlConnectionHttpClient.builder()
                        .connectionTimeout(Duration.ofSeconds(2))
                        .socketTimeout(Duration.ofSeconds(30)))
                .build(RedshiftDataClient.builder());
    }

    private static SdkClients.Setup setup(FunctionSettings settings, Optional<URI> endpoint) {
        return SdkClients.setup(Region.of(settings.region()), credentials(settings.credentials()))
                .endpoint(endpoint)
                .maxAttempts(settings.sdkMaxAttempts())
                .attemptTimeout(Duration.ofSeconds(10));
    }

    private static AwsCredentialsProvider credentials(FunctionSettings.CredentialsSource source) {
        return switch (source) {
            case LAMBDA_ENVIRONMENT -> EnvironmentVariableCredentialsProvider.create();
            case LOCAL_STATIC -> SdkClients.LOCAL_CREDENTIALS;
            case DEFAULT_CHAIN -> DefaultCredentialsProvider.builder().build();
        };
    }
}
