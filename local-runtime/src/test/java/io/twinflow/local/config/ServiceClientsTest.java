package io.twinflow.local.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.twinflow.aws.SdkClients;
import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;

class ServiceClientsTest {

    private static final Endpoints LOCAL = new Endpoints("eu-west-1", "http://127.0.0.1:1", "http://127.0.0.1:2",
            "http://127.0.0.1:3", "http://127.0.0.1:4",
            new Endpoints.Postgres("jdbc:postgresql://127.0.0.1:5/postgres", "127.0.0.1", 5, "postgres", "pg-user", "pg-pass"),
            new Endpoints.Resources("demo", "demo-telemetry", 2, Map.of(), Map.of(), Map.of(), Map.of()),
            new Endpoints.Credentials("AKID", "SECRET"), 1, "2026-11-24T00:00:00Z", "embedded", null);

    @Test
    void aLocalStacksClientsUseItsEndpointsRegionAndKeysFromTheEndpointsFile() {
        ServiceClients clients = ServiceClients.local(LOCAL);
        try (KinesisClient kinesis = clients.kinesis(); DynamoDbClient dynamoDb = clients.dynamoDb();
             S3Client s3 = clients.s3(); SqsClient sqs = clients.sqs()) {
            assertThat(kinesis.serviceClientConfiguration().endpointOverride()).contains(URI.create("http://127.0.0.1:1"));
            assertThat(dynamoDb.serviceClientConfiguration().endpointOverride()).contains(URI.create("http://127.0.0.1:2"));
            assertThat(s3.serviceClientConfiguration().endpointOverride()).contains(URI.create("http://127.0.0.1:3"));
            assertThat(sqs.serviceClientConfiguration().endpointOverride()).contains(URI.create("http://127.0.0.1:4"));
            assertThat(dynamoDb.serviceClientConfiguration().region()).isEqualTo(Region.EU_WEST_1);
            AwsCredentialsIdentity keys = dynamoDb.serviceClientConfiguration().credentialsProvider().resolveIdentity().join();
            assertThat(keys.accessKeyId()).isEqualTo("AKID");
            assertThat(keys.secretAccessKey()).isEqualTo("SECRET");
        }
        assertThat(clients.spec().prefix()).isEqualTo("demo");
        assertThat(clients.localEndpoints()).contains(LOCAL);
        assertThat(System.getProperty(SdkClients.CBOR_PROPERTY)).isEqualTo("false");
    }

    @Test
    void aContainersServicesAreAllBehindItsEdgeAndSignedWithTheLocalKeys() {
        URI edge = URI.create("http://localhost:4566");
        ServiceClients clients = ServiceClients.containerEdge(edge, "us-east-1", "demo");
        try (KinesisClient kinesis = clients.kinesis(); S3Client s3 = clients.s3(); SqsClient sqs = clients.sqs()) {
            assertThat(kinesis.serviceClientConfiguration().endpointOverride()).contains(edge);
            assertThat(s3.serviceClientConfiguration().endpointOverride()).contains(edge);
            assertThat(sqs.serviceClientConfiguration().endpointOverride()).contains(edge);
            AwsCredentialsIdentity keys = s3.serviceClientConfiguration().credentialsProvider().resolveIdentity().join();
            assertThat(keys.accessKeyId()).isEqualTo(SdkClients.LOCAL_CREDENTIALS.resolveCredentials().accessKeyId());
        }
        assertThat(clients.localEndpoints()).isEmpty();
    }

    @Test
    void awsClientsTalkToAwsUnlessGivenOneEndpoint() {
        try (DynamoDbClient plain = ServiceClients.aws("eu-west-1", null, "demo").dynamoDb();
             S3Client overridden = ServiceClients.aws("eu-west-1", URI.create("http://127.0.0.1:9"), "demo").s3()) {
            assertThat(plain.serviceClientConfiguration().endpointOverride()).isEmpty();
            assertThat(plain.serviceClientConfiguration().region()).isEqualTo(Region.EU_WEST_1);
            assertThat(overridden.serviceClientConfiguration().endpointOverride()).contains(URI.create("http://127.0.0.1:9"));
        }
    }
}
