package io.twinflow.aws;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbServiceClientConfiguration;

class SdkClientsTest {

    private static final URI EMULATOR = URI.create("http://127.0.0.1:4567");

    @Test
    void aClientGetsTheRegionKeysAndEndpointOfItsSetup() {
        try (DynamoDbClient client = SdkClients.setup(Region.EU_WEST_1, SdkClients.LOCAL_CREDENTIALS)
                .endpoint(EMULATOR).build(DynamoDbClient.builder())) {
            DynamoDbServiceClientConfiguration config = client.serviceClientConfiguration();

            assertThat(config.region()).isEqualTo(Region.EU_WEST_1);
            assertThat(config.endpointOverride()).contains(EMULATOR);
            AwsCredentialsIdentity keys = config.credentialsProvider().resolveIdentity().join();
            assertThat(keys.accessKeyId()).isEqualTo("twinflow");
            assertThat(keys.secretAccessKey()).isEqualTo("twinflow");
        }
    }

    @Test
    void withoutAnEndpointTheClientTalksToAws() {
        try (DynamoDbClient client = SdkClients.setup(Region.US_EAST_1, SdkClients.LOCAL_CREDENTIALS)
                .endpoint(Optional.empty()).build(DynamoDbClient.builder())) {
            assertThat(client.serviceClientConfiguration().endpointOverride()).isEmpty();
        }
    }

    @Test
    void retriesAndAttemptTimeoutAreSetOnlyWhenAsked() {
        SdkClients.Setup local = SdkClients.setup(Region.US_EAST_1, SdkClients.LOCAL_CREDENTIALS).endpoint(EMULATOR);
        try (DynamoDbClient bounded = local.maxAttempts(7).attemptTimeout(Duration.ofSeconds(3)).build(DynamoDbClient.builder());
             DynamoDbClient plain = local.build(DynamoDbClient.builder());
             DynamoDbClient sdkDefault = DynamoDbClient.builder().region(Region.US_EAST_1)
                     .credentialsProvider(SdkClients.LOCAL_CREDENTIALS).build()) {
            ClientOverrideConfiguration asked = bounded.serviceClientConfiguration().overrideConfiguration();
            assertThat(asked.retryStrategy()).hasValueSatisfying(strategy -> assertThat(strategy.maxAttempts()).isEqualTo(7));
            assertThat(asked.apiCallAttemptTimeout()).contains(Duration.ofSeconds(3));

            ClientOverrideConfiguration defaults = plain.serviceClientConfiguration().overrideConfiguration();
            assertThat(defaults.apiCallAttemptTimeout()).isEmpty();
            int serviceDefault = sdkDefault.serviceClientConfiguration().overrideConfiguration().retryStrategy().orElseThrow().maxAttempts();
            assertThat(defaults.retryStrategy()).hasValueSatisfying(
                    strategy -> assertThat(strategy.maxAttempts()).isEqualTo(serviceDefault).isNotEqualTo(7));
        }
    }

    @Test
    void aSetupIsNotChangedByTheCopiesMadeFromIt() {
        SdkClients.Setup base = SdkClients.setup(Region.US_EAST_1, SdkClients.LOCAL_CREDENTIALS);
        SdkClients.Setup moved = base.endpoint(EMULATOR).maxAttempts(7);

        try (DynamoDbClient fromBase = base.build(DynamoDbClient.builder());
             DynamoDbClient fromMoved = moved.build(DynamoDbClient.builder())) {
            assertThat(fromBase.serviceClientConfiguration().endpointOverride()).isEmpty();
            assertThat(fromBase.serviceClientConfiguration().overrideConfiguration().retryStrategy())
                    .hasValueSatisfying(strategy -> assertThat(strategy.maxAttempts()).isNotEqualTo(7));
            assertThat(fromMoved.serviceClientConfiguration().endpointOverride()).contains(EMULATOR);
        }
    }

    @Test
    void kinesisOverJsonTurnsCborOffAndSaysWhetherItChangedIt() {
        String before = System.getProperty(SdkClients.CBOR_PROPERTY);
        try {
            System.clearProperty(SdkClients.CBOR_PROPERTY);
            assertThat(SdkClients.kinesisOverJson()).isTrue();
            assertThat(System.getProperty(SdkClients.CBOR_PROPERTY)).isEqualTo("false");
            assertThat(SdkClients.kinesisOverJson()).isFalse();
        } finally {
            if (before == null) {
                System.clearProperty(SdkClients.CBOR_PROPERTY);
            } else {
                System.setProperty(SdkClients.CBOR_PROPERTY, before);
            }
        }
    }
}
