package io.twinflow.emulators;

import io.twinflow.aws.SdkClients;
import java.net.URI;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.regions.Region;

/**
 * The client settings every emulator shares, public so that tests can build clients the factories
 * do not cover (other services, async clients, extra overrides) with the same conventions: the
 * project's client setup ({@link SdkClients}) with one region and the local signing keys.
 */
public final class EmulatorClients {

    public static final Region REGION = Region.US_EAST_1;

    public static final AwsCredentialsProvider CREDENTIALS = SdkClients.LOCAL_CREDENTIALS;

    private EmulatorClients() {
    }

    /** The setup of a client of an emulator at {@code endpoint}, for callers that change more than the builder. */
    public static SdkClients.Setup setup(URI endpoint) {
        return SdkClients.setup(REGION, CREDENTIALS).endpoint(endpoint);
    }

    /** Points a synchronous client builder at an emulator; the caller may still override anything. */
    public static <B extends AwsClientBuilder<B, ?> & AwsSyncClientBuilder<B, ?>> B configure(B builder, URI endpoint) {
        return setup(endpoint).configure(builder);
    }
}
