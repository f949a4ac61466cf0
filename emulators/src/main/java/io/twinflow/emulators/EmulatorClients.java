package io.twinflow.emulators;

import java.net.URI;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;

/**
 * The client settings every emulator shares, public so that tests can build clients the factories
 * do not cover (other services, async clients, extra overrides) with the same conventions.
 *
 * <p>Region and credentials are explicit so that nothing on the developer's machine (profiles,
 * environment, instance metadata) is consulted: that lookup is slow and makes tests depend on the
 * machine. The URL-connection HTTP client starts faster than the Apache or Netty ones, which
 * matters more here than throughput.
 */
public final class EmulatorClients {

    public static final Region REGION = Region.US_EAST_1;

    public static final AwsCredentialsProvider CREDENTIALS =
            StaticCredentialsProvider.create(AwsBasicCredentials.create("twinflow", "twinflow"));

    private EmulatorClients() {
    }

    /** Points a synchronous client builder at an emulator; the caller may still override anything. */
    public static <B extends AwsClientBuilder<B, ?> & AwsSyncClientBuilder<B, ?>> B configure(B builder, URI endpoint) {
        return builder
                .region(REGION)
                .credentialsProvider(CREDENTIALS)
                .endpointOverride(endpoint)
                .httpClientBuilder(UrlConnectionHttpClient.builder());
    }
}
